package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// TestKeySuggestionsDashboard: the liaison marks suggestions as key on the
// proposal page; the dashboard's section lists each with its leader, unit,
// state, reply due date, last progress report and next report's due date,
// marked overdue when it passed (counted on 2024-09-10); a suggestion that
// is not key is not listed. A merge shows on both proposal pages.
func TestKeySuggestionsDashboard(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2024-09-10"))
	liaison := w.login(t, "liaison")

	p1 := w.proposal(t)
	c1 := w.assign(t, p1, "ua", workflow.KindLead, "2024-07-01")
	r := liaison.post(fmt.Sprintf("/proposals/%d/key", p1.ID), url.Values{"leader_name": {"王建国"}, "leader_title": {"副市长"}, "office": {""}})
	if r.Status == http.StatusSeeOther || !strings.Contains(r.Body, "请填写督办单位。") {
		t.Fatalf("a key mark without an office: status %d", r.Status)
	}
	r = liaison.post(fmt.Sprintf("/proposals/%d/key", p1.ID), url.Values{"leader_name": {"王建国"}, "leader_title": {"副市长"}, "office": {"市政府督查室"}})
	wantStatusSV(t, "POST key", r, http.StatusSeeOther)
	page := liaison.get(fmt.Sprintf("/proposals/%d", p1.ID)).Body
	if got := svText(svElement(page, `id="key-mark"`)); !strings.Contains(got, "王建国（副市长）") || !strings.Contains(got, "市政府督查室") {
		t.Errorf("proposal page's key mark: %q", got)
	}

	p2 := w.proposal(t)
	c2 := w.assign(t, p2, "ub", workflow.KindLead, "2024-08-20")
	mustT(t, w.db.MarkKey(w.ctx, w.actors["liaison"], workflow.KeyMark{ProposalID: p2.ID, LeaderName: "李明", LeaderTitle: "秘书长", Office: "市政府督查室"}, time.Time{}))
	mustT(t, w.db.AddProgressReport(w.ctx, w.actors["ub.drafter"], &workflow.ProgressReport{CaseID: c2.ID,
		ReportedOn: svDate(t, "2024-09-02"), Body: "已召开专题会议研究。"}, time.Time{}))
	w.assign(t, w.proposal(t), "uc", workflow.KindLead, "2024-07-01") // not key

	page = liaison.get("/supervision").Body
	if ids := svCaseIDs(page, "key-suggestions-table"); strings.Join(ids, ",") != fmt.Sprintf("%d,%d", c1.ID, c2.ID) {
		t.Fatalf("key suggestions listed: %v, want cases %d and %d", ids, c1.ID, c2.ID)
	}
	// 30 days after 07-01 is 07-31: overdue on 09-10.
	row := svRow(t, page, "key-suggestions-table", fmt.Sprintf(`data-case="%d"`, c1.ID))
	want := []string{p1.Number, p1.Title, "王建国（副市长）", "单位A", "待签收", "2024-10-08", "尚未报送办理进展。", "2024-07-31 已逾期"}
	if strings.Join(row, "|") != strings.Join(want, "|") {
		t.Errorf("row of %s:\n%q\nwant\n%q", p1.Number, row, want)
	}
	if !strings.Contains(svElement(page, fmt.Sprintf(`data-case="%d"`, c1.ID)), `data-progress-overdue="1"`) {
		t.Errorf("the overdue report of %s is not marked", p1.Number)
	}
	// 30 days after the report of 09-02 is 10-02, in the National Day
	// holiday: the next working day, 10-08.
	row = svRow(t, page, "key-suggestions-table", fmt.Sprintf(`data-case="%d"`, c2.ID))
	want = []string{p2.Number, p2.Title, "李明（秘书长）", "单位B", "待签收", "2024-11-20", "2024-09-02 已召开专题会议研究。", "2024-10-08"}
	if strings.Join(row, "|") != strings.Join(want, "|") {
		t.Errorf("row of %s:\n%q\nwant\n%q", p2.Number, row, want)
	}

	// 并案 on the proposal pages.
	p4 := w.proposal(t)
	c4 := w.assign(t, p4, "ua", workflow.KindLead, "2024-07-01")
	r = liaison.post(fmt.Sprintf("/proposals/%d/merge", p1.ID), url.Values{"number": {p4.Number}})
	wantStatusSV(t, "POST merge", r, http.StatusSeeOther)
	page = liaison.get(fmt.Sprintf("/proposals/%d", p4.ID)).Body
	if got := svText(svElement(page, `id="merge-mark"`)); got != "并案 已与第"+p1.Number+"号建议并案办理" {
		t.Errorf("merged proposal's mark: %q", got)
	}
	page = liaison.get(fmt.Sprintf("/proposals/%d", p1.ID)).Body
	if got := svText(svElement(page, `id="merge-mark"`)); !strings.Contains(got, "第"+p4.Number+"号建议已并入本建议办理") {
		t.Errorf("main proposal's mark: %q", got)
	}
	// …and on the list of cases: the key mark, the merge on both.
	page = liaison.get("/supervision/cases").Body
	for _, c := range []struct {
		p    *workflow.Proposal
		want string
		c    *workflow.Case
	}{{p1, "重点建议 并案", c1}, {p2, "重点建议", c2}, {p4, "并案", c4}} {
		got := svText(svElement(page, fmt.Sprintf(`data-case="%d"`, c.c.ID)))
		if want := "第" + c.p.Number + "号 " + c.want + " " + c.p.Title; !strings.Contains(got, want) {
			t.Errorf("list's row of %s: %q, want %q", c.p.Number, got, want)
		}
	}
	r = liaison.post(fmt.Sprintf("/proposals/%d/merge", p2.ID), url.Values{"number": {"99999999"}})
	if r.Status == http.StatusSeeOther || !strings.Contains(r.Body, "本次会议没有第99999999号建议") {
		t.Errorf("merge with an unknown number: status %d", r.Status)
	}
}

// TestKeySignNeedsPrincipal: on a key suggestion awaiting sign-off, the
// approver who is not the unit's principal leader sees 签发 disabled with
// the reason; once an admin marks them principal leader, it is a form. On a
// merged suggestion's case the unit's 签收 is disabled, naming the main
// suggestion.
func TestKeySignNeedsPrincipal(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2024-08-20"))
	p := w.proposal(t)
	c := w.assign(t, p, "ua", workflow.KindLead, "2024-07-01")
	mustT(t, w.db.MarkKey(w.ctx, w.actors["liaison"], workflow.KeyMark{ProposalID: p.ID, LeaderName: "王建国", Office: "市政府督查室"}, time.Time{}))
	c = w.act(t, c, workflow.ActionAccept, "ua.drafter", "2024-07-02", workflow.Input{})
	_, err := w.db.SaveDraft(w.ctx, storage.SaveDraftCmd{CaseID: c.ID, Actor: w.actors["ua.drafter"], At: svAt(t, "2024-08-01"),
		Sections: []workflow.Section{{Heading: "一、工作开展情况", Body: "正文"}}})
	mustT(t, err)
	c = w.act(t, c, workflow.ActionSubmit, "ua.drafter", "2024-08-01", workflow.Input{})
	w.act(t, c, workflow.ActionForward, "ua.reviewer", "2024-08-02", workflow.Input{})

	approver := w.login(t, "ua.approver")
	page := approver.get(fmt.Sprintf("/cases/%d", c.ID)).Body
	button := svElement(page, `id="sign-submit"`)
	if !strings.Contains(button, "disabled") {
		t.Fatalf("sign by an approver who is not the principal leader: %q", button)
	}
	if got := svText(svElement(page, `id="sign-reason"`)); !strings.Contains(got, "须由本单位主要负责人签发") {
		t.Errorf("reason: %q", got)
	}
	admin := w.login(t, "admin")
	r := admin.post(fmt.Sprintf("/admin/users/%d/principal", w.actors["ua.approver"].UserID), url.Values{"principal": {"1"}})
	wantStatusSV(t, "POST principal", r, http.StatusSeeOther)
	page = approver.get(fmt.Sprintf("/cases/%d", c.ID)).Body
	if form := svElement(page, `id="action-sign"`); !strings.HasPrefix(form, "<form") {
		t.Errorf("sign by the principal leader is not a form: %q", form)
	}
	if log := admin.get("/admin/log").Body; !strings.Contains(log, "设为本单位主要负责人") {
		t.Error("the administration log does not record the principal leader")
	}

	main, other := w.proposal(t), w.proposal(t)
	w.assign(t, main, "ub", workflow.KindLead, "2024-08-19")
	oc := w.assign(t, other, "ub", workflow.KindLead, "2024-08-19")
	mustT(t, w.db.Merge(w.ctx, w.actors["liaison"], main.ID, other.ID, time.Time{}))
	page = w.login(t, "ub.drafter").get(fmt.Sprintf("/cases/%d", oc.ID)).Body
	if got := svText(svElement(page, `id="accept-reason"`)); !strings.Contains(got, "已与第"+main.Number+"号建议并案办理") {
		t.Errorf("accept on the merged case: %q", got)
	}
	if got := svText(svElement(page, `id="merge-mark"`)); !strings.Contains(got, "已与第"+main.Number+"号建议并案办理") {
		t.Errorf("the merged case's mark: %q", got)
	}
}
