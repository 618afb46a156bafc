package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/web"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// TestDeputyPage: the liaison makes a deputy's link from the proposal
// page; without an account the deputy sees all their suggestions of the
// session and nobody else's, each unit's state in plain words, the replies
// sent (readable, with their files) and the way to the feedback form. A
// link that is tampered with, expired or revoked does not work, and the
// revocation is recorded.
func TestDeputyPage(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	liaison := cw.login(t, "dcs.liaison")
	drafter := cw.login(t, "scjg.drafter")
	anon := cw.anonymous(t, cw.srv.URL)
	c := cw.caseOf(t, "关于完善涉企行政执法检查机制的建议", "scjg") // replied, awaiting feedback
	var proposalID, deputyID, sessionID int64
	mustT(t, cw.db.Pool.QueryRow(cw.ctx, `SELECT p.id, pd.deputy_id, p.session_id FROM proposals p
		JOIN proposal_deputies pd ON pd.proposal_id = p.id AND pd.lead WHERE p.id = $1`, c.ProposalID).Scan(&proposalID, &deputyID, &sessionID))
	proposalPath := fmt.Sprintf("/proposals/%d", proposalID)
	linkPath := fmt.Sprintf("%s/deputies/%d/link", proposalPath, deputyID)

	// Only the liaison makes it.
	if resp, _ := drafter.post(linkPath, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a drafter making a deputy's link: %d", resp.StatusCode)
	}
	resp, _ := liaison.post(linkPath, nil)
	_, page := liaison.follow(resp)
	linkRe := regexp.MustCompile(fmt.Sprintf(`id="deputy-link-%d" value="([^"]+)"`, deputyID))
	m := linkRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the proposal page shows no link:\n%s", page)
	}
	checkPageIn(t, "proposal page with a deputy's link", page, "zh-CN")
	link := html.UnescapeString(m[1])
	path := strings.TrimPrefix(link, cw.cfg.BaseURL)
	if _, again := liaison.post(linkPath, nil); linkRe.FindStringSubmatch(again) != nil && linkRe.FindStringSubmatch(again)[1] != m[1] {
		t.Error("making the link again gave another one")
	}

	resp, page = anon.get(path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the deputy's page: %d\n%s", resp.StatusCode, page)
	}
	checkPageIn(t, "deputy's page", page, "zh-CN")
	checkLanguage(t, "deputy's page (zh)", page, ui.LangZH)
	enReq, err := http.NewRequest(http.MethodGet, cw.srv.URL+path, nil)
	mustT(t, err)
	enReq.AddCookie(&http.Cookie{Name: ui.LangCookie, Value: ui.LangEN})
	_, en := anon.do(enReq)
	checkLanguage(t, "deputy's page (en)", en, ui.LangEN)
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the deputy's page may be cached: %q", resp.Header.Get("Cache-Control"))
	}
	// Exactly their suggestions of the session, by the registry.
	rows, err := cw.db.Pool.Query(cw.ctx, `SELECT p.number, EXISTS (SELECT 1 FROM proposal_deputies pd WHERE pd.proposal_id = p.id AND pd.deputy_id = $1)
		FROM proposals p WHERE p.session_id = $2`, deputyID, sessionID)
	mustT(t, err)
	mine, others := 0, 0
	for rows.Next() {
		var number string
		var theirs bool
		mustT(t, rows.Scan(&number, &theirs))
		shown := strings.Contains(page, fmt.Sprintf(`data-proposal="%s"`, number))
		if shown != theirs {
			t.Errorf("suggestion %s: shown %v, the deputy's %v", number, shown, theirs)
		}
		if theirs {
			mine++
		} else {
			others++
		}
	}
	mustT(t, rows.Err())
	if mine == 0 || others == 0 {
		t.Fatalf("demo data: %d suggestions of the deputy, %d of others", mine, others)
	}
	caseRow := regexp.MustCompile(fmt.Sprintf(`(?s)<li data-case="%d" data-state="replied">.*?</li>`, c.ID)).FindString(page)
	replies, err := cw.db.CaseReplies(cw.ctx, c.ID)
	mustT(t, err)
	firstLine := strings.SplitN(replies[0].Sections[0].Body, "\n", 2)[0]
	for _, want := range []string{"已答复，等待您的反馈", "第 1 轮答复", html.EscapeString(firstLine), "填写征询意见表"} {
		if !strings.Contains(caseRow, want) {
			t.Errorf("the replied unit's entry lacks %q:\n%s", want, caseRow)
		}
	}
	for _, leak := range []string{"@banli.example", "陈志强"} { // staff: e-mail, the reviewer's name
		if strings.Contains(page, leak) {
			t.Errorf("the deputy's page shows %q", leak)
		}
	}

	// The reply's scanned letter is theirs to download; no other file.
	letter := cw.uploaded(t, drafter, c.ID, fmt.Sprintf("reply:%d", replies[0].ID), "盖章答复函.pdf", pdfFile, false)
	other := cw.caseOf(t, "关于加强直播带货监管的建议", "scjg")
	notTheirs := cw.uploaded(t, drafter, other.ID, "case", "别的建议的材料.pdf", pdfFile, false)
	if _, page = anon.get(path); !strings.Contains(page, fmt.Sprintf("%s/attachments/%d", path, letter)) {
		t.Error("the reply's file is not on the deputy's page")
	}
	if resp, body := anon.get(fmt.Sprintf("%s/attachments/%d", path, letter)); resp.StatusCode != http.StatusOK || body != string(pdfFile) {
		t.Errorf("the reply's file: %d", resp.StatusCode)
	}
	if resp, _ := anon.get(fmt.Sprintf("%s/attachments/%d", path, notTheirs)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another suggestion's file through the deputy's link: %d", resp.StatusCode)
	}

	// The feedback form, through the page.
	resp, _ = anon.get(fmt.Sprintf("%s/cases/%d/feedback", path, c.ID))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/feedback/") {
		t.Fatalf("to the feedback form: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, page := anon.follow(resp); resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="feedback-form"`) {
		t.Errorf("the feedback form: %d", resp.StatusCode)
	}
	if resp, _ := anon.get(fmt.Sprintf("%s/cases/%d/feedback", path, other.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the feedback of another deputy's suggestion: %d", resp.StatusCode)
	}

	// Tampered: another deputy's id under this signature; a feedback link
	// as a deputy's.
	parts := strings.Split(strings.TrimPrefix(path, "/deputy/"), ".")
	parts[0] = fmt.Sprint(deputyID + 1)
	if resp, _ := anon.get("/deputy/" + strings.Join(parts, ".")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a tampered link: %d", resp.StatusCode)
	}
	fbResp, _ := anon.get(fmt.Sprintf("%s/cases/%d/feedback", path, c.ID))
	if resp, _ := anon.get("/deputy/" + strings.TrimPrefix(fbResp.Header.Get("Location"), "/feedback/")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a feedback link as a deputy's: %d", resp.StatusCode)
	}

	// Expired: on a server whose clock is past the link's life.
	later := httptest.NewServer(web.NewServer(cw.cfg, cw.db, nil, web.WithClock(workflow.FixedClock(cw.db.Clock.Now().Add(181*24*time.Hour)))))
	defer later.Close()
	if resp, page := cw.anonymous(t, later.URL).get(path); resp.StatusCode != http.StatusGone || !strings.Contains(page, "已过有效期") {
		t.Errorf("an expired link: %d", resp.StatusCode)
	}

	// Revoked: it stops working, the page says who revoked it, and the
	// issue and revocation are recorded.
	resp, _ = liaison.post(linkPath+"/revoke", nil)
	_, page = liaison.follow(resp)
	if linkRe.MatchString(page) || !strings.Contains(page, "上一个链接已由") || !strings.Contains(page, liaison.name) {
		t.Errorf("after revoking, the proposal page:\n%s", page)
	}
	if resp, _ := anon.get(path); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a revoked link: %d", resp.StatusCode)
	}
	if resp, _ := anon.get(fmt.Sprintf("%s/attachments/%d", path, letter)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a file through a revoked link: %d", resp.StatusCode)
	}
	evs, err := cw.db.DeputyLinkEvents(cw.ctx, deputyID, sessionID)
	mustT(t, err)
	if len(evs) != 2 || evs[0].Action != "issue" || evs[1].Action != "revoke" || evs[1].ActorName != liaison.name {
		t.Errorf("recorded: %+v", evs)
	}
	resp, _ = liaison.post(linkPath, nil)
	_, page = liaison.follow(resp)
	if m2 := linkRe.FindStringSubmatch(page); m2 == nil || m2[1] == m[1] {
		t.Error("after revoking, the next link is not a new one")
	}
}
