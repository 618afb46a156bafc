package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// deputyLinkRow is a deputy of the proposal page with the link to their
// own page: the live one (URL and Expires), or the last revocation.
type deputyLinkRow struct {
	storage.ProposalDeputy
	URL     string
	Expires time.Time
	// Revoked is the last link's revocation, when it was revoked.
	Revoked *storage.DeputyLinkIssue
}

// deputyLinks lists the proposal's deputies with their links for the
// proposal's session.
func (s *server) deputyLinks(ctx context.Context, sessionID int64, deputies []storage.ProposalDeputy) ([]deputyLinkRow, error) {
	out := make([]deputyLinkRow, 0, len(deputies))
	now := s.clock.Now()
	for _, d := range deputies {
		row := deputyLinkRow{ProposalDeputy: d}
		l, err := s.db.DeputyLinkOf(ctx, d.ID, sessionID)
		switch {
		case workflow.Code(err) == workflow.ErrNotFound:
		case err != nil:
			return nil, err
		case l.Revoked:
			row.Revoked = l
		case l.ExpiresAt.After(now):
			row.URL = s.deputyURL(deputyClaim{DeputyID: d.ID, SessionID: sessionID, Expires: l.ExpiresAt})
			row.Expires = l.ExpiresAt
		}
		out = append(out, row)
	}
	return out, nil
}

// deputyLinkCreate handles POST /proposals/{id}/deputies/{deputy}/link: a
// liaison makes the signed link to the deputy's own page for the
// proposal's session (valid deputyLinkTTL; while live, making it again
// gives the same link), and gets the proposal page, which shows it to
// copy into a message to the deputy.
func (s *server) deputyLinkCreate(w http.ResponseWriter, r *http.Request) {
	proposal, deputyID, _, ok := s.issueDeputyLink(w, r)
	if !ok {
		return
	}
	s.redirect(w, r, fmt.Sprintf("/proposals/%d#deputy-%d", proposal.ID, deputyID), flashDeputyLinkMade)
}

// issueDeputyLink makes, as the caller, the link of the request's proposal
// and deputy (deputyLinkTarget, storage.IssueDeputyLink), for the proposal
// page and the API alike; otherwise it answers and returns false.
func (s *server) issueDeputyLink(w http.ResponseWriter, r *http.Request) (*workflow.Proposal, int64, *storage.DeputyLinkIssue, bool) {
	p := mustPrincipal(r)
	proposal, deputyID, ok := s.deputyLinkTarget(w, r)
	if !ok {
		return nil, 0, nil, false
	}
	now := s.clock.Now()
	l, err := s.db.IssueDeputyLink(r.Context(), deputyID, proposal.SessionID, p.Actor.UserID, now, now.Add(deputyLinkTTL))
	if err != nil {
		s.writeError(w, r, err)
		return nil, 0, nil, false
	}
	s.logger.InfoContext(r.Context(), "deputy link issued", "deputy", deputyID, "session", proposal.SessionID, "user", p.Actor.UserID,
		"expires", l.ExpiresAt)
	return proposal, deputyID, l, true
}

// deputyLinkRevoke handles POST /proposals/{id}/deputies/{deputy}/link/revoke:
// the link stops working, the revocation is recorded (who, when), and the
// next link made is a new one.
func (s *server) deputyLinkRevoke(w http.ResponseWriter, r *http.Request) {
	proposal, deputyID, ok := s.revokeDeputyLink(w, r)
	if !ok {
		return
	}
	s.redirect(w, r, fmt.Sprintf("/proposals/%d#deputy-%d", proposal.ID, deputyID), flashDeputyLinkRevoked)
}

// revokeDeputyLink revokes, as the caller, the link of the request's
// proposal and deputy (storage.RevokeDeputyLink), for the proposal page and
// the API alike; otherwise it answers and returns false.
func (s *server) revokeDeputyLink(w http.ResponseWriter, r *http.Request) (*workflow.Proposal, int64, bool) {
	p := mustPrincipal(r)
	proposal, deputyID, ok := s.deputyLinkTarget(w, r)
	if !ok {
		return nil, 0, false
	}
	if err := s.db.RevokeDeputyLink(r.Context(), deputyID, proposal.SessionID, p.Actor.UserID, s.clock.Now()); err != nil {
		s.writeError(w, r, err)
		return nil, 0, false
	}
	s.logger.InfoContext(r.Context(), "deputy link revoked", "deputy", deputyID, "session", proposal.SessionID, "user", p.Actor.UserID)
	return proposal, deputyID, true
}

// deputyLinkTarget reads the proposal and deputy of a link request and
// checks that the caller may make or revoke it and that the deputy is one
// of the proposal's; otherwise it answers and returns false.
func (s *server) deputyLinkTarget(w http.ResponseWriter, r *http.Request) (*workflow.Proposal, int64, bool) {
	p := mustPrincipal(r)
	if err := workflow.MayLinkDeputy(p.Actor.Roles); err != nil {
		s.writeError(w, r, err)
		return nil, 0, false
	}
	id, ok1 := parseID(chi.URLParam(r, "id"))
	deputyID, ok2 := parseID(chi.URLParam(r, "deputy"))
	if !ok1 || !ok2 {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "proposal or deputy not found"))
		return nil, 0, false
	}
	proposal, err := s.db.Proposal(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return nil, 0, false
	}
	deputies, err := s.db.ProposalDeputies(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return nil, 0, false
	}
	for _, d := range deputies {
		if d.ID == deputyID {
			return proposal, deputyID, true
		}
	}
	s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "deputy %d of proposal %d not found", deputyID, id))
	return nil, 0, false
}
