package web

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/workflow"
)

// proposalKeyMark handles POST /proposals/{id}/key (liaison only): marks the
// suggestion as a key suggestion (重点建议) with its overseeing leader
// (leader_name, leader_title) and supervising office (office), or changes
// the mark (storage.MarkKey). Done: 303 to the proposal page; refused: the
// proposal page with the message.
func (s *server) proposalKeyMark(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(chi.URLParam(r, "id"))
	if !ok {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "sv.err.proposal", chi.URLParam(r, "id"))))
		return
	}
	f := readForm(r)
	m := workflow.KeyMark{ProposalID: id, LeaderName: f.Value("leader_name"), LeaderTitle: f.Value("leader_title"), Office: f.Value("office")}
	if err := s.db.MarkKey(r.Context(), mustPrincipal(r).Actor, m, s.clock.Now()); err != nil {
		s.proposalRefused(w, r, id, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/proposals/%d#key", id), flashKeyMarked)
}

// proposalKeyUnmark handles POST /proposals/{id}/key/remove (liaison only):
// the suggestion is no longer a key suggestion (storage.UnmarkKey).
func (s *server) proposalKeyUnmark(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(chi.URLParam(r, "id"))
	if !ok {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "sv.err.proposal", chi.URLParam(r, "id"))))
		return
	}
	if err := s.db.UnmarkKey(r.Context(), mustPrincipal(r).Actor, id, s.clock.Now()); err != nil {
		s.proposalRefused(w, r, id, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/proposals/%d#key", id), flashKeyUnmarked)
}

// proposalRefused answers a refused form of the proposal page: the page
// again, with the refusal as its flash.
func (s *server) proposalRefused(w http.ResponseWriter, r *http.Request, id int64, err error) {
	s.refuse(w, r, err, func(status int) {
		s.renderProposalWith(w, r, status, id, svAssignForm{}, nil, errorFlash(r, err))
	})
}
