package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// TestSummaryDisclosure: signing 摘要公开 without a summary is refused in
// plain words with everything typed kept; signed with one, the portal
// publishes the summary alone and says so, and its search finds the
// summary but not the full text.
func TestSummaryDisclosure(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	approver := cw.login(t, "kcj.approver")
	k := cw.caseOf(t, "关于优化科技型企业认定服务的建议", "kcj")
	path := fmt.Sprintf("/cases/%d/actions/sign", k.ID)

	// The form offers the summary and the passages to withhold.
	_, page := approver.get(fmt.Sprintf("/cases/%d", k.ID))
	for _, want := range []string{`id="sign-summary" name="summary"`, `name="withhold" id="sign-withhold-0-0" value="0.0"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the sign form lacks %s", want)
		}
	}

	resp, page := approver.post(path, url.Values{"version": {fmt.Sprint(k.Version)}, "class": {"B"}, "disclosure": {"summary"},
		"summary": {"  "}, "document_number": {"武科创〔2025〕7号"}, "contact_person": {"赵丽娟"}, "withhold": {"0.0"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "选择“摘要公开”时，请填写公开的答复摘要") {
		t.Fatalf("摘要公开 without a summary: %d:\n%s", resp.StatusCode, page)
	}
	for _, want := range []string{`value="武科创〔2025〕7号"`, `value="赵丽娟"`, `id="sign-disclosure-summary" value="summary" required checked`,
		`value="0.0" checked`} {
		if !strings.Contains(page, want) {
			t.Errorf("the refused sign form lacks %s", want)
		}
	}
	if after, _ := cw.db.Case(cw.ctx, k.ID); after.Version != k.Version {
		t.Error("a refused sign changed the case")
	}

	const summary = "本局已优化科技型企业认定流程，推行网上申报和限时办结。"
	resp, _ = approver.post(path, url.Values{"version": {fmt.Sprint(k.Version)}, "class": {"B"}, "disclosure": {"summary"},
		"summary": {summary}, "document_number": {"武科创〔2025〕7号"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign with a summary: %d", resp.StatusCode)
	}
	replies, err := cw.db.CaseReplies(cw.ctx, k.ID)
	mustT(t, err)
	signed := replies[len(replies)-1]
	if signed.Summary != summary || signed.Disclosure != workflow.DiscloseSummary {
		t.Fatalf("signed reply: %+v", signed)
	}
	// A phrase only the full text has: the first six characters of its
	// first paragraph.
	fullOnly := string([]rune(workflow.Paragraphs(signed.Sections[0].Body)[0])[:6])
	if strings.Contains(summary, fullOnly) {
		t.Fatalf("%q is in the summary too: the test proves nothing", fullOnly)
	}

	c, err := cw.db.Case(cw.ctx, k.ID)
	mustT(t, err)
	drafter := cw.login(t, "kcj.drafter")
	for _, a := range []workflow.Action{workflow.ActionSend, workflow.ActionPublish} {
		c, err = cw.db.Transition(cw.ctx, storage.TransitionCmd{CaseID: c.ID, Action: a, Actor: drafter.actor, ExpectedVersion: c.Version})
		mustT(t, err)
	}
	var pubID int64
	mustT(t, cw.db.Pool.QueryRow(cw.ctx, `SELECT pub.id FROM publications pub WHERE pub.reply_id = $1`, signed.ID).Scan(&pubID))

	anon := cw.anonymous(t, cw.srv.URL)
	_, page = anon.get(fmt.Sprintf("/public/replies/%d", pubID))
	if !strings.Contains(page, `id="public-note">本答复摘要公开。`) || !strings.Contains(page, summary) || strings.Contains(page, fullOnly) {
		t.Errorf("the public page of a summary shows:\n%s", page)
	}
	_, feed := anon.get("/public/feed.atom")
	entry := ""
	for _, e := range strings.Split(feed, "<entry>") {
		if strings.Contains(e, fmt.Sprintf("/public/replies/%d<", pubID)) {
			entry = e
		}
	}
	if !strings.Contains(entry, "本答复摘要公开。") || !strings.Contains(entry, summary) || strings.Contains(entry, fullOnly) {
		t.Errorf("the feed's entry does not publish the summary alone:\n%s", entry)
	}
	link := fmt.Sprintf(`href="/public/replies/%d"`, pubID)
	if _, page = anon.get("/public?q=" + url.QueryEscape("网上申报")); !strings.Contains(page, link) {
		t.Errorf("the portal's search does not find the summary")
	}
	if _, page = anon.get("/public?q=" + url.QueryEscape(fullOnly)); strings.Contains(page, link) {
		t.Errorf("the portal's search finds %q of the unpublished full text", fullOnly)
	}
	// The portal no longer claims that every reply is published in full.
	if _, page = anon.get("/public"); strings.Contains(page, "依法主动公开") || !strings.Contains(page, "摘要公开的只发布摘要") {
		t.Errorf("the portal's intro does not match what it publishes")
	}
}
