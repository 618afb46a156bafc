package web_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/internal/web"
	"github.com/banli-gov/banli/workflow"
)

// portal is the world of the public portal's tests: the demo data, one more
// unit whose reply carries markup in its text (published) and a second reply
// not published yet, and banli serving them.
type portal struct {
	db        *storage.DB
	ctx       context.Context
	srv       *httptest.Server
	fixtureID int64 // the publication of No. 20240294
	xssID     int64 // the published reply with markup in its text
	pendingID int64 // a publication still pending
	drafter   int64 // a user of the extra unit, to log in with
}

// Markup in a reply's text, which the public page must show as text.
const (
	xssScript = `<script>alert(1)</script>`
	xssImg    = `<img src=x onerror=alert(1)>`
)

func setupPortal(t *testing.T) *portal {
	t.Helper()
	ctx := context.Background()
	db := testdb.NewDB(t)
	if _, err := demo.Load(ctx, db, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	pt := &portal{db: db, ctx: ctx}
	var err error
	pt.fixtureID, err = db.PublicationIDByNumber(ctx, demo.SessionShort, demo.FixtureNumber)
	mustT(t, err)

	session := &workflow.CongressSession{Name: "测试市第一届人民代表大会第一次会议", ShortName: "测试一届一次会议",
		OpenedOn: workflow.DateOf(pt.db.Clock.Now().AddDate(0, -2, 0))}
	mustT(t, db.CreateSession(ctx, session))
	unit := &workflow.Department{Code: "xss", Name: "测试标记局"}
	office := &workflow.Department{Code: "xssoffice", Name: "测试督查室", LiaisonOffice: true}
	mustT(t, db.CreateDepartment(ctx, unit))
	mustT(t, db.CreateDepartment(ctx, office))
	actors := map[workflow.Role]workflow.Actor{}
	for _, r := range []workflow.Role{workflow.RoleDrafter, workflow.RoleReviewer, workflow.RoleApprover, workflow.RoleLiaison} {
		dept := unit.ID
		if r == workflow.RoleLiaison {
			dept = office.ID
		}
		u := &workflow.User{DepartmentID: dept, Name: "测试" + r.LabelZH() + "甲", Roles: []workflow.Role{r}}
		mustT(t, db.CreateUser(ctx, u))
		actors[r] = workflow.Actor{UserID: u.ID, DepartmentID: dept, Roles: u.Roles}
	}
	pt.drafter = actors[workflow.RoleDrafter].UserID

	// reply walks a new proposal's case from assignment to sent, and
	// publishes it when publish is set.
	reply := func(number string, sections []workflow.Section, publish bool) int64 {
		t.Helper()
		dep := &workflow.Deputy{Name: "测试代表乙", Phone: "13900000001", Email: "xss.deputy@example.org"}
		mustT(t, db.CreateDeputy(ctx, dep))
		p := &workflow.Proposal{SessionID: session.ID, Number: number, Title: "关于测试标记转义的建议",
			SubmittedOn: workflow.DateOf(pt.db.Clock.Now().AddDate(0, 0, -40)), DeputyIDs: []int64{dep.ID}}
		mustT(t, db.CreateProposal(ctx, p))
		c, err := db.Assign(ctx, storage.AssignCmd{ProposalID: p.ID, DepartmentID: unit.ID, Kind: workflow.KindLead,
			Actor: actors[workflow.RoleLiaison]})
		mustT(t, err)
		act := func(a workflow.Action, who workflow.Role) {
			t.Helper()
			cmd := storage.TransitionCmd{CaseID: c.ID, Action: a, Actor: actors[who], ExpectedVersion: c.Version,
				Input: workflow.Input{Class: workflow.ClassA, Disclosure: workflow.DisclosePublic}}
			if a == workflow.ActionSign {
				cmd.ContactPerson, cmd.ContactPhone = "联系人丙", "027-12345678"
			}
			c, err = db.Transition(ctx, cmd)
			mustT(t, err)
		}
		act(workflow.ActionAccept, workflow.RoleDrafter)
		_, err = db.SaveDraft(ctx, storage.SaveDraftCmd{CaseID: c.ID, Actor: actors[workflow.RoleDrafter], Sections: sections})
		mustT(t, err)
		act(workflow.ActionSubmit, workflow.RoleDrafter)
		act(workflow.ActionForward, workflow.RoleReviewer)
		act(workflow.ActionSign, workflow.RoleApprover)
		act(workflow.ActionSend, workflow.RoleDrafter)
		if publish {
			act(workflow.ActionPublish, workflow.RoleDrafter)
		}
		var id int64
		mustT(t, db.Pool.QueryRow(ctx, `SELECT pub.id FROM publications pub JOIN replies r ON r.id = pub.reply_id
			WHERE r.case_id = $1`, c.ID).Scan(&id))
		return id
	}
	pt.xssID = reply("90001", []workflow.Section{
		{Heading: "一、" + xssScript, Body: "第一段" + xssScript + "\n\n第二段" + xssImg + " & \"引号\""},
	}, true)
	pt.pendingID = reply("90002", []workflow.Section{{Heading: "一、尚未公开", Body: "未公开的答复正文"}}, false)

	pt.srv = httptest.NewServer(web.NewServer(newConfig(t), db, nil))
	t.Cleanup(pt.srv.Close)
	return pt
}

// noRedirects is a client that shows redirects instead of following them.
var noRedirects = &http.Client{Timeout: 30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// get fetches path from the portal's server, with the given cookies.
func (pt *portal) get(t *testing.T, path string, cookies ...*http.Cookie) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, pt.srv.URL+path, nil)
	mustT(t, err)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := noRedirects.Do(req)
	mustT(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	mustT(t, err)
	return resp, string(b)
}

// fixtureReplyParagraphs returns the reply's paragraphs in the shared
// fixture (demo.SharedFixtureParagraphs).
func fixtureReplyParagraphs(t *testing.T) []string {
	t.Helper()
	out, err := demo.SharedFixtureParagraphs("../../../shared/fixtures/wuhan-reply-20240294.txt")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// articleText returns the text of the headings and plain paragraphs of a
// page's <article>, unescaped, in order.
var textElement = regexp.MustCompile(`(?s)<(h2|p)>(.*?)</(?:h2|p)>`)

func articleText(t *testing.T, page string) []string {
	t.Helper()
	start, end := strings.Index(page, "<article"), strings.Index(page, "</article>")
	if start < 0 || end < start {
		t.Fatalf("page has no article:\n%s", page)
	}
	var out []string
	for _, m := range textElement.FindAllStringSubmatch(page[start:end], -1) {
		out = append(out, html.UnescapeString(m[2]))
	}
	return out
}

// inlineCode finds what banli's CSP forbids: a script element without src,
// a style element, a style attribute, an event-handler attribute.
var inlineCode = regexp.MustCompile(`(?i)<script(\s[^>]*)?>|<style|<[a-z][^>]*\s(style|on[a-z]+)\s*=`)

func checkPage(t *testing.T, what, page, lang string) {
	t.Helper()
	if !strings.Contains(page, `<html lang="`+lang+`">`) {
		t.Errorf("%s: no <html lang=%q>:\n%s", what, lang, page)
	}
	for _, m := range inlineCode.FindAllString(page, -1) {
		if strings.HasPrefix(strings.ToLower(m), "<script") && strings.Contains(m, " src=") {
			continue
		}
		t.Errorf("%s: inline code %q", what, m)
	}
}

func TestPublicReplyPage(t *testing.T) {
	t.Parallel()
	pt := setupPortal(t)
	resp, page := pt.get(t, fmt.Sprintf("/public/replies/%d", pt.fixtureID))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d:\n%s", resp.StatusCode, page)
	}
	checkPage(t, "reply", page, "zh-CN")
	for _, want := range []string{
		"<h1>关于市十五届人大三次会议第20240294号建议的答复</h1>",
		"<title>关于市十五届人大三次会议第20240294号建议的答复 · ",
		"发布时间：2024-09-30 18:35", "来源：武汉市市场监督管理局",
		`data-action="print"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if got, want := articleText(t, page), fixtureReplyParagraphs(t); !slices.Equal(got, want) {
		t.Errorf("the reply's text differs from the fixture's:\n got %d: %q\nwant %d: %q", len(got), got, len(want), want)
	}
	// Nothing of the deputy's contact details or of the handling: the
	// deputy's phone, e-mail and name, the staff, the reply's contact line,
	// the review comment, the communication with the deputy.
	for _, secret := range []string{"13800000294", "chen.mingyuan@deputy.example", "陈明远", "王晓燕", "刘建国", "陈志强",
		"027-85880294", "请补充", "协办意见", "听取代表意见"} {
		if strings.Contains(page, secret) {
			t.Errorf("the public page shows %q", secret)
		}
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public") {
		t.Errorf("Cache-Control %q", cc)
	}
}

func TestPublicReplyShowsMarkupAsText(t *testing.T) {
	t.Parallel()
	pt := setupPortal(t)
	resp, page := pt.get(t, fmt.Sprintf("/public/replies/%d", pt.xssID))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d:\n%s", resp.StatusCode, page)
	}
	checkPage(t, "reply with markup", page, "zh-CN")
	for _, bad := range []string{xssScript, xssImg, "<img", "<script>alert"} {
		if strings.Contains(page, bad) {
			t.Errorf("page carries %q unescaped", bad)
		}
	}
	want := []string{"一、" + xssScript, "第一段" + xssScript, "第二段" + xssImg + ` & "引号"`}
	if got := articleText(t, page); !slices.Equal(got, want) {
		t.Errorf("text %q, want %q", got, want)
	}
	for _, secret := range []string{"13900000001", "xss.deputy@example.org", "测试代表乙", "联系人丙", "027-12345678", "测试承办人甲"} {
		if strings.Contains(page, secret) {
			t.Errorf("the public page shows %q", secret)
		}
	}
}

func TestPublicReplyOnlyPublished(t *testing.T) {
	t.Parallel()
	pt := setupPortal(t)
	var withheld int64
	err := pt.db.Pool.QueryRow(pt.ctx, `SELECT id FROM publications WHERE state = 'withheld' LIMIT 1`).Scan(&withheld)
	mustT(t, err)
	for _, path := range []string{
		fmt.Sprintf("/public/replies/%d", pt.pendingID),
		fmt.Sprintf("/public/replies/%d", withheld),
		"/public/replies/999999", "/public/replies/0", "/public/replies/abc", "/public/replies/-1",
		"/public/" + url.PathEscape("测试一届一次会议") + "/90002",
		"/public/" + url.PathEscape("测试一届一次会议") + "/nosuch",
	} {
		resp, page := pt.get(t, path)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
			continue
		}
		checkPage(t, path, page, "zh-CN")
		if strings.Contains(page, "未公开的答复正文") || strings.Contains(page, "尚未公开") {
			t.Errorf("%s shows the unpublished text", path)
		}
	}
}

func TestPublicReplyByNumber(t *testing.T) {
	t.Parallel()
	pt := setupPortal(t)
	resp, _ := pt.get(t, "/public/"+url.PathEscape(demo.SessionShort)+"/"+demo.FixtureNumber)
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != fmt.Sprintf("/public/replies/%d", pt.fixtureID) {
		t.Errorf("by number: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestPublicList(t *testing.T) {
	t.Parallel()
	pt := setupPortal(t)
	link := fmt.Sprintf(`href="/public/replies/%d"`, pt.fixtureID)
	for _, tt := range []struct {
		query string
		found bool
	}{
		{"", true},
		{"q=20240294", true},
		{"q=" + url.QueryEscape("科技成果转化"), true},     // a word of the suggestion's title
		{"q=" + url.QueryEscape("第20240294号"), true}, // of the reply's title
		{"q=" + url.QueryEscape("科技 20240294"), true},
		{"q=" + url.QueryEscape("科技 90001"), false},
		{"q=" + url.QueryEscape("%"), false},
		{"session=" + url.QueryEscape(demo.SessionShort), true},
		{"session=" + url.QueryEscape("测试一届一次会议"), false},
		{"unit=scjg", true},
		{"unit=kcj", false},
		{"q=20240294&unit=scjg&session=" + url.QueryEscape(demo.SessionShort), true},
	} {
		resp, page := pt.get(t, "/public?"+tt.query)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", tt.query, resp.StatusCode)
			continue
		}
		checkPage(t, "list "+tt.query, page, "zh-CN")
		if got := strings.Contains(page, link); got != tt.found {
			t.Errorf("?%s: lists No. 20240294 = %v, want %v", tt.query, got, tt.found)
		}
		if !tt.found && strings.Contains(tt.query, "unit=kcj") && !strings.Contains(page, "武汉市科技创新局") {
			t.Errorf("?%s: the unit filter lacks 武汉市科技创新局", tt.query)
		}
	}
	// Only the published: the pending reply is never listed.
	_, page := pt.get(t, "/public?q=90002")
	if strings.Contains(page, fmt.Sprintf("/public/replies/%d", pt.pendingID)) || strings.Contains(page, "第90002号") {
		t.Error("the list shows an unpublished reply")
	}
	_, page = pt.get(t, "/public?q=90001")
	if !strings.Contains(page, fmt.Sprintf("/public/replies/%d", pt.xssID)) || !strings.Contains(page, "共 1 条") {
		t.Errorf("the list lacks the published test reply:\n%s", page)
	}
}

func TestPublishedRepliesPaging(t *testing.T) {
	t.Parallel()
	pt := setupPortal(t)
	all, total, err := pt.db.PublishedReplies(pt.ctx, storage.PublicationFilter{Limit: 200})
	mustT(t, err)
	if total != len(all) || total < 3 {
		t.Fatalf("%d replies, total %d", len(all), total)
	}
	for i := 1; i < len(all); i++ {
		if all[i].PublishedAt.After(all[i-1].PublishedAt) {
			t.Errorf("not newest first at %d: %s after %s", i, all[i].PublishedAt, all[i-1].PublishedAt)
		}
	}
	var paged []int64
	for off := 0; off < total; off += 2 {
		page, n, err := pt.db.PublishedReplies(pt.ctx, storage.PublicationFilter{Limit: 2, Offset: off})
		mustT(t, err)
		if n != total {
			t.Errorf("offset %d: total %d, want %d", off, n, total)
		}
		for _, r := range page {
			paged = append(paged, r.PublicationID)
		}
	}
	var ids []int64
	for _, r := range all {
		ids = append(ids, r.PublicationID)
	}
	if !slices.Equal(paged, ids) {
		t.Errorf("pages %v, want %v", paged, ids)
	}
	if page, n, err := pt.db.PublishedReplies(pt.ctx, storage.PublicationFilter{Limit: 2, Offset: total + 10}); err != nil || len(page) != 0 || n != total {
		t.Errorf("past the end: %d replies, total %d, %v", len(page), n, err)
	}
	facets, err := pt.db.PublishedFacets(pt.ctx)
	mustT(t, err)
	if !slices.Contains(facets.Sessions, demo.SessionShort) || !slices.Contains(facets.Sessions, "测试一届一次会议") ||
		!slices.Contains(facets.Departments, storage.PublicationUnit{Code: "scjg", Name: demo.FixtureDepartment}) {
		t.Errorf("facets %+v", facets)
	}
}

// atom is what the test reads of the feed.
type atom struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Author  string `xml:"author>name"`
		Content struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

func TestPublicFeed(t *testing.T) {
	t.Parallel()
	pt := setupPortal(t)
	resp, body := pt.get(t, "/public/feed.atom")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("%d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var feed atom
	if err := xml.Unmarshal([]byte(body), &feed); err != nil {
		t.Fatalf("the feed does not parse: %v\n%s", err, body)
	}
	if strings.Contains(body, xssScript) {
		t.Error("the feed carries markup unescaped")
	}
	base := newConfig(t).BaseURL
	found := map[string]bool{}
	for _, e := range feed.Entries {
		switch e.ID {
		case fmt.Sprintf("%s/public/replies/%d", base, pt.fixtureID):
			found["fixture"] = true
			if e.Title != "关于市十五届人大三次会议第20240294号建议的答复" || e.Updated != "2024-09-30T18:35:00+08:00" ||
				e.Link.Href != e.ID || e.Author != demo.FixtureDepartment || e.Content.Type != "text" {
				t.Errorf("entry %+v", e)
			}
			paras := fixtureReplyParagraphs(t)
			if !strings.HasPrefix(e.Content.Text, paras[0]+"\n\n"+paras[1]) || !strings.HasSuffix(e.Content.Text, paras[len(paras)-1]) {
				t.Errorf("entry content %q", e.Content.Text)
			}
		case fmt.Sprintf("%s/public/replies/%d", base, pt.xssID):
			found["xss"] = true
			if !strings.Contains(e.Content.Text, xssScript) {
				t.Errorf("the markup is lost from the text: %q", e.Content.Text)
			}
		case fmt.Sprintf("%s/public/replies/%d", base, pt.pendingID):
			t.Error("the feed carries an unpublished reply")
		}
	}
	if !found["fixture"] || !found["xss"] || len(feed.Entries) > 50 || feed.Updated == "" || feed.ID == "" {
		t.Errorf("feed: %d entries, found %v, updated %q", len(feed.Entries), found, feed.Updated)
	}
}

// TestPagesLanguageAndNoInlineCode: every page is zh-CN by default and en
// after the language switch, which comes back to the page it was clicked
// on; no page has inline script or style.
func TestPagesLanguageAndNoInlineCode(t *testing.T) {
	t.Parallel()
	pt := setupPortal(t)
	token, csrf := auth.NewToken(), auth.NewToken()
	_, err := pt.db.CreateLoginSession(pt.ctx, storage.CreateLoginSessionCmd{UserID: pt.drafter, TokenHash: auth.HashToken(token),
		CSRFToken: csrf, Provider: "test", At: pt.db.Clock.Now(), MaxAge: time.Hour})
	mustT(t, err)
	session := &http.Cookie{Name: "banli_session", Value: token}

	reply := fmt.Sprintf("/public/replies/%d", pt.fixtureID)
	pages := []struct {
		path   string
		status int
		want   string
	}{
		{"/public", http.StatusOK, "第20240294号"},
		{"/public?q=" + url.QueryEscape("科技"), http.StatusOK, "第20240294号"},
		{reply, http.StatusOK, "发布时间：2024-09-30 18:35"},
		{"/login", http.StatusOK, "Log in"},
		{"/", http.StatusOK, "测试承办人甲"},
		{"/public/replies/999999", http.StatusNotFound, "404"},
		{"/nosuch", http.StatusNotFound, ""},
	}
	for _, lang := range []string{"zh-CN", "en"} {
		cookies := []*http.Cookie{session}
		if lang == "en" {
			resp, _ := pt.get(t, "/lang?to=en&next="+url.QueryEscape(reply))
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != reply {
				t.Fatalf("switch: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			var c *http.Cookie
			for _, k := range resp.Cookies() {
				if k.Name == "banli_lang" {
					c = k
				}
			}
			if c == nil || c.Value != "en" || !c.HttpOnly || c.MaxAge <= 0 {
				t.Fatalf("switch set %v", resp.Cookies())
			}
			cookies = append(cookies, &http.Cookie{Name: c.Name, Value: c.Value})
		}
		for _, p := range pages {
			resp, page := pt.get(t, p.path, cookies...)
			if resp.StatusCode != p.status || !strings.Contains(page, p.want) {
				t.Errorf("%s %s: %d, want %d with %q:\n%s", lang, p.path, resp.StatusCode, p.status, p.want, page)
				continue
			}
			if p.path == "/nosuch" {
				continue // chi's own 404, plain text
			}
			checkPage(t, lang+" "+p.path, page, lang)
		}
	}
	// The logged-in home page has the user, the logout form with the CSRF
	// token and the navigation; in English, its labels.
	_, page := pt.get(t, "/", session, &http.Cookie{Name: "banli_lang", Value: "en"})
	for _, want := range []string{`action="/logout"`, `value="` + csrf + `"`, ">Workbench</a>", ">Published replies</a>", "测试标记局"} {
		if !strings.Contains(page, want) {
			t.Errorf("home lacks %q:\n%s", want, page)
		}
	}

	// The switch goes back to this site only, and knows its languages.
	for next, want := range map[string]string{"https://evil.example/": "/", "//evil.example": "/", "/public?q=1": "/public?q=1", "": "/"} {
		resp, _ := pt.get(t, "/lang?to=zh-CN&next="+url.QueryEscape(next))
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("next %q: %d to %q, want %q", next, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	if resp, _ := pt.get(t, "/lang?to=fr&next=/"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("to=fr: %d", resp.StatusCode)
	}

	// The stylesheet the pages link to, cached for a year.
	_, page = pt.get(t, "/public")
	m := regexp.MustCompile(`href="(/static/banli\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no stylesheet link")
	}
	resp, css := pt.get(t, html.UnescapeString(m[1]))
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") ||
		resp.Header.Get("Content-Security-Policy") == "" || !strings.Contains(css, ".light-red") {
		t.Errorf("stylesheet: %d %v", resp.StatusCode, resp.Header)
	}
}
