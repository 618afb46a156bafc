package web

import (
	"log/slog"
	"net/http"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/ui"
)

// views are the views of package ui that banli's handlers render, the one
// list of them: ui.New refuses to start without one of them. A handler that
// renders a new view adds its name here.
var views = []string{
	// Every area: login, errors; the public portal (public_*.go).
	"home", "login", "error",
	"public_list", "public_reply",
	// Case work (workbench*.go, case_*.go, draft_*.go, reply_*.go,
	// feedback_form.go).
	"workbench", "case", "draft_edit", "draft_diff", "reply_print", "feedback_form",
	// The deputy's own page (deputy_page.go).
	"deputy_page",
	// The liaison's pages (supervision_*.go, proposal_*.go).
	"supervision", "supervision_cases", "supervision_requests",
	"proposal_new", "proposal_show", "import", "import_preview",
	// The administrator's pages (admin_*.go).
	"admin", "admin_departments", "admin_users", "admin_user", "admin_log", "admin_sessions", "admin_session", "admin_holidays",
	// Every user's own settings (settings_*.go).
	"settings_notifications",
}

// newUI parses the embedded templates. They are part of the binary, so a
// failure is a defect of the build: NewServer panics with the error, which
// names the view, before the server serves anything (and every test that
// builds a server fails).
func newUI(logger *slog.Logger) *ui.Engine {
	e, err := ui.New(ui.Options{Require: views, Logger: logger})
	if err != nil {
		panic(err)
	}
	return e
}

// page returns the page data of a request with the given title and the
// view's data: for a logged-in browser, its user, roles, unit, CSRF token,
// queue count (待我办理, one COUNT query), unread-inbox count and the name
// of the supervising role (ui.Page.Supervisor), and on a GET the flash the last POST left, if any
// (flash.go), which it clears. A failing lookup of the unit or the count is
// logged, and the page is shown without it.
func (s *server) page(w http.ResponseWriter, r *http.Request, title string, data any) *ui.Page {
	return s.pageCounted(w, r, title, data, -1)
}

// pageCounted is page for a view that has counted the user's queue
// already (queue, or -1 when it has not): the navigation shows that count
// instead of counting again.
func (s *server) pageCounted(w http.ResponseWriter, r *http.Request, title string, data any, queue int) *ui.Page {
	p := &ui.Page{Title: title, Data: data}
	ctx := r.Context()
	pr, ok := auth.PrincipalFrom(ctx)
	if !ok || pr.Bearer {
		return p
	}
	p.User, p.Roles, p.CSRFToken = pr.User, pr.User.Roles, auth.CSRFToken(ctx)
	p.Session = sessionTimes(ctx)
	if r.Method == http.MethodGet {
		p.Flash = s.takeFlash(w, r)
	}
	if s.db == nil {
		return p
	}
	if id := pr.User.DepartmentID; id != 0 {
		if d, err := s.db.Department(ctx, id); err == nil {
			p.Department = d.Name
		} else {
			s.logger.WarnContext(ctx, "page: cannot look up the user's department", "user", pr.User.ID, "err", err)
		}
	}
	if queue >= 0 {
		p.Queue = queue
	} else if n, err := s.db.QueueCount(ctx, pr.Actor); err == nil {
		p.Queue = n
	} else {
		s.logger.WarnContext(ctx, "page: cannot count the queue", "user", pr.User.ID, "err", err)
	}
	if n, err := s.db.UnreadCount(ctx, pr.User.ID); err == nil {
		p.Unread = n
	} else {
		s.logger.WarnContext(ctx, "page: cannot count unread notifications", "user", pr.User.ID, "err", err)
	}
	if label, err := s.db.SupervisorLabel(ctx); err == nil {
		p.Supervisor = label
	} else {
		s.logger.WarnContext(ctx, "page: cannot read the supervisor label", "err", err)
	}
	return p
}

// render answers with view in the layout. Render itself answers a failure
// with 500 and logs it.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, view string, p *ui.Page) {
	_ = s.ui.Render(w, r, status, view, p)
}
