package web

import (
	"context"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
)

// The end of a browser's login, known here and told to its pages, whose
// script warns a few minutes before (ui.SessionTimes): a session ends at
// its absolute end (config SessionMaxAge after the login) or after
// SessionIdleTimeout without a request, whichever comes first.

type sessionTimesKey struct{}

type endedSessionKey struct{}

// sessionTimesOf returns the times of sess as seen at now.
func sessionTimesOf(sess *storage.LoginSession, now time.Time, idle time.Duration) *ui.SessionTimes {
	return &ui.SessionTimes{
		IdleSeconds:     int(idle / time.Second),
		AbsoluteSeconds: max(int(sess.ExpiresAt.Sub(now)/time.Second), 0),
	}
}

// withSessionTimes returns ctx carrying the session's times.
func withSessionTimes(ctx context.Context, t *ui.SessionTimes) context.Context {
	return context.WithValue(ctx, sessionTimesKey{}, t)
}

// sessionTimes returns the times of the request's session, or nil.
func sessionTimes(ctx context.Context) *ui.SessionTimes {
	t, _ := ctx.Value(sessionTimesKey{}).(*ui.SessionTimes)
	return t
}

// withEndedSession returns ctx carrying the session the request's cookie
// named, which has just ended.
func withEndedSession(ctx context.Context, s *storage.LoginSession) context.Context {
	return context.WithValue(ctx, endedSessionKey{}, s)
}

// endedSession returns the session of the request's cookie that has just
// ended, or nil.
func endedSession(ctx context.Context) *storage.LoginSession {
	s, _ := ctx.Value(endedSessionKey{}).(*storage.LoginSession)
	return s
}
