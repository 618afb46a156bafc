package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/internal/web"
	"github.com/banli-gov/banli/workflow"
)

// adminJobsTestArgs is a job kind of this test alone, inserted for River's
// UI to list.
type adminJobsTestArgs struct {
	Note string `json:"note"`
}

func (adminJobsTestArgs) Kind() string { return "admin_jobs_test" }

// jobsWorld is a banli server run by web.Run with a River client, and a
// logged-in session for each of an admin, a drafter and a liaison.
type jobsWorld struct {
	db      *storage.DB
	base    string
	client  *river.Client[pgx.Tx]
	session map[string]*http.Cookie // "admin", "drafter", "liaison"
}

func newJobsWorld(t *testing.T, withJobs bool) *jobsWorld {
	t.Helper()
	ctx := context.Background()
	db := testdb.NewDB(t)
	w := &jobsWorld{db: db, session: map[string]*http.Cookie{}}
	unit := &workflow.Department{Code: "unita", Name: "单位A"}
	office := &workflow.Department{Code: "office", Name: "督查室", LiaisonOffice: true}
	mustT(t, db.CreateDepartment(ctx, unit))
	mustT(t, db.CreateDepartment(ctx, office))
	for key, u := range map[string]*workflow.User{
		"admin":   {DepartmentID: office.ID, Name: "系统管理员", Roles: []workflow.Role{workflow.RoleAdmin}},
		"drafter": {DepartmentID: unit.ID, Name: "承办人", Roles: []workflow.Role{workflow.RoleDrafter}},
		"liaison": {DepartmentID: office.ID, Name: "联络员", Roles: []workflow.Role{workflow.RoleLiaison}},
	} {
		mustT(t, db.CreateUser(ctx, u))
		token := auth.NewToken()
		_, err := db.CreateLoginSession(ctx, storage.CreateLoginSessionCmd{UserID: u.ID, TokenHash: auth.HashToken(token),
			CSRFToken: auth.NewToken(), Provider: "test", At: db.Clock.Now(), MaxAge: time.Hour})
		mustT(t, err)
		w.session[key] = &http.Cookie{Name: "banli_session", Value: token}
	}

	// A River client as a web-only process has one: it inserts, it works
	// nothing (River's UI needs no more).
	var err error
	w.client, err = river.NewClient(riverpgxv5.New(db.Pool), &river.Config{})
	mustT(t, err)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	mustT(t, err)
	addr := ln.Addr().String()
	ln.Close()
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"BANLI_LISTEN_ADDR": addr, "BANLI_SHUTDOWN_TIMEOUT": "5s"}[k]
	})
	mustT(t, err)
	w.base = cfg.BaseURL
	var opts []web.Option
	if withJobs {
		opts = append(opts, web.WithJobs(w.client))
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- web.Run(runCtx, cfg, web.NewServer(cfg, db, nil, opts...), nil) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("web.Run: %v", err)
		}
	})
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get(w.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not answer: %v", err)
		}
	}
	return w
}

// do sends a request as who ("" for nobody), with extra headers, and
// returns the response with its body read. It follows no redirects.
func (w *jobsWorld) do(t *testing.T, who, method, path, body string, header map[string]string) (*http.Response, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, w.base+path, rd)
	mustT(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if who != "" {
		req.AddCookie(w.session[who])
	}
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	mustT(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	mustT(t, err)
	return resp, string(raw)
}

var (
	acceptHTML = map[string]string{"Accept": "text/html"}
	acceptJSON = map[string]string{"Accept": "application/json"}
)

// TestAdminJobsUI serves River's UI to an administrator — its page, its
// assets and its JSON API listing a job this test inserted — under a CSP
// that lets its styles in and keeps scripts to 'self'.
func TestAdminJobsUI(t *testing.T) {
	t.Parallel()
	w := newJobsWorld(t, true)
	ctx := context.Background()
	res, err := w.client.Insert(ctx, adminJobsTestArgs{Note: "看我"}, nil)
	mustT(t, err)

	resp, page := w.do(t, "admin", http.MethodGet, "/admin/jobs/", "", acceptHTML)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(page, "<title>River</title>") || !strings.Contains(page, `<div id="root"`) ||
		!strings.Contains(page, `"apiUrl":"/admin/jobs/api"`) {
		t.Fatalf("GET /admin/jobs/ as admin: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), page)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "style-src 'self' 'unsafe-inline'") || !strings.Contains(csp, "script-src 'self';") ||
		strings.Contains(csp, "unsafe-eval") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("River UI's CSP: %q", csp)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("River UI's Cache-Control: %q, want no-store", got)
	}
	// The app's script, from banli itself.
	script := regexp.MustCompile(`<script type="module" src="(/admin/jobs/assets/[^"]+\.js)"`).FindStringSubmatch(page)
	if script == nil {
		t.Fatalf("no module script under /admin/jobs/assets in the page:\n%s", page)
	}
	resp, js := w.do(t, "admin", http.MethodGet, script[1], "", nil)
	if resp.StatusCode != http.StatusOK || len(js) < 1000 {
		t.Errorf("GET %s: %d, %d bytes", script[1], resp.StatusCode, len(js))
	}
	// The bare prefix sends the browser to the page.
	if resp, _ := w.do(t, "admin", http.MethodGet, "/admin/jobs", "", acceptHTML); resp.StatusCode != http.StatusMovedPermanently ||
		resp.Header.Get("Location") != "/admin/jobs/" {
		t.Errorf("GET /admin/jobs: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	resp, body := w.do(t, "admin", http.MethodGet, "/admin/jobs/api/jobs?state=available", "", acceptJSON)
	var list struct {
		Data []struct {
			ID   json.Number     `json:"id"`
			Kind string          `json:"kind"`
			Args json.RawMessage `json:"args"`
		} `json:"data"`
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /admin/jobs/api/jobs as admin: %d %s", resp.StatusCode, body)
	}
	mustT(t, json.Unmarshal([]byte(body), &list))
	found := false
	for _, j := range list.Data {
		found = found || j.ID.String() == strconv.FormatInt(res.Job.ID, 10) && j.Kind == "admin_jobs_test" && strings.Contains(string(j.Args), "看我")
	}
	if !found {
		t.Errorf("River's API does not list job %d: %s", res.Job.ID, body)
	}
	resp, body = w.do(t, "admin", http.MethodGet, "/admin/jobs/api/states", "", acceptJSON)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"available":{`) {
		t.Errorf("GET /admin/jobs/api/states: %d %s", resp.StatusCode, body)
	}
}

// TestAdminJobsRefusesOthers keeps River's UI from everybody but
// administrators: other roles get 403 with a message, a browser without a
// session goes to the login page, an API call without one gets 401.
func TestAdminJobsRefusesOthers(t *testing.T) {
	t.Parallel()
	w := newJobsWorld(t, true)
	for _, who := range []string{"drafter", "liaison"} {
		for _, c := range []struct {
			path   string
			header map[string]string
		}{
			{"/admin/jobs/", acceptHTML},
			{"/admin/jobs/api/jobs?state=available", acceptJSON},
			{"/admin/jobs/api/queues", acceptJSON},
		} {
			resp, body := w.do(t, who, http.MethodGet, c.path, "", c.header)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "系统管理员") || !strings.Contains(body, "admin role only") ||
				strings.Contains(body, "admin_jobs_test") {
				t.Errorf("GET %s as %s: %d %s", c.path, who, resp.StatusCode, body)
			}
		}
		resp, body := w.do(t, who, http.MethodPost, "/admin/jobs/api/jobs/cancel", `{"ids":["1"]}`,
			map[string]string{"Accept": "application/json", "Content-Type": "application/json", "Origin": w.base})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST cancel as %s: %d %s", who, resp.StatusCode, body)
		}
	}

	resp, _ := w.do(t, "", http.MethodGet, "/admin/jobs/", "", acceptHTML)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next="+url.QueryEscape("/admin/jobs/") {
		t.Errorf("GET /admin/jobs/ without a session: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := w.do(t, "", http.MethodGet, "/admin/jobs/api/jobs?state=available", "", acceptJSON)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(resp.Header.Get("Content-Type"), "problem+json") {
		t.Errorf("GET River's API without a session: %d %s", resp.StatusCode, body)
	}
	// The CSP of River's UI is its own: the rest of banli keeps the strict one.
	resp, _ = w.do(t, "admin", http.MethodGet, "/me", "", acceptJSON)
	if csp := resp.Header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") {
		t.Errorf("GET /me carries River UI's CSP: %q", csp)
	}
}

// TestAdminJobsSameOrigin lets an administrator's unsafe API calls through
// only from banli's own origin (Origin, or Sec-Fetch-Site without one),
// with no CSRF token, while the rest of banli still demands the token.
func TestAdminJobsSameOrigin(t *testing.T) {
	t.Parallel()
	w := newJobsWorld(t, true)
	ctx := context.Background()
	state := func(id int64) string {
		var s string
		mustT(t, w.db.Pool.QueryRow(ctx, `SELECT state FROM river_job WHERE id = $1`, id).Scan(&s))
		return s
	}
	insert := func() int64 {
		res, err := w.client.Insert(ctx, adminJobsTestArgs{Note: "cancel me"}, &river.InsertOpts{ScheduledAt: time.Now().Add(time.Hour)})
		mustT(t, err)
		return res.Job.ID
	}
	cancel := func(id int64, header map[string]string) (*http.Response, string) {
		h := map[string]string{"Accept": "application/json", "Content-Type": "application/json"}
		for k, v := range header {
			h[k] = v
		}
		return w.do(t, "admin", http.MethodPost, "/admin/jobs/api/jobs/cancel", `{"ids":["`+strconv.FormatInt(id, 10)+`"]}`, h)
	}

	id := insert()
	for _, c := range []struct {
		name   string
		header map[string]string
	}{
		{"no Origin", nil},
		{"another site's Origin", map[string]string{"Origin": "http://evil.example"}},
		{"another port's Origin", map[string]string{"Origin": "http://127.0.0.1:1"}},
		{"Origin null", map[string]string{"Origin": "null"}},
		{"cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"same-site fetch", map[string]string{"Sec-Fetch-Site": "same-site"}},
		{"foreign Origin beats Sec-Fetch-Site", map[string]string{"Origin": "http://evil.example", "Sec-Fetch-Site": "same-origin"}},
	} {
		resp, body := cancel(id, c.header)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "cross-origin request refused") {
			t.Errorf("%s: %d %s", c.name, resp.StatusCode, body)
		}
	}
	if s := state(id); s != "scheduled" {
		t.Fatalf("a refused cancel changed the job: %s", s)
	}

	if resp, body := cancel(id, map[string]string{"Origin": w.base}); resp.StatusCode != http.StatusOK {
		t.Fatalf("cancel with banli's Origin: %d %s", resp.StatusCode, body)
	}
	if s := state(id); s != "cancelled" {
		t.Errorf("job %d after the cancel: %s", id, s)
	}
	id = insert()
	if resp, body := cancel(id, map[string]string{"Sec-Fetch-Site": "same-origin"}); resp.StatusCode != http.StatusOK {
		t.Fatalf("cancel with Sec-Fetch-Site same-origin: %d %s", resp.StatusCode, body)
	}
	if s := state(id); s != "cancelled" {
		t.Errorf("job %d after the cancel: %s", id, s)
	}

	// banli's own API keeps its CSRF token: the right Origin is not enough.
	resp, body := w.do(t, "admin", http.MethodPost, "/api/inbox/read-all", "",
		map[string]string{"Accept": "application/json", "Origin": w.base})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "CSRF") {
		t.Errorf("POST /api/inbox/read-all with Origin, without the CSRF token: %d %s", resp.StatusCode, body)
	}
}

// TestAdminJobsNeedsJobs: a server without a River client has no River UI.
func TestAdminJobsNeedsJobs(t *testing.T) {
	t.Parallel()
	w := newJobsWorld(t, false)
	if resp, _ := w.do(t, "admin", http.MethodGet, "/admin/jobs/", "", acceptHTML); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /admin/jobs/ without River: %d, want 404", resp.StatusCode)
	}
}
