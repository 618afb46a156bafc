package web_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/internal/web"
	"github.com/banli-gov/banli/workflow"
)

// casework is the world of the case work pages' tests: the demo data and
// banli serving it, with a fixed feedback secret so that a second server
// (another clock) accepts the first one's links.
type casework struct {
	db  *storage.DB
	ctx context.Context
	cfg *config.Config
	srv *httptest.Server
}

func setupCasework(t *testing.T) *casework {
	t.Helper()
	ctx := context.Background()
	db := testdb.NewDB(t)
	if _, err := demo.Load(ctx, db, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	cfg := newConfig(t)
	cfg.Feedback.Secret = []byte(strings.Repeat("casework-test-secret-", 3))
	cw := &casework{db: db, ctx: ctx, cfg: cfg}
	cw.srv = httptest.NewServer(web.NewServer(cfg, db, nil))
	t.Cleanup(cw.srv.Close)
	return cw
}

// cwBrowser is a user of the pages: a cookie jar holding the session (and
// the flash cookie the pages set), the session's CSRF token, and the
// user's actor. It does not follow redirects by itself.
type cwBrowser struct {
	t     *testing.T
	base  string
	jar   http.CookieJar
	http  *http.Client
	csrf  string
	actor workflow.Actor
	name  string
}

// login logs a demo user in (e.g. "scjg.drafter") as the OpenID callback
// would: a session in the database, its cookie in the browser.
func (cw *casework) login(t *testing.T, login string) *cwBrowser {
	t.Helper()
	u, err := cw.db.UserByEmail(cw.ctx, login+"@banli.example")
	mustT(t, err)
	token, csrf := auth.NewToken(), auth.NewToken()
	_, err = cw.db.CreateLoginSession(cw.ctx, storage.CreateLoginSessionCmd{UserID: u.ID, TokenHash: auth.HashToken(token),
		CSRFToken: csrf, Provider: "test", At: cw.db.Clock.Now(), MaxAge: time.Hour})
	mustT(t, err)
	b := cw.anonymous(t, cw.srv.URL)
	b.csrf, b.name = csrf, u.Name
	b.actor = workflow.Actor{UserID: u.ID, DepartmentID: u.DepartmentID, Roles: u.Roles}
	base, _ := url.Parse(cw.srv.URL)
	b.jar.SetCookies(base, []*http.Cookie{{Name: "banli_session", Value: token, Path: "/"}})
	return b
}

// anonymous is a browser without a session (the deputy) on base.
func (cw *casework) anonymous(t *testing.T, base string) *cwBrowser {
	jar, err := cookiejar.New(nil)
	mustT(t, err)
	return &cwBrowser{t: t, base: base, jar: jar, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *cwBrowser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.http.Do(req)
	mustT(b.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	mustT(b.t, err)
	return resp, string(body)
}

func (b *cwBrowser) get(path string) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	mustT(b.t, err)
	return b.do(req)
}

// post sends a form as a browser would, with the CSRF token when the
// browser has a session.
func (b *cwBrowser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	if b.csrf != "" && f.Get("csrf_token") == "" {
		f.Set("csrf_token", b.csrf)
	}
	return b.postRaw(path, f)
}

func (b *cwBrowser) postRaw(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	mustT(b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// follow gets the Location of a 303.
func (b *cwBrowser) follow(resp *http.Response) (*http.Response, string) {
	b.t.Helper()
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("got %d, want 303", resp.StatusCode)
	}
	return b.get(resp.Header.Get("Location"))
}

// caseOf returns the live case of the demo proposal with that title at the
// unit with that code.
func (cw *casework) caseOf(t *testing.T, title, unit string) *workflow.Case {
	t.Helper()
	var id int64
	err := cw.db.Pool.QueryRow(cw.ctx, `SELECT c.id FROM cases c JOIN proposals p ON p.id = c.proposal_id
		JOIN departments d ON d.id = c.department_id WHERE p.title = $1 AND d.code = $2 AND c.state <> 'returned'`, title, unit).Scan(&id)
	if err != nil {
		t.Fatalf("case of %q at %s: %v", title, unit, err)
	}
	c, err := cw.db.Case(cw.ctx, id)
	mustT(t, err)
	return c
}

func (cw *casework) events(t *testing.T, caseID int64) int {
	t.Helper()
	evs, err := cw.db.CaseEvents(cw.ctx, caseID)
	mustT(t, err)
	return len(evs)
}

var (
	idRe         = regexp.MustCompile(`\sid="([^"]+)"`)
	labelForRe   = regexp.MustCompile(`<label for="([^"]+)"`)
	controlRe    = regexp.MustCompile(`<(input|select|textarea)\s[^>]*>`)
	dataActionRe = regexp.MustCompile(`data-action="([a-z_-]+)"`)
	rowRe        = regexp.MustCompile(`(?s)<tr data-case="(\d+)"([^>]*)>(.*?)</tr>`)
	lightRe      = regexp.MustCompile(`<span class="light light-(green|amber|red)">([^<]+)</span>`)
)

// checkCasePage checks what checkPage checks, and what the browser tests
// and assistive technology rely on: ids are unique, every label names a
// control that exists, every visible control has a label.
func checkCasePage(t *testing.T, what, page string) {
	t.Helper()
	checkPageIn(t, what, page, "zh-CN")
}

// rawKeyRe finds a catalogue key shown as itself: a key no language has.
var rawKeyRe = regexp.MustCompile(`\b(wb|case|draft|diff|fb|act|comm|due|inbox|flash|print|payload|record|role|ext|form)\.[a-zA-Z][a-zA-Z_.]*\b`)

// checkPageIn is checkCasePage in lang.
func checkPageIn(t *testing.T, what, page, lang string) {
	t.Helper()
	checkPage(t, what, page, lang)
	if m := rawKeyRe.FindString(page); m != "" {
		t.Errorf("%s shows the catalogue key %q", what, m)
	}
	ids := map[string]bool{}
	for _, m := range idRe.FindAllStringSubmatch(page, -1) {
		if ids[m[1]] {
			t.Errorf("%s: id %q twice", what, m[1])
		}
		ids[m[1]] = true
	}
	labelled := map[string]bool{}
	for _, m := range labelForRe.FindAllStringSubmatch(page, -1) {
		if !ids[m[1]] {
			t.Errorf("%s: label for %q, which is no element", what, m[1])
		}
		labelled[m[1]] = true
	}
	for _, m := range controlRe.FindAllString(page, -1) {
		if strings.Contains(m, `type="hidden"`) {
			continue
		}
		id := regexp.MustCompile(`\sid="([^"]+)"`).FindStringSubmatch(m)
		if id == nil || !labelled[id[1]] {
			t.Errorf("%s: control without a label: %s", what, m)
		}
	}
}

// pageActions returns the workflow actions offered on a case page: the
// data-action of its buttons that name an action of the transition table.
func pageActions(page string) []workflow.Action {
	var out []workflow.Action
	for _, m := range dataActionRe.FindAllStringSubmatch(page, -1) {
		if a := workflow.Action(m[1]); a.Valid() {
			out = append(out, a)
		}
	}
	return out
}

// TestWorkbench: the workbench lists exactly the cases the user may see —
// a unit's own cases and the co-handling cases of the suggestions it
// leads — each linking to its page, with its current deadline as working
// days left and a traffic light with words; the filters narrow the list;
// the inbox shows unread notifications and marks them read (PRG).
func TestWorkbench(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	b := cw.login(t, "scjg.drafter")
	resp, page := b.get("/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d:\n%s", resp.StatusCode, page)
	}
	checkCasePage(t, "workbench", page)
	// Every visible case, the finished ones of past sessions included on
	// request (past=1).
	_, page = b.get("/?past=1")
	visible, err := cw.db.CasesVisibleTo(cw.ctx, b.actor, storage.CaseFilter{Limit: 5000})
	mustT(t, err)
	want := map[int64]*storage.CaseSummary{}
	scjg, err := cw.db.DepartmentByCode(cw.ctx, "scjg")
	mustT(t, err)
	for _, c := range visible {
		want[c.ID] = c
		if c.DepartmentID != scjg.ID && !(c.Kind == workflow.KindCo && c.LeadDepartmentID == scjg.ID) {
			t.Errorf("CasesVisibleTo gave the drafter case %d of another unit", c.ID)
		}
	}
	cal, err := cw.db.Calendar(cw.ctx)
	mustT(t, err)
	today := cw.db.Clock.Today()
	rows := rowRe.FindAllStringSubmatch(page, -1)
	if len(rows) != len(want) || len(rows) == 0 {
		t.Fatalf("workbench lists %d cases, want the %d visible ones", len(rows), len(want))
	}
	lights := map[string]int{}
	for _, row := range rows {
		var id int64
		fmt.Sscan(row[1], &id)
		c, ok := want[id]
		if !ok {
			t.Errorf("workbench lists case %d, which the drafter may not see", id)
			continue
		}
		if !strings.Contains(row[3], fmt.Sprintf(`href="/cases/%d"`, id)) || !strings.Contains(row[3], html.EscapeString(c.ProposalTitle)) {
			t.Errorf("case %d: no link with its title: %s", id, row[3])
		}
		// The expected light: the earliest of the deadlines the unit owes.
		ds, err := cw.db.CaseDeadlines(cw.ctx, id)
		mustT(t, err)
		var due workflow.Date
		for _, d := range ds {
			if d.Ended || d.Kind == workflow.DeadlineReturnWindow || d.Kind.ForLiaison() {
				continue
			}
			if due.IsZero() || d.Due.Before(due) {
				due = d.Due
			}
		}
		m := lightRe.FindStringSubmatch(row[3])
		if due.IsZero() {
			if m != nil || !strings.Contains(row[3], "无待办期限") {
				t.Errorf("case %d (%s) has nothing due, the row says %s", id, c.State, row[3])
			}
			continue
		}
		n, err := cal.WorkingDaysUntil(today, due)
		mustT(t, err)
		wantLight, wantText := "green", fmt.Sprintf("剩余 %d 个工作日", n)
		switch {
		case n < 0:
			wantLight, wantText = "red", fmt.Sprintf("已逾期 %d 个工作日", -n)
		case n == 0:
			wantLight, wantText = "amber", "今日到期"
		case n <= 7:
			wantLight = "amber"
		}
		if m == nil || m[1] != wantLight || m[2] != wantText || !strings.Contains(row[3], due.String()) ||
			!strings.Contains(row[2], `data-light="`+wantLight+`"`) {
			t.Errorf("case %d due %s (%d working days): row %s, want light %s %q", id, due, n, row[3], wantLight, wantText)
		}
		lights[wantLight]++
	}
	if lights["red"] == 0 || lights["green"] == 0 {
		t.Errorf("the demo should give the drafter red and green lights: %v", lights)
	}

	// Overdue only: the red rows alone. A number: that suggestion alone.
	_, page = b.get("/?overdue=1&past=1")
	if got := len(rowRe.FindAllString(page, -1)); got != lights["red"] {
		t.Errorf("overdue=1 lists %d cases, want %d", got, lights["red"])
	}
	if _, list, _ := strings.Cut(page, `id="wb-table"`); strings.Contains(list, "light-green") {
		t.Error("overdue=1 lists a green case")
	}
	c := cw.caseOf(t, "关于加强直播带货监管的建议", "scjg")
	p, err := cw.db.Proposal(cw.ctx, c.ProposalID)
	mustT(t, err)
	_, page = b.get("/?q=" + p.Number)
	if rows := rowRe.FindAllStringSubmatch(page, -1); len(rows) != 1 || rows[0][1] != fmt.Sprint(c.ID) {
		t.Errorf("q=%s lists %d rows", p.Number, len(rows))
	}
	_, page = b.get("/?state=in_review&kind=lead")
	for _, row := range rowRe.FindAllStringSubmatch(page, -1) {
		if !strings.Contains(row[3], "审核中") {
			t.Errorf("state=in_review lists %s", row[3])
		}
	}

	// Another unit's drafter sees none of these.
	other := cw.login(t, "jyj.drafter")
	_, page = other.get("/")
	if strings.Contains(page, fmt.Sprintf(`data-case="%d"`, c.ID)) {
		t.Error("jyj's drafter sees a scjg case on the workbench")
	}

	// The inbox: unread notifications, marked read one by one or all.
	var ids []int64
	for i := 1; i <= 3; i++ {
		var id int64
		mustT(t, cw.db.Pool.QueryRow(cw.ctx, `INSERT INTO notifications (user_id, case_id, kind, key, subject, body, link)
			VALUES ($1, $2, 'reminder', $3, $4, '请及时办理', $5) RETURNING id`,
			b.actor.UserID, c.ID, fmt.Sprintf("test:%d", i), fmt.Sprintf("测试提醒%d", i), fmt.Sprintf("/cases/%d", c.ID)).Scan(&id))
		ids = append(ids, id)
	}
	_, page = b.get("/")
	for i := 1; i <= 3; i++ {
		if !strings.Contains(page, fmt.Sprintf("测试提醒%d", i)) {
			t.Errorf("inbox lacks 测试提醒%d", i)
		}
	}
	if !strings.Contains(page, "未读 3 条") || !strings.Contains(page, `<span class="badge">3</span>`) {
		t.Error("inbox: no unread count 3")
	}
	resp, _ = b.post(fmt.Sprintf("/inbox/%d/read", ids[0]), url.Values{"next": {"/?state=drafting"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/?state=drafting" {
		t.Fatalf("mark read: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page = b.follow(resp)
	if strings.Contains(page, "测试提醒1") || !strings.Contains(page, "通知已标为已读") || !strings.Contains(page, "未读 2 条") {
		t.Errorf("after marking one read:\n%s", page)
	}
	// Another user's notification: not found.
	if resp, _ := other.post(fmt.Sprintf("/inbox/%d/read", ids[1]), nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("marking another user's notification: %d", resp.StatusCode)
	}
	resp, _ = b.post("/inbox/read-all", url.Values{"next": {"https://evil.example/"}})
	if resp.Header.Get("Location") != "/" {
		t.Errorf("read-all goes to %q", resp.Header.Get("Location"))
	}
	_, page = b.follow(resp)
	if !strings.Contains(page, "已将 2 条通知标为已读") || !strings.Contains(page, "没有未读通知") {
		t.Errorf("after read-all:\n%s", page)
	}
}

// TestCasePageOfAnotherUnit: a case the user may not see is not found —
// its page, its forms, its draft, diff and print view — exactly like a
// case that does not exist.
func TestCasePageOfAnotherUnit(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	b := cw.login(t, "scjg.drafter")
	jyj := cw.caseOf(t, "关于推进中小学课后服务提质扩面的建议", "jyj")
	fixture := cw.caseOf(t, "关于加快推进科技成果转化的建议", "scjg")
	for _, path := range []string{
		fmt.Sprintf("/cases/%d", jyj.ID), fmt.Sprintf("/cases/%d/draft", jyj.ID),
		fmt.Sprintf("/cases/%d/draft/diff?a=1&b=1", jyj.ID), fmt.Sprintf("/cases/%d/reply/print", jyj.ID),
		"/cases/99999999", "/cases/abc",
	} {
		if resp, page := b.get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404:\n%s", path, resp.StatusCode, page)
		}
	}
	before := cw.events(t, jyj.ID)
	for _, path := range []string{"/actions/submit", "/communications", "/draft", "/feedback-link"} {
		resp, _ := b.post(fmt.Sprintf("/cases/%d%s", jyj.ID, path), url.Values{"version": {fmt.Sprint(jyj.Version)},
			"method": {"phone"}, "happened_on": {"2024-01-01"}, "summary": {"x"}, "heading": {"一"}, "body": {"x"}})
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s on another unit's case = %d, want 404", path, resp.StatusCode)
		}
	}
	if got := cw.events(t, jyj.ID); got != before {
		t.Errorf("events of the other unit's case: %d, were %d", got, before)
	}
	// A co-handling unit of No. 20240294 does not see the lead's case.
	if resp, _ := cw.login(t, "kcj.drafter").get(fmt.Sprintf("/cases/%d", fixture.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("kcj's drafter opens the lead case of 20240294: %d", resp.StatusCode)
	}
	// Not logged in: to the login page.
	resp, _ := cw.anonymous(t, cw.srv.URL).get(fmt.Sprintf("/cases/%d", fixture.ID))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("anonymous: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestCasePageActions: on every case page of several users, the action
// buttons are exactly what workflow.Offers gives them on the case's facts,
// in its order — none where they only read — each enabled one a form
// posting to its action with the case's version, each disabled one a
// button with its reason and no form.
func TestCasePageActions(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	seen := map[workflow.Action]bool{}
	for _, login := range []string{"scjg.drafter", "scjg.reviewer", "scjg.approver", "kcj.drafter", "kcj.approver", "jyj.drafter", "dcs.liaison"} {
		b := cw.login(t, login)
		cases, err := cw.db.CasesVisibleTo(cw.ctx, b.actor, storage.CaseFilter{Limit: 5000})
		mustT(t, err)
		for _, c := range cases {
			resp, page := b.get(fmt.Sprintf("/cases/%d", c.ID))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: case %d: %d", login, c.ID, resp.StatusCode)
			}
			checkCasePage(t, fmt.Sprintf("%s: case %d", login, c.ID), page)
			var want []workflow.Action
			enabled := map[workflow.Action]bool{}
			if b.actor.AccessTo(&c.Case, c.LeadDepartmentID) == workflow.AccessAct {
				facts, pub, err := cw.db.CaseFacts(cw.ctx, &c.Case)
				mustT(t, err)
				for _, o := range workflow.Offers(&c.Case, pub, b.actor.RolesOn(c.DepartmentID), facts) {
					want = append(want, o.Action)
					enabled[o.Action] = o.Enabled()
				}
			} else if !strings.Contains(page, `id="case-readonly"`) {
				t.Errorf("%s: case %d is read-only and the page does not say so", login, c.ID)
			}
			got := pageActions(page)
			if !slices.Equal(got, want) {
				t.Errorf("%s on case %d (%s %s, publication %q): buttons %v, ActionsFor %v", login, c.ID, c.Kind, c.State,
					c.PublicationState, got, want)
			}
			forms := 0
			for _, a := range got {
				seen[a] = true
				form := fmt.Sprintf(`action="/cases/%d/actions/%s"`, c.ID, a)
				if enabled[a] {
					forms++
					if !strings.Contains(page, form) {
						t.Errorf("%s: case %d: no form %s", login, c.ID, form)
					}
				} else if strings.Contains(page, form) || !strings.Contains(page, fmt.Sprintf(`id="%s-reason"`, a)) {
					t.Errorf("%s: case %d: %s is disabled, yet has a form or no reason", login, c.ID, a)
				}
			}
			if forms > 0 && !strings.Contains(page, fmt.Sprintf(`name="version" value="%d"`, c.Version)) {
				t.Errorf("%s: case %d: forms lack version %d", login, c.ID, c.Version)
			}
		}
	}
	// The demo puts every kind of button in front of these users.
	for _, a := range []workflow.Action{workflow.ActionAccept, workflow.ActionSubmit, workflow.ActionForward,
		workflow.ActionReturnForRevision, workflow.ActionSign, workflow.ActionSend, workflow.ActionRecordFeedback,
		workflow.ActionRequestExtension, workflow.ActionGrantExtension, workflow.ActionPublish, workflow.ActionApproveReturn} {
		if !seen[a] {
			t.Errorf("no page offered %s", a)
		}
	}
}

// TestCaseAct: an action form does the transition and redirects to the
// page with a flash; a stale version is a conflict that shows the message
// and changes nothing; a refused guard keeps the input; without the CSRF
// token nothing happens (403).
func TestCaseAct(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	drafter := cw.login(t, "scjg.drafter")

	// Accept: done, 303, flash on the page.
	c := cw.caseOf(t, "关于规范电动自行车充电设施建设的建议", "scjg")
	path := fmt.Sprintf("/cases/%d/actions/accept", c.ID)
	resp, _ := drafter.post(path, url.Values{"version": {fmt.Sprint(c.Version)}, "comment": {"已签收"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != fmt.Sprintf("/cases/%d", c.ID) {
		t.Fatalf("accept: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page := drafter.follow(resp)
	if !strings.Contains(page, "已办理：签收。办件现为“办理中”。") || !strings.Contains(page, `data-state="drafting"`) {
		t.Errorf("after accept:\n%s", page)
	}
	if _, page = drafter.get(fmt.Sprintf("/cases/%d", c.ID)); strings.Contains(page, "已办理：签收") {
		t.Error("the flash shows twice")
	}

	// The same form again, at the old version: a conflict, nothing changes.
	now, err := cw.db.Case(cw.ctx, c.ID)
	mustT(t, err)
	limit, err := cw.db.ExtensionCap(cw.ctx, now)
	mustT(t, err)
	events := cw.events(t, c.ID)
	resp, page = drafter.post(fmt.Sprintf("/cases/%d/actions/request_extension", c.ID),
		url.Values{"version": {fmt.Sprint(c.Version)}, "comment": {"需要更多时间"}, "due": {limit.Date.String()}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "该建议刚被其他人办理过（页面已过期），请刷新后重新操作。") ||
		!strings.Contains(page, `class="flash flash-error"`) {
		t.Errorf("stale version: %d:\n%s", resp.StatusCode, page)
	}
	// The page is the case as it is now, with the comment kept for another try.
	if !strings.Contains(page, fmt.Sprintf(`name="version" value="%d"`, now.Version)) || !strings.Contains(page, ">需要更多时间</textarea>") {
		t.Errorf("the conflict page lacks the current version or the typed comment")
	}
	after, err := cw.db.Case(cw.ctx, c.ID)
	mustT(t, err)
	if after.Version != now.Version || after.State != now.State || after.ReplyDue != now.ReplyDue || cw.events(t, c.ID) != events {
		t.Errorf("a stale action changed the case: %+v → %+v", now, after)
	}

	// Without the CSRF token: 403, nothing changes.
	resp, _ = drafter.postRaw(fmt.Sprintf("/cases/%d/actions/request_extension", c.ID),
		url.Values{"version": {fmt.Sprint(now.Version)}, "comment": {"x"}, "due": {limit.Date.String()}})
	if resp.StatusCode != http.StatusForbidden || cw.events(t, c.ID) != events {
		t.Errorf("POST without CSRF token: %d", resp.StatusCode)
	}
	resp, _ = drafter.postRaw(fmt.Sprintf("/cases/%d/actions/request_extension", c.ID),
		url.Values{"csrf_token": {"wrong"}, "version": {fmt.Sprint(now.Version)}, "comment": {"x"}, "due": {limit.Date.String()}})
	if resp.StatusCode != http.StatusForbidden || cw.events(t, c.ID) != events {
		t.Errorf("POST with a wrong CSRF token: %d", resp.StatusCode)
	}

	// A guard refuses: the message, the input kept in its form.
	approver := cw.login(t, "kcj.approver")
	k := cw.caseOf(t, "关于优化科技型企业认定服务的建议", "kcj")
	resp, page = approver.post(fmt.Sprintf("/cases/%d/actions/sign", k.ID), url.Values{"version": {fmt.Sprint(k.Version)},
		"disclosure": {"public"}, "document_number": {"武科创〔2025〕<b>1</b>号"}, "contact_person": {"赵丽娟"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "请选择办理结果分类") {
		t.Errorf("sign without class: %d:\n%s", resp.StatusCode, page)
	}
	for _, want := range []string{`value="武科创〔2025〕&lt;b&gt;1&lt;/b&gt;号"`, `id="sign-disclosure-public" value="public" required checked`,
		`value="赵丽娟"`, `class="action-form failed" id="action-sign"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the refused sign form lacks %s", want)
		}
	}
	if after, _ := cw.db.Case(cw.ctx, k.ID); after.Version != k.Version {
		t.Error("a refused sign changed the case")
	}
	// Then signed for real: class B, and the reply shows on the page.
	resp, _ = approver.post(fmt.Sprintf("/cases/%d/actions/sign", k.ID), url.Values{"version": {fmt.Sprint(k.Version)},
		"class": {"B"}, "disclosure": {"public"}, "document_number": {"武科创〔2025〕1号"}, "contact_person": {"赵丽娟"},
		"contact_phone": {"027-1"}})
	_, page = approver.follow(resp)
	if !strings.Contains(page, "已办理：签发。办件现为“已签发”。") || !strings.Contains(page, "武科创〔2025〕1号") {
		t.Errorf("after sign:\n%s", page)
	}

	// A unit's drafter cannot take the liaison's action: 403 on the page.
	jtj := cw.caseOf(t, "关于增设地铁站无障碍设施的建议", "jtj")
	resp, page = cw.login(t, "jtj.drafter").post(fmt.Sprintf("/cases/%d/actions/approve_return", jtj.ID),
		url.Values{"version": {fmt.Sprint(jtj.Version)}})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "flash-error") || !strings.Contains(page, "不是您的职责") {
		t.Errorf("drafter approving a return: %d", resp.StatusCode)
	}
	if resp, _ := drafter.post(fmt.Sprintf("/cases/%d/actions/fly", c.ID), url.Values{"version": {"1"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown action: %d", resp.StatusCode)
	}

	// A contact with the deputy (面商): recorded, listed; an empty summary is refused with the input kept.
	resp, page = drafter.post(fmt.Sprintf("/cases/%d/communications", c.ID), url.Values{"method": {"visit"},
		"happened_on": {cw.db.Clock.Today().String()}, "participants": {"代表和承办人"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `value="代表和承办人"`) {
		t.Errorf("communication without summary: %d", resp.StatusCode)
	}
	resp, _ = drafter.post(fmt.Sprintf("/cases/%d/communications", c.ID), url.Values{"method": {"visit"},
		"happened_on": {cw.db.Clock.Today().String()}, "participants": {"代表和承办人"}, "summary": {"走访代表，听取意见"}})
	_, page = drafter.follow(resp)
	if !strings.Contains(page, "面商记录已保存") || !strings.Contains(page, "走访代表，听取意见") || !strings.Contains(page, "记录面商") {
		t.Errorf("after recording a contact:\n%s", page)
	}
}

// TestDraftEditor: a first draft starts from the two sections; sections
// are added and removed without saving; each save is a new version listed
// with its author; a save based on an old version is refused with a
// message and a link to the diff, the user's text kept; the diff marks the
// changed words within the changed paragraph.
func TestDraftEditor(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	b := cw.login(t, "scjg.drafter")
	c := cw.caseOf(t, "关于加强农贸市场计量器具监管的建议", "scjg")
	path := fmt.Sprintf("/cases/%d/draft", c.ID)
	resp, page := b.get(path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
	checkCasePage(t, "editor", page)
	for _, want := range []string{`id="section-0-heading" name="heading" value="一、工作开展情况"`,
		`id="section-1-heading" name="heading" value="二、下一步工作打算"`, `name="base_version" id="base_version" value="0"`,
		`data-action="save-draft"`, `data-action="add-section"`} {
		if !strings.Contains(page, want) {
			t.Errorf("new draft lacks %s", want)
		}
	}
	form := func(base int, op string, sections ...string) url.Values {
		v := url.Values{"base_version": {fmt.Sprint(base)}, "op": {op}}
		for i := 0; i+1 < len(sections); i += 2 {
			v.Add("heading", sections[i])
			v.Add("body", sections[i+1])
		}
		return v
	}
	// Add, then remove: the form comes back, nothing saved.
	resp, page = b.post(path, form(0, "add", "一、工作开展情况", "甲", "二、下一步工作打算", "乙"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="section-2-heading"`) || !strings.Contains(page, ">甲</textarea>") {
		t.Errorf("add section: %d", resp.StatusCode)
	}
	resp, page = b.post(path, form(0, "remove:0", "一、工作开展情况", "甲", "二、下一步工作打算", "乙"))
	if resp.StatusCode != http.StatusOK || strings.Contains(page, `value="一、工作开展情况"`) || !strings.Contains(page, ">乙</textarea>") ||
		strings.Contains(page, `id="section-1-heading"`) {
		t.Errorf("remove section 0: %d", resp.StatusCode)
	}
	if ds, _ := cw.db.Drafts(cw.ctx, c.ID); len(ds) != 0 {
		t.Fatalf("adding and removing sections saved %d versions", len(ds))
	}

	// Version 1, then version 2 with the second paragraph changed.
	v1 := form(0, "save", "一、工作开展情况", "第一段。\n\n第二段：原来的措施。\n\n第三段。", "二、下一步工作打算", "继续推进。")
	resp, _ = b.post(path, v1)
	_, page = b.follow(resp)
	if !strings.Contains(page, "答复稿已保存为第1版。") || !strings.Contains(page, `value="1"`) {
		t.Errorf("after saving version 1:\n%s", page)
	}
	v2 := form(1, "", "一、工作开展情况", "第一段。\n\n第二段：改进后的措施。\n\n第三段。", "二、下一步工作打算", "继续推进。")
	resp, _ = b.post(path, v2)
	_, page = b.follow(resp)
	if !strings.Contains(page, "答复稿已保存为第2版。") {
		t.Errorf("after saving version 2:\n%s", page)
	}
	if !regexp.MustCompile(`data-version="2"><strong>第2版</strong> · <span lang="zh-CN">王晓燕</span> · `).MatchString(page) {
		t.Error("the versions list lacks version 2 by 王晓燕")
	}

	// Someone edited version 1 meanwhile: refused, text kept, diff linked.
	mine := form(1, "save", "一、工作开展情况", "第一段。\n\n我在旧版本上的修改。", "二、下一步工作打算", "继续推进。")
	resp, page = b.post(path, mine)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("stale save: %d", resp.StatusCode)
	}
	for _, want := range []string{"答复稿已被他人修改，您的修改尚未保存", "王晓燕</span> 于 ", "保存了第2版，而您是在第1版基础上修改的",
		fmt.Sprintf(`href="/cases/%d/draft/diff?a=1&amp;b=2" id="draft-conflict-diff"`, c.ID), "我在旧版本上的修改。</textarea>",
		`name="base_version" id="base_version" value="2"`} {
		if !strings.Contains(page, want) {
			t.Errorf("conflict page lacks %q", want)
		}
	}
	if ds, _ := cw.db.Drafts(cw.ctx, c.ID); len(ds) != 2 || ds[1].Sections[0].Body != "第一段。\n\n第二段：改进后的措施。\n\n第三段。" {
		t.Error("the stale save changed the drafts")
	}
	// An empty body is refused, the text kept.
	resp, page = b.post(path, form(2, "save", "一、工作开展情况", "", "二、下一步工作打算", "保留的文字"))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "正文不能为空") || !strings.Contains(page, ">保留的文字</textarea>") {
		t.Errorf("empty body: %d", resp.StatusCode)
	}

	// The diff: the changed paragraph on both sides, only its changed words
	// marked: removed on the left, added on the right.
	resp, page = b.get(fmt.Sprintf("%s/diff?a=1&b=2", path))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("diff: %d", resp.StatusCode)
	}
	checkCasePage(t, "diff", page)
	for _, want := range []string{
		`<td class="diff-old"><span class="diff-tag diff-tag-old">修改前</span> 第二段：<del>原来</del>的措施。</td>`,
		`<td class="diff-new"><span class="diff-tag diff-tag-new">修改后</span> 第二段：<ins>改进后</ins>的措施。</td>`,
		`<td class="diff-same">第一段。</td>`, `<td class="diff-same">第三段。</td>`,
		`id="diff-section-2"`, "（无变化）",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("diff lacks %s", want)
		}
	}
	for _, bad := range []string{"a=1&b=9", "a=x&b=2"} {
		if resp, _ := b.get(path + "/diff?" + bad); resp.StatusCode != http.StatusNotFound {
			t.Errorf("diff %s: %d", bad, resp.StatusCode)
		}
	}

	// The review comments beside the editor: No. 20240294's return for revision.
	fixture := cw.caseOf(t, "关于加快推进科技成果转化的建议", "scjg")
	_, page = b.get(fmt.Sprintf("/cases/%d/draft", fixture.ID))
	if !strings.Contains(page, "请补充“下一步工作打算”") || !strings.Contains(page, "陈志强</span>（审核人）") || !strings.Contains(page, `id="draft-readonly"`) {
		t.Errorf("the fixture's editor lacks the review comment or is editable:\n%s", page)
	}
}

// Markup typed into a draft, which every page must show as text.
const (
	markupScript = `<script>alert(1)</script>`
	markupImg    = `<img src=x onerror=alert(1)>`
)

// TestDraftMarkupIsText: a draft holding <script> and <img onerror> is
// text on the case page, in the editor, in the diff and in the print view.
func TestDraftMarkupIsText(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	drafter := cw.login(t, "jyj.drafter")
	c := cw.caseOf(t, "关于推进中小学课后服务提质扩面的建议", "jyj")
	path := fmt.Sprintf("/cases/%d/draft", c.ID)
	for i, body := range []string{"第一段" + markupScript, "第一段" + markupScript + "\n\n第二段" + markupImg} {
		resp, _ := drafter.post(path, url.Values{"base_version": {fmt.Sprint(i)}, "heading": {"一、" + markupScript}, "body": {body},
			"op": {"save"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save %d: %d", i+1, resp.StatusCode)
		}
	}
	check := func(what, page string) {
		t.Helper()
		checkPage(t, what, page, "zh-CN")
		for _, raw := range []string{markupScript, markupImg, "<script>alert", "<img src=x"} {
			if strings.Contains(page, raw) {
				t.Errorf("%s has the markup %q unescaped", what, raw)
			}
		}
		if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show the script tag as text", what)
		}
	}
	_, page := drafter.get(path)
	check("editor", page)
	if !strings.Contains(page, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("editor lacks the img as text")
	}
	_, page = drafter.get(path + "/diff?a=1&b=2")
	check("diff", page)
	_, page = drafter.get(fmt.Sprintf("/cases/%d", c.ID))
	check("case page", page)

	// Through review and sign-off to the print view.
	act := func(who *cwBrowser, action string, extra url.Values) {
		t.Helper()
		now, err := cw.db.Case(cw.ctx, c.ID)
		mustT(t, err)
		v := url.Values{"version": {fmt.Sprint(now.Version)}}
		for k, x := range extra {
			v[k] = x
		}
		if resp, page := who.post(fmt.Sprintf("/cases/%d/actions/%s", c.ID, action), v); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", action, resp.StatusCode, page)
		}
	}
	act(drafter, "submit", nil)
	act(cw.login(t, "jyj.reviewer"), "forward", nil)
	act(cw.login(t, "jyj.approver"), "sign", url.Values{"class": {"A"}, "disclosure": {"public"}, "document_number": {markupScript}})
	_, page = drafter.get(path)
	check("read-only editor", page)
	resp, page := drafter.get(fmt.Sprintf("/cases/%d/reply/print", c.ID))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("print: %d", resp.StatusCode)
	}
	check("print view", page)
	if !strings.Contains(page, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("print view lacks the img as text")
	}
}

// TestReplyPrint: the print view of No. 20240294's signed reply is the
// official letter, once per deputy (陈明远 and 许佳, 逐人答复 by default):
// 函头 武汉市市场监督管理局, 文号, the class mark B类, the title, the
// salutation, the opening with 收悉, the sections, 专此答复。, the unit and
// the sign-off date (成文日期, not the day it was sent), the 附注
// （此件主动公开）, the contact and the 抄送 line — without the site's
// navigation; before sign-off there is none.
func TestReplyPrint(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	b := cw.login(t, "scjg.drafter")
	c := cw.caseOf(t, "关于加快推进科技成果转化的建议", "scjg")
	resp, page := b.get(fmt.Sprintf("/cases/%d/reply/print", c.ID))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("print: %d\n%s", resp.StatusCode, page)
	}
	checkCasePage(t, "print", page)
	var signed, sent time.Time
	if err := cw.db.Pool.QueryRow(cw.ctx, `SELECT signed_at, sent_at FROM replies WHERE case_id = $1`, c.ID).Scan(&signed, &sent); err != nil {
		t.Fatal(err)
	}
	official := func(at time.Time) string {
		d := at.In(workflow.Zone())
		return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
	}
	letters := strings.Split(page, `<article class="letter"`)[1:]
	if len(letters) != 2 {
		t.Fatalf("%d letters, want one per deputy", len(letters))
	}
	for i, deputy := range []string{"陈明远", "许佳"} {
		for _, want := range []string{
			`<span class="visually-hidden">办理结果分类：</span>B类</p>`,
			`<p class="letter-head">武汉市市场监督管理局</p>`,
			`<p class="letter-docno">武市监建〔2024〕294号</p>`,
			`<h1 class="letter-title">关于市十五届人大三次会议第20240294号建议的答复</h1>`,
			`<p class="letter-addressee">` + deputy + `代表：</p>`,
			"<p>您提出的《关于加快推进科技成果转化的建议》（第20240294号）收悉。现答复如下：</p>",
			"<h2>一、工作开展情况</h2>", "<h2>二、下一步工作打算</h2>", "<p>专此答复。</p>",
			`<p class="letter-unit">武汉市市场监督管理局</p>`,
			`<p class="letter-date">` + official(signed) + `</p>`,
			`<p class="letter-note">（此件主动公开）</p>`,
			"（联系人：王晓燕，联系电话：027-85880294）",
			"抄送：市人大常委会代表工作委员会，市人民政府办公厅。",
		} {
			if !strings.Contains(letters[i], want) {
				t.Errorf("the letter to %s lacks %s", deputy, want)
			}
		}
		if official(sent) != official(signed) && strings.Contains(letters[i], official(sent)) {
			t.Errorf("the letter to %s is dated the day it was sent", deputy)
		}
		if strings.Contains(letters[i], "公开属性") {
			t.Errorf("the letter to %s says 公开属性 instead of the 附注", deputy)
		}
	}
	for _, want := range []string{`data-action="print"`, fmt.Sprintf(`href="/cases/%d/letter?format=pdf"`, c.ID)} {
		if !strings.Contains(page, want) {
			t.Errorf("print view lacks %s", want)
		}
	}
	for _, nav := range []string{`class="site-nav"`, `class="site-header"`, `action="/logout"`} {
		if strings.Contains(page, nav) {
			t.Errorf("print view has the site's %s", nav)
		}
	}
	// The case page links to it; a case without a signed reply has none.
	if _, page := b.get(fmt.Sprintf("/cases/%d", c.ID)); !strings.Contains(page, fmt.Sprintf(`href="/cases/%d/reply/print"`, c.ID)) {
		t.Error("the case page does not link to the print view")
	}
	drafting := cw.caseOf(t, "关于加强农贸市场计量器具监管的建议", "scjg")
	if resp, _ := b.get(fmt.Sprintf("/cases/%d/reply/print", drafting.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("print view before sign-off: %d", resp.StatusCode)
	}
}

// TestCasePageContents: the case page of No. 20240294 shows the suggestion
// with its deputies (lead first), the assignment with the co-handling
// units and their opinions, the timeline of every event in words, the
// contacts with the deputy and the feedback; the deputy's contact details
// only to the case's own unit and the liaison.
func TestCasePageContents(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	c := cw.caseOf(t, "关于加快推进科技成果转化的建议", "scjg")
	b := cw.login(t, "scjg.reviewer")
	resp, page := b.get(fmt.Sprintf("/cases/%d", c.ID))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("case page: %d", resp.StatusCode)
	}
	checkCasePage(t, "case", page)
	evs, err := cw.db.CaseEvents(cw.ctx, c.ID)
	mustT(t, err)
	if got := strings.Count(page, "<li data-seq="); got != len(evs) {
		t.Errorf("timeline has %d entries, the audit log %d", got, len(evs))
	}
	for _, want := range []string{
		"关于加快推进科技成果转化的建议", "20240294", "武汉市第十五届人民代表大会第三次会议",
		"<strong lang=\"zh-CN\">陈明远</strong> <span class=\"tag\">领衔代表</span>", "许佳", "13800000294",
		"武汉市科技创新局", "武汉市中级人民法院", "市科创局将继续落实", // co-opinions
		"请补充“下一步工作打算”", "陈志强</span>（审核人）", "退回修改", "审核中 → 办理中", // the return in the timeline
		"办理结果分类</dt><dd>B 正在解决或列入计划逐步解决", "文号</dt><dd lang=\"zh-CN\">武市监建〔2024〕294号", // sign-off in words
		"座谈", "就专利盘活、成果转化服务队伍建设听取代表意见", // the communication
		"对办理工作的评价</dt><dd>满意", "李红梅</span> 登记", // the feedback
		`id="case-state" data-state="closed">已办结`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	if strings.Index(page, "陈明远") > strings.Index(page, "许佳") {
		t.Error("the lead deputy is not first")
	}
	// kcj's approver reads its own co-handling case of No. 20240294: the
	// deputy's phone is there; the lead unit reading kcj's case does not
	// get it (read only).
	kcj := cw.caseOf(t, "关于加快推进科技成果转化的建议", "kcj")
	if _, page := cw.login(t, "kcj.approver").get(fmt.Sprintf("/cases/%d", kcj.ID)); !strings.Contains(page, "13800000294") {
		t.Error("the co-handling unit's own case hides the deputy's phone")
	}
	_, page = b.get(fmt.Sprintf("/cases/%d", kcj.ID))
	if strings.Contains(page, "13800000294") || strings.Contains(page, "chen.mingyuan@deputy.example") || !strings.Contains(page, `id="case-readonly"`) {
		t.Error("the lead unit reading a co-handling case sees the deputy's contact details or can act")
	}
	// In English, banli's own words change; the documents do not.
	req, _ := http.NewRequest(http.MethodGet, b.base+fmt.Sprintf("/cases/%d", c.ID), nil)
	req.AddCookie(&http.Cookie{Name: "banli_lang", Value: "en"})
	_, page = b.do(req)
	checkPageIn(t, "case en", page, "en")
	for _, path := range []string{"/", fmt.Sprintf("/cases/%d/draft", c.ID), fmt.Sprintf("/cases/%d/draft/diff", c.ID),
		fmt.Sprintf("/cases/%d/reply/print", c.ID)} {
		req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
		req.AddCookie(&http.Cookie{Name: "banli_lang", Value: "en"})
		resp, page := b.do(req)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("en %s: %d", path, resp.StatusCode)
		}
		checkPageIn(t, "en "+path, page, "en")
	}
	if !strings.Contains(page, "Contacts with the deputy") || !strings.Contains(page, "关于加快推进科技成果转化的建议") {
		t.Error("the English case page lacks its words or the suggestion")
	}
}

// TestDeputyFeedbackLink: the liaison makes the link on a replied case;
// the deputy, without logging in, sees the suggestion and the reply and
// records the two ratings once (the case closes; 不满意 opens the next
// round); a second use says it is recorded; a tampered link and an expired
// one are refused with a page that says so.
func TestDeputyFeedbackLink(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	liaison := cw.login(t, "dcs.liaison")
	c := cw.caseOf(t, "关于完善涉企行政执法检查机制的建议", "scjg")
	linkOf := func(caseID int64) string {
		t.Helper()
		resp, page := liaison.post(fmt.Sprintf("/cases/%d/feedback-link", caseID), nil)
		m := regexp.MustCompile(`id="feedback-link-url" value="([^"]+)"`).FindStringSubmatch(page)
		if resp.StatusCode != http.StatusOK || m == nil {
			t.Fatalf("feedback link: %d\n%s", resp.StatusCode, page)
		}
		link := html.UnescapeString(m[1])
		if !strings.HasPrefix(link, cw.cfg.BaseURL+"/feedback/") {
			t.Fatalf("link %q", link)
		}
		return strings.TrimPrefix(link, cw.cfg.BaseURL)
	}
	path := linkOf(c.ID)
	// Only the liaison makes links.
	if resp, _ := cw.login(t, "scjg.drafter").post(fmt.Sprintf("/cases/%d/feedback-link", c.ID), nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("drafter making a link: %d", resp.StatusCode)
	}

	deputy := cw.anonymous(t, cw.srv.URL)
	resp, page := deputy.get(path)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("GET link: %d %v\n%s", resp.StatusCode, resp.Header, page)
	}
	checkCasePage(t, "feedback form", page)
	for _, want := range []string{"征询意见表", "关于完善涉企行政执法检查机制的建议", "一、工作开展情况", `id="feedback-form"`,
		`id="fb-work_rating-satisfied"`, `id="fb-result_rating-dissatisfied"`, `data-action="submit-feedback"`} {
		if !strings.Contains(page, want) {
			t.Errorf("feedback form lacks %q", want)
		}
	}
	// A rating missing: the form again, the input kept.
	resp, page = deputy.post(path, url.Values{"work_rating": {"satisfied"}, "remarks": {"希望加强宣传"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "请选择对办理结果的评价") || !strings.Contains(page, ">希望加强宣传</textarea>") {
		t.Errorf("incomplete feedback: %d\n%s", resp.StatusCode, page)
	}
	resp, _ = deputy.post(path, url.Values{"work_rating": {"satisfied"}, "result_rating": {"basically_satisfied"},
		"contact_method": {"phone"}, "met_by": {"王晓燕"}, "remarks": {"希望加强宣传"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("feedback: %d", resp.StatusCode)
	}
	if _, page = deputy.follow(resp); !strings.Contains(page, "感谢您的评价") {
		t.Errorf("after feedback:\n%s", page)
	}
	after, err := cw.db.Case(cw.ctx, c.ID)
	mustT(t, err)
	fb, err := cw.db.CaseFeedback(cw.ctx, c.ID)
	mustT(t, err)
	evs, err := cw.db.CaseEvents(cw.ctx, c.ID)
	mustT(t, err)
	last := evs[len(evs)-1]
	if after.State != workflow.StateClosed || len(fb) != 1 || fb[0].RecordedBy != 0 || fb[0].ContactMethod != workflow.ContactPhone ||
		fb[0].Remarks != "希望加强宣传" || fb[0].ResultRating != workflow.RatingBasicallySatisfied ||
		last.Action != "record_feedback" || last.ActorRole != "deputy" || last.ActorID != 0 {
		t.Errorf("after the deputy's feedback: case %s, feedback %+v, last event %+v", after.State, fb, last)
	}
	// Once only.
	resp, page = deputy.get(path)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "评价已登记") || strings.Contains(page, `id="feedback-form"`) {
		t.Errorf("second visit: %d\n%s", resp.StatusCode, page)
	}
	resp, page = deputy.post(path, url.Values{"work_rating": {"dissatisfied"}, "result_rating": {"dissatisfied"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "评价已登记") {
		t.Errorf("second use: %d", resp.StatusCode)
	}
	if again, _ := cw.db.Case(cw.ctx, c.ID); again.Version != after.Version {
		t.Error("the second use changed the case")
	}
	// The case page says who recorded it.
	if _, page := liaison.get(fmt.Sprintf("/cases/%d", c.ID)); !strings.Contains(page, "代表通过征询意见链接提交") {
		t.Error("the case page does not say the deputy gave the feedback")
	}

	// Tampered: another case id, another expiry, another signature.
	parts := strings.Split(strings.TrimPrefix(path, "/feedback/"), ".")
	for _, bad := range []string{
		fmt.Sprintf("%d.%s.%s.%s", c.ID+1, parts[1], parts[2], parts[3]),
		fmt.Sprintf("%s.%s.%d.%s", parts[0], parts[1], cw.db.Clock.Now().Add(1000*time.Hour).Unix(), parts[3]),
		fmt.Sprintf("%s.%s.%s.%s", parts[0], parts[1], parts[2], strings.Repeat("A", len(parts[3]))),
		"garbage", "1.1.1",
	} {
		resp, page := deputy.get("/feedback/" + bad)
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(page, "链接无效") {
			t.Errorf("tampered %q: %d", bad, resp.StatusCode)
		}
		if resp, _ := deputy.post("/feedback/"+bad, url.Values{"work_rating": {"satisfied"}, "result_rating": {"satisfied"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("tampered %q, POST: %d", bad, resp.StatusCode)
		}
	}

	// Expired: the same link 31 days later, on a server with that clock
	// (and the same secret), is refused; 29 days later it still works.
	zy := cw.caseOf(t, "关于完善知识产权纠纷多元化解机制的建议", "zy")
	zyPath := linkOf(zy.ID)
	later := func(d time.Duration) *cwBrowser {
		srv := httptest.NewServer(web.NewServer(cw.cfg, cw.db, nil, web.WithClock(func() time.Time { return cw.db.Clock.Now().Add(d) })))
		t.Cleanup(srv.Close)
		return cw.anonymous(t, srv.URL)
	}
	resp, page = later(31 * 24 * time.Hour).get(zyPath)
	if resp.StatusCode != http.StatusGone || !strings.Contains(page, "链接已过期") || strings.Contains(page, `id="feedback-form"`) {
		t.Errorf("expired link: %d\n%s", resp.StatusCode, page)
	}
	if resp, _ := later(31*24*time.Hour).post(zyPath, url.Values{"work_rating": {"satisfied"}, "result_rating": {"satisfied"}}); resp.StatusCode != http.StatusGone {
		t.Errorf("expired link, POST: %d", resp.StatusCode)
	}
	if resp, _ := later(29 * 24 * time.Hour).get(zyPath); resp.StatusCode != http.StatusOK {
		t.Errorf("link on day 29: %d", resp.StatusCode)
	}
	// 不满意: the next round opens; the link is used up.
	resp, _ = deputy.post(zyPath, url.Values{"work_rating": {"basically_satisfied"}, "result_rating": {"dissatisfied"}, "contact_method": {"none"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dissatisfied feedback: %d", resp.StatusCode)
	}
	zyAfter, err := cw.db.Case(cw.ctx, zy.ID)
	mustT(t, err)
	if zyAfter.State != workflow.StateRehandling || zyAfter.Round != 2 {
		t.Errorf("不满意: case %s round %d, want rehandling round 2", zyAfter.State, zyAfter.Round)
	}
	if _, page := deputy.get(zyPath); !strings.Contains(page, "评价已登记") {
		t.Error("the used link does not say it is recorded")
	}
	// No link for a case that awaits no feedback.
	if resp, _ := liaison.post(fmt.Sprintf("/cases/%d/feedback-link", zy.ID), nil); resp.StatusCode != http.StatusConflict {
		t.Errorf("link for a rehandling case: %d", resp.StatusCode)
	}
}
