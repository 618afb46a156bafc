package web

import (
	"context"
	"net/http"
	"time"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// feedbackLinkCreate handles POST /cases/{id}/feedback-link: a liaison
// makes the signed link through which the deputy fills in the feedback
// form (征询意见表) on the case's sent reply, valid for 30 days, and gets
// the case page with the link to copy into a message to the deputy. Only
// a liaison, only for a reply awaiting feedback (state replied). The link's
// expiry is stored (storage.IssueFeedbackLink): while it is neither used,
// revoked nor expired, sending again gives the same link, and the case page
// shows it at its top (issuedFeedbackLink).
func (s *server) feedbackLinkCreate(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, access, ok := s.feedbackLinkCase(w, r, p)
	if !ok {
		return
	}
	now := s.clock.Now()
	issued, err := s.db.IssueFeedbackLink(r.Context(), cs.ID, cs.Round, p.Actor.UserID, now, now.Add(feedbackLinkTTL))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	claim := feedbackClaim{CaseID: cs.ID, Round: cs.Round, Expires: issued.ExpiresAt}
	link := s.feedbackURL(claim)
	s.logger.InfoContext(r.Context(), "feedback link created", "case", cs.ID, "round", cs.Round, "user", p.Actor.UserID,
		"expires", claim.Expires)
	s.renderCase(w, r, p, cs, access, http.StatusOK, caseForm{FeedbackLink: link, FeedbackExpires: claim.Expires})
}

// feedbackURL is the feedback link of claim.
func (s *server) feedbackURL(claim feedbackClaim) string {
	return s.cfg.BaseURL + "/feedback/" + feedbackToken(s.feedbackSecret(), claim)
}

// issuedFeedbackLink returns the feedback link issued for cs's round and
// its expiry, while it is neither revoked nor expired; "" when there is
// none.
func (s *server) issuedFeedbackLink(ctx context.Context, cs *storage.CaseSummary) (string, time.Time, error) {
	l, err := s.db.FeedbackLinkOf(ctx, cs.ID, cs.Round)
	switch {
	case workflow.Code(err) == workflow.ErrNotFound:
		return "", time.Time{}, nil
	case err != nil:
		return "", time.Time{}, err
	case l.Revoked || !l.ExpiresAt.After(s.clock.Now()):
		return "", time.Time{}, nil
	}
	return s.feedbackURL(feedbackClaim{CaseID: cs.ID, Round: cs.Round, Expires: l.ExpiresAt}), l.ExpiresAt, nil
}

// feedbackLinkCase reads the case of a feedback-link request and checks
// that the caller may make or revoke its link (workflow.MayLinkFeedback);
// otherwise it answers and returns false.
func (s *server) feedbackLinkCase(w http.ResponseWriter, r *http.Request, p *auth.Principal) (*storage.CaseSummary, workflow.Access, bool) {
	cs, access, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return nil, access, false
	}
	var roles []workflow.Role
	if access == workflow.AccessAct {
		roles = p.Actor.RolesOn(cs.DepartmentID)
	}
	if err := workflow.MayLinkFeedback(&cs.Case, roles); err != nil {
		s.caseRefused(w, r, cs.ID, err, caseForm{})
		return nil, access, false
	}
	return cs, access, true
}
