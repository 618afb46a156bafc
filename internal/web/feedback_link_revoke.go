package web

import (
	"fmt"
	"net/http"
)

// feedbackLinkRevoke handles POST /cases/{id}/feedback-link/revoke: a
// liaison revokes the deputy's feedback link of the case's round (sent to
// the wrong person, say): it stops working (feedbackLoad), the case page no
// longer shows it, and the next link made is a new one.
func (s *server) feedbackLinkRevoke(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, _, ok := s.feedbackLinkCase(w, r, p)
	if !ok {
		return
	}
	if err := s.db.RevokeFeedbackLink(r.Context(), cs.ID, cs.Round, s.clock.Now()); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.logger.InfoContext(r.Context(), "feedback link revoked", "case", cs.ID, "round", cs.Round, "user", p.Actor.UserID)
	s.redirect(w, r, fmt.Sprintf("/cases/%d", cs.ID), flashLinkRevoked)
}
