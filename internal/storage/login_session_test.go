package storage_test

import (
	"bytes"
	"crypto/sha256"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// hash returns the SHA-256 of s, as the web layer stores tokens.
func hash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

const csrf = "csrf-token-csrf-token-csrf-token-csrf-token"

func newSession(t *testing.T, bn *bundle, userID int64, token string, at time.Time) *storage.LoginSession {
	t.Helper()
	s, err := bn.db.CreateLoginSession(bn.ctx, storage.CreateLoginSessionCmd{UserID: userID, TokenHash: hash(token),
		CSRFToken: csrf, Provider: "wuhan-idp", At: at, MaxAge: 12 * time.Hour})
	must(t, err)
	return s
}

func TestLoginSession(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	drafter := bn.a[workflow.RoleDrafter]
	at := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	const idle = 8 * time.Hour
	s := newSession(t, bn, drafter.UserID, "tok-1", at)
	if s.ID == 0 || !s.ExpiresAt.Equal(at.Add(12*time.Hour)) || !s.LastSeenAt.Equal(at) {
		t.Fatalf("created %+v", s)
	}

	got, u, err := bn.db.LoginSessionByToken(bn.ctx, hash("tok-1"), at.Add(30*time.Second), idle)
	must(t, err)
	if got.ID != s.ID || got.CSRFToken != csrf || got.Provider != "wuhan-idp" || u.ID != drafter.UserID ||
		u.DepartmentID != bn.unitA.ID || len(u.Roles) != 1 || u.Roles[0] != workflow.RoleDrafter {
		t.Errorf("lookup = %+v, %+v", got, u)
	}
	if !got.LastSeenAt.Equal(at) {
		t.Errorf("last seen moved after 30s to %v: it moves at most once a minute", got.LastSeenAt)
	}
	got, _, err = bn.db.LoginSessionByToken(bn.ctx, hash("tok-1"), at.Add(2*time.Minute), idle)
	must(t, err)
	if !got.LastSeenAt.Equal(at.Add(2 * time.Minute)) {
		t.Errorf("last seen = %v after 2 minutes, want it moved", got.LastSeenAt)
	}

	// With an idle timeout of an hour, long before the absolute end: seen
	// at 09:02, alive at 10:01 (and seen), ended at 11:01:01.
	_, _, err = bn.db.LoginSessionByToken(bn.ctx, hash("tok-1"), at.Add(61*time.Minute), time.Hour)
	must(t, err)
	_, _, err = bn.db.LoginSessionByToken(bn.ctx, hash("tok-1"), at.Add(121*time.Minute+time.Second), time.Hour)
	wantCode(t, err, workflow.ErrNotFound)
	// An ended session is gone, not only refused.
	_, _, err = bn.db.LoginSessionByToken(bn.ctx, hash("tok-1"), at.Add(3*time.Minute), idle)
	wantCode(t, err, workflow.ErrNotFound)

	_, _, err = bn.db.LoginSessionByToken(bn.ctx, hash("no-such-token"), at, idle)
	wantCode(t, err, workflow.ErrNotFound)
}

func TestLoginSessionAbsoluteExpiry(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	at := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	newSession(t, bn, bn.a[workflow.RoleDrafter].UserID, "tok", at)
	// Busy all day: seen every hour, never idle.
	for h := 1; h < 12; h++ {
		_, _, err := bn.db.LoginSessionByToken(bn.ctx, hash("tok"), at.Add(time.Duration(h)*time.Hour), time.Hour+time.Minute)
		must(t, err)
	}
	_, _, err := bn.db.LoginSessionByToken(bn.ctx, hash("tok"), at.Add(12*time.Hour), 8*time.Hour)
	wantCode(t, err, workflow.ErrNotFound)
}

func TestLoginSessionRotation(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	at := time.Now()
	uid := bn.a[workflow.RoleDrafter].UserID
	newSession(t, bn, uid, "old", at)
	other := newSession(t, bn, uid, "other-browser", at)
	_, err := bn.db.CreateLoginSession(bn.ctx, storage.CreateLoginSessionCmd{UserID: uid, TokenHash: hash("new"),
		CSRFToken: csrf, Provider: "wuhan-idp", At: at, MaxAge: time.Hour, ReplacesTokenHash: hash("old")})
	must(t, err)
	_, _, err = bn.db.LoginSessionByToken(bn.ctx, hash("old"), at, time.Hour)
	wantCode(t, err, workflow.ErrNotFound)
	for _, tok := range []string{"new", "other-browser"} {
		if _, _, err := bn.db.LoginSessionByToken(bn.ctx, hash(tok), at, time.Hour); err != nil {
			t.Errorf("session %q: %v", tok, err)
		}
	}
	// A token hash is unique.
	_, err = bn.db.CreateLoginSession(bn.ctx, storage.CreateLoginSessionCmd{UserID: uid, TokenHash: hash("new"),
		CSRFToken: csrf, Provider: "wuhan-idp", At: at, MaxAge: time.Hour})
	wantCode(t, err, workflow.ErrConflict)

	ended, err := bn.db.DeleteLoginSession(bn.ctx, other.ID)
	must(t, err)
	if ended.ID != other.ID || ended.Provider != "wuhan-idp" {
		t.Errorf("DeleteLoginSession = %+v", ended)
	}
	_, err = bn.db.DeleteLoginSession(bn.ctx, other.ID)
	wantCode(t, err, workflow.ErrNotFound)
}

func TestLoginSessionOfDisabledUser(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	at := time.Now()
	uid := bn.a[workflow.RoleDrafter].UserID
	newSession(t, bn, uid, "tok", at)
	exec(t, bn, `UPDATE users SET disabled_at = now() WHERE id = $1`, uid)
	_, _, err := bn.db.LoginSessionByToken(bn.ctx, hash("tok"), at, time.Hour)
	wantCode(t, err, workflow.ErrNotFound)

	// What DisableUser does, and deleting a user, end the sessions too.
	uid = bn.a[workflow.RoleReviewer].UserID
	newSession(t, bn, uid, "tok-2", at)
	exec(t, bn, `DELETE FROM login_sessions WHERE user_id = $1`, uid)
	_, _, err = bn.db.LoginSessionByToken(bn.ctx, hash("tok-2"), at, time.Hour)
	wantCode(t, err, workflow.ErrNotFound)
}

func TestDeleteExpiredLoginSessions(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	at := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	uid := bn.a[workflow.RoleDrafter].UserID
	newSession(t, bn, uid, "early", at)
	newSession(t, bn, uid, "late", at.Add(4*time.Hour))
	n, err := bn.db.DeleteExpiredLoginSessions(bn.ctx, at.Add(10*time.Hour), 8*time.Hour)
	must(t, err)
	if n != 1 {
		t.Errorf("deleted %d sessions, want the one idle since 09:00", n)
	}
	if _, _, err := bn.db.LoginSessionByToken(bn.ctx, hash("late"), at.Add(10*time.Hour), 8*time.Hour); err != nil {
		t.Errorf("the live session: %v", err)
	}
}

func TestOIDCLoginIsSingleUse(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	at := time.Now()
	l := &storage.OIDCLogin{StateHash: hash("state-1"), Provider: "wuhan-idp", Nonce: strings.Repeat("n", 43),
		Verifier: strings.Repeat("v", 43), Next: "/cases/7?tab=drafts", CreatedAt: at}
	must(t, bn.db.CreateOIDCLogin(bn.ctx, l))

	got, err := bn.db.TakeOIDCLogin(bn.ctx, hash("state-1"), at.Add(time.Minute))
	must(t, err)
	if !bytes.Equal(got.StateHash, l.StateHash) || got.Provider != l.Provider || got.Nonce != l.Nonce ||
		got.Verifier != l.Verifier || got.Next != l.Next || !got.CreatedAt.Equal(at.Truncate(time.Microsecond)) {
		t.Errorf("taken %+v, stored %+v", got, l)
	}
	_, err = bn.db.TakeOIDCLogin(bn.ctx, hash("state-1"), at.Add(time.Minute))
	wantCode(t, err, workflow.ErrNotFound)
	_, err = bn.db.TakeOIDCLogin(bn.ctx, hash("never-issued"), at)
	wantCode(t, err, workflow.ErrNotFound)

	// Too late: refused, and gone.
	l.StateHash = hash("state-2")
	must(t, bn.db.CreateOIDCLogin(bn.ctx, l))
	_, err = bn.db.TakeOIDCLogin(bn.ctx, hash("state-2"), at.Add(storage.OIDCLoginTTL+time.Second))
	wantCode(t, err, workflow.ErrInvalid)
	_, err = bn.db.TakeOIDCLogin(bn.ctx, hash("state-2"), at)
	wantCode(t, err, workflow.ErrNotFound)

	// Abandoned logins are purged when the next one starts.
	l.StateHash = hash("state-3")
	must(t, bn.db.CreateOIDCLogin(bn.ctx, l))
	must(t, bn.db.CreateOIDCLogin(bn.ctx, &storage.OIDCLogin{StateHash: hash("state-4"), Provider: "wuhan-idp",
		Nonce: l.Nonce, Verifier: l.Verifier, Next: "/", CreatedAt: at.Add(storage.OIDCLoginTTL + time.Minute)}))
	var n int
	must(t, bn.db.Pool.QueryRow(bn.ctx, `SELECT count(*) FROM oidc_logins`).Scan(&n))
	if n != 1 {
		t.Errorf("%d logins in progress, want the abandoned one purged", n)
	}
}
