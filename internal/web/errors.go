package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// statusOf maps a domain error code to its HTTP status: the one place that
// does.
func statusOf(code workflow.ErrorCode) int {
	switch code {
	case workflow.ErrInvalid:
		return http.StatusUnprocessableEntity
	case workflow.ErrNotFound:
		return http.StatusNotFound
	case workflow.ErrConflict:
		return http.StatusConflict
	case workflow.ErrForbidden:
		return http.StatusForbidden
	case workflow.ErrUnauthorized:
		return http.StatusUnauthorized
	default:
		return http.StatusInternalServerError
	}
}

// problem is an RFC 9457 problem details body.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance,omitempty"`
	Code     string `json:"code"`
	Guard    string `json:"guard,omitempty"`
}

// wantsJSON reports whether the client is an API client: a request under
// /api/ or one that asks for JSON.
func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "application/json")
}

// writeError answers a request with err: its domain code decides the
// status; its message is shown, except for internal errors, which are logged
// and shown as "Internal error". Refusals (403) are logged too.
func writeError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	code := workflow.Code(err)
	status := statusOf(code)
	msg := workflow.Message(err)
	switch status {
	case http.StatusInternalServerError:
		logger.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	case http.StatusForbidden:
		logger.WarnContext(r.Context(), "refused", "method", r.Method, "path", r.URL.Path, "reason", msg)
	}
	var guard string
	if de, ok := err.(*workflow.Error); ok {
		guard = de.Guard
	}
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(problem{Type: "about:blank", Title: http.StatusText(status), Status: status,
			Detail: msg, Instance: r.URL.Path, Code: string(code), Guard: guard})
		return
	}
	view := errorView{Status: status, Title: http.StatusText(status), Detail: msg}
	if e, ok := uiOf(r.Context()); ok {
		// The layout, with the caller when a browser session is logged in.
		p := &ui.Page{Title: fmt.Sprintf("%d %s", status, view.Title), Data: view}
		if pr, ok := auth.PrincipalFrom(r.Context()); ok && !pr.Bearer {
			p.User, p.CSRFToken = pr.User, auth.CSRFToken(r.Context())
		}
		_ = e.Render(w, r, status, "error", p)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = errorPage.Execute(w, view)
}

// errorView is the data of the view "error".
type errorView struct {
	Status int
	Title  string // the status text
	Detail string // safe to show
	// Login marks a failed login: the page says so and leads back to the
	// login page.
	Login bool
}

// errorPage is the error page of a request outside the routes' withUI
// middleware (none today): plain, without the layout.
var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Status}} {{.Title}} · banli</title></head>
<body><main><h1>{{.Status}} {{.Title}}</h1><p>{{.Detail}}</p><p><a href="/">返回首页</a></p></main></body></html>
`))

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
