package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
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
	case workflow.ErrPrecondition:
		return http.StatusPreconditionFailed
	case workflow.ErrForbidden:
		return http.StatusForbidden
	case workflow.ErrUnauthorized:
		return http.StatusUnauthorized
	case workflow.ErrTooLarge:
		return http.StatusRequestEntityTooLarge
	case workflow.ErrUnavailable:
		return http.StatusServiceUnavailable
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
	// Rule is the stable name of the guard or rule that refused
	// (workflow.RuleOf), for clients to tell refusals apart.
	Rule string `json:"rule,omitempty"`
	// Problems lists what is wrong with a file refused as a whole (an
	// assignment list imported), each where it is.
	Problems []fileProblem `json:"problems,omitempty" doc:"every problem of a file refused (an import), with its row and column"`
}

// fileProblem is a problem of a file at a row and column, in words.
type fileProblem struct {
	Row    int    `json:"row" doc:"the row as the spreadsheet numbers it (from 1); 0 for the file as a whole"`
	Column string `json:"column" doc:"the column's header as written in the file; empty for a whole row or the file"`
	Reason string `json:"reason" doc:"what is wrong, in the caller's language"`
}

// fileProblemsError refuses a file for its problems: the problem+json
// answer lists them (problem.Problems), the page says err's message.
type fileProblemsError struct {
	err      error
	problems []fileProblem
}

func (e *fileProblemsError) Error() string { return e.err.Error() }
func (e *fileProblemsError) Unwrap() error { return e.err }

// wantsJSON reports whether the client is an API client: a request under
// /api/ or one that asks for JSON.
func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "application/json")
}

// retryAfter is the Retry-After of a 503, in seconds.
const retryAfter = "10"

// writeError answers a request with err, the one way banli answers an
// error: its domain code decides the status (statusOf); its message is
// shown, except for internal errors, which are logged and shown as
// "Internal error". Refusals (403) are logged too. An error of a database
// that does not answer (storage.Unavailable) is a 503 that says so, logged
// as a warning: the page asks to retry, and shows the text of a POSTed form
// for the user to copy and send again (keptFormOf). An API client (wantsJSON)
// gets problem+json (RFC 9457), a browser the error page (renderError).
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if workflow.Code(err) == workflow.ErrInternal && storage.Unavailable(err) {
		s.logger.WarnContext(r.Context(), "database unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		err = workflow.Errorf(workflow.ErrUnavailable, "%s", message(r, "unavailable.detail"))
	}
	code := workflow.Code(err)
	status := statusOf(code)
	msg := errorText(r, err)
	if d := errorDetail(err); d != "" && status != http.StatusInternalServerError {
		s.logger.InfoContext(r.Context(), "refused", "method", r.Method, "path", r.URL.Path, "status", status, "detail", d)
	}
	switch status {
	case http.StatusInternalServerError:
		s.logger.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	case http.StatusForbidden:
		s.logger.WarnContext(r.Context(), "refused", "method", r.Method, "path", r.URL.Path, "reason", msg)
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", retryAfter)
		w.Header().Set("Cache-Control", "no-store")
	}
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(status)
		pb := problem{Type: "about:blank", Title: http.StatusText(status), Status: status,
			Detail: msg, Instance: r.URL.Path, Code: string(code), Guard: workflow.GuardOf(err), Rule: workflow.RuleOf(err)}
		if fe := (*fileProblemsError)(nil); errors.As(err, &fe) {
			pb.Problems = fe.problems
		}
		_ = json.NewEncoder(w).Encode(pb)
		return
	}
	view := errorView{Status: status, Title: http.StatusText(status), Detail: msg}
	view.Heading = fmt.Sprintf("%d %s", status, view.Title)
	if key := fmt.Sprintf("error.heading.%d", status); message(r, key) != key {
		view.Heading = message(r, key)
	}
	switch status {
	case http.StatusServiceUnavailable:
		view.Kept = keptFormOf(r)
	case http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		if code == workflow.ErrTooLarge || r.Method == http.MethodPost && r.PostForm == nil {
			view.Back = true // refused before the handler: the form is a Back away
		}
	}
	s.renderError(w, r, view.Heading, view)
}

// renderError answers with the error page of view under title, in the
// layout, with the caller when a browser session is logged in. It reads
// nothing from the database, which may be what failed.
func (s *server) renderError(w http.ResponseWriter, r *http.Request, title string, view errorView) {
	p := &ui.Page{Title: title, Data: view}
	if pr, ok := auth.PrincipalFrom(r.Context()); ok && !pr.Bearer {
		p.User, p.CSRFToken = pr.User, auth.CSRFToken(r.Context())
	}
	s.render(w, r, view.Status, "error", p)
}

// refuse answers a form the domain refused with err: an internal error is
// the error page (writeError logs it); any other shows the form again
// through show, with err's status (statusOf) — the user's input kept and
// the error's message beside it. A refusal (403) is logged as writeError
// logs it.
func (s *server) refuse(w http.ResponseWriter, r *http.Request, err error, show func(status int)) {
	code := workflow.Code(err)
	if code == workflow.ErrInternal {
		s.writeError(w, r, err)
		return
	}
	if code == workflow.ErrForbidden {
		s.logger.WarnContext(r.Context(), "refused", "method", r.Method, "path", r.URL.Path, "reason", workflow.Message(err))
	}
	if d := errorDetail(err); d != "" {
		s.logger.InfoContext(r.Context(), "refused", "method", r.Method, "path", r.URL.Path, "detail", d)
	}
	show(statusOf(code))
}

// errorDetail is a domain error's detail for developers (logged only).
func errorDetail(err error) string {
	var e *workflow.Error
	if errors.As(err, &e) {
		return e.Detail
	}
	return ""
}

// errorView is the data of the view "error".
type errorView struct {
	Status  int
	Title   string // the status text
	Heading string // the page's heading: the catalogue's error.heading.<status>, else status and text
	Detail  string // safe to show
	// Login marks a failed login: the page says so and leads back to the
	// login page.
	Login bool
	// Back says that what the user typed is still on the previous page.
	Back bool
	// Kept is the text of a form that could not be saved (503, or 401
	// after the login ended), if any.
	Kept *keptForm
	// Expired marks a form sent after the login ended (loginExpired): the
	// page leads to LoginURL instead of offering to send Kept again, and
	// KeptForLater says the draft editor will show the text after it.
	Expired      bool
	LoginURL     string
	KeptForLater bool
}

// keptForm is what a user sent in a form that could not be handled while
// the database did not answer: its text, shown read-only for them to copy
// (Shown), and every field as sent (Fields, the CSRF token included) for a
// button that sends it again to Action.
type keptForm struct {
	Action string
	Shown  []keptField
	Fields []keptField
}

// keptField is one field of a keptForm: its name, its label (Shown only)
// and its value.
type keptField struct {
	Name, Label, Value string
}

// keptHidden are fields a form carries for the server (versions, the
// button pressed, where to go next): sent again, not shown.
var keptHidden = map[string]bool{
	auth.CSRFField: true, "version": true, "base_version": true, "op": true, "next": true,
}

// keptFormOf returns the form r POSTed (checkInput parsed it), or nil for
// another request or an empty form. Its text fields are shown under their
// labels (fieldLabel), or a plain "text" where there is none.
func keptFormOf(r *http.Request) *keptForm {
	if r.Method != http.MethodPost || len(r.PostForm) == 0 {
		return nil
	}
	k := &keptForm{Action: r.URL.RequestURI()}
	order := formOrder(r)
	if len(order) == 0 { // a multipart form: in the order of the names
		for name, vs := range r.PostForm {
			for range vs {
				order = append(order, name)
			}
		}
		slices.Sort(order)
	}
	seen := map[string]int{}
	for _, name := range order {
		i := seen[name]
		seen[name]++
		if i >= len(r.PostForm[name]) {
			continue
		}
		v := r.PostForm[name][i]
		k.Fields = append(k.Fields, keptField{Name: name, Value: v})
		if keptHidden[name] || strings.TrimSpace(v) == "" {
			continue
		}
		label := fieldLabel(r, name)
		if label == "" {
			label = message(r, "unavailable.field")
		}
		k.Shown = append(k.Shown, keptField{Name: name, Label: label, Value: v})
	}
	return k
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
