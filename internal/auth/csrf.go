package auth

import (
	"context"
	"crypto/subtle"
)

// CSRFField is the name of the form field that carries the session's CSRF
// token in every form that POSTs.
const CSRFField = "csrf_token"

// CSRFHeader is the request header that carries the session's CSRF token
// for scripts that send unsafe requests with a session cookie.
const CSRFHeader = "X-CSRF-Token"

// CSRFToken returns the CSRF token of the request's login session, for
// forms (field CSRFField) and scripts (header CSRFHeader); "" when the
// request has no session (no login, or a Bearer token).
func CSRFToken(ctx context.Context) string {
	tok, _ := ctx.Value(csrfKey).(string)
	return tok
}

// WithCSRFToken returns ctx carrying the session's CSRF token: the
// authentication middleware uses it, and so can tests of handlers that
// render forms.
func WithCSRFToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, csrfKey, token)
}

// CSRFMatch reports whether got is the session's token want, comparing in
// constant time. An empty want never matches: a session always has a token.
func CSRFMatch(got, want string) bool {
	if want == "" || got == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
