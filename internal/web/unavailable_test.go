package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/pgcluster"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/web"
	"github.com/banli-gov/banli/migrations"
)

// privateCluster starts a PostgreSQL cluster of the test's own, which it
// may stop and start again (the tests' shared server must stay up), with
// banli migrated and the demo data loaded. restart starts it again on the
// same port, so that the pool reaches it at the same address.
func privateCluster(t *testing.T) (db *storage.DB, stop, restart func()) {
	t.Helper()
	ctx := context.Background()
	// The server runs as user postgres when the tests run as root: its
	// directory must be reachable, which t.TempDir's (mode 0700) is not.
	base, err := os.MkdirTemp("", "banli-web-unavailable-")
	mustT(t, err)
	mustT(t, os.Chmod(base, 0o755))
	t.Cleanup(func() { _ = os.RemoveAll(base) })
	opts := pgcluster.Options{Dir: filepath.Join(base, "pg"), Ephemeral: true,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	pg, err := pgcluster.Start(ctx, opts)
	mustT(t, err)
	t.Cleanup(func() { _ = pg.Stop(context.Background()) })
	opts.Port = pg.Port()

	db, err = storage.Open(ctx, pg.URL())
	mustT(t, err)
	t.Cleanup(db.Close)
	sqlDB := stdlib.OpenDBFromPool(db.Pool)
	_, err = migrations.Up(ctx, sqlDB, nil)
	_ = sqlDB.Close()
	mustT(t, err)
	_, err = demo.Load(ctx, db, demo.Options{})
	mustT(t, err)

	stop = func() {
		t.Helper()
		mustT(t, pg.Stop(ctx))
	}
	restart = func() {
		t.Helper()
		var err error
		pg, err = pgcluster.Start(ctx, opts)
		mustT(t, err)
	}
	return db, stop, restart
}

// waitFor polls cond until it holds, failing the test after a deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30s: %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var hiddenRe = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)

// TestDatabaseDown: while PostgreSQL is down, a logged-in user is answered
// 503 — a page saying the system is temporarily unavailable, or
// problem+json for the API — never 401 or the login page; the text of a
// form they POST comes back on the 503 page, read-only to copy, with a
// button that sends it again; the public portal answers a friendly 503;
// /readyz is not ready. Once PostgreSQL is back, without a restart of
// banli, the same requests succeed, the kept form among them.
func TestDatabaseDown(t *testing.T) {
	t.Parallel()
	db, stop, restart := privateCluster(t)
	ctx := context.Background()
	cfg := newConfig(t)
	srv := httptest.NewServer(web.NewServer(cfg, db, nil))
	t.Cleanup(srv.Close)
	cw := &casework{db: db, ctx: ctx, cfg: cfg, srv: srv}
	clerk := cw.login(t, "scjg.drafter")
	visitor := cw.anonymous(t, srv.URL)
	c := cw.caseOf(t, "关于加强农贸市场计量器具监管的建议", "scjg")
	draft := fmt.Sprintf("/cases/%d/draft", c.ID)
	typed := "一、经调查，<农贸市场>计量器具抽检合格率为 97%。\n\n下一步将“扩大抽检范围”。"

	api := func(b *cwBrowser, path string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
		mustT(t, err)
		req.Header.Set("Accept", "application/json")
		return b.do(req)
	}
	ready := func() int {
		resp, _ := visitor.get("/readyz")
		return resp.StatusCode
	}
	for path, b := range map[string]*cwBrowser{"/": clerk, "/public/": visitor, draft: clerk} {
		if resp, _ := b.get(path); resp.StatusCode != http.StatusOK {
			t.Fatalf("before the outage, GET %s = %d", path, resp.StatusCode)
		}
	}

	stop()
	waitFor(t, "/readyz to report not ready", func() bool { return ready() == http.StatusServiceUnavailable })

	// Logged in: 503 pages, not the login page.
	for _, path := range []string{"/", draft, fmt.Sprintf("/cases/%d", c.ID)} {
		resp, page := clerk.get(path)
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("logged-in GET %s with the database down: %d (Location %q), want 503", path, resp.StatusCode, resp.Header.Get("Location"))
			continue
		}
		checkPage(t, "503 page of "+path, page, "zh-CN")
		for _, want := range []string{"系统暂时无法使用", "系统暂时无法连接数据库，请稍后重试。"} {
			if !strings.Contains(page, want) {
				t.Errorf("503 page of %s lacks %q", path, want)
			}
		}
		if resp.Header.Get("Retry-After") == "" || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("503 of %s: Retry-After %q, Cache-Control %q", path, resp.Header.Get("Retry-After"), resp.Header.Get("Cache-Control"))
		}
	}
	resp, body := api(clerk, "/api/cases")
	var p struct {
		Status       int
		Code, Detail string
	}
	if err := json.Unmarshal([]byte(body), &p); resp.StatusCode != http.StatusServiceUnavailable || err != nil ||
		p.Code != "unavailable" || p.Status != 503 || !strings.Contains(resp.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("API with the database down: %d %s", resp.StatusCode, body)
	}

	// A POST keeps what was typed: read-only to copy, and sent again.
	// In the editor's order, as a browser sends it (url.Values.Encode sorts).
	form := strings.Join([]string{"csrf_token=" + url.QueryEscape(clerk.csrf), "base_version=0",
		"heading=" + url.QueryEscape("一、工作开展情况"), "body=" + url.QueryEscape(typed), "op=save"}, "&")
	req, err := http.NewRequest(http.MethodPost, clerk.base+draft, strings.NewReader(form))
	mustT(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, page := clerk.do(req)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("POST %s with the database down: %d (Location %q), want 503", draft, resp.StatusCode, resp.Header.Get("Location"))
	}
	checkPage(t, "503 page of a POST", page, "zh-CN")
	for _, want := range []string{"您刚才提交的内容还没有保存。请先复制保存下面的内容",
		`<label for="kept-0">小节标题</label>`, `readonly rows="2">一、工作开展情况</textarea>`,
		`<label for="kept-1">正文</label>`, ">" + html.EscapeString(typed) + "</textarea>",
		`<form method="post" action="` + draft + `"`, "重新提交"} {
		if !strings.Contains(page, want) {
			t.Errorf("503 page of a POST lacks %q:\n%s", want, page)
		}
	}
	retry := url.Values{}
	for _, m := range hiddenRe.FindAllStringSubmatch(page, -1) {
		retry.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	if retry.Get("csrf_token") != clerk.csrf || retry.Get("body") != typed || retry.Get("base_version") != "0" {
		t.Errorf("the retry form does not send the form again: %v", retry)
	}

	// The public portal: a friendly 503.
	for _, path := range []string{"/public/", "/public/feed.atom", "/public/replies/1"} {
		resp, page := visitor.get(path)
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, "系统暂时无法使用") || strings.Contains(page, "Internal error") {
			t.Errorf("public GET %s with the database down: %d\n%s", path, resp.StatusCode, page)
		}
	}

	// Back: the same requests succeed, with no restart of banli.
	restart()
	waitFor(t, "/readyz to report ready", func() bool { return ready() == http.StatusOK })
	for path, b := range map[string]*cwBrowser{"/": clerk, "/public/": visitor, "/public/feed.atom": visitor} {
		if resp, _ := b.get(path); resp.StatusCode != http.StatusOK {
			t.Errorf("after the outage, GET %s = %d", path, resp.StatusCode)
		}
	}
	if resp, body := api(clerk, "/api/cases"); resp.StatusCode != http.StatusOK {
		t.Errorf("after the outage, the API: %d %s", resp.StatusCode, body)
	}
	resp, _ = clerk.postRaw(draft, retry)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sending the kept form again: %d, want 303", resp.StatusCode)
	}
	ds, err := db.Drafts(ctx, c.ID)
	mustT(t, err)
	if len(ds) != 1 || ds[0].Sections[0].Body != strings.ReplaceAll(typed, "\r\n", "\n") {
		t.Errorf("the kept form saved %d drafts: %+v", len(ds), ds)
	}
}
