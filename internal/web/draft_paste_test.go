package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestPastedLineBreaksAreParagraphs: text pasted from Word or WPS comes
// with one line break per paragraph and no blank lines; each line is a
// paragraph in the read-only editor, on the case page, in the letter (the
// print view), on the portal's reply page and in its feed.
func TestPastedLineBreaksAreParagraphs(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	drafter := cw.login(t, "jyj.drafter")
	c := cw.caseOf(t, "关于推进中小学课后服务提质扩面的建议", "jyj")
	path := fmt.Sprintf("/cases/%d/draft", c.ID)
	paras := []string{"我局高度重视您提出的建议。", "一是加强课后服务保障。", "二是于2027年9月1日前完成试点。"}
	// A browser sends a textarea's line breaks as CRLF.
	body := strings.Join(paras, "\r\n")
	resp, page := drafter.post(path, url.Values{"base_version": {"0"}, "heading": {"一、工作开展情况"}, "body": {body}, "op": {"save"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", resp.StatusCode, page)
	}
	want := "<p>" + strings.Join(paras, "</p><p>") + "</p>"
	squeeze := func(page string) string {
		return regexp.MustCompile(`>\s+<`).ReplaceAllString(page, "><")
	}
	hasParagraphs := func(what, page string) {
		t.Helper()
		if !strings.Contains(squeeze(page), want) {
			t.Errorf("%s does not show the three paragraphs as three <p>:\n%s", what, page)
		}
	}
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
	_, page = drafter.get(path)
	hasParagraphs("the read-only editor", page)
	act(cw.login(t, "jyj.reviewer"), "forward", nil)
	act(cw.login(t, "jyj.approver"), "sign", url.Values{"class": {"A"}, "disclosure": {"public"}})
	_, page = drafter.get(fmt.Sprintf("/cases/%d/reply/print", c.ID))
	hasParagraphs("the letter", page)
	act(drafter, "send", nil)
	act(drafter, "publish", nil)

	var pub int64
	mustT(t, cw.db.Pool.QueryRow(cw.ctx, `SELECT pub.id FROM publications pub JOIN replies r ON r.id = pub.reply_id
		WHERE r.case_id = $1`, c.ID).Scan(&pub))
	anon := cw.anonymous(t, cw.srv.URL)
	resp, page = anon.get(fmt.Sprintf("/public/replies/%d", pub))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("public page: %d", resp.StatusCode)
	}
	if got := articleText(t, page); !slices.Equal(got, append([]string{"一、工作开展情况"}, paras...)) {
		t.Errorf("the public page's text = %q", got)
	}
	_, feed := anon.get("/public/feed.atom")
	if !strings.Contains(feed, strings.Join(paras, "&#xA;&#xA;")) {
		t.Errorf("the feed does not separate the paragraphs:\n%s", feed)
	}
}
