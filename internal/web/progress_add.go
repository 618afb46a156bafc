package web

import (
	"fmt"
	"net/http"

	"github.com/banli-gov/banli/workflow"
)

// progressAdd handles POST /cases/{id}/progress, the case page's 办理进展
// form on a key suggestion: a progress report (reported_on YYYY-MM-DD,
// body), filed by a user of the unit (storage.AddProgressReport), which
// moves the next report's deadline. Done: 303 to the case page's reports;
// refused: the case page with the message.
func (s *server) progressAdd(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, _, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f := readForm(r)
	rep := &workflow.ProgressReport{CaseID: cs.ID, Body: f.Value("body")}
	rep.ReportedOn, _ = f.Date(field{Name: "reported_on", ID: "progress-date", Label: "km.progress.date"}, true)
	if err = f.Err(); err == nil {
		err = s.db.AddProgressReport(r.Context(), p.Actor, rep, s.clock.Now())
	}
	if err != nil {
		s.caseRefused(w, r, cs.ID, err, caseForm{})
		return
	}
	s.redirect(w, r, fmt.Sprintf("/cases/%d#progress", cs.ID), flashProgressAdded)
}
