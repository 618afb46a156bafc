package web

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/workflow"
)

// workbenchInboxRead handles POST /inbox/{id}/read, the workbench's "mark
// read" button: it marks one of the caller's notifications read (another
// user's is not found) and goes back (303) to the form's next, a path of
// this site, or to the workbench.
func (s *server) workbenchInboxRead(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	if err := s.markRead(r.Context(), p.Actor.UserID, chi.URLParam(r, "id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.redirect(w, r, localPath(readForm(r).Value("next")), flashInboxRead)
}

// markRead marks notification rawID (the path's) read for its user userID
// (another user's is not found): the one service the workbench's button
// and the JSON API call.
func (s *server) markRead(ctx context.Context, userID int64, rawID string) error {
	id, ok := parseID(rawID)
	if !ok {
		return workflow.Errorf(workflow.ErrNotFound, "notification %q not found", rawID)
	}
	return s.db.MarkNotificationRead(ctx, userID, id, s.clock.Now())
}

// workbenchInboxReadAll handles POST /inbox/read-all: every unread
// notification of the caller is marked read; back (303) to next.
func (s *server) workbenchInboxReadAll(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	n, err := s.db.MarkAllNotificationsRead(r.Context(), p.Actor.UserID, s.clock.Now())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.redirect(w, r, localPath(readForm(r).Value("next")), flashInboxReadAll, n)
}
