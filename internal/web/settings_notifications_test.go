package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestNotificationSettings: the inbox links to the settings page; its form
// turns hand-off e-mail off and on again for the caller only, with the
// CSRF token, and comes back to the page (303), which says what is saved.
// Without the token nothing changes.
func TestNotificationSettings(t *testing.T) {
	t.Parallel()
	a, b, db := setupInbox(t)
	ctx := context.Background()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path string, form url.Values) (int, string, string) {
		t.Helper()
		req, err := http.NewRequest(method, a.base+path, strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		req.AddCookie(a.cookie)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Location"), string(body)
	}
	handOffEmail := func(id int64) bool {
		t.Helper()
		s, err := db.NotificationSettings(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return s.HandOffEmail
	}

	if status, _, body := do(http.MethodGet, "/", nil); status != http.StatusOK || !strings.Contains(body, `href="/settings/notifications"`) {
		t.Fatalf("workbench: %d, link to the settings: %v", status, strings.Contains(body, `href="/settings/notifications"`))
	}
	status, _, body := do(http.MethodGet, "/settings/notifications", nil)
	if status != http.StatusOK || !strings.Contains(body, `name="handoff_email" value="1" checked`) || !strings.Contains(body, "当前设置：交接通知同时通过电子邮件发送。") {
		t.Fatalf("settings page: %d\n%s", status, body)
	}

	// Without the CSRF token: refused, nothing saved.
	if status, _, _ := do(http.MethodPost, "/settings/notifications", url.Values{}); status != http.StatusForbidden {
		t.Errorf("POST without the CSRF token: %d, want 403", status)
	}
	if !handOffEmail(a.id) {
		t.Fatalf("a refused POST turned hand-off e-mail off")
	}

	// Off: the unticked box sends nothing.
	status, loc, _ := do(http.MethodPost, "/settings/notifications", url.Values{"csrf_token": {a.csrf}})
	if status != http.StatusSeeOther || loc != "/settings/notifications" {
		t.Fatalf("POST: %d to %q, want 303 to the page", status, loc)
	}
	if handOffEmail(a.id) || !handOffEmail(b.id) {
		t.Fatalf("after turning it off: a %v, b %v; want false, true", handOffEmail(a.id), handOffEmail(b.id))
	}
	_, _, body = do(http.MethodGet, "/settings/notifications", nil)
	if strings.Contains(body, `value="1" checked`) || !strings.Contains(body, "当前设置：交接通知只在站内通知中显示，不发电子邮件。") {
		t.Errorf("the page after turning it off:\n%s", body)
	}

	// On again.
	if status, _, _ := do(http.MethodPost, "/settings/notifications", url.Values{"csrf_token": {a.csrf}, "handoff_email": {"1"}}); status != http.StatusSeeOther {
		t.Fatalf("POST: %d", status)
	}
	if !handOffEmail(a.id) {
		t.Errorf("hand-off e-mail still off after turning it on")
	}
}
