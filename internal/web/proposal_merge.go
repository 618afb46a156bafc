package web

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/workflow"
)

// proposalMerge handles POST /proposals/{id}/merge (liaison only): merges
// the suggestion numbered number, of the same session, into this one (并案,
// storage.Merge, workflow.CheckMerge). Done: 303 to the proposal page;
// refused: the proposal page with the message.
func (s *server) proposalMerge(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(chi.URLParam(r, "id"))
	if !ok {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "sv.err.proposal", chi.URLParam(r, "id"))))
		return
	}
	ctx := r.Context()
	p, err := s.db.Proposal(ctx, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	number := readForm(r).Value("number")
	other, err := s.db.ProposalIDByNumber(ctx, p.SessionID, number)
	if err == nil {
		err = s.db.Merge(ctx, mustPrincipal(r).Actor, id, other, s.clock.Now())
	}
	if err != nil {
		s.proposalRefused(w, r, id, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/proposals/%d#merge", id), flashMerged)
}

// proposalUnmerge handles POST /proposals/{id}/unmerge (liaison only):
// undoes the merge of this suggestion into its main one, before drafting
// starts (storage.Unmerge, workflow.CheckUnmerge).
func (s *server) proposalUnmerge(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(chi.URLParam(r, "id"))
	if !ok {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "sv.err.proposal", chi.URLParam(r, "id"))))
		return
	}
	if err := s.db.Unmerge(r.Context(), mustPrincipal(r).Actor, id, s.clock.Now()); err != nil {
		s.proposalRefused(w, r, id, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/proposals/%d#merge", id), flashUnmerged)
}
