package web

import (
	"fmt"
	"net/http"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// communicationAdd handles POST /cases/{id}/communications, the case
// page's 面商 form: a contact with the deputy (method meeting, visit or
// phone; happened_on YYYY-MM-DD; participants; summary), recorded with its
// audit event by storage.AddCommunication, which checks who may record it
// in which state. Done: 303 to the case page's communications; refused:
// the case page with the message and the input kept.
func (s *server) communicationAdd(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, _, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f := readForm(r)
	in := commInput{Method: f.Value("method"), Participants: f.Value("participants"), Summary: f.Value("summary")}
	m := &storage.Communication{CaseID: cs.ID, Method: workflow.ContactMethod(in.Method),
		Participants: in.Participants, Summary: in.Summary}
	m.HappenedOn, in.HappenedOn = f.Date(field{Name: "happened_on", ID: "comm-happened_on", Label: "comm.date"}, false)
	if err = f.Err(); err == nil {
		err = s.db.AddCommunication(r.Context(), p.Actor, m, s.clock.Now())
	}
	if err != nil {
		s.caseRefused(w, r, cs.ID, err, caseForm{Comm: in})
		return
	}
	s.redirect(w, r, fmt.Sprintf("/cases/%d#communications", cs.ID), flashCommAdded)
}
