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
	r.Body = http.MaxBytesReader(w, r.Body, svMaxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s", svMsg(r, "sv.err.form")))
		return
	}
	f := svSessionForm{Name: svTrim(r, "name"), ShortName: svTrim(r, "short_name"), OpenedOn: svTrim(r, "opened_on")}
	var errs svErrors
	switch {
	case f.Name == "":
		errs.add("session-name", svMsg(r, "adm.sessions.err.nameRequired"))
	case svRunes(f.Name) > svMaxSessionName:
		errs.add("session-name", svMsg(r, "adm.err.tooLong", svMsg(r, "adm.sessions.name"), svMaxSessionName))
	}
	switch {
	case f.ShortName == "":
		errs.add("session-short", svMsg(r, "adm.sessions.err.shortRequired"))
	case svRunes(f.ShortName) > svMaxSessionShort || strings.ContainsAny(f.ShortName, "/?#%"):
		errs.add("session-short", svMsg(r, "adm.sessions.err.shortFormat", svMaxSessionShort))
	}
	opened, err := workflow.ParseDate(f.OpenedOn)
	if err != nil {
		errs.add("session-opened", svMsg(r, "adm.sessions.err.opened"))
	}
	if len(errs) > 0 {
		s.renderSessions(w, r, http.StatusUnprocessableEntity, f, errs)
		return
	}
	cs := &workflow.CongressSession{Name: f.Name, ShortName: f.ShortName, OpenedOn: opened}
	if err := s.db.CreateSession(r.Context(), cs); err != nil {
		if workflow.Code(err) != workflow.ErrConflict {
			s.writeError(w, r, err)
			return
		}
		if strings.Contains(workflow.Message(err), "short_name") {
			errs.add("session-short", svMsg(r, "adm.sessions.err.shortTaken", f.ShortName))
		} else {
			errs.add("session-name", svMsg(r, "adm.sessions.err.nameTaken", f.Name))
		}
		s.renderSessions(w, r, http.StatusConflict, f, errs)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/admin/sessions/%d", cs.ID), flashSessionAdded)
}
