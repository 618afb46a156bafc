package web

import (
	"net/http"
	"time"
)

// deputyLinkView is the signed link to a deputy's own page for a session.
type deputyLinkView struct {
	DeputyID  int64     `json:"deputy_id"`
	SessionID int64     `json:"session_id"`
	URL       string    `json:"url" doc:"the deputy's own page, without login: send it to the deputy alone"`
	ExpiresAt time.Time `json:"expires_at"`
}

// deputyLinkResponse is a deputy's link.
type deputyLinkResponse struct {
	Link deputyLinkView `json:"link"`
}

// apiDeputyLinkCreate answers POST
// /api/v1/proposals/{id}/deputies/{deputy}/link: as the proposal page's
// button (deputyLinkTarget, storage.IssueDeputyLink), the link to the
// deputy's own page for the suggestion's session — while live, the same
// link again.
func (s *server) apiDeputyLinkCreate(w http.ResponseWriter, r *http.Request) {
	proposal, deputyID, l, ok := s.issueDeputyLink(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, deputyLinkResponse{Link: deputyLinkView{DeputyID: deputyID, SessionID: proposal.SessionID,
		URL: s.deputyURL(deputyClaim{DeputyID: deputyID, SessionID: proposal.SessionID, Expires: l.ExpiresAt}), ExpiresAt: l.ExpiresAt}})
}

// apiDeputyLinkRevoke answers DELETE
// /api/v1/proposals/{id}/deputies/{deputy}/link: as the proposal page's
// button (storage.RevokeDeputyLink), the link stops working; 204.
func (s *server) apiDeputyLinkRevoke(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := s.revokeDeputyLink(w, r); !ok {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
