package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// autosave posts the editor's text as its script does: same origin, the
// CSRF token in its header, asking for JSON.
func (b *cwBrowser) autosave(caseID int64, base int, sections ...string) (*http.Response, string) {
	b.t.Helper()
	v := url.Values{"base_version": {fmt.Sprint(base)}}
	for i := 0; i+1 < len(sections); i += 2 {
		v.Add("heading", sections[i])
		v.Add("body", sections[i+1])
	}
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/cases/%d/draft/autosave", b.base, caseID), strings.NewReader(v.Encode()))
	mustT(b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-CSRF-Token", b.csrf)
	return b.do(req)
}

// TestDraftAutosave: the editor's text is saved as the user's working copy
// without making a version; the editor shows it again with the notice
// 已恢复未保存的内容 and a discard button; discarding it, or saving a
// version, ends it; only who may save a version keeps one. The editor
// carries the limits its script checks, workflow's.
func TestDraftAutosave(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	b := cw.login(t, "scjg.drafter")
	c := cw.caseOf(t, "关于加强农贸市场计量器具监管的建议", "scjg")
	path := fmt.Sprintf("/cases/%d/draft", c.ID)
	_, page := b.get(path)
	for _, want := range []string{fmt.Sprintf(`data-autosave="/cases/%d/draft/autosave"`, c.ID), `data-max-sections="50"`,
		`data-max-heading="200"`, `data-max-body="50000"`, `data-max-request="1048576"`, `maxlength="200"`, "超过每节 50000 字的上限",
		"超过一次提交 1 MB 的上限", `/static/editor.js?v=`, `id="session-warning"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the editor lacks %s", want)
		}
	}
	if strings.Contains(page, `id="draft-restored"`) {
		t.Error("a new editor says it restored something")
	}

	resp, body := b.autosave(c.ID, 0, "一、工作开展情况", "正在写的第一段\n正在写的第二段", "二、下一步工作打算", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("autosave: %d\n%s", resp.StatusCode, body)
	}
	var got struct {
		SavedAt string `json:"saved_at"`
		Session struct {
			IdleSeconds int
		} `json:"session"`
	}
	mustT(t, json.Unmarshal([]byte(body), &got))
	if got.SavedAt != cw.db.Clock.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04") || got.Session.IdleSeconds <= 0 {
		t.Errorf("autosave answered %s", body)
	}
	if ds, _ := cw.db.Drafts(cw.ctx, c.ID); len(ds) != 0 {
		t.Fatalf("the autosave made %d versions", len(ds))
	}
	_, page = b.get(path)
	for _, want := range []string{`id="draft-restored"`, "已恢复未保存的内容", ">正在写的第一段\n正在写的第二段</textarea>",
		fmt.Sprintf(`action="/cases/%d/draft/discard"`, c.ID), `name="base_version" id="base_version" value="0"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the editor after an autosave lacks %s", want)
		}
	}
	checkCasePage(t, "restored editor", page)

	// Discarded: the first draft's empty sections again.
	resp, _ = b.post(path+"/discard", nil)
	_, page = b.follow(resp)
	if !strings.Contains(page, "已放弃未保存的内容。") || strings.Contains(page, "正在写的第一段") || strings.Contains(page, `id="draft-restored"`) {
		t.Errorf("after discarding:\n%s", page)
	}

	// Saving a version ends the working copy.
	b.autosave(c.ID, 0, "一、工作开展情况", "将要保存的内容")
	resp, _ = b.post(path, url.Values{"base_version": {"0"}, "heading": {"一、工作开展情况"}, "body": {"将要保存的内容"}, "op": {"save"}})
	_, page = b.follow(resp)
	if !strings.Contains(page, "答复稿已保存为第1版。") || strings.Contains(page, `id="draft-restored"`) {
		t.Errorf("after saving, the working copy is still shown:\n%s", page)
	}
	// Same text as the version: nothing to restore.
	b.autosave(c.ID, 1, "一、工作开展情况", "将要保存的内容\n")
	if _, page = b.get(path); strings.Contains(page, `id="draft-restored"`) {
		t.Error("a working copy equal to the version is shown as restored")
	}

	// A reviewer, who may not save a version now, keeps no working copy.
	if resp, body := cw.login(t, "scjg.reviewer").autosave(c.ID, 1, "一、", "审核人的文字"); resp.StatusCode != http.StatusForbidden ||
		!strings.Contains(resp.Header.Get("Content-Type"), "problem+json") {
		t.Errorf("reviewer's autosave: %d %s", resp.StatusCode, body)
	}
	// Over the limits: refused, naming them.
	if resp, body := b.autosave(c.ID, 1, "一、", strings.Repeat("字", 50001)); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "50000") {
		t.Errorf("autosave over the limit: %d %s", resp.StatusCode, body)
	}
}

// TestDraftKeptAfterLoginEnded: a draft saved after the login ended is not
// lost: the page says the login ended, shows the text and leads to the
// login, coming back to the editor, which shows the text again; so does an
// autosave after the end. Without the session's CSRF token nothing is
// stored for its user.
func TestDraftKeptAfterLoginEnded(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	c := cw.caseOf(t, "关于加强农贸市场计量器具监管的建议", "scjg")
	path := fmt.Sprintf("/cases/%d/draft", c.ID)
	end := func(b *cwBrowser) {
		t.Helper()
		// Idle for a month.
		_, err := cw.db.Pool.Exec(cw.ctx, `UPDATE login_sessions SET created_at = $2, last_seen_at = $2 WHERE user_id = $1`,
			b.actor.UserID, cw.db.Clock.Now().AddDate(0, -1, 0))
		mustT(t, err)
	}
	text := "登录过期前写好的第一段\n第二段"

	b := cw.login(t, "scjg.drafter")
	end(b)
	resp, page := b.post(path, url.Values{"base_version": {"0"}, "heading": {"一、工作开展情况"}, "body": {text}, "op": {"save"}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("save after the login ended: %d\n%s", resp.StatusCode, page)
	}
	for _, want := range []string{"<h1>登录已过期</h1>", `id="expired-kept"`, ">" + text + "</textarea>",
		`href="/login?next=%2Fcases%2F` + fmt.Sprint(c.ID) + `%2Fdraft" id="expired-login"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page after the login ended lacks %s", want)
		}
	}
	checkCasePage(t, "login ended", page)
	if ds, _ := cw.db.Drafts(cw.ctx, c.ID); len(ds) != 0 {
		t.Fatal("a version was saved without a login")
	}
	// Logged in again: the editor shows the text.
	b = cw.login(t, "scjg.drafter")
	_, page = b.get(path)
	if !strings.Contains(page, `id="draft-restored"`) || !strings.Contains(page, ">"+text+"</textarea>") {
		t.Errorf("the editor after logging in again lacks the kept text:\n%s", page)
	}
	b.post(path+"/discard", nil)

	// The script's autosave after the end: 401, kept all the same.
	end(b)
	if resp, body := b.autosave(c.ID, 0, "一、工作开展情况", "自动保存时登录已过期"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("autosave after the end: %d %s", resp.StatusCode, body)
	}
	b = cw.login(t, "scjg.drafter")
	if _, page = b.get(path); !strings.Contains(page, ">自动保存时登录已过期</textarea>") {
		t.Error("the autosave sent after the login ended was not kept")
	}
	b.post(path+"/discard", nil)

	// A wrong CSRF token: the text is shown, nothing is stored.
	end(b)
	resp, page = b.postRaw(path, url.Values{"csrf_token": {"forged"}, "base_version": {"0"}, "heading": {"一、"}, "body": {"伪造的内容"}})
	if resp.StatusCode != http.StatusUnauthorized || strings.Contains(page, `id="expired-kept"`) || !strings.Contains(page, ">伪造的内容</textarea>") {
		t.Errorf("forged save after the end: %d", resp.StatusCode)
	}
	b = cw.login(t, "scjg.drafter")
	if _, page = b.get(path); strings.Contains(page, "伪造的内容") {
		t.Error("a form without the session's CSRF token was stored for its user")
	}
}
