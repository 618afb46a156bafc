package web

import (
	"net/http"
	"slices"
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
		writeError(w, r, s.logger, err)
		return
	}
	switch {
	case access != workflow.AccessAct || !slices.Contains(p.Actor.RolesOn(cs.DepartmentID), workflow.RoleLiaison):
		err = workflow.Errorf(workflow.ErrForbidden, "只有联络员可以生成代表反馈链接 (only a liaison creates the deputy's feedback link)")
	case cs.State != workflow.StateReplied || !cs.Kind.RepliesToDeputy():
		err = workflow.Errorf(workflow.ErrConflict, "案件不在“已答复”状态，无需代表反馈 (case %d is %s: no reply awaits feedback)", cs.ID, cs.State)
	}
	if err != nil {
		s.caseRefused(w, r, cs.ID, err, caseForm{})
		return
	}
	claim := feedbackClaim{CaseID: cs.ID, Round: cs.Round, Expires: s.clock.Now().Add(feedbackLinkTTL).Truncate(time.Second)}
	link := s.cfg.BaseURL + "/feedback/" + feedbackToken(s.feedbackSecret(), claim)
	s.logger.InfoContext(r.Context(), "feedback link created", "case", cs.ID, "round", cs.Round, "user", p.Actor.UserID,
		"expires", claim.Expires)
	s.renderCase(w, r, p, cs, access, http.StatusOK, caseForm{FeedbackLink: link, FeedbackExpires: claim.Expires})
}
