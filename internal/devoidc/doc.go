// Package devoidc is banli's development OpenID provider (开发用身份提供方): a real
// OpenID Connect provider, built on github.com/zitadel/oidc/v3/pkg/op, that `banli dev`
// embeds and the tests log in through.
//
// It speaks the same protocol as a unit's production identity provider, so banli's login
// code path is the one used in production:
//
//   - discovery at {issuer}/.well-known/openid-configuration and the JWKS at {issuer}/keys;
//   - the authorization-code flow at {issuer}/authorize, with PKCE: every authorization
//     request must carry an S256 code_challenge;
//   - the token endpoint {issuer}/oauth/token, with client_secret_basic or
//     client_secret_post;
//   - ID tokens signed RS256 carrying sub, name, preferred_username, email, nonce, and the
//     custom claims department (the unit's code) and roles (a JSON array of strings);
//   - userinfo at {issuer}/userinfo, which carries the same claims;
//   - RP-initiated logout at {issuer}/end_session, redirecting to a registered
//     post_logout_redirect_uri.
//
// Logging in is one click: the authorization endpoint redirects to {issuer}/login, a page
// listing every demo user by unit with their name and roles; a button per user logs in as
// that user and redirects back to the client with the code. There are no passwords and no
// single sign-on session (every authorization request shows the list, so switching users
// is one click). Anyone who can reach the page can log in as anyone: it is a development
// tool, and must never be exposed beyond 127.0.0.1. New logs a warning when the issuer's
// host is not a loopback address.
//
// Everything is kept in memory: authorization requests (10 minutes, single-use),
// authorization codes (2 minutes, single-use: a code is consumed by the first token
// request that presents it, whether or not that request succeeds), access tokens
// (15 minutes). The RSA signing key and the key that encrypts codes and access tokens are
// generated afresh by New, so tokens do not survive a restart of the process; relying
// parties fetch the new JWKS by the key ID.
//
// Mount the handler at the issuer's path, e.g. with chi:
//
//	p, err := devoidc.New(devoidc.Options{Issuer: "http://127.0.0.1:8080/devoidc", ...})
//	r.Mount("/devoidc", p.Handler())
//
// The handler accepts requests whose path still carries the issuer's path (chi's Mount,
// or a server that serves nothing else) as well as requests whose prefix was stripped
// (http.StripPrefix).
//
// The zitadel library logs through slog's default logger; Options.Logger receives this
// package's own records (logins, the loopback warning).
package devoidc
