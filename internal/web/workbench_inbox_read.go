package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/workflow"
)

// workbenchInboxRead handles POST /inbox/{id}/read, the workbench's "mark
// read" button: it marks one of the caller's notifications read (another
// user's is not found) and goes back (303) to the form's next, a path of
// this site, or to the workbench.
func (s *server) workbenchInboxRead(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "notification %q not found", chi.URLParam(r, "id")))
		return
	}
	if err := s.db.MarkNotificationRead(r.Context(), p.Actor.UserID, id, s.clock.Now()); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.redirect(w, r, localPath(r.PostFormValue("next")), flashInboxRead)
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
	s.redirect(w, r, localPath(r.PostFormValue("next")), flashInboxReadAll, n)
}
