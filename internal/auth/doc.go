// Package auth is banli's authentication: OpenID Connect login against the
// identity providers of the departments, the caller of a request
// (Principal), random tokens for sessions, and CSRF tokens.
//
// The web layer (internal/web) wires it: its authenticate middleware turns a
// session cookie or an `Authorization: Bearer` JWT into a Principal that
// handlers read with PrincipalFrom; its checkCSRF middleware compares the
// session's token (CSRFToken) with the form field CSRFField or the header
// CSRFHeader of every unsafe request of a cookie session.
package auth
