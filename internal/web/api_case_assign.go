package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/workflow"
)

// assignRequest is the body of POST /api/proposals/{id}/cases.
type assignRequest struct {
	Department string            `json:"department" required:"true"` // department code
	Kind       workflow.CaseKind `json:"kind"`
}

// apiCaseAssign answers POST /api/proposals/{id}/cases: the liaison assigns
// the proposal to a unit (交办); the transition table decides who may.
func (s *server) apiCaseAssign(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	proposalID, ok := parseID(chi.URLParam(r, "id"))
	if !ok {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "proposal %q not found", chi.URLParam(r, "id")))
		return
	}
	var req assignRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Department == "" {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "department: required (a department code)"))
		return
	}
	cases, err := s.assign(r.Context(), p.Actor, proposalID, []unitPick{{Code: req.Department, Kind: req.Kind}})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	c := cases[0]
	cs, access, err := s.db.CaseFor(r.Context(), p.Actor, c.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", apiBasePath+"/cases/"+strconv.FormatInt(c.ID, 10))
	v, err := s.caseView(r, cs, p.Actor, access)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, caseResponse{Case: v})
}
