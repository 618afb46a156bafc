package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/workflow"
)

// svLetterForm is the letter settings form (答复函设置), as shown or typed.
type svLetterForm struct {
	Opening, Closing string
	// CopyTo is the offices copied to, one per line.
	CopyTo     string
	PerDeputy  bool
	ShowSigner bool
}

func svLetterOf(l workflow.LetterSettings) svLetterForm {
	return svLetterForm{Opening: l.Opening, Closing: l.Closing, CopyTo: strings.Join(l.CopyTo, "\n"),
		PerDeputy: l.PerDeputy, ShowSigner: l.ShowSigner}
}

// adminSessionLetter answers POST /admin/sessions/{id}/letter (admin only):
// it sets how the session's reply letters read — opening (with {标题} and
// {编号}), closing, the offices copied to (one per line), one letter per
// deputy or one to the lead deputy (per_deputy: "each" or "lead"), and
// whether the letter names its 签发人 — records the change in the
// administration log and comes back to the session's page (303).
func (s *server) adminSessionLetter(w http.ResponseWriter, r *http.Request) {
	cs, ok := s.svSessionOf(w, r)
	if !ok {
		return
	}
	f := readForm(r)
	in := svLetterForm{
		Opening:    f.Text(field{Name: "opening", ID: "letter-opening", Label: "letter.set.opening"}, 500, true),
		Closing:    f.Text(field{Name: "closing", ID: "letter-closing", Label: "letter.set.closing"}, 500, false),
		CopyTo:     f.Value("copy_to"),
		PerDeputy:  f.Value("per_deputy") != "lead",
		ShowSigner: f.Has("show_signer"),
	}
	set := workflow.LetterSettings{Opening: in.Opening, Closing: in.Closing, PerDeputy: in.PerDeputy, ShowSigner: in.ShowSigner}
	for _, line := range strings.FieldsFunc(in.CopyTo, func(c rune) bool { return c == '\n' || c == '\r' }) {
		if line = strings.TrimSpace(line); line != "" {
			set.CopyTo = append(set.CopyTo, line)
		}
	}
	if f.OK() {
		if err := set.Validate(); err != nil {
			id := map[string]string{workflow.RuleLetterOpening: "letter-opening", workflow.RuleLetterClosing: "letter-closing",
				workflow.RuleLetterCopyTo: "letter-copy-to"}[err.Guard]
			f.Add(id, message(r, "letter.set.err."+err.Guard))
		}
	}
	if !f.OK() {
		s.renderSessionData(w, r, http.StatusUnprocessableEntity, &svAdminSession{Session: cs, Rules: svRuleRows(cs.Rules),
			Units: workflow.AllPeriodUnits(), Days: svDays(cs.Reminders),
			Time: fmt.Sprintf("%02d:%02d", cs.Reminders.Hour, cs.Reminders.Minute), Letter: in, Errors: f.Errors})
		return
	}
	pr, _ := auth.PrincipalFrom(r.Context())
	if err := s.db.UpdateLetterSettings(r.Context(), workflow.AdminUser(pr.User), cs.ID, set); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/admin/sessions/%d", cs.ID), flashLetterSaved)
}
