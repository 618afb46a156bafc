package web_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/internal/web"
	"github.com/banli-gov/banli/workflow"
)

// svWorld is the world of the liaison's and administrator's page tests: a
// session, four units (ua, ub, uc, ud) with a drafter, reviewer and
// approver each, the liaison office with a liaison and an admin, and banli
// serving them on a clock the test sets.
type svWorld struct {
	db      *storage.DB
	ctx     context.Context
	srv     *httptest.Server
	clock   *atomic.Int64 // Unix nanoseconds of the server's clock
	session *workflow.CongressSession
	units   map[string]*workflow.Department
	office  *workflow.Department
	actors  map[string]workflow.Actor // "liaison", "admin", "ua.drafter", …
	n       int
}

// svShanghai is UTC+8, the business calendar's zone.
var svShanghai = time.FixedZone("CST", 8*60*60)

// svAt is 10:00 of day s in Asia/Shanghai.
func svAt(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02", s, svShanghai)
	mustT(t, err)
	return d.Add(10 * time.Hour)
}

func svDate(t *testing.T, s string) workflow.Date {
	t.Helper()
	d, err := workflow.ParseDate(s)
	mustT(t, err)
	return d
}

// newSVWorld builds the world with the server's clock at now.
func newSVWorld(t *testing.T, now time.Time) *svWorld {
	t.Helper()
	ctx := context.Background()
	db := testdb.NewDB(t)
	w := &svWorld{db: db, ctx: ctx, clock: &atomic.Int64{}, units: map[string]*workflow.Department{}, actors: map[string]workflow.Actor{}}
	w.clock.Store(now.UnixNano())
	w.session = &workflow.CongressSession{Name: "武汉市第十五届人民代表大会第三次会议", ShortName: "市十五届人大三次会议",
		OpenedOn: svDate(t, "2024-01-07")}
	mustT(t, db.CreateSession(ctx, w.session))
	w.office = &workflow.Department{Code: "dcs", Name: "督查室", LiaisonOffice: true}
	mustT(t, db.CreateDepartment(ctx, w.office))
	for _, code := range []string{"ua", "ub", "uc", "ud"} {
		d := &workflow.Department{Code: code, Name: "单位" + strings.ToUpper(code[1:])}
		mustT(t, db.CreateDepartment(ctx, d))
		w.units[code] = d
		for _, r := range []workflow.Role{workflow.RoleDrafter, workflow.RoleReviewer, workflow.RoleApprover} {
			w.user(t, code+"."+string(r), d.ID, r)
		}
	}
	w.user(t, "liaison", w.office.ID, workflow.RoleLiaison)
	w.user(t, "admin", w.office.ID, workflow.RoleAdmin)
	w.srv = httptest.NewServer(web.NewServer(newConfig(t), db, nil,
		web.WithClock(func() time.Time { return time.Unix(0, w.clock.Load()) })))
	t.Cleanup(w.srv.Close)
	return w
}

func (w *svWorld) user(t *testing.T, key string, dept int64, r workflow.Role) {
	t.Helper()
	u := &workflow.User{DepartmentID: dept, Name: "用户" + key, Email: key + "@example.org", Roles: []workflow.Role{r}}
	mustT(t, w.db.CreateUser(w.ctx, u))
	w.actors[key] = workflow.Actor{UserID: u.ID, DepartmentID: dept, Roles: u.Roles}
}

// svBrowser is a logged-in user's browser: the session cookie, its CSRF
// token and a language; it follows no redirects.
type svBrowser struct {
	t      *testing.T
	base   string
	cookie *http.Cookie
	csrf   string
	lang   string
	// cookies are the other cookies the server set (the notice of a
	// POST-redirect-GET), sent back as a browser would.
	cookies map[string]*http.Cookie
}

// login starts a session for the user key at the server clock's time.
func (w *svWorld) login(t *testing.T, key string) *svBrowser {
	t.Helper()
	token, csrf := auth.NewToken(), auth.NewToken()
	_, err := w.db.CreateLoginSession(w.ctx, storage.CreateLoginSessionCmd{UserID: w.actors[key].UserID,
		TokenHash: auth.HashToken(token), CSRFToken: csrf, Provider: "test", At: time.Unix(0, w.clock.Load()), MaxAge: time.Hour})
	mustT(t, err)
	return &svBrowser{t: t, base: w.srv.URL, cookie: &http.Cookie{Name: "banli_session", Value: token}, csrf: csrf,
		cookies: map[string]*http.Cookie{}}
}

// svResponse is a response with its body read.
type svResponse struct {
	Status   int
	Location string
	Body     string
	Header   http.Header
}

func (b *svBrowser) do(method, path string, form url.Values) *svResponse {
	b.t.Helper()
	var rd io.Reader
	if form != nil {
		rd = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, rd)
	mustT(b.t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html")
	req.AddCookie(b.cookie)
	if b.lang != "" {
		req.AddCookie(&http.Cookie{Name: "banli_lang", Value: b.lang})
	}
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	c := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	mustT(b.t, err)
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		switch {
		case c.Name == "banli_session":
		case c.MaxAge < 0:
			delete(b.cookies, c.Name)
		default:
			b.cookies[c.Name] = &http.Cookie{Name: c.Name, Value: c.Value}
		}
	}
	raw, err := io.ReadAll(resp.Body)
	mustT(b.t, err)
	return &svResponse{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Body: string(raw), Header: resp.Header}
}

// get fetches a page and checks that it is one of banli's: the language
// and no inline script or style.
func (b *svBrowser) get(path string) *svResponse {
	b.t.Helper()
	r := b.do(http.MethodGet, path, nil)
	lang := "zh-CN"
	if b.lang == "en" {
		lang = "en"
	}
	if r.Status == http.StatusOK {
		checkPage(b.t, "GET "+path, r.Body, lang)
	}
	return r
}

// post sends a form with the session's CSRF token.
func (b *svBrowser) post(path string, form url.Values) *svResponse {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf_token", b.csrf)
	r := b.do(http.MethodPost, path, form)
	if r.Status != http.StatusSeeOther && strings.Contains(r.Header.Get("Content-Type"), "text/html") {
		lang := "zh-CN"
		if b.lang == "en" {
			lang = "en"
		}
		checkPage(b.t, "POST "+path, r.Body, lang)
	}
	return r
}

// wantStatusSV fails unless r has status.
func wantStatusSV(t *testing.T, what string, r *svResponse, status int) {
	t.Helper()
	if r.Status != status {
		body := r.Body
		if len(body) > 3000 {
			body = body[:3000]
		}
		t.Fatalf("%s: status %d, want %d\n%s", what, r.Status, status, body)
	}
}

var (
	svTags   = regexp.MustCompile(`<[^>]*>`)
	svSpaces = regexp.MustCompile(`\s+`)
)

// svText is the text of an HTML fragment, its white space collapsed.
func svText(fragment string) string {
	return strings.TrimSpace(svSpaces.ReplaceAllString(html.UnescapeString(svTags.ReplaceAllString(fragment, "")), " "))
}

// svElement returns the HTML of the first element whose start tag contains
// attr (e.g. `id="total-reply-rate"`), up to its closing tag of the same
// name (which must not nest), or "".
func svElement(page, attr string) string {
	i := strings.Index(page, attr)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(page[:i], "<")
	name := page[start+1:]
	name = name[:strings.IndexAny(name, " >")]
	end := strings.Index(page[i:], "</"+name+">")
	if end < 0 {
		return ""
	}
	return page[start : i+end+len(name)+3]
}

var svCells = regexp.MustCompile(`(?s)<t[dh][^>]*>(.*?)</t[dh]>`)

// svRow returns the texts of the cells of the row with attr in the table
// with id table.
func svRow(t *testing.T, page, table, attr string) []string {
	t.Helper()
	tbl := svElement(page, `id="`+table+`"`)
	if tbl == "" {
		t.Fatalf("no table %s", table)
	}
	row := svElement(tbl, attr)
	if row == "" {
		t.Fatalf("table %s has no row %s", table, attr)
	}
	var out []string
	for _, m := range svCells.FindAllStringSubmatch(row, -1) {
		out = append(out, svText(m[1]))
	}
	return out
}

var svHrefs = regexp.MustCompile(`href="([^"]*)"`)

// svLinks returns the unescaped targets of the links in fragment.
func svLinks(fragment string) []string {
	var out []string
	for _, m := range svHrefs.FindAllStringSubmatch(fragment, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// svCaseIDs returns the data-case ids of the rows of the table with id
// table, in order.
func svCaseIDs(page, table string) []string {
	tbl := svElement(page, `id="`+table+`"`)
	var out []string
	for _, m := range regexp.MustCompile(`data-case="(\d+)"`).FindAllStringSubmatch(tbl, -1) {
		out = append(out, m[1])
	}
	return out
}

// proposal registers a proposal of the world's session.
func (w *svWorld) proposal(t *testing.T) *workflow.Proposal {
	t.Helper()
	w.n++
	dep := &workflow.Deputy{Name: fmt.Sprintf("代表%d", w.n)}
	mustT(t, w.db.CreateDeputy(w.ctx, dep))
	p := &workflow.Proposal{SessionID: w.session.ID, Number: fmt.Sprintf("2024%04d", w.n),
		Title: "关于督办测试的建议", SubmittedOn: svDate(t, "2024-01-09"), DeputyIDs: []int64{dep.ID}}
	mustT(t, w.db.CreateProposal(w.ctx, p))
	return p
}

func (w *svWorld) assign(t *testing.T, p *workflow.Proposal, unit string, kind workflow.CaseKind, day string) *workflow.Case {
	t.Helper()
	c, err := w.db.Assign(w.ctx, storage.AssignCmd{ProposalID: p.ID, DepartmentID: w.units[unit].ID, Kind: kind,
		Actor: w.actors["liaison"], At: svAt(t, day)})
	mustT(t, err)
	return c
}

func (w *svWorld) act(t *testing.T, c *workflow.Case, a workflow.Action, who, day string, in workflow.Input) *workflow.Case {
	t.Helper()
	c, err := w.db.Transition(w.ctx, storage.TransitionCmd{CaseID: c.ID, Action: a, Actor: w.actors[who],
		ExpectedVersion: c.Version, Input: in, At: svAt(t, day)})
	if err != nil {
		t.Fatalf("%s on case %d: %v", a, c.ID, err)
	}
	return c
}

// reply takes a fresh case of unit through drafting to a signed reply of
// class on day, sent on sendDay.
func (w *svWorld) reply(t *testing.T, c *workflow.Case, unit string, class workflow.ReplyClass, day, sendDay string) *workflow.Case {
	t.Helper()
	c = w.act(t, c, workflow.ActionAccept, unit+".drafter", day, workflow.Input{})
	_, err := w.db.SaveDraft(w.ctx, storage.SaveDraftCmd{CaseID: c.ID, Actor: w.actors[unit+".drafter"], At: svAt(t, day),
		Sections: []workflow.Section{{Heading: "一、工作开展情况", Body: "正文"}}})
	mustT(t, err)
	c = w.act(t, c, workflow.ActionSubmit, unit+".drafter", day, workflow.Input{})
	c = w.act(t, c, workflow.ActionForward, unit+".reviewer", day, workflow.Input{})
	c = w.act(t, c, workflow.ActionSign, unit+".approver", day, workflow.Input{Class: class, Disclosure: workflow.DisclosePublic})
	return w.act(t, c, workflow.ActionSend, unit+".drafter", sendDay, workflow.Input{})
}

// count counts the rows of a table.
func (w *svWorld) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	mustT(t, w.db.Pool.QueryRow(w.ctx, `SELECT count(*) FROM `+table).Scan(&n))
	return n
}
