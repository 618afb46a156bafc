package web

import (
	"net/http"
	"time"

	"github.com/banli-gov/banli/workflow"
)

// feedbackLinkCreate handles POST /cases/{id}/feedback-link: a liaison
// makes the signed link through which the deputy fills in the feedback
// form (征询意见表) on the case's sent reply, valid for 30 days, and gets
// the case page with the link to copy into a message to the deputy. Only
// a liaison, only for a reply awaiting feedback (state replied). Nothing is
// stored, so nothing is redirected: reloading makes another link.
func (s *server) feedbackLinkCreate(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, access, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var roles []workflow.Role
	if access == workflow.AccessAct {
		roles = p.Actor.RolesOn(cs.DepartmentID)
	}
	if err := workflow.MayLinkFeedback(&cs.Case, roles); err != nil {
		s.caseRefused(w, r, cs.ID, err, caseForm{})
		return
	}
	claim := feedbackClaim{CaseID: cs.ID, Round: cs.Round, Expires: s.clock.Now().Add(feedbackLinkTTL).Truncate(time.Second)}
	link := s.cfg.BaseURL + "/feedback/" + feedbackToken(s.feedbackSecret(), claim)
	s.logger.InfoContext(r.Context(), "feedback link created", "case", cs.ID, "round", cs.Round, "user", p.Actor.UserID,
		"expires", claim.Expires)
	s.renderCase(w, r, p, cs, access, http.StatusOK, caseForm{FeedbackLink: link, FeedbackExpires: claim.Expires})
}
