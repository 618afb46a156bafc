package web

import (
	"net/http"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// communicationView is a contact with the deputy (面商) as the API shows it.
type communicationView struct {
	ID           int64                  `json:"id"`
	Method       workflow.ContactMethod `json:"method"`
	HappenedOn   workflow.Date          `json:"happened_on"`
	Participants string                 `json:"participants"`
	Summary      string                 `json:"summary"`
	RecordedBy   int64                  `json:"recorded_by"`
}

// communicationRequest is the body of POST /api/v1/cases/{id}/communications.
type communicationRequest struct {
	Method       workflow.ContactMethod `json:"method" required:"true"`
	HappenedOn   workflow.Date          `json:"happened_on" required:"true"`
	Participants string                 `json:"participants,omitempty"`
	Summary      string                 `json:"summary" required:"true"`
}

// communicationListResponse lists a case's contacts.
type communicationListResponse struct {
	Communications []communicationView `json:"communications"`
}

// communicationResponse is one contact.
type communicationResponse struct {
	Communication communicationView `json:"communication"`
}

func newCommunicationView(m *storage.Communication) communicationView {
	return communicationView{ID: m.ID, Method: m.Method, HappenedOn: m.HappenedOn, Participants: m.Participants,
		Summary: m.Summary, RecordedBy: m.RecordedBy}
}

// apiCommunicationList answers GET /api/v1/cases/{id}/communications: the
// contacts of a case the caller may see.
func (s *server) apiCommunicationList(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, _, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.db.Communications(r.Context(), cs.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]communicationView, 0, len(list))
	for _, m := range list {
		out = append(out, newCommunicationView(m))
	}
	writeJSON(w, http.StatusOK, communicationListResponse{Communications: out})
}

// apiCommunicationAdd answers POST /api/v1/cases/{id}/communications: the
// unit records a contact with the deputy; workflow decides who may, in
// which states (storage.AddCommunication).
func (s *server) apiCommunicationAdd(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, _, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req communicationRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if runeCount(req.Summary) > maxField || runeCount(req.Participants) > maxField {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "summary, participants: at most %d characters", maxField))
		return
	}
	m := &storage.Communication{CaseID: cs.ID, Method: req.Method, HappenedOn: req.HappenedOn,
		Participants: req.Participants, Summary: req.Summary}
	if err := s.db.AddCommunication(r.Context(), p.Actor, m, s.clock.Now()); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, communicationResponse{Communication: newCommunicationView(m)})
}
