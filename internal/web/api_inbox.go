package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// notificationView is a notification as the JSON API shows it.
type notificationView struct {
	ID        int64      `json:"id"`
	CaseID    int64      `json:"case_id,omitempty"`
	Kind      string     `json:"kind"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	Link      string     `json:"link,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

// apiInbox answers GET /api/inbox: the caller's notifications, newest
// first, with the unread count. ?unread=1 lists unread ones only; ?limit=
// (1–200, default 50) and ?before=ID page; next_before, when present, is
// the before of the next page.
func (s *server) apiInbox(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	q := r.URL.Query()
	var f storage.InboxFilter
	switch v := q.Get("unread"); v {
	case "", "0", "false":
	case "1", "true":
		f.UnreadOnly = true
	default:
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "unread: %q is not 1 or 0", v))
		return
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > storage.MaxInboxLimit {
			s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "limit: %q is not between 1 and %d", v, storage.MaxInboxLimit))
			return
		}
		f.Limit = n
	}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "before: %q is not a notification id", v))
			return
		}
		f.Before = n
	}
	list, err := s.db.Inbox(r.Context(), p.Actor.UserID, f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	unread, err := s.db.UnreadCount(r.Context(), p.Actor.UserID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]notificationView, 0, len(list))
	for _, n := range list {
		out = append(out, notificationView{ID: n.ID, CaseID: n.CaseID, Kind: n.Kind, Subject: n.Subject, Body: n.Body,
			Link: n.Link, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt})
	}
	res := inboxResponse{Unread: unread, Notifications: out}
	limit := f.Limit
	if limit == 0 {
		limit = storage.DefaultInboxLimit
	}
	if len(list) == limit {
		res.NextBefore = list[len(list)-1].ID
	}
	writeJSON(w, http.StatusOK, res)
}

// apiInboxRead answers POST /api/inbox/{id}/read: marks one of the caller's
// notifications read; another user's is not found.
func (s *server) apiInboxRead(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	if err := s.markRead(r.Context(), p.Actor.UserID, chi.URLParam(r, "id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeUnread(w, r, p.Actor.UserID, nil)
}

// apiInboxReadAll answers POST /api/inbox/read-all: marks every unread
// notification of the caller read.
func (s *server) apiInboxReadAll(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	n, err := s.db.MarkAllNotificationsRead(r.Context(), p.Actor.UserID, s.clock.Now())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeUnread(w, r, p.Actor.UserID, &n)
}

// writeUnread answers with the caller's unread count, for the badge.
// marked, when not nil, is how many this call marked read.
func (s *server) writeUnread(w http.ResponseWriter, r *http.Request, userID int64, marked *int) {
	unread, err := s.db.UnreadCount(r.Context(), userID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, unreadResponse{Unread: unread, Marked: marked})
}

// inboxResponse is a page of the caller's notifications.
type inboxResponse struct {
	Unread        int                `json:"unread"`
	Notifications []notificationView `json:"notifications"`
	NextBefore    int64              `json:"next_before,omitempty"`
}

// unreadResponse is the caller's unread count after marking.
type unreadResponse struct {
	Unread int  `json:"unread"`
	Marked *int `json:"marked,omitempty"`
}
