// Package auth is banli's authentication: OpenID Connect login against the
// identity providers of the departments, the caller of a request
// (Principal), random tokens for sessions, and CSRF tokens.
//
// The web layer (internal/web) wires it: its authenticate middleware turns a
// session cookie or an `Authorization: Bearer` JWT into a Principal that
// handlers read with PrincipalFrom; its checkCSRF middleware compares the
// session's token (CSRFToken) with the form field CSRFField or the header
// CSRFHeader of every unsafe request of a cookie session.
//
// # Providers
//
// BANLI_OIDC_PROVIDERS (see config.OIDCProvider) lists any number of
// providers: a department's own, fixed to it ("departments": ["scjg"]), or
// one shared by several departments, whose ID tokens name the department in
// a claim ("department_claim"). NewProviders contacts none of them: each is
// discovered at its first use, within DefaultDiscoveryTimeout, and cached;
// a failed discovery is tried again at the next use. A provider that is
// down fails its own logins (ErrProviderUnavailable, 503), and only those.
//
// # Login
//
// The authorization code flow with PKCE (S256): the web layer keeps the
// random state (as its SHA-256), nonce, PKCE verifier and the page to come
// back to in the database, single-use and for ten minutes, and binds the
// state to the browser with a cookie. Provider.Exchange trades the code for
// tokens and verifies the ID token (signature, issuer, audience = the client
// id, expiry) and its nonce, which go-oidc leaves to its caller.
// Provider.Identity maps the claims to the user banli records:
//
//   - The user is (iss, sub), created at the first login; name and e-mail
//     are refreshed at each.
//   - The department comes from the department claim, or from the
//     provider's one department. A token naming a department its provider
//     does not serve is refused (403), and so is an unknown department.
//     Without either, the user keeps what an administrator set, or has no
//     department and cannot act.
//   - Roles come from the roles claim ("roles_claim") when the provider has
//     one configured and the token carries it; they then replace the user's
//     roles at each login. A claim never grants "deputy", grants "admin"
//     only when the provider has "allow_admin_claim", and grants "liaison"
//     only to users of the liaison office. Otherwise an administrator
//     grants roles; a user without roles is "awaiting a role" (403).
//
// # Sessions
//
// A login starts a session: a random token in the HttpOnly, SameSite=Lax
// cookie banli_session (Secure per BANLI_COOKIE_SECURE), its SHA-256 in
// login_sessions, with the session's CSRF token. The token rotates at
// every login (the session the browser came with ends). A session ends
// after BANLI_SESSION_IDLE_TIMEOUT without requests (default 8h), at
// BANLI_SESSION_MAX_AGE after the login (default 12h: one working day), at
// logout, and when its user is disabled. Logout also logs out at the
// provider when its discovery document has an end_session_endpoint; only
// then is the ID token kept, as the id_token_hint.
//
// # Bearer tokens
//
// API clients send `Authorization: Bearer <JWT>`. Providers.VerifyBearer
// picks the provider by the token's unverified iss claim, then verifies
// signature, issuer, audience (the provider's "api_audience", or its client
// id) and expiry. The web layer then maps (iss, sub) to a user banli
// already knows — Bearer tokens create no users: a service account is a
// user an administrator creates with the issuer and subject of the machine
// client — who must not be disabled and whose department the provider
// serves. Setting "api_audience" keeps the ID tokens of browser logins from
// being usable as API tokens. Bearer requests need no CSRF token: browsers
// never attach them by themselves.
package auth
