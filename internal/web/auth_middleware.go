package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// securityHeaders sets the headers every response carries: a Content
// Security Policy that allows only banli's own scripts, styles, images and
// forms (and, for form-action, the identity providers, whose logout a form
// POST redirects to), no framing, no MIME sniffing, no referrer to other
// sites, and HSTS when banli is served over https.
func (s *server) securityHeaders(next http.Handler) http.Handler {
	csp := "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action " +
		strings.Join(append([]string{"'self'"}, s.providerOrigins()...), " ")
	hsts := strings.HasPrefix(s.cfg.BaseURL, "https://")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// providerOrigins are the origins (scheme://host:port) of the configured
// identity providers' issuers.
func (s *server) providerOrigins() []string {
	var out []string
	for _, p := range s.cfg.OIDCProviders {
		u, err := url.Parse(p.Issuer)
		if err != nil || u.Host == "" {
			continue
		}
		if o := u.Scheme + "://" + u.Host; !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

// authenticate finds the caller of a request and puts it in the request's
// context (auth.PrincipalFrom): the user of an `Authorization: Bearer` JWT
// (see bearerPrincipal), or else of the session cookie. It never refuses a
// request itself: requireLogin does. A request with a Bearer token is an
// API client, whose cookies are not looked at. A cookie of a session that
// ended is cleared.
//
// When the session cannot be looked up — the database does not answer
// within sessionLookupTimeout — the request is answered 503 (writeError:
// a page that keeps a POSTed form's text), never as a visitor's: a user
// who is logged in must not be sent to the login page, nor lose what they
// typed, because the database is down.
func (s *server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.db == nil {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		if raw, ok := bearerToken(r); ok {
			p, err := s.bearerPrincipal(ctx, raw)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			if p != nil {
				r = r.WithContext(auth.WithPrincipal(ctx, p))
			}
			next.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			lookupCtx, cancel := context.WithTimeout(ctx, sessionLookupTimeout)
			sess, u, err := s.db.LoginSessionByToken(lookupCtx, auth.HashToken(c.Value), s.clock.Now(), s.cfg.SessionIdleTimeout)
			cancel()
			var ended *storage.EndedSessionError
			switch {
			case err == nil:
				ctx = auth.WithPrincipal(ctx, auth.NewPrincipal(u, sess.ID, false))
				ctx = withSessionTimes(ctx, sessionTimesOf(sess, s.clock.Now(), s.cfg.SessionIdleTimeout))
				r = r.WithContext(auth.WithCSRFToken(ctx, sess.CSRFToken))
			case errors.As(err, &ended):
				// Ended just now: no caller, but what this request carries
				// may be kept for its user (login_expired.go).
				s.clearCookie(w, sessionCookie)
				r = r.WithContext(withEndedSession(ctx, &ended.Session))
			case workflow.Code(err) == workflow.ErrNotFound:
				s.clearCookie(w, sessionCookie)
			default:
				// Unavailable (503) or a defect (500): not "logged out".
				s.writeError(w, r, fmt.Errorf("error looking up the login session: %w", err))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// sessionLookupTimeout bounds the lookup of a request's login session: a
// database that does not answer by then is unavailable (503).
const sessionLookupTimeout = 5 * time.Second

// bearerToken returns the token of an `Authorization: Bearer` header.
func bearerToken(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// bearerPrincipal returns the caller of a Bearer JWT, or nil. The token
// must verify against the configured provider its iss names (signature,
// issuer, audience = the provider's api_audience or client id, expiry);
// its (iss, sub) must be a user banli knows — an administrator creates
// service accounts as users with the issuer and subject of the machine
// client; Bearer tokens create no users — who is not disabled, and whose
// department the provider serves (and, when the token carries a
// department claim, is that department). Every refusal is logged, without
// the token. A database that does not answer is an error (503), not a
// refusal.
func (s *server) bearerPrincipal(ctx context.Context, raw string) (*auth.Principal, error) {
	refuse := func(reason string, args ...any) (*auth.Principal, error) {
		s.logger.WarnContext(ctx, "Bearer token refused", append([]any{"reason", reason}, args...)...)
		return nil, nil
	}
	b, err := s.providers.VerifyBearer(ctx, raw)
	if err != nil {
		return refuse(err.Error())
	}
	iss, sub := b.Token.Issuer, b.Token.Subject
	u, err := s.db.UserByOIDC(ctx, iss, sub)
	if storage.Unavailable(err) {
		return nil, fmt.Errorf("error looking up the user of a Bearer token: %w", err)
	} else if err != nil {
		return refuse("no such user", "issuer", iss, "subject", sub, "err", err)
	}
	if u.Disabled {
		return refuse("user disabled", "user", u.ID)
	}
	claimed, err := b.Provider.TokenDepartment(b.Token)
	if err != nil {
		return refuse(err.Error(), "user", u.ID)
	}
	if len(b.Provider.Config.Departments) > 0 || claimed != "" {
		if u.DepartmentID == 0 {
			return refuse("user has no department", "user", u.ID, "provider", b.Provider.Config.Name)
		}
		d, err := s.db.Department(ctx, u.DepartmentID)
		if storage.Unavailable(err) {
			return nil, fmt.Errorf("error looking up the department of a Bearer token's user: %w", err)
		} else if err != nil {
			return refuse("department not found", "user", u.ID, "err", err)
		}
		if !b.Provider.Serves(d.Code) || (claimed != "" && claimed != d.Code) {
			return refuse("user of another department", "user", u.ID, "department", d.Code, "provider", b.Provider.Config.Name)
		}
	}
	return auth.NewPrincipal(u, 0, true), nil
}

// requireLogin lets through requests of a caller with a role. Without a
// caller, a browser is sent to the login page (303, coming back to the
// page asked for after it) — or, for a form it sent, gets the page of an
// ended login that keeps the form's text (loginExpired) — and an API client (a path under /api/, a
// request asking for JSON, or one with a Bearer token) gets 401. A caller
// without any role awaits one: 403. Responses behind a login are not
// cached.
func (s *server) requireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := auth.PrincipalFrom(r.Context())
		if !ok {
			_, bearer := bearerToken(r)
			switch {
			case bearer:
				w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
				s.writeError(w, r, workflow.Errorf(workflow.ErrUnauthorized,
					"Bearer 令牌无效、已过期或用户未知 / the Bearer token is invalid or expired, or its user unknown or disabled"))
			case wantsJSON(r):
				// The editor's autosave after the login ended: kept.
				s.keepDraftOfEndedLogin(r)
				w.Header().Set("WWW-Authenticate", `Bearer realm="banli"`)
				s.writeError(w, r, workflow.Errorf(workflow.ErrUnauthorized, "请先登录 / login required"))
			case r.Method != http.MethodGet && r.Method != http.MethodHead:
				// A form sent after the login ended: not lost (login_expired.go).
				s.loginExpired(w, r)
			default:
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			}
			return
		}
		if len(p.User.Roles) == 0 {
			s.writeError(w, r, workflow.Errorf(workflow.ErrForbidden,
				"%s，您已登录，但尚未分配角色，请联系系统管理员 / you are logged in, but awaiting a role: ask an administrator",
				p.User.Name))
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// checkCSRF refuses (403) an unsafe request (POST, PUT, PATCH, DELETE) of a
// cookie session that does not carry the session's CSRF token in the
// header auth.CSRFHeader or the form field auth.CSRFField. Bearer requests
// need none: browsers do not attach Bearer tokens by themselves. Requests
// without a caller have no session to abuse; requireLogin deals with them.
func (s *server) checkCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			next.ServeHTTP(w, r)
			return
		}
		p, ok := auth.PrincipalFrom(r.Context())
		if !ok || p.Bearer {
			next.ServeHTTP(w, r)
			return
		}
		// checkInput parsed the form, within its bound: never parse here.
		got := r.Header.Get(auth.CSRFHeader)
		if got == "" {
			got = r.PostForm.Get(auth.CSRFField)
		}
		if !auth.CSRFMatch(got, auth.CSRFToken(r.Context())) {
			s.writeError(w, r, workflow.Errorf(workflow.ErrForbidden,
				"CSRF 校验失败，请刷新页面后重试 / CSRF token missing or wrong: reload the page and try again"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
