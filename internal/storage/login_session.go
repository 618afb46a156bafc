package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// OIDCLoginTTL is how long a login may take between leaving for the
// identity provider and coming back to the callback.
const OIDCLoginTTL = 10 * time.Minute

// sessionTouchInterval is how stale last_seen_at may get before a request
// updates it: at most one write per session and minute.
const sessionTouchInterval = time.Minute

// OIDCLogin is an OpenID Connect login in progress, from the redirect to
// the identity provider until its callback.
type OIDCLogin struct {
	// StateHash is the SHA-256 of the state value sent to the provider.
	StateHash []byte
	// Provider is the name of the provider the login went to.
	Provider string
	// Nonce is the value the ID token must carry.
	Nonce string
	// Verifier is the PKCE code verifier.
	Verifier string
	// Next is the same-origin path to go to after the login.
	Next string
	// CreatedAt is when the login started.
	CreatedAt time.Time
}

// CreateOIDCLogin stores a login in progress, and purges those abandoned
// for longer than OIDCLoginTTL.
func (db *DB) CreateOIDCLogin(ctx context.Context, l *OIDCLogin) error {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `DELETE FROM oidc_logins WHERE created_at < $1`, l.CreatedAt.Add(-OIDCLoginTTL)); err != nil {
		return fmt.Errorf("error purging abandoned logins: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO oidc_logins (state_hash, provider, nonce, pkce_verifier, next_url, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, l.StateHash, l.Provider, l.Nonce, l.Verifier, l.Next, l.CreatedAt)
	if err != nil {
		return dbError(err, "login")
	}
	return tx.Commit(ctx)
}

// TakeOIDCLogin removes and returns the login in progress whose state has
// that hash: a state is good once. An unknown state, or one used already,
// is not found; one older than OIDCLoginTTL at now is invalid.
func (db *DB) TakeOIDCLogin(ctx context.Context, stateHash []byte, now time.Time) (*OIDCLogin, error) {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	l := OIDCLogin{StateHash: stateHash}
	err = tx.QueryRow(ctx, `DELETE FROM oidc_logins WHERE state_hash = $1
		RETURNING provider, nonce, pkce_verifier, next_url, created_at`, stateHash).
		Scan(&l.Provider, &l.Nonce, &l.Verifier, &l.Next, &l.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, workflow.Errorf(workflow.ErrNotFound, "登录状态无效或已使用 / login state unknown or already used")
	} else if err != nil {
		return nil, fmt.Errorf("error taking login state: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("error taking login state: %w", err)
	}
	if now.Sub(l.CreatedAt) > OIDCLoginTTL {
		return nil, workflow.Errorf(workflow.ErrInvalid, "登录已超时 / login expired: it took more than %s", OIDCLoginTTL)
	}
	return &l, nil
}

// LoginSession is a browser's session after a login (登录会话).
type LoginSession struct {
	ID     int64
	UserID int64
	// CSRFToken is the token every unsafe request of the session carries.
	CSRFToken string
	// Provider is the name of the identity provider of the login.
	Provider string
	// IDToken is the ID token of the login, kept only for the provider's
	// RP-initiated logout (id_token_hint); often "".
	IDToken    string
	CreatedAt  time.Time
	LastSeenAt time.Time
	// ExpiresAt is the absolute end of the session.
	ExpiresAt time.Time
}

// CreateLoginSessionCmd is a new login session.
type CreateLoginSessionCmd struct {
	UserID int64
	// TokenHash is the SHA-256 of the session cookie's random token.
	TokenHash []byte
	CSRFToken string
	Provider  string
	IDToken   string
	// At is the time of the login; the session ends MaxAge later at most.
	At     time.Time
	MaxAge time.Duration
	// ReplacesTokenHash is the hash of the session cookie the browser came
	// with, if any: that session ends, whoever's it was (rotation at login).
	ReplacesTokenHash []byte
}

// CreateLoginSession starts a login session and ends the one it replaces,
// in one transaction; it also purges the user's expired sessions.
func (db *DB) CreateLoginSession(ctx context.Context, cmd CreateLoginSessionCmd) (*LoginSession, error) {
	if cmd.MaxAge <= 0 {
		return nil, workflow.Errorf(workflow.ErrInvalid, "a login session needs a positive maximum age")
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	if len(cmd.ReplacesTokenHash) > 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM login_sessions WHERE token_hash = $1`, cmd.ReplacesTokenHash); err != nil {
			return nil, fmt.Errorf("error ending the replaced session: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM login_sessions WHERE user_id = $1 AND expires_at <= $2`, cmd.UserID, cmd.At); err != nil {
		return nil, fmt.Errorf("error purging expired sessions of user %d: %w", cmd.UserID, err)
	}
	s := LoginSession{UserID: cmd.UserID, CSRFToken: cmd.CSRFToken, Provider: cmd.Provider, IDToken: cmd.IDToken,
		CreatedAt: cmd.At, LastSeenAt: cmd.At, ExpiresAt: cmd.At.Add(cmd.MaxAge)}
	err = tx.QueryRow(ctx, `INSERT INTO login_sessions
		(user_id, token_hash, csrf_token, provider, id_token, created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id`,
		cmd.UserID, cmd.TokenHash, cmd.CSRFToken, cmd.Provider, cmd.IDToken, cmd.At, s.ExpiresAt).Scan(&s.ID)
	if err != nil {
		return nil, dbError(err, "login session")
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("error committing login session: %w", err)
	}
	return &s, nil
}

// LoginSessionByToken returns the live session whose cookie token has that
// hash, and its user with their roles. A session is live until its
// absolute end, while it has been seen within idle of now, and while its
// user is not disabled; any other session is not found (and an expired one
// is deleted; its error is an *EndedSessionError). It records the request in last_seen_at, at most once a
// minute.
func (db *DB) LoginSessionByToken(ctx context.Context, tokenHash []byte, now time.Time, idle time.Duration) (*LoginSession, *workflow.User, error) {
	var (
		s       LoginSession
		u       workflow.User
		roles   []string
		live    bool
		enabled bool
	)
	err := db.Pool.QueryRow(ctx, `
		SELECT s.id, s.user_id, s.csrf_token, s.provider, s.id_token, s.created_at, s.last_seen_at, s.expires_at,
		       s.expires_at > $2 AND s.last_seen_at > $2 - $3::interval, u.disabled_at IS NULL,
		       coalesce(u.department_id, 0), u.name, u.email, u.oidc_issuer, u.oidc_subject,
		       coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM user_roles r WHERE r.user_id = u.id), '{}'),
		       u.principal_leader
		FROM login_sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1`, tokenHash, now, idle).
		Scan(&s.ID, &s.UserID, &s.CSRFToken, &s.Provider, &s.IDToken, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt,
			&live, &enabled, &u.DepartmentID, &u.Name, &u.Email, &u.Issuer, &u.Subject, &roles, &u.PrincipalLeader)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, workflow.Errorf(workflow.ErrNotFound, "login session not found")
	} else if err != nil {
		return nil, nil, fmt.Errorf("error looking up login session: %w", err)
	}
	if !live || !enabled {
		if _, err := db.deleteLoginSession(ctx, s.ID); err != nil {
			return nil, nil, err
		}
		if !enabled {
			return nil, nil, workflow.Errorf(workflow.ErrNotFound, "login session not found")
		}
		return nil, nil, &EndedSessionError{Session: s, err: workflow.Errorf(workflow.ErrNotFound, "login session ended")}
	}
	if now.Sub(s.LastSeenAt) >= sessionTouchInterval {
		if err := db.touchLoginSession(ctx, s.ID, now); err != nil {
			return nil, nil, err
		}
		s.LastSeenAt = now
	}
	u.ID = s.UserID
	for _, r := range roles {
		u.Roles = append(u.Roles, workflow.Role(r))
	}
	return &s, &u, nil
}

// EndedSessionError is LoginSessionByToken's error for a session that has
// just ended, by its absolute end or idle (not for a disabled user's): not
// found, carrying the session as it was, so that the text of the request
// that found it ended can be kept for its user (its CSRF token proves the
// request came from the session's own pages).
type EndedSessionError struct {
	Session LoginSession
	err     error
}

// Error says the session ended.
func (e *EndedSessionError) Error() string { return e.err.Error() }

// Unwrap returns the not-found error.
func (e *EndedSessionError) Unwrap() error { return e.err }

// touchLoginSession records that session id was seen at now.
func (db *DB) touchLoginSession(ctx context.Context, id int64, now time.Time) error {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `UPDATE login_sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2`, id, now); err != nil {
		return fmt.Errorf("error touching login session %d: %w", id, err)
	}
	return tx.Commit(ctx)
}

// DeleteLoginSession ends session id (logout) and returns it, for the
// identity provider's logout; not found when it had ended already.
func (db *DB) DeleteLoginSession(ctx context.Context, id int64) (*LoginSession, error) {
	return db.deleteLoginSession(ctx, id)
}

func (db *DB) deleteLoginSession(ctx context.Context, id int64) (*LoginSession, error) {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	var s LoginSession
	err = tx.QueryRow(ctx, `DELETE FROM login_sessions WHERE id = $1
		RETURNING id, user_id, csrf_token, provider, id_token, created_at, last_seen_at, expires_at`, id).
		Scan(&s.ID, &s.UserID, &s.CSRFToken, &s.Provider, &s.IDToken, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("login session %d", id))
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("error ending login session %d: %w", id, err)
	}
	return &s, nil
}

// DeleteExpiredLoginSessions deletes every session that has ended by now,
// absolutely or idle for longer than idle, and the logins in progress
// older than OIDCLoginTTL; it returns how many sessions it deleted. A
// periodic job may call it; lookups refuse such sessions anyway.
func (db *DB) DeleteExpiredLoginSessions(ctx context.Context, now time.Time, idle time.Duration) (int64, error) {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	tag, err := tx.Exec(ctx, `DELETE FROM login_sessions WHERE expires_at <= $1 OR last_seen_at <= $1 - $2::interval`, now, idle)
	if err != nil {
		return 0, fmt.Errorf("error deleting expired login sessions: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM oidc_logins WHERE created_at < $1`, now.Add(-OIDCLoginTTL)); err != nil {
		return 0, fmt.Errorf("error deleting abandoned logins: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("error deleting expired login sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}
