package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/notify"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/internal/web"
	"github.com/banli-gov/banli/workflow"
)

// inboxUser is a logged-in user of the JSON API: the session cookie and
// CSRF token a browser would hold (as in authz_matrix_test.go).
type inboxUser struct {
	t      *testing.T
	base   string
	id     int64
	cookie *http.Cookie
	csrf   string
}

func (u *inboxUser) call(method, path string) (int, map[string]any) {
	u.t.Helper()
	req, err := http.NewRequest(method, u.base+path, nil)
	if err != nil {
		u.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	req.AddCookie(u.cookie)
	if method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", u.csrf)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		u.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		u.t.Fatalf("%s %s: %d, not JSON: %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode, out
}

// inbox returns the unread count and the notifications' subjects and ids.
func (u *inboxUser) inbox(query string) (int, []string, []int64, map[string]any) {
	u.t.Helper()
	status, out := u.call(http.MethodGet, "/api/inbox"+query)
	if status != http.StatusOK {
		u.t.Fatalf("GET /api/inbox%s: %d %v", query, status, out)
	}
	var subjects []string
	var ids []int64
	for _, n := range out["notifications"].([]any) {
		m := n.(map[string]any)
		subjects = append(subjects, m["subject"].(string))
		ids = append(ids, int64(m["id"].(float64)))
	}
	return int(out["unread"].(float64)), subjects, ids, out
}

// setupInbox starts banli's server on a test database with two users of one
// unit, logged in, and a notification for each: three for a, one for b.
func setupInbox(t *testing.T) (a, b *inboxUser, db *storage.DB) {
	t.Helper()
	ctx := context.Background()
	db = testdb.NewDB(t)
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.NewServer(cfg, db, nil))
	t.Cleanup(srv.Close)
	dept := &workflow.Department{Code: "scjg", Name: "武汉市市场监督管理局"}
	if err := db.CreateDepartment(ctx, dept); err != nil {
		t.Fatal(err)
	}
	login := func(name string) *inboxUser {
		u := &workflow.User{DepartmentID: dept.ID, Name: name, Roles: []workflow.Role{workflow.RoleDrafter}}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		token, csrf := auth.NewToken(), auth.NewToken()
		_, err := db.CreateLoginSession(ctx, storage.CreateLoginSessionCmd{UserID: u.ID, TokenHash: auth.HashToken(token),
			CSRFToken: csrf, Provider: "test", At: db.Clock.Now(), MaxAge: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		return &inboxUser{t: t, base: srv.URL, id: u.ID, cookie: &http.Cookie{Name: "banli_session", Value: token}, csrf: csrf}
	}
	a, b = login("王晓燕"), login("陈志强")
	for i, users := range [][]int64{{a.id}, {a.id, b.id}, {a.id}} {
		tx, err := db.Pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The users have no e-mail address and the unit no robot: no
		// delivery, so no River client is needed.
		_, err = notify.Enqueue(ctx, tx, nil, notify.Message{Key: fmt.Sprintf("info:%d", i+1), Kind: notify.KindInfo,
			Subject: fmt.Sprintf("通知%d", i+1), Text: "正文", Link: "/", UserIDs: users})
		if err == nil {
			err = tx.Commit(ctx)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return a, b, db
}

// TestInboxAPI: each user sees their own notifications, newest first, paged;
// marking one read lowers the unread count; marking another user's is "not
// found" and changes nothing; read-all clears the count.
func TestInboxAPI(t *testing.T) {
	t.Parallel()
	a, b, _ := setupInbox(t)

	unread, subjects, ids, out := a.inbox("")
	if unread != 3 || strings.Join(subjects, ",") != "通知3,通知2,通知1" {
		t.Fatalf("a's inbox: %d unread, %v", unread, subjects)
	}
	first := out["notifications"].([]any)[0].(map[string]any)
	if first["kind"] != "info" || first["body"] != "正文" || first["link"] != "/" || first["read_at"] != nil || first["created_at"] == "" {
		t.Errorf("notification JSON: %v", first)
	}
	if _, has := out["next_before"]; has {
		t.Errorf("one page has a next page: %v", out["next_before"])
	}
	bUnread, bSubjects, bIDs, _ := b.inbox("")
	if bUnread != 1 || strings.Join(bSubjects, ",") != "通知2" {
		t.Fatalf("b's inbox: %d unread, %v", bUnread, bSubjects)
	}

	// Pages.
	_, page1, _, out := a.inbox("?limit=2")
	next := int64(out["next_before"].(float64))
	_, page2, _, out2 := a.inbox(fmt.Sprintf("?limit=2&before=%d", next))
	if strings.Join(page1, ",") != "通知3,通知2" || strings.Join(page2, ",") != "通知1" || out2["next_before"] != nil {
		t.Fatalf("pages: %v then %v (%v)", page1, page2, out2["next_before"])
	}

	// Someone else's notification is not found, and stays unread.
	status, res := a.call(http.MethodPost, fmt.Sprintf("/api/inbox/%d/read", bIDs[0]))
	if status != http.StatusNotFound || res["code"] != "not_found" {
		t.Fatalf("a marks b's notification: %d %v", status, res)
	}
	if n, _, _, _ := b.inbox(""); n != 1 {
		t.Fatalf("b's unread after a's attempt: %d", n)
	}
	for _, bad := range []string{"0", "x", "99999999"} {
		if status, _ := a.call(http.MethodPost, "/api/inbox/"+bad+"/read"); status != http.StatusNotFound {
			t.Errorf("mark %s: %d", bad, status)
		}
	}

	// Marking one of one's own.
	status, res = a.call(http.MethodPost, fmt.Sprintf("/api/inbox/%d/read", ids[1]))
	if status != http.StatusOK || res["unread"] != float64(2) {
		t.Fatalf("mark read: %d %v", status, res)
	}
	if n, s, _, _ := a.inbox("?unread=1"); n != 2 || strings.Join(s, ",") != "通知3,通知1" {
		t.Fatalf("unread only: %d %v", n, s)
	}

	// Read all: a's count is 0; b's is untouched.
	status, res = a.call(http.MethodPost, "/api/inbox/read-all")
	if status != http.StatusOK || res["unread"] != float64(0) || res["marked"] != float64(2) {
		t.Fatalf("read-all: %d %v", status, res)
	}
	if n, s, _, _ := a.inbox("?unread=1"); n != 0 || len(s) != 0 {
		t.Fatalf("after read-all: %d %v", n, s)
	}
	if n, _, _, _ := b.inbox(""); n != 1 {
		t.Fatalf("b's unread after a's read-all: %d", n)
	}
}

func TestInboxAPIRefuses(t *testing.T) {
	t.Parallel()
	a, _, _ := setupInbox(t)
	for _, q := range []string{"?unread=yes", "?limit=0", "?limit=201", "?before=-1", "?before=x"} {
		if status, res := a.call(http.MethodGet, "/api/inbox"+q); status != http.StatusUnprocessableEntity || res["code"] != "invalid" {
			t.Errorf("GET /api/inbox%s: %d %v", q, status, res)
		}
	}
	// Unsafe methods need the CSRF token; everything needs a login.
	noCSRF := *a
	noCSRF.csrf = "wrong"
	if status, _ := noCSRF.call(http.MethodPost, "/api/inbox/read-all"); status != http.StatusForbidden {
		t.Errorf("read-all without the CSRF token: %d", status)
	}
	anon := *a
	anon.cookie = &http.Cookie{Name: "banli_session", Value: "nobody"}
	if status, _ := anon.call(http.MethodGet, "/api/inbox"); status != http.StatusUnauthorized {
		t.Errorf("inbox without a session: %d", status)
	}
	if n, _, _, _ := a.inbox(""); n != 3 {
		t.Errorf("refused requests changed the count: %d", n)
	}
}
