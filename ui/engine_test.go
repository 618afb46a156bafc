package ui

import (
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/banli-gov/banli/workflow"
)

// embeddedCopy returns the embedded files as a MapFS that a test may break.
func embeddedCopy(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func newEngine(t *testing.T) *Engine {
	t.Helper()
	e, err := New(Options{Require: []string{"home", "error", "login"}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestNewParsesTheEmbeddedViews(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	for _, v := range []string{"home", "error", "login"} {
		if !slices.Contains(e.Views(), v) {
			t.Errorf("views %v lack %q", e.Views(), v)
		}
	}
}

func TestNewFailsNamingTheView(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		break_  func(fstest.MapFS)
		require []string
		want    string
	}{
		{"missing view", func(m fstest.MapFS) { delete(m, "templates/views/home.html") }, []string{"home"},
			`view "home" is missing`},
		{"broken view", func(m fstest.MapFS) {
			m["templates/views/broken.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}{{.Data.X{{end}}`)}
		}, nil, `view "broken" does not parse`},
		{"unknown function", func(m fstest.MapFS) {
			m["templates/views/nofunc.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}{{nosuch .}}{{end}}`)}
		}, nil, `view "nofunc" does not parse`},
		{"no content", func(m fstest.MapFS) {
			m["templates/views/empty.html"] = &fstest.MapFile{Data: []byte(`{{define "other"}}x{{end}}`)}
		}, nil, `view "empty" defines no template "content"`},
		{"no layout", func(m fstest.MapFS) { delete(m, "templates/layout.html") }, nil, "layout is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := embeddedCopy(t)
			tt.break_(m)
			_, err := New(Options{FS: m, Require: tt.require})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// inlineCode finds what the CSP forbids: a script without src, a style
// element, a style attribute, an event handler attribute.
var inlineCode = regexp.MustCompile(`(?i)<script(\s[^>]*)?>|<style|<[a-z][^>]*\s(style|on[a-z]+)\s*=`)

func checkNoInlineCode(t *testing.T, page string) {
	t.Helper()
	for _, m := range inlineCode.FindAllString(page, -1) {
		if strings.HasPrefix(strings.ToLower(m), "<script") && strings.Contains(m, " src=") {
			continue
		}
		t.Errorf("page has inline code %q", m)
	}
}

func render(t *testing.T, e *Engine, r *http.Request, view string, p any) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	if err := e.Render(rec, r, http.StatusTeapot, view, p); err != nil {
		t.Fatal(err)
	}
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestRenderLayout(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	u := &workflow.User{ID: 7, Name: "李红梅<b>", Roles: []workflow.Role{workflow.RoleLiaison}}
	p := &Page{Title: "工作台", User: u, Department: "督查室", CSRFToken: "tok123", Unread: 3,
		Flash: &Flash{Kind: FlashOK, Message: "已保存"},
		Data:  map[string]any{"Roles": []string{"联络员"}, "Total": 0}}
	r := httptest.NewRequest(http.MethodGet, "/?x=1", nil)
	res, page := render(t, e, r, "home", p)
	if res.StatusCode != http.StatusTeapot || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`<html lang="zh-CN">`, "<title>工作台 · 人大代表建议办理 · banli</title>",
		"人大代表建议办理", "李红梅&lt;b&gt;（督查室）",
		`<form class="logout" method="post" action="/logout">`, `name="csrf_token" value="tok123"`,
		`<a href="/" aria-current="page">工作台</a>`, `<a href="/supervision">督办</a>`, `<a href="/public">公开答复</a>`,
		`<span class="badge">3</span>`, `class="flash flash-ok"`, "已保存",
		`href="/lang?next=%2F%3Fx%3D1&amp;to=en"`,
		`<link rel="stylesheet" href="/static/banli.css?v=`, `<script src="/static/banli.js?v=`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, `href="/admin"`) {
		t.Error("a liaison sees the admin link")
	}
	checkNoInlineCode(t, page)

	// English after the switch; the catalogue's texts follow.
	r = httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(&http.Cookie{Name: LangCookie, Value: "en"})
	res, page = render(t, e, r, "home", &Page{User: u, Data: map[string]any{}})
	for _, want := range []string{`<html lang="en">`, ">Workbench</a>", ">Log out<", `<span aria-current="true" lang="en">English</span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("English page lacks %q:\n%s", want, page)
		}
	}
	if res.Header.Get("Content-Language") != "en" {
		t.Errorf("Content-Language %q", res.Header.Get("Content-Language"))
	}

	// A visitor: no user, a login link, only the public navigation.
	_, page = render(t, e, httptest.NewRequest(http.MethodGet, "/x", nil), "error",
		map[string]any{"Status": 404, "Title": "Not Found", "Detail": "<script>alert(1)</script>"})
	for _, want := range []string{`<a class="login" href="/login">登录</a>`, "&lt;script&gt;alert(1)&lt;/script&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("visitor's page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "/logout") || strings.Contains(page, `href="/"`) && strings.Contains(page, "工作台") {
		t.Errorf("visitor's page has a user's parts:\n%s", page)
	}
	checkNoInlineCode(t, page)
}

func TestRenderUnknownView(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	rec := httptest.NewRecorder()
	err := e.Render(rec, httptest.NewRequest(http.MethodGet, "/", nil), 200, "nosuch", nil)
	if err == nil || rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "nosuch") {
		t.Errorf("err %v, status %d, body %q", err, rec.Code, rec.Body.String())
	}
}

func TestStatic(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	h := e.Static()
	get := func(target string) *http.Response {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		return rec.Result()
	}
	u := e.StaticURL("banli.css")
	if !regexp.MustCompile(`^/static/banli\.css\?v=[0-9a-f]{16}$`).MatchString(u) {
		t.Fatalf("StaticURL = %q", u)
	}
	res := get(u)
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") ||
		res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || !strings.Contains(string(body), "@media print") {
		t.Errorf("%s: %d %v", u, res.StatusCode, res.Header)
	}
	if res := get("/static/banli.css?v=old"); res.Header.Get("Cache-Control") != "public, no-cache" || res.Header.Get("ETag") == "" {
		t.Errorf("stale version: %v", res.Header)
	}
	if res := get("/static/banli.js"); !strings.Contains(res.Header.Get("Content-Type"), "javascript") {
		t.Errorf("banli.js: %v", res.Header)
	}
	for _, p := range []string{"/static/nosuch.css", "/static/", "/static/../engine.go"} {
		if res := get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, res.StatusCode)
		}
	}
}

func TestCatalogueIsComplete(t *testing.T) {
	t.Parallel()
	for _, a := range Langs() {
		for _, b := range Langs() {
			for k := range messages[a] {
				if _, ok := messages[b][k]; !ok && !(b == LangZH && strings.HasSuffix(k, ".one")) {
					t.Errorf("%q has %q, %q lacks it", a, k, b)
				}
			}
		}
	}
	// A plural message has its ".one" and ".other" forms in English and
	// its ".other" form in Chinese, which has one form.
	for k := range messages[LangEN] {
		if base, ok := strings.CutSuffix(k, ".one"); ok {
			for _, lang := range Langs() {
				if _, ok := messages[lang][base+".other"]; !ok {
					t.Errorf("%q: %s lacks %q", k, lang, base+".other")
				}
				if _, ok := messages[lang][base]; ok {
					t.Errorf("%q is both a plural message and a plain one", base)
				}
			}
		}
	}
	if got := Message(LangEN, "no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key: %q", got)
	}
	if got := Message(LangZH, "public.results.other", 3); got != "共 3 条" {
		t.Errorf("formatted: %q", got)
	}
}

// TestMessageN: English picks ".one" for 1 and ".other" for any other
// count, 0 included; Chinese has one form; the count is the first
// argument and others follow.
func TestMessageN(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, key string
		n         int
		args      []any
		want      string
	}{
		{LangEN, "public.results", 1, nil, "1 reply"},
		{LangEN, "public.results", 2, nil, "2 replies"},
		{LangEN, "public.results", 0, nil, "0 replies"},
		{LangZH, "public.results", 1, nil, "共 1 条"},
		{LangZH, "public.results", 2, nil, "共 2 条"},
		{LangEN, "due.left", 1, nil, "1 working day left"},
		{LangEN, "due.left", 5, nil, "5 working days left"},
		{LangEN, "due.overdue", 1, nil, "Overdue by 1 working day"},
		{LangEN, "wb.count", 1, []any{1}, "Showing 1 of 1 visible assignment"},
		{LangEN, "wb.count", 12, []any{3}, "Showing 3 of 12 visible assignments"},
		{LangZH, "wb.count", 12, []any{3}, "显示 3 件，共 12 件可见办件"},
		{LangEN, "notice.assigned", 1, nil, "Assigned to 1 unit."},
		{LangEN, "notice.assigned", 3, nil, "Assigned to 3 units."},
		{LangEN, "adm.users.caption", 1, nil, "1 user"},
	} {
		if got := MessageN(tt.lang, tt.key, tt.n, tt.args...); got != tt.want {
			t.Errorf("MessageN(%s, %q, %d, %v) = %q, want %q", tt.lang, tt.key, tt.n, tt.args, got, tt.want)
		}
	}
	if !IsPlural("public.results") || IsPlural("public.title") {
		t.Error("IsPlural")
	}
}

// TestMessageHTML: the text and plain arguments are escaped, numbers keep
// their verbs, zh-marked arguments stay marked.
func TestMessageHTML(t *testing.T) {
	t.Parallel()
	got := MessageHTML(LangEN, "draft.conflictText", 2, Zh("王<晓燕>"), "2024-08-26 17:00", 1)
	want := `<span lang="zh-CN">王&lt;晓燕&gt;</span> saved version 2 at 2024-08-26 17:00, while you edited version 1.`
	if !strings.HasPrefix(string(got), want) {
		t.Errorf("MessageHTML = %q, want prefix %q", got, want)
	}
	if got := Zh(""); got != "" {
		t.Errorf("Zh(\"\") = %q", got)
	}
}

// TestPluralTemplateFunc: tn in a template picks the form by the page's
// language.
func TestPluralTemplateFunc(t *testing.T) {
	t.Parallel()
	e := &Engine{}
	for lang, want := range map[string]string{LangEN: "1 reply · 2 replies", LangZH: "共 1 条 · 共 2 条"} {
		tmpl := template.Must(template.New("x").Funcs(e.funcs(lang)).Parse(`{{tn "public.results" 1}} · {{tn "public.results" 2}}`))
		var b strings.Builder
		if err := tmpl.Execute(&b, nil); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Errorf("%s: %q, want %q", lang, b.String(), want)
		}
	}
}

func TestFuncs(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 9, 30, 10, 35, 0, 0, time.UTC)
	if got := FormatDateTime(at); got != "2024-09-30 18:35" {
		t.Errorf("FormatDateTime = %q", got)
	}
	if got := FormatDate(at.Add(6 * time.Hour)); got != "2024-10-01" {
		t.Errorf("FormatDate = %q (Shanghai's day)", got)
	}
	if got := FormatDate(workflow.Date{Year: 2024, Month: 10, Day: 8}); got != "2024-10-08" {
		t.Errorf("FormatDate(Date) = %q", got)
	}
	if got := FormatDate((*time.Time)(nil)); got != "" {
		t.Errorf("FormatDate(nil) = %q", got)
	}
	if got := Label(LangZH, workflow.StateInReview); got != "审核中" {
		t.Errorf("Label(zh) = %q", got)
	}
	if got := Label(LangEN, workflow.StateInReview); got != "In review" {
		t.Errorf("Label(en) = %q", got)
	}
	if got := Label(LangEN, "x"); got != "x" {
		t.Errorf("Label(string) = %q", got)
	}
	if got := URLPath("public", "市十五届人大三次会议", "a/b"); got != "/public/%E5%B8%82%E5%8D%81%E4%BA%94%E5%B1%8A%E4%BA%BA%E5%A4%A7%E4%B8%89%E6%AC%A1%E4%BC%9A%E8%AE%AE/a%2Fb" {
		t.Errorf("URLPath = %q", got)
	}
	if got, _ := buildURL("/public", "q", "a&b", "page", 0, "unit", "", "session", "x"); got != "/public?q=a%26b&session=x" {
		t.Errorf("url = %q", got)
	}
	for text, want := range map[string][]string{
		"a\n\n\n b \r\n\r\nc": {"a", "b", "c"},
		// Pasted from Word or WPS: a paragraph per line, no blank lines.
		"一、工作开展情况\r\n我局高度重视。\r\n已于9月30日答复。": {"一、工作开展情况", "我局高度重视。", "已于9月30日答复。"},
		"甲\n乙\r丙":          {"甲", "乙", "丙"},
		"\u3000首行缩进\n\t次段": {"首行缩进", "次段"},
	} {
		if got := Paragraphs(text); !slices.Equal(got, want) {
			t.Errorf("Paragraphs(%q) = %q, want %q", text, got, want)
		}
	}
	if d, err := dict("A", 1, "B", "x"); err != nil || d["A"] != 1 || d["B"] != "x" {
		t.Errorf("dict = %v, %v", d, err)
	}
	if _, err := dict("A"); err == nil {
		t.Error("dict with an odd count works")
	}
}

func TestNavFor(t *testing.T) {
	t.Parallel()
	hrefs := func(nav []NavItem) (out []string) {
		for _, n := range nav {
			out = append(out, n.Href)
		}
		return out
	}
	if got := hrefs(NavFor(false, nil, "/public")); !slices.Equal(got, []string{"/public"}) {
		t.Errorf("visitor: %v", got)
	}
	nav := NavFor(true, []workflow.Role{workflow.RoleAdmin, workflow.RoleLiaison}, "/public/replies/3")
	if got := hrefs(nav); !slices.Equal(got, []string{"/", "/supervision", "/admin", "/public"}) {
		t.Errorf("admin and liaison: %v", got)
	}
	if nav[0].Current || !nav[3].Current {
		t.Errorf("current: %+v", nav)
	}
	if got := hrefs(NavFor(true, []workflow.Role{workflow.RoleDrafter}, "/")); !slices.Equal(got, []string{"/", "/public"}) {
		t.Errorf("drafter: %v", got)
	}
}

func TestPager(t *testing.T) {
	t.Parallel()
	u := func(p int) string { return "/l?page=" + string(rune('0'+p)) }
	p := NewPager(2, 20, 41, u)
	if p.Page != 2 || p.Pages != 3 || p.Prev != "/l?page=1" || p.Next != "/l?page=3" {
		t.Errorf("%+v", p)
	}
	if p := NewPager(1, 20, 0, u); p.Pages != 1 || p.Prev != "" || p.Next != "" {
		t.Errorf("empty: %+v", p)
	}
}
