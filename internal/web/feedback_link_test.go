package web_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"testing"
)

// TestFeedbackLinkStays: the deputy's feedback link, once made, is at the
// top of the case page with a copy button, the same on every reload and on
// making it again, until it is revoked: then it stops working and the next
// one is new.
func TestFeedbackLinkStays(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	liaison := cw.login(t, "dcs.liaison")
	c := cw.caseOf(t, "关于完善涉企行政执法检查机制的建议", "scjg")
	casePath := fmt.Sprintf("/cases/%d", c.ID)
	linkRe := regexp.MustCompile(`id="feedback-link-url" value="([^"]+)"`)
	linkIn := func(page string) string {
		if m := linkRe.FindStringSubmatch(page); m != nil {
			return html.UnescapeString(m[1])
		}
		return ""
	}
	if _, page := liaison.get(casePath); linkIn(page) != "" {
		t.Fatal("a link before one was made")
	}
	_, page := liaison.post(casePath+"/feedback-link", nil)
	first := linkIn(page)
	if first == "" {
		t.Fatalf("no link made:\n%s", page)
	}
	for i := range 2 {
		_, page = liaison.get(casePath)
		if got := linkIn(page); got != first {
			t.Errorf("reload %d shows %q, want %q", i+1, got, first)
		}
	}
	checkCasePage(t, "case page with a link", page)
	for _, want := range []string{`data-action="copy" data-copy="feedback-link-url"`, `id="feedback-link-revoke"`} {
		if !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(page) {
			t.Errorf("the case page lacks %s", want)
		}
	}
	if _, page = liaison.post(casePath+"/feedback-link", nil); linkIn(page) != first {
		t.Errorf("making it again gave %q, want %q", linkIn(page), first)
	}
	anon := cw.anonymous(t, cw.srv.URL)
	path := first[len(cw.cfg.BaseURL):]
	if resp, _ := anon.get(path); resp.StatusCode != http.StatusOK {
		t.Fatalf("the link: %d", resp.StatusCode)
	}

	// Revoked: it stops working and leaves the page; the next is new.
	resp, _ := liaison.post(casePath+"/feedback-link/revoke", nil)
	_, page = liaison.follow(resp)
	if linkIn(page) != "" || !regexp.MustCompile("反馈链接已作废").MatchString(page) {
		t.Errorf("after revoking:\n%s", page)
	}
	if resp, _ := anon.get(path); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the revoked link: %d", resp.StatusCode)
	}
	if _, page = liaison.post(casePath+"/feedback-link", nil); linkIn(page) == "" || linkIn(page) == first {
		t.Errorf("after revoking, the next link is %q", linkIn(page))
	}
}
