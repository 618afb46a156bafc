package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/web"
	"github.com/banli-gov/banli/workflow"
)

// routeOf is one registered route: method and chi pattern.
type routeOf struct{ method, pattern string }

// allRoutes walks the router of a server (as built by web.NewServer) and
// returns every route it registers.
func allRoutes(t *testing.T, h http.Handler) []routeOf {
	t.Helper()
	routes, ok := h.(chi.Routes)
	if !ok {
		t.Fatalf("web.NewServer returned %T, not a chi router", h)
	}
	var out []routeOf
	err := chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		out = append(out, routeOf{method, route})
		return nil
	})
	mustT(t, err)
	if len(out) < 40 {
		t.Fatalf("walked %d routes only: %v", len(out), out)
	}
	return out
}

var paramRe = regexp.MustCompile(`\{[a-z]+\}|\*$`)

// fill makes a path of a route's pattern: each parameter gets a plausible
// value (id: caseID), or bad for the first one when bad is not "".
func fill(pattern string, caseID int64, bad string) string {
	first := true
	return paramRe.ReplaceAllStringFunc(pattern, func(p string) string {
		if bad != "" && first {
			first = false
			return bad
		}
		switch p {
		case "{id}":
			return fmt.Sprint(caseID)
		case "{action}":
			return "accept"
		case "{provider}":
			return "test"
		case "{date}":
			return "2024-10-01"
		case "{session}":
			return "市十五届人大三次会议"
		case "{number}":
			return "1"
		case "*":
			return "app.css"
		default:
			return "x"
		}
	})
}

// probe is one request of TestBadInputOnEveryRoute.
type probe struct {
	what        string
	path        string // added to the route's path
	contentType string
	body        string
	label       string // the field label the message must name, if any
}

// TestBadInputOnEveryRoute: every route the router registers, asked with
// invalid UTF-8 or a NUL byte in its query, its path parameters, a form's
// fields or a JSON body's strings (at any depth, by a lone surrogate
// escape too), answers 422 — never 500 — with a message in plain words
// that names the field by its label where there is one and never a
// field's technical path; the API answers problem+json with the code
// "invalid". It does so for a logged-in user and for a visitor, before
// any login, session or CSRF check. The same routes asked with readable
// input are not refused so, and none of them fails (500).
func TestBadInputOnEveryRoute(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	routes := allRoutes(t, web.NewServer(cw.cfg, cw.db, nil))
	c := cw.caseOf(t, "关于加强农贸市场计量器具监管的建议", "scjg")
	clerk := cw.login(t, "scjg.drafter")
	visitor := cw.anonymous(t, cw.srv.URL)

	queryProbes := []probe{
		{what: "query %FF", path: "?q=%FF", label: "检索词"},
		{what: "query NUL", path: "?q=a%00b", label: "检索词"},
		{what: "query name %FF", path: "?%FF=1"},
		{what: "query of an unknown field", path: "?page=%C3%28"},
	}
	bodyProbes := []probe{
		{what: "form %FF", contentType: "application/x-www-form-urlencoded", body: "comment=%FF%FE&title=ok", label: "意见"},
		{what: "form NUL", contentType: "application/x-www-form-urlencoded", body: "body=a%00b", label: "正文"},
		{what: "form co-signer NUL", contentType: "application/x-www-form-urlencoded", body: "co_name_2=a%00", label: "联名代表姓名"},
		{what: "JSON NUL", contentType: "application/json", body: `{"version":1,"comment":"a\u0000b"}`, label: "意见"},
		{what: "JSON invalid UTF-8 deep", contentType: "application/json",
			body: "{\"base_version\":0,\"sections\":[{\"heading\":\"一\",\"body\":\"\xff\xfe\"}]}", label: "正文"},
		{what: "JSON lone surrogate", contentType: "application/json", body: `{"sections":[{"heading":"\ud800"}]}`, label: "小节标题"},
		{what: "JSON key NUL", contentType: "application/json", body: `{"a\u0000":1}`},
		{what: "JSON sent as a form", contentType: "application/x-www-form-urlencoded", body: `{"comment":"\u0000"}`, label: "意见"},
		{what: "text NUL", contentType: "text/plain", body: "a\x00b"},
	}
	multipart := "--XX\r\nContent-Disposition: form-data; name=\"remarks\"\r\n\r\nbad \xff\r\n--XX--\r\n"
	bodyProbes = append(bodyProbes, probe{what: "multipart %FF", contentType: "multipart/form-data; boundary=XX", body: multipart, label: "备注"})

	send := func(b *cwBrowser, method, path, contentType, body string) (*http.Response, string) {
		t.Helper()
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, err := http.NewRequest(method, b.base+path, rd)
		mustT(t, err)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if b.csrf != "" {
			req.Header.Set("X-CSRF-Token", b.csrf)
		}
		return b.do(req)
	}
	check := func(who, what string, rt routeOf, resp *http.Response, page, label string) {
		t.Helper()
		name := fmt.Sprintf("%s %s %s (%s)", who, rt.method, rt.pattern, what)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", name, resp.StatusCode)
			return
		}
		if rt.method == http.MethodHead {
			return // no body
		}
		msg := page
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
			var p struct{ Code, Detail string }
			if err := json.Unmarshal([]byte(page), &p); err != nil || p.Code != string(workflow.ErrInvalid) {
				t.Errorf("%s: problem %q, want the code invalid", name, page)
			}
			msg = p.Detail
		} else if !strings.HasPrefix(rt.pattern, "/api/") && !strings.Contains(page, "<h1>提交的内容有误</h1>") {
			t.Errorf("%s: not the HTML error page:\n%s", name, page)
		}
		want := "含有无法识别的字符（可能是乱码或控制字符），请"
		if label != "" {
			want = "“" + label + "”" + want
		}
		if !strings.Contains(msg, want) {
			t.Errorf("%s: message lacks %q:\n%s", name, want, msg)
		}
		for _, bad := range []string{"sections", "[0]", "co_name", "comment", "body:"} {
			if strings.Contains(msg, bad) {
				t.Errorf("%s: message shows the technical name %q: %s", name, bad, msg)
			}
		}
	}

	counts := map[int]int{}
	for _, rt := range routes {
		for who, b := range map[string]*cwBrowser{"clerk": clerk, "visitor": visitor} {
			for _, p := range queryProbes {
				resp, page := send(b, rt.method, fill(rt.pattern, c.ID, "")+p.path, "", "")
				counts[resp.StatusCode]++
				check(who, p.what, rt, resp, page, p.label)
			}
			if paramRe.MatchString(rt.pattern) {
				for _, bad := range []string{"%FF", "a%00"} {
					resp, page := send(b, rt.method, fill(rt.pattern, c.ID, bad), "", "")
					counts[resp.StatusCode]++
					check(who, "path "+bad, rt, resp, page, "")
					if rt.method != http.MethodHead && !strings.Contains(page, "网址含有无法识别的字符") {
						t.Errorf("%s %s with path %s: the message does not speak of the address", who, rt.pattern, bad)
					}
				}
			}
			if rt.method == http.MethodGet || rt.method == http.MethodHead {
				// Readable input: not refused as unreadable, and no failure.
				resp, _ := send(b, rt.method, fill(rt.pattern, c.ID, "")+"?q=ok", "", "")
				counts[resp.StatusCode]++
				if resp.StatusCode == http.StatusUnprocessableEntity || resp.StatusCode >= 500 {
					t.Errorf("%s GET %s with readable input: %d", who, rt.pattern, resp.StatusCode)
				}
				continue
			}
			for _, p := range bodyProbes {
				resp, page := send(b, rt.method, fill(rt.pattern, c.ID, ""), p.contentType, p.body)
				counts[resp.StatusCode]++
				check(who, p.what, rt, resp, page, p.label)
			}
		}
	}
	t.Logf("%d routes probed; responses by status: %v", len(routes), counts)
	if counts[http.StatusInternalServerError] > 0 {
		t.Errorf("%d responses were 500", counts[http.StatusInternalServerError])
	}

	// The messages are in the page's language.
	req, err := http.NewRequest(http.MethodGet, cw.srv.URL+"/public/?q=%FF", nil)
	mustT(t, err)
	req.AddCookie(&http.Cookie{Name: "banli_lang", Value: "en"})
	resp, page := visitor.do(req)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "“search words” contains characters that cannot be read") {
		t.Errorf("English /public?q=%%FF: %d\n%s", resp.StatusCode, page)
	}
}

// TestBodyLimit: a body over 1 MB is refused with 413 and a plain
// message before any session, CSRF check or form parsing — with or
// without a Content-Length, a form or JSON, logged in or not — while a
// form just under the limit reaches the CSRF check.
func TestBodyLimit(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	c := cw.caseOf(t, "关于加强农贸市场计量器具监管的建议", "scjg")
	clerk := cw.login(t, "scjg.drafter")
	visitor := cw.anonymous(t, cw.srv.URL)
	draft := fmt.Sprintf("/cases/%d/draft", c.ID)
	apiDraft := fmt.Sprintf("/api/cases/%d/drafts", c.ID)
	big := "body=" + strings.Repeat("%E5%8A%9E", (1<<20)/9+1) // 1 MB and a little of 办

	post := func(b *cwBrowser, path, contentType, body string, chunked bool, header map[string]string) (*http.Response, string) {
		t.Helper()
		var rd io.Reader = strings.NewReader(body)
		if chunked {
			rd = io.MultiReader(rd) // no length known: sent chunked
		}
		req, err := http.NewRequest(http.MethodPost, b.base+path, rd)
		mustT(t, err)
		req.Header.Set("Content-Type", contentType)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		return b.do(req)
	}
	for _, tc := range []struct {
		what        string
		b           *cwBrowser
		path, ctype string
		body        string
		chunked     bool
		header      map[string]string
	}{
		{"form without a CSRF token", clerk, draft, "application/x-www-form-urlencoded", big, false, nil},
		{"form without a CSRF token, chunked", clerk, draft, "application/x-www-form-urlencoded", big, true, nil},
		{"form with its CSRF token", clerk, draft, "application/x-www-form-urlencoded", big + "&csrf_token=" + clerk.csrf, false, nil},
		{"visitor's form", visitor, "/feedback/x", "application/x-www-form-urlencoded", big, true, nil},
		{"JSON", clerk, apiDraft, "application/json",
			`{"base_version":0,"sections":[{"heading":"一","body":"` + strings.Repeat("办", (1<<20)/3+1) + `"}]}`, false,
			map[string]string{"X-CSRF-Token": clerk.csrf}},
		{"JSON, chunked", clerk, apiDraft, "application/json", `{"sections":[` + strings.Repeat(`{"body":"x"},`, 1<<17) + `{}]}`, true,
			map[string]string{"X-CSRF-Token": clerk.csrf}},
	} {
		resp, page := post(tc.b, tc.path, tc.ctype, tc.body, tc.chunked, tc.header)
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: %d, want 413", tc.what, resp.StatusCode)
			continue
		}
		if strings.HasPrefix(tc.path, "/api/") {
			var p struct{ Code, Detail string }
			if err := json.Unmarshal([]byte(page), &p); err != nil || p.Code != "too_large" || !strings.Contains(p.Detail, "提交的内容过大（上限 1 MB），请缩短后重试。") {
				t.Errorf("%s: problem %s", tc.what, page)
			}
		} else if !strings.Contains(page, "提交的内容过大（上限 1 MB），请缩短后重试。") || !strings.Contains(page, "请用浏览器的“后退”返回修改") {
			t.Errorf("%s: page lacks the message:\n%s", tc.what, page)
		}
	}
	if ds, _ := cw.db.Drafts(cw.ctx, c.ID); len(ds) != 0 {
		t.Errorf("oversized bodies saved %d drafts", len(ds))
	}
	// Just under the limit, the size is no reason: the CSRF check refuses.
	under := "body=" + strings.Repeat("a", (1<<20)-len("body="))
	if resp, _ := post(clerk, draft, "application/x-www-form-urlencoded", under, false, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a 1 MB form without a CSRF token: %d, want 403", resp.StatusCode)
	}
}

// TestDraftLimitsBothWays: the JSON API refuses what the editor's form
// refuses — too many sections, too long a body or heading — with 422 and
// the same plain message, and accepts a draft at the limits.
func TestDraftLimitsBothWays(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	c := cw.caseOf(t, "关于加强农贸市场计量器具监管的建议", "scjg")
	clerk := cw.login(t, "scjg.drafter")
	api := fmt.Sprintf("/api/cases/%d/drafts", c.ID)
	postJSON := func(v any) (int, string) {
		t.Helper()
		body, err := json.Marshal(v)
		mustT(t, err)
		req, err := http.NewRequest(http.MethodPost, clerk.base+api, strings.NewReader(string(body)))
		mustT(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", clerk.csrf)
		resp, page := clerk.do(req)
		return resp.StatusCode, page
	}
	sections := func(n int, body string) []workflow.Section {
		out := make([]workflow.Section, n)
		for i := range out {
			out[i] = workflow.Section{Heading: fmt.Sprintf("第%d节", i+1), Body: body}
		}
		return out
	}
	for _, tc := range []struct {
		what     string
		sections []workflow.Section
		want     string
	}{
		{"20,000 sections", sections(20000, "x"), "答复稿最多 50 节"},
		{"51 sections", sections(51, "正文"), "答复稿最多 50 节"},
		{"a body of 50,001 characters", sections(1, strings.Repeat("办", 50001)), "第1节的正文有 50001 字，超过上限 50000 字"},
		{"a heading of 201 characters", []workflow.Section{{Heading: strings.Repeat("标", 201), Body: "正文"}}, "第1节的标题有 201 字，超过上限 200 字"},
	} {
		status, page := postJSON(map[string]any{"base_version": 0, "sections": tc.sections})
		var p struct{ Code, Detail string }
		_ = json.Unmarshal([]byte(page), &p)
		if status != http.StatusUnprocessableEntity || p.Code != "invalid" || !strings.Contains(p.Detail, tc.want) || strings.Contains(p.Detail, "sections[") {
			t.Errorf("API, %s: %d %s", tc.what, status, page)
		}
	}
	// The form refuses the same, the text kept.
	form := url.Values{"base_version": {"0"}, "op": {"save"}}
	for i := 0; i < 51; i++ {
		form.Add("heading", fmt.Sprintf("第%d节", i+1))
		form.Add("body", "保留的正文")
	}
	resp, page := clerk.post(fmt.Sprintf("/cases/%d/draft", c.ID), form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "答复稿最多 50 节") || !strings.Contains(page, ">保留的正文</textarea>") {
		t.Errorf("form, 51 sections: %d", resp.StatusCode)
	}
	if ds, _ := cw.db.Drafts(cw.ctx, c.ID); len(ds) != 0 {
		t.Fatalf("refused drafts saved %d versions", len(ds))
	}
	// At the limits: saved.
	at := sections(50, "正文")
	at[0].Heading, at[0].Body = strings.Repeat("标", 200), strings.Repeat("办", 50000)
	if status, page := postJSON(map[string]any{"base_version": 0, "sections": at}); status != http.StatusCreated {
		t.Errorf("API, a draft at the limits: %d %s", status, page)
	}
}
