package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/banli-gov/banli/workflow"
)

// Limits of a session's names.
const (
	svMaxSessionName  = 100
	svMaxSessionShort = 50
)

// adminSessionCreate answers POST /admin/sessions (admin only): it adds a
// congress session with the default rules and reminder policy, and sends
// the browser to its page, where they can be changed (303). A refused form
// comes back with each error beside its field.
func (s *server) adminSessionCreate(w http.ResponseWriter, r *http.Request) {
	f := readForm(r)
	form := svSessionForm{
		Name:      f.Text(field{Name: "name", ID: "session-name", Label: "adm.sessions.name"}, svMaxSessionName, true),
		ShortName: f.Text(field{Name: "short_name", ID: "session-short", Label: "adm.sessions.short"}, maxField, true),
	}
	if runeCount(form.ShortName) > svMaxSessionShort || strings.ContainsAny(form.ShortName, "/?#%") {
		f.Add("session-short", message(r, "adm.sessions.err.shortFormat", svMaxSessionShort))
	}
	var opened workflow.Date
	opened, form.OpenedOn = f.Date(field{Name: "opened_on", ID: "session-opened", Label: "adm.sessions.opened"}, true)
	if !f.OK() {
		s.renderSessions(w, r, http.StatusUnprocessableEntity, form, f.Errors)
		return
	}
	cs := &workflow.CongressSession{Name: form.Name, ShortName: form.ShortName, OpenedOn: opened}
	if err := s.db.CreateSession(r.Context(), cs); err != nil {
		if workflow.Code(err) != workflow.ErrConflict {
			s.writeError(w, r, err)
			return
		}
		if strings.Contains(workflow.Message(err), "short_name") {
			f.Add("session-short", message(r, "adm.sessions.err.shortTaken", form.ShortName))
		} else {
			f.Add("session-name", message(r, "adm.sessions.err.nameTaken", form.Name))
		}
		s.renderSessions(w, r, http.StatusConflict, form, f.Errors)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/admin/sessions/%d", cs.ID), flashSessionAdded)
}
