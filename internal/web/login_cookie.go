package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/banli-gov/banli/internal/storage"
)

// The cookies of logging in.
const (
	// sessionCookie holds the random token of a login session; the
	// database keeps only its SHA-256. It is a browser-session cookie
	// (no Max-Age): closing the browser ends it, and the server ends the
	// session after the idle timeout or the maximum age anyway.
	sessionCookie = "banli_session"
	// loginStateCookie binds a login in progress to the browser that
	// started it: it holds the state sent to the provider, and the callback
	// must come with it. Without it, an attacker could send a victim the
	// callback URL of the attacker's own login (login CSRF).
	loginStateCookie = "banli_login"
)

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site,
// Secure as configured; maxAge 0 makes it a browser-session cookie.
func (s *server) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		MaxAge:   int(maxAge.Seconds()),
		HttpOnly: true,
		Secure:   s.cfg.CookieSecure,
		SameSite: http.SameSiteLaxMode,
	})
}

// clearCookie tells the browser to drop a cookie.
func (s *server) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{
		Name:     name,
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   s.cfg.CookieSecure,
		SameSite: http.SameSiteLaxMode,
	})
}

// loginStateMaxAge is the life of the login state cookie: as long as the
// login state itself.
const loginStateMaxAge = storage.OIDCLoginTTL

// safeNext returns next when it is a path of this site to go to after the
// login, and "/" otherwise: never another origin (an open redirect), and
// never the login or logout pages themselves.
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || next[0] != '/' || strings.HasPrefix(next, "//") {
		return "/"
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	for _, p := range []string{"/login", "/logout", "/auth/"} {
		if u.Path == p || strings.HasPrefix(u.Path, strings.TrimSuffix(p, "/")+"/") {
			return "/"
		}
	}
	return next
}
