package web

import (
	"net/http"

	"github.com/banli-gov/banli/internal/storage"
)

// settingsNotificationsPath is the user's notification settings page.
const settingsNotificationsPath = "/settings/notifications"

// settingsNotificationsData is the page's data: the user's e-mail address
// ("" when none is stored) and their settings.
type settingsNotificationsData struct {
	Email    string
	Settings *storage.NotificationSettings
}

// settingsNotifications answers GET /settings/notifications (any logged-in
// user): whether hand-offs (交接通知) also come by e-mail. The page says
// what is saved, so coming back to it after saving shows the result.
func (s *server) settingsNotifications(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	settings, err := s.db.NotificationSettings(r.Context(), p.User.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d := &settingsNotificationsData{Email: p.User.Email, Settings: settings}
	s.render(w, r, http.StatusOK, "settings_notifications", s.page(w, r, message(r, "settings.notify.title"), d))
}

// settingsNotificationsSave answers POST /settings/notifications (the form
// of the page, with the CSRF token checked by the route's group): the
// checkbox handoff_email, present when ticked. It saves the caller's own
// settings and goes back to the page (303) with a flash saying so.
func (s *server) settingsNotificationsSave(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	settings := storage.NotificationSettings{HandOffEmail: readForm(r).Has("handoff_email")}
	if err := s.db.SetNotificationSettings(r.Context(), p.User.ID, settings); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.redirect(w, r, settingsNotificationsPath, flashSettingsSaved)
}
