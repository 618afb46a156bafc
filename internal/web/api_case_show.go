package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// apiCaseShow answers GET /api/cases/{id}: the case with the actions the
// caller may take and its audit timeline.
func (s *server) apiCaseShow(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, access, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	events, err := s.db.CaseEvents(r.Context(), cs.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	timeline := make([]eventView, 0, len(events))
	for _, e := range events {
		timeline = append(timeline, eventView{Seq: e.Seq, Action: e.Action, From: string(e.From), To: string(e.To),
			ActorID: e.ActorID, ActorRole: e.ActorRole, At: e.At, Payload: e.Payload})
	}
	v, err := s.caseView(r, cs, p.Actor, access)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("ETag", caseETag(cs.Version))
	writeJSON(w, http.StatusOK, caseShowResponse{Case: v, Events: timeline})
}

// caseResponse is the answer of a call about one case.
type caseResponse struct {
	Case caseView `json:"case"`
}

// caseShowResponse is a case with its audit timeline.
type caseShowResponse struct {
	Case   caseView    `json:"case"`
	Events []eventView `json:"events"`
}

// caseFromURL loads the case named by the {id} URL parameter as the caller
// may see it: a case they may not see is not found.
func (s *server) caseFromURL(r *http.Request, p *auth.Principal) (*storage.CaseSummary, workflow.Access, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, workflow.AccessNone, &workflow.Error{Code: workflow.ErrNotFound, Message: "没有找到这件建议。",
			Detail: fmt.Sprintf("case %q not found", chi.URLParam(r, "id"))}
	}
	return s.db.CaseFor(r.Context(), p.Actor, id)
}

// mustPrincipal returns the caller; the route's requireLogin guarantees one.
func mustPrincipal(r *http.Request) *auth.Principal {
	p, ok := auth.PrincipalFrom(r.Context())
	if !ok {
		panic("web: handler reached without requireLogin")
	}
	return p
}
