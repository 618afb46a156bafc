package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

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
