-- +goose Up
-- Login: OpenID Connect logins in progress, login sessions, and when each
-- user last logged in.

ALTER TABLE users ADD COLUMN last_login_at timestamptz;

-- A login in progress: the state handed to the identity provider, kept
-- here (as its SHA-256) with the nonce, the PKCE verifier and where to go
-- afterwards. Taken once (DELETE ... RETURNING) by the callback, so a state
-- and its code cannot be replayed, whichever banli instance serves the
-- callback; abandoned rows older than ten minutes are worthless and purged.
CREATE TABLE oidc_logins (
    state_hash     bytea PRIMARY KEY CHECK (length(state_hash) = 32),
    provider       text NOT NULL CHECK (provider <> ''),
    nonce          text NOT NULL CHECK (length(nonce) >= 32),
    pkce_verifier  text NOT NULL CHECK (length(pkce_verifier) >= 43),
    next_url       text NOT NULL DEFAULT '/' CHECK (next_url LIKE '/%'),
    created_at     timestamptz NOT NULL
);
CREATE INDEX oidc_logins_created_at_idx ON oidc_logins (created_at);

-- 登录会话: a browser's session after a login. The cookie holds a random
-- token; only its SHA-256 is stored, so a copy of the database opens no
-- session. A session ends at expires_at (absolute), after the idle timeout
-- since last_seen_at, at logout, or when its user is disabled (DisableUser
-- deletes the user's rows; lookups refuse disabled users anyway).
CREATE TABLE login_sessions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    csrf_token    text NOT NULL CHECK (length(csrf_token) >= 32),
    provider      text NOT NULL CHECK (provider <> ''),
    -- The raw ID token, kept only when the provider supports RP-initiated
    -- logout (end_session_endpoint), as its id_token_hint; '' otherwise.
    id_token      text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    CHECK (expires_at > created_at),
    CHECK (last_seen_at >= created_at)
);
CREATE INDEX login_sessions_user_id_idx ON login_sessions (user_id);
CREATE INDEX login_sessions_expires_at_idx ON login_sessions (expires_at);

-- +goose Down
DROP TABLE login_sessions;
DROP TABLE oidc_logins;
ALTER TABLE users DROP COLUMN last_login_at;
