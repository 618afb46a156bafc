package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// setLang sets the browser's page language (the language switch's cookie).
func (b *cwBrowser) setLang(lang string) {
	base, _ := url.Parse(b.base)
	b.jar.SetCookies(base, []*http.Cookie{{Name: "banli_lang", Value: lang, Path: "/"}})
}

// api sends a JSON request of the API with the session's CSRF token.
func (b *cwBrowser) api(method, path string, body any) (*http.Response, map[string]any) {
	b.t.Helper()
	var rd *strings.Reader
	if s, ok := body.(string); ok {
		rd = strings.NewReader(s)
	} else {
		raw, err := json.Marshal(body)
		mustT(b.t, err)
		rd = strings.NewReader(string(raw))
	}
	req, err := http.NewRequest(method, b.base+path, rd)
	mustT(b.t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(auth.CSRFHeader, b.csrf)
	resp, text := b.do(req)
	var out map[string]any
	if err := json.Unmarshal([]byte(text), &out); err != nil {
		b.t.Fatalf("%s %s: %d, not JSON: %s", method, path, resp.StatusCode, text)
	}
	return resp, out
}

// apiActions returns the actions the API offers on a case: action → its
// view (enabled, reason).
func (b *cwBrowser) apiActions(caseID int64) map[string]map[string]any {
	b.t.Helper()
	resp, out := b.api(http.MethodGet, fmt.Sprintf("/api/cases/%d", caseID), nil)
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("GET /api/cases/%d: %d %v", caseID, resp.StatusCode, out)
	}
	got := map[string]map[string]any{}
	for _, a := range out["case"].(map[string]any)["actions"].([]any) {
		m := a.(map[string]any)
		got[m["action"].(string)] = m
	}
	return got
}

var queueRowRe = regexp.MustCompile(`<tr class="queue-row" data-queue-case="(\d+)" data-task="([a-z_]+)"`)

// TestQueueApproverSignsFirst: the approver's home page is 待我办理 and
// lists first the case awaiting their signature, named 签发, ahead of the
// unit's other cases; the navigation counts the queue.
func TestQueueApproverSignsFirst(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	c := cw.caseOf(t, "关于优化科技型企业认定服务的建议", "kcj")
	if c.State != workflow.StateAwaitingApproval {
		t.Fatalf("demo case is %s", c.State)
	}
	b := cw.login(t, "kcj.approver")
	resp, page := b.get("/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d", resp.StatusCode)
	}
	checkCasePage(t, "approver's queue", page)
	rows := queueRowRe.FindAllStringSubmatch(page, -1)
	if len(rows) == 0 || rows[0][1] != fmt.Sprint(c.ID) || rows[0][2] != string(workflow.ActionSign) {
		t.Fatalf("the approver's queue starts with %v, want case %d to sign", rows, c.ID)
	}
	if !strings.Contains(page, "<h1>待我办理</h1>") || !strings.Contains(page, `class="queue-task">签发</a>`) {
		t.Error("the queue is not titled 待我办理 or does not name 签发")
	}
	n, err := cw.db.QueueCount(cw.ctx, b.actor)
	mustT(t, err)
	if !strings.Contains(page, fmt.Sprintf(`id="nav-queue" title="待我办理 %d 件">%d<`, n, n)) || n != len(rows) {
		t.Errorf("navigation does not count the queue (%d, %d rows)", n, len(rows))
	}
	// The reviewer of the same unit is not asked to sign it.
	_, page = cw.login(t, "kcj.reviewer").get("/")
	if strings.Contains(page, fmt.Sprintf(`data-queue-case="%d"`, c.ID)) {
		t.Error("the reviewer's queue holds the case awaiting sign-off")
	}
}

// TestNoExtensionDecisionWithoutRequest: a case without a pending
// extension request offers the liaison no decision on one, on the page or
// in the API; with a request pending, both are offered and enabled.
func TestNoExtensionDecisionWithoutRequest(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	b := cw.login(t, "dcs.liaison")
	none := cw.caseOf(t, "关于推进中小学课后服务提质扩面的建议", "jyj")
	pending := cw.caseOf(t, "关于优化义务教育学区划分的建议", "jyj")
	for _, tc := range []struct {
		c    *workflow.Case
		want bool
	}{{none, false}, {pending, true}} {
		_, page := b.get(fmt.Sprintf("/cases/%d", tc.c.ID))
		api := b.apiActions(tc.c.ID)
		for _, a := range []workflow.Action{workflow.ActionGrantExtension, workflow.ActionRefuseExtension} {
			onPage := strings.Contains(page, fmt.Sprintf(`data-action="%s"`, a))
			v, inAPI := api[string(a)]
			if onPage != tc.want || inAPI != tc.want || (inAPI && v["enabled"] != true) {
				t.Errorf("case %d (request pending %v): %s on the page %v, in the API %v", tc.c.ID, tc.want, a, onPage, v)
			}
		}
		// No co-handling unit, nothing to waive.
		if strings.Contains(page, `data-action="waive_co_opinions"`) || api["waive_co_opinions"] != nil {
			t.Errorf("case %d without co-handling units offers the waiver", tc.c.ID)
		}
	}
	// The liaison's queue holds the request, not the case without one.
	_, page := b.get("/")
	if !strings.Contains(page, fmt.Sprintf(`data-queue-case="%d" data-task="grant_extension"`, pending.ID)) ||
		strings.Contains(page, fmt.Sprintf(`data-queue-case="%d"`, none.ID)) {
		t.Error("the liaison's queue does not hold exactly the pending extension request")
	}
}

// TestSignWaitsForCoOpinion: a lead case whose co-handling unit's opinion
// is missing offers no enabled 签发: the button is disabled with the
// reason, naming the co-handling unit and its due date, in both languages
// and in the API; the liaison may waive it.
func TestSignWaitsForCoOpinion(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	c := cw.caseOf(t, "关于优化科技型企业认定服务的建议", "kcj")
	liaison := cw.login(t, "dcs.liaison")
	jyj, err := cw.db.DepartmentByCode(cw.ctx, "jyj")
	mustT(t, err)
	co, err := cw.db.Assign(cw.ctx, storage.AssignCmd{ProposalID: c.ProposalID, DepartmentID: jyj.ID, Kind: workflow.KindCo, Actor: liaison.actor})
	mustT(t, err)
	b := cw.login(t, "kcj.approver")
	_, page := b.get(fmt.Sprintf("/cases/%d", c.ID))
	if strings.Contains(page, fmt.Sprintf(`action="/cases/%d/actions/sign"`, c.ID)) {
		t.Error("the sign-off form is offered while a co-opinion is missing")
	}
	reason := regexp.MustCompile(`(?s)<button type="button" id="sign-submit" data-action="sign" disabled[^>]*>签发</button>\s*<span class="action-reason" id="sign-reason">([^<]*)</span>`).FindStringSubmatch(page)
	wantZH := fmt.Sprintf("等待武汉市教育局（期限 %s）的协办意见", co.CoOpinionDue)
	if reason == nil || !strings.Contains(reason[1], wantZH) {
		t.Fatalf("no disabled 签发 with the reason %q: %v", wantZH, reason)
	}
	b.setLang("en")
	_, page = b.get(fmt.Sprintf("/cases/%d", c.ID))
	wantEN := fmt.Sprintf("Waiting for the co-handling opinion of 武汉市教育局 (due %s)", co.CoOpinionDue)
	if !strings.Contains(page, wantEN) {
		t.Errorf("the English page lacks %q", wantEN)
	}
	if v := b.apiActions(c.ID)["sign"]; v == nil || v["enabled"] != false || v["rule"] != "co_opinions_in" ||
		!strings.Contains(v["reason"].(string), wantEN) {
		t.Errorf("API: sign %v", v)
	}
	// The approver's queue names 退回修改, not 签发, for it.
	b.setLang("zh-CN")
	_, page = b.get("/")
	if !strings.Contains(page, fmt.Sprintf(`data-queue-case="%d" data-task="return_for_revision"`, c.ID)) {
		t.Error("the queue does not name 退回修改 for the case waiting for a co-opinion")
	}
	// The liaison is offered the waiver.
	if v := liaison.apiActions(c.ID)["waive_co_opinions"]; v == nil || v["enabled"] != true {
		t.Errorf("the liaison is not offered the waiver: %v", v)
	}
}

// TestUnknownURLs: an unknown URL gets the layout's 404 page — with the
// user when logged in, in the page's language — or problem+json under
// /api/.
func TestUnknownURLs(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	b := cw.login(t, "scjg.drafter")
	for _, tc := range []struct {
		who  *cwBrowser
		path string
		lang string
		text string
	}{
		{b, "/no/such/page", "zh-CN", "没有找到您要的页面或建议"},
		{b, "/cases/1/nothing", "en", "was not found"},
		{cw.anonymous(t, cw.srv.URL), "/nothing", "zh-CN", "没有找到您要的页面或建议"},
		{cw.anonymous(t, cw.srv.URL), "/public/a/b/c", "zh-CN", "没有找到您要的页面或建议"},
	} {
		tc.who.setLang(tc.lang)
		resp, page := tc.who.get(tc.path)
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("GET %s: %d %s", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		checkPage(t, tc.path, page, tc.lang)
		if !strings.Contains(page, `class="site-header"`) || !strings.Contains(page, tc.text) || strings.Contains(page, "404 page not found") {
			t.Errorf("GET %s: not the layout's 404 page:\n%s", tc.path, page)
		}
		if tc.who == b && !strings.Contains(page, b.name) {
			t.Errorf("GET %s: the page does not show the user", tc.path)
		}
	}
	resp, out := b.api(http.MethodGet, "/api/nothing", nil)
	if resp.StatusCode != http.StatusNotFound || out["code"] != "not_found" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("GET /api/nothing: %d %v", resp.StatusCode, out)
	}
	// A known URL with another method: the 404 page too.
	req, _ := http.NewRequest(http.MethodDelete, b.base+"/", nil)
	if resp, page := b.do(req); resp.StatusCode != http.StatusNotFound || !strings.Contains(page, `class="site-header"`) {
		t.Errorf("DELETE /: %d", resp.StatusCode)
	}
}
