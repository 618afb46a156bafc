package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"riverqueue.com/riverui"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/workflow"
)

// AdminJobsPath is where River's web UI (riverqueue.com/riverui) is served:
// the job queue of every banli process — reminders, deliveries, the daily
// digest — for administrators.
const AdminJobsPath = "/admin/jobs"

// adminJobsCSP is the Content-Security-Policy of River's UI. Its built
// single-page app injects <style> elements at run time (goober, the CSS-in-JS
// of its toasts), so styles may be inline; scripts stay 'self' only: the
// one inline <script> of its index.html is type="application/json", a
// configuration the app reads, which browsers never execute. Its
// stylesheet draws icons from data: SVGs.
const adminJobsCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// adminJobs returns River's UI and JSON API (under AdminJobsPath/api) on
// the server's River client. The handler is built and started at the first
// request: starting it runs its background count caches, which stop when
// the server's context (the one Run was given) ends.
func (s *server) adminJobs() http.Handler {
	var (
		once sync.Once
		h    *riverui.Handler
		err  error
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() {
			h, err = riverui.NewHandler(&riverui.HandlerOpts{
				Endpoints: riverui.NewEndpoints(s.jobs, nil),
				Logger:    s.logger,
				Prefix:    AdminJobsPath,
			})
			if err == nil {
				err = h.Start(serverContext(r.Context()))
			}
		})
		if err != nil {
			s.writeError(w, r, workflow.Errorf(workflow.ErrInternal, "River UI: %v", err))
			return
		}
		w.Header().Set("Content-Security-Policy", adminJobsCSP)
		h.ServeHTTP(w, r)
	})
}

// requireRole lets through callers with role (after requireLogin) and
// refuses everybody else with 403, saying which role it takes.
func (s *server) requireRole(role workflow.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p, ok := auth.PrincipalFrom(r.Context())
			if !ok || !slices.Contains(p.Actor.Roles, role) {
				s.writeError(w, r, workflow.Errorf(workflow.ErrForbidden,
					"此页面仅限%s / this page is for the %s role only", role.LabelZH(), role))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// checkSameOrigin stands in for checkCSRF where the client cannot send
// banli's CSRF token: River's UI is a prebuilt single-page app whose fetch
// calls (JSON POST, PUT, PATCH, DELETE) carry only the session cookie. It
// refuses (403) an unsafe request of a cookie session unless the browser
// says it comes from banli's own origin: its Origin header equals
// BaseURL's origin, or, when a browser sends no Origin, Sec-Fetch-Site is
// same-origin. This is OWASP's "verifying origin with standard headers"
// defence: browsers set both headers themselves, and a page on another site
// can neither forge nor remove them, so a cross-site form or fetch riding
// on an administrator's cookie is refused. A request with neither header is
// refused too. Bearer requests need no check, as in checkCSRF.
func (s *server) checkSameOrigin(next http.Handler) http.Handler {
	own := originOf(s.cfg.BaseURL)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			next.ServeHTTP(w, r)
			return
		}
		if p, ok := auth.PrincipalFrom(r.Context()); !ok || p.Bearer {
			next.ServeHTTP(w, r)
			return
		}
		var same bool
		if origin := r.Header.Get("Origin"); origin != "" {
			same = own != "" && originOf(origin) == own
		} else {
			same = r.Header.Get("Sec-Fetch-Site") == "same-origin"
		}
		if !same {
			s.writeError(w, r, workflow.Errorf(workflow.ErrForbidden,
				"请求并非来自本站（%s），已拒绝 / cross-origin request refused: the Origin header must be %s", own, own))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// originOf returns the origin of a URL as browsers write it in Origin
// headers: scheme://host, with :port unless it is the scheme's default; ""
// when the URL has no scheme or host ("null", say).
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	switch port := u.Port(); {
	case port == "", scheme == "http" && port == "80", scheme == "https" && port == "443":
		return scheme + "://" + host
	default:
		return scheme + "://" + host + ":" + port
	}
}

// serverContextKey keys the context Run was given in the base context of
// its requests (see serve).
type serverContextKey struct{}

// withServerContext returns base carrying life, the context that bounds the
// server's lifetime.
func withServerContext(base, life context.Context) context.Context {
	return context.WithValue(base, serverContextKey{}, life)
}

// serverContext returns the context of the server that received a request
// with context ctx: it ends when the server shuts down. A handler served
// outside Run (a test's httptest server) has none: the background, which
// lives as long as the process.
func serverContext(ctx context.Context) context.Context {
	if life, ok := ctx.Value(serverContextKey{}).(context.Context); ok {
		return life
	}
	return context.Background()
}
