package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

var (
	flashErrRe = regexp.MustCompile(`(?s)<div class="flash flash-error" role="status">(.*?)</div>`)
	alertRe    = regexp.MustCompile(`(?s)<p role="alert">(.*?)</p>`)
	fieldPath  = regexp.MustCompile(`[a-z_]+\[\d+\]|\bversion\b|case \d+`)
	latinWord  = regexp.MustCompile(`[A-Za-z]{3,}`)
	hanRe      = regexp.MustCompile(`\p{Han}`)
)

// checkRefusal: a refusal a person reads names no action identifier, no
// field path, version or case id, and is in the page's language: no
// English words in Chinese, no Chinese in English but the names of the
// data (units) it quotes. In English a one-word action identifier
// (submit, sign, …) is an English word; the compound ones are code.
func checkRefusal(t *testing.T, what, lang, msg string, data []string) {
	t.Helper()
	if strings.TrimSpace(msg) == "" {
		t.Errorf("%s (%s): no message", what, lang)
		return
	}
	for _, a := range workflow.AllActions() {
		id := string(a)
		if (lang == "zh-CN" || strings.Contains(id, "_")) && strings.Contains(msg, id) {
			t.Errorf("%s (%s): names the action %s: %q", what, lang, id, msg)
		}
	}
	if m := fieldPath.FindString(msg); m != "" {
		t.Errorf("%s (%s): field path %q in %q", what, lang, m, msg)
	}
	switch lang {
	case "zh-CN":
		if m := latinWord.FindString(msg); m != "" {
			t.Errorf("%s: English %q in the Chinese message %q", what, m, msg)
		}
		if strings.Contains(msg, "案件") {
			t.Errorf("%s: 案件 in %q", what, msg)
		}
	default:
		rest := msg
		for _, d := range data {
			rest = strings.ReplaceAll(rest, d, "")
		}
		if hanRe.MatchString(rest) {
			t.Errorf("%s: Chinese in the English message %q", what, msg)
		}
	}
}

// TestRefusalsInPlainWords walks a table of refusals — each guard of the
// transition table failing, and the other rules that refuse an action —
// through the case page's form and the JSON API, in both languages: each
// is refused with the right status and a message for people.
func TestRefusalsInPlainWords(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	now := cw.db.Clock.Now()
	liaison := cw.login(t, "dcs.liaison")
	scjg, err := cw.db.DepartmentByCode(cw.ctx, "scjg")
	mustT(t, err)
	// A case assigned six weeks ago, never accepted: its return window is over.
	var late *workflow.Case
	{
		p := &workflow.Proposal{SessionID: 0, Number: "T-1", Kind: workflow.ProposalSuggestion, Title: "关于测试退回期限的建议",
			Body: "测试", SubmittedOn: workflow.DateOf(now.AddDate(0, 0, -60))}
		var sessionID int64
		mustT(t, cw.db.Pool.QueryRow(cw.ctx, `SELECT max(id) FROM congress_sessions`).Scan(&sessionID))
		p.SessionID = sessionID
		var deputy int64
		mustT(t, cw.db.Pool.QueryRow(cw.ctx, `SELECT min(id) FROM deputies`).Scan(&deputy))
		p.DeputyIDs = []int64{deputy}
		mustT(t, cw.db.CreateProposal(cw.ctx, p))
		late, err = cw.db.Assign(cw.ctx, storage.AssignCmd{ProposalID: p.ID, DepartmentID: scjg.ID, Kind: workflow.KindLead,
			Actor: liaison.actor, At: now.Add(-42 * 24 * time.Hour)})
		mustT(t, err)
	}
	units := []string{"武汉市教育局", "武汉市市场监督管理局"}
	type refusal struct {
		name   string
		login  string
		c      *workflow.Case
		action workflow.Action
		form   url.Values
		status int
		// stale sends a version older than the case's.
		stale bool
	}
	cs := func(title, unit string) *workflow.Case { return cw.caseOf(t, title, unit) }
	drafting := cs("关于推进中小学课后服务提质扩面的建议", "jyj")
	review := cs("关于加强直播带货监管的建议", "scjg")
	approval := cs("关于优化科技型企业认定服务的建议", "kcj")
	replied := cs("关于完善涉企行政执法检查机制的建议", "scjg")
	extPending := cs("关于优化义务教育学区划分的建议", "jyj")
	coCase := cs("关于推进知识产权质押融资的建议", "kcj")
	table := []refusal{
		{"within_return_window", "scjg.drafter", late, workflow.ActionRequestReturn, url.Values{"comment": {"非我单位职责"}}, http.StatusConflict, false},
		{"comment_given", "scjg.reviewer", review, workflow.ActionReturnForRevision, nil, http.StatusUnprocessableEntity, false},
		{"has_draft", "jyj.drafter", drafting, workflow.ActionSubmit, nil, http.StatusConflict, false},
		{"reply_decided", "kcj.approver", approval, workflow.ActionSign, nil, http.StatusUnprocessableEntity, false},
		{"co_opinions_pending", "dcs.liaison", drafting, workflow.ActionWaiveCoOpinions, nil, http.StatusConflict, false},
		{"feedback_complete", "dcs.liaison", replied, workflow.ActionRecordFeedback, url.Values{"work_rating": {"satisfied"}}, http.StatusUnprocessableEntity, false},
		{"no_extension_pending", "jyj.drafter", extPending, workflow.ActionRequestExtension, url.Values{"comment": {"需要时间"}, "due": {"2028-01-10"}}, http.StatusConflict, false},
		{"extension_pending", "dcs.liaison", drafting, workflow.ActionGrantExtension, url.Values{"due": {"2028-01-10"}}, http.StatusConflict, false},
		{"extension_within_cap", "jyj.drafter", drafting, workflow.ActionRequestExtension, url.Values{"comment": {"需要时间"}, "due": {"2031-01-10"}}, http.StatusUnprocessableEntity, false},
		{"not available in the state", "scjg.drafter", review, workflow.ActionAccept, nil, http.StatusConflict, false},
		{"not the role's", "scjg.drafter", review, workflow.ActionForward, nil, http.StatusForbidden, false},
		{"stale page", "scjg.reviewer", review, workflow.ActionForward, nil, http.StatusConflict, true},
		{"read only", "scjg.drafter", coCase, workflow.ActionSubmit, nil, http.StatusForbidden, false},
	}
	if approval.State != workflow.StateAwaitingApproval || review.State != workflow.StateInReview || replied.State != workflow.StateReplied {
		t.Fatalf("demo states changed: %s %s %s", approval.State, review.State, replied.State)
	}
	for _, lang := range []string{"zh-CN", "en"} {
		for _, rf := range table {
			b := cw.login(t, rf.login)
			b.setLang(lang)
			what := fmt.Sprintf("%s (%s %s on case %d)", rf.name, rf.login, rf.action, rf.c.ID)
			version := rf.c.Version
			if rf.stale {
				version--
			}
			form := url.Values{"version": {fmt.Sprint(version)}}
			for k, v := range rf.form {
				form[k] = v
			}
			resp, page := b.post(fmt.Sprintf("/cases/%d/actions/%s", rf.c.ID, rf.action), form)
			if resp.StatusCode != rf.status {
				t.Errorf("%s: form %d, want %d", what, resp.StatusCode, rf.status)
			}
			msg := flashErrRe.FindStringSubmatch(page)
			if msg == nil {
				msg = alertRe.FindStringSubmatch(page)
			}
			if msg == nil {
				t.Errorf("%s: the page shows no refusal", what)
			} else {
				checkRefusal(t, what+" form", lang, html.UnescapeString(msg[1]), units)
			}
			body := map[string]any{"version": version}
			for k, v := range rf.form {
				body[k] = v[0]
			}
			aresp, out := b.api(http.MethodPost, fmt.Sprintf("/api/cases/%d/actions/%s", rf.c.ID, rf.action), body)
			if aresp.StatusCode != rf.status || out["code"] == nil || out["code"] == "" {
				t.Errorf("%s: API %d %v, want %d", what, aresp.StatusCode, out, rf.status)
			}
			detail, _ := out["detail"].(string)
			checkRefusal(t, what+" API", lang, detail, units)
		}
		// The API's own refusals: no version, a malformed body, an unknown
		// action.
		b := cw.login(t, "scjg.reviewer")
		b.setLang(lang)
		for _, tc := range []struct {
			name   string
			path   string
			body   any
			status int
		}{
			{"no version", fmt.Sprintf("/api/cases/%d/actions/forward", review.ID), map[string]any{}, http.StatusUnprocessableEntity},
			{"bad JSON", fmt.Sprintf("/api/cases/%d/actions/forward", review.ID), `{"version": "x"}`, http.StatusUnprocessableEntity},
			{"unknown action", fmt.Sprintf("/api/cases/%d/actions/burn", review.ID), map[string]any{"version": review.Version}, http.StatusNotFound},
			{"unknown case", "/api/cases/99999999/actions/forward", map[string]any{"version": 1}, http.StatusNotFound},
		} {
			resp, out := b.api(http.MethodPost, tc.path, tc.body)
			if resp.StatusCode != tc.status {
				t.Errorf("%s: API %d, want %d", tc.name, resp.StatusCode, tc.status)
			}
			detail, _ := out["detail"].(string)
			checkRefusal(t, tc.name+" API", lang, detail, nil)
		}
	}
}
