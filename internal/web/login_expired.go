package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
)

// The routes of the draft editor's form and of its script's autosave
// (routes.go).
const (
	draftEditorRoute   = "/cases/{id}/draft"
	draftAutosaveRoute = "/cases/{id}/draft/autosave"
)

// loginExpired answers a form a browser sent without a live login —
// typically its session ended while the user was typing: 401, the error
// page saying the login has ended, the form's text shown for the user to
// copy (keptFormOf), and a link to log in again that comes back to the
// page the form was on. Nothing the user typed is lost:
//
// The draft editor's text is also stored as the user's working copy, which
// the editor shows again, with a notice, after the login
// (keepDraftOfEndedLogin).
func (s *server) loginExpired(w http.ResponseWriter, r *http.Request) {
	view := errorView{Status: http.StatusUnauthorized, Title: http.StatusText(http.StatusUnauthorized),
		Heading: message(r, "expired.heading"), Detail: message(r, "expired.detail"), Expired: true}
	view.Kept = keptFormOf(r)
	next := s.expiredNext(r)
	view.LoginURL = "/login?next=" + url.QueryEscape(next)
	view.KeptForLater = s.keepDraftOfEndedLogin(r)
	w.Header().Set("Cache-Control", "no-store")
	s.renderError(w, r, view.Heading, view)
}

// keepDraftOfEndedLogin stores the draft editor's text that r carries —
// its form, or its script's autosave — as the working copy of the user
// whose session has just ended, when r's cookie named that session and r
// carries its CSRF token; it reports whether it did.
func (s *server) keepDraftOfEndedLogin(r *http.Request) bool {
	sess := endedSession(r.Context())
	if sess == nil || r.Method != http.MethodPost {
		return false
	}
	if route := chi.RouteContext(r.Context()).RoutePattern(); route != draftEditorRoute && route != draftAutosaveRoute {
		return false
	}
	token := r.Header.Get(auth.CSRFHeader)
	if token == "" {
		token = r.PostForm.Get(auth.CSRFField)
	}
	if !auth.CSRFMatch(token, sess.CSRFToken) {
		return false
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return false
	}
	form := draftFormOf(readForm(r))
	err = s.db.SaveWorkingCopy(r.Context(), storage.WorkingCopy{CaseID: id, UserID: sess.UserID, BaseVersion: form.BaseVersion,
		Sections: form.Sections, SavedAt: s.clock.Now()})
	if err != nil {
		// The page still shows the text to copy; the script keeps it too.
		s.logger.WarnContext(r.Context(), "cannot keep a draft after the login ended", "case", id, "user", sess.UserID, "err", err)
		return false
	}
	s.logger.InfoContext(r.Context(), "draft kept after the login ended", "case", id, "user", sess.UserID)
	return true
}

// expiredNext is where the login after an ended one comes back to: the
// draft editor for its form, else the same-origin page the form was on
// (its Referer), else the workbench.
func (s *server) expiredNext(r *http.Request) string {
	if chi.RouteContext(r.Context()).RoutePattern() == draftEditorRoute {
		return fmt.Sprintf("/cases/%s/draft", url.PathEscape(chi.URLParam(r, "id")))
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
		return safeNext(ref.RequestURI())
	}
	return "/"
}
