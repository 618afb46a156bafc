package storage_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

func hasReminder(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// TestKeySuggestion: the liaison marks a suggestion as key; its case gets a
// progress report deadline 30 days after assignment with reminders; a
// report moves it; the sign-off needs the unit's principal leader; the
// reply ends the deadline and cancels its reminders.
func TestKeySuggestion(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	clock := on(t, "2024-07-01")
	bn.db.Clock = workflow.FixedClock(clock)
	step := func(day string) time.Time { clock = on(t, day); bn.db.Clock = workflow.FixedClock(clock); return clock }
	c := bn.assign(t, bn.unitA, workflow.KindLead, step("2024-07-01"))

	mark := workflow.KeyMark{ProposalID: bn.proposal.ID, LeaderName: "王建国", LeaderTitle: "副市长", Office: "市政府督查室"}
	wantCode(t, bn.db.MarkKey(bn.ctx, bn.a[workflow.RoleApprover], mark, time.Time{}), workflow.ErrForbidden) // the unit does not mark itself
	wantCode(t, bn.db.MarkKey(bn.ctx, bn.liaison, workflow.KeyMark{ProposalID: bn.proposal.ID, Office: "市政府督查室"}, time.Time{}), workflow.ErrInvalid)
	step("2024-07-02")
	must(t, bn.db.MarkKey(bn.ctx, bn.liaison, mark, time.Time{}))
	got, key, err := bn.db.KeyMarkOf(bn.ctx, bn.proposal.ID)
	must(t, err)
	if !key || got.Leader() != "王建国（副市长）" || got.Office != "市政府督查室" {
		t.Errorf("key mark: %v %+v", key, got)
	}
	// 30 days after assignment (07-01) is 07-31, a Wednesday.
	if kinds := activeKinds(t, bn, c.ID); !strings.Contains(kinds, "progress 2024-07-31") {
		t.Errorf("after marking: %s", kinds)
	}
	if r := pendingReminders(t, bn, c.ID); !hasReminder(r, "progress due 2024-07-31") || !hasReminder(r, "progress overdue 2024-08-01") {
		t.Errorf("progress reminders: %v", r)
	}

	c = bn.act(t, c, workflow.ActionAccept, bn.a[workflow.RoleDrafter], step("2024-07-03"), workflow.Input{})
	step("2024-07-22")
	rep := &workflow.ProgressReport{CaseID: c.ID, ReportedOn: date(t, "2024-07-22"), Body: "已完成实地调研，正在制定方案。"}
	wantCode(t, bn.db.AddProgressReport(bn.ctx, bn.b[workflow.RoleDrafter], rep, time.Time{}), workflow.ErrForbidden) // another unit
	wantCode(t, bn.db.AddProgressReport(bn.ctx, bn.a[workflow.RoleDrafter],
		&workflow.ProgressReport{CaseID: c.ID, ReportedOn: date(t, "2024-07-23"), Body: "明天的进展"}, time.Time{}), workflow.ErrInvalid)
	must(t, bn.db.AddProgressReport(bn.ctx, bn.a[workflow.RoleDrafter], rep, time.Time{}))
	// The next report: 30 days after 07-22, 08-21.
	if kinds := activeKinds(t, bn, c.ID); !strings.Contains(kinds, "progress 2024-07-31 (moved)") || !strings.HasSuffix(kinds, "progress 2024-08-21") {
		t.Errorf("after a report: %s", kinds)
	}
	if r := pendingReminders(t, bn, c.ID); hasReminder(r, "progress due 2024-07-31") || !hasReminder(r, "progress due 2024-08-21") {
		t.Errorf("reminders after a report: %v", r)
	}
	list, err := bn.db.KeySuggestions(bn.ctx, bn.session.ID)
	must(t, err)
	if len(list) != 1 || list[0].LastReport.Body != rep.Body || list[0].ProgressDue != date(t, "2024-08-21") ||
		list[0].Department != bn.unitA.Name || list[0].ProgressOverdue(date(t, "2024-08-21")) || !list[0].ProgressOverdue(date(t, "2024-08-22")) {
		t.Errorf("key suggestions: %+v", list)
	}

	// The sign-off needs the principal leader.
	bn.draft(t, c, bn.a[workflow.RoleDrafter], 0, step("2024-08-01"))
	c = bn.act(t, c, workflow.ActionSubmit, bn.a[workflow.RoleDrafter], clock, workflow.Input{})
	c = bn.act(t, c, workflow.ActionForward, bn.a[workflow.RoleReviewer], step("2024-08-02"), workflow.Input{})
	sign := workflow.Input{Class: workflow.ClassB, Disclosure: workflow.DisclosePublic}
	_, err = bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: c.ID, Action: workflow.ActionSign, Actor: bn.a[workflow.RoleApprover],
		ExpectedVersion: c.Version, Input: sign, At: step("2024-08-05")})
	wantCode(t, err, workflow.ErrForbidden)
	if workflow.RuleOf(err) != workflow.GuardPrincipalLeader.Name {
		t.Errorf("sign by an approver who is not the principal leader: %v", err)
	}
	approver := bn.a[workflow.RoleApprover].UserID
	must(t, bn.db.SetPrincipalLeader(bn.ctx, workflow.CommandLine("tester"), approver, true))
	events, _, err := bn.db.AdminEvents(bn.ctx, storage.AdminEventQuery{UserID: approver, Limit: 10})
	must(t, err)
	if !slices.ContainsFunc(events, func(e *workflow.AdminEvent) bool { return e.Change == workflow.ChangePrincipalSet }) {
		t.Errorf("the principal leader's mark is not in the administration log: %+v", events)
	}
	u, err := bn.db.User(bn.ctx, approver)
	must(t, err)
	if !u.PrincipalLeader {
		t.Error("the user is not marked as principal leader")
	}
	c = bn.act(t, c, workflow.ActionSign, bn.a[workflow.RoleApprover], clock, sign)
	c = bn.act(t, c, workflow.ActionSend, bn.a[workflow.RoleDrafter], step("2024-08-06"), workflow.Input{})
	if kinds := activeKinds(t, bn, c.ID); !strings.Contains(kinds, "progress 2024-08-21 (met)") {
		t.Errorf("after the reply: %s", kinds)
	}
	if r := pendingReminders(t, bn, c.ID); hasReminder(r, "progress") {
		t.Errorf("progress reminders after the reply: %v", r)
	}
	if rep := bn.verify(t); len(rep.Breaks) > 0 {
		t.Errorf("audit: %+v", rep.Breaks)
	}
}

// TestUnmarkKey: taking the mark off ends the progress deadline and its
// reminders, and a report is then refused.
func TestUnmarkKey(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	bn.db.Clock = workflow.FixedClock(on(t, "2024-07-01"))
	c := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-07-01"))
	must(t, bn.db.MarkKey(bn.ctx, bn.liaison, workflow.KeyMark{ProposalID: bn.proposal.ID, LeaderName: "王建国", Office: "市政府督查室"}, time.Time{}))
	must(t, bn.db.UnmarkKey(bn.ctx, bn.liaison, bn.proposal.ID, time.Time{}))
	if kinds := activeKinds(t, bn, c.ID); !strings.Contains(kinds, "progress 2024-07-31 (void)") {
		t.Errorf("after unmarking: %s", kinds)
	}
	if r := pendingReminders(t, bn, c.ID); hasReminder(r, "progress") {
		t.Errorf("progress reminders after unmarking: %v", r)
	}
	wantCode(t, bn.db.UnmarkKey(bn.ctx, bn.liaison, bn.proposal.ID, time.Time{}), workflow.ErrConflict)
	err := bn.db.AddProgressReport(bn.ctx, bn.a[workflow.RoleDrafter], &workflow.ProgressReport{CaseID: c.ID, ReportedOn: date(t, "2024-07-01"), Body: "进展"}, time.Time{})
	wantCode(t, err, workflow.ErrConflict)
}

// twin registers a second suggestion of the session and assigns it to
// unit A as lead.
func (bn *bundle) twin(t *testing.T, number string, at time.Time) (*workflow.Proposal, *workflow.Case) {
	t.Helper()
	dep := &workflow.Deputy{Name: "李代表"}
	must(t, bn.db.CreateDeputy(bn.ctx, dep))
	p := &workflow.Proposal{SessionID: bn.session.ID, Number: number, Title: "关于促进科技成果在汉转化的建议",
		SubmittedOn: date(t, "2024-01-10"), DeputyIDs: []int64{dep.ID}}
	must(t, bn.db.CreateProposal(bn.ctx, p))
	c, err := bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: p.ID, DepartmentID: bn.unitA.ID, Kind: workflow.KindLead, Actor: bn.liaison, At: at})
	must(t, err)
	return p, c
}

// TestMergeMovesTogether: two duplicate suggestions merged; the unit acts on
// the main case only, the merged case follows it step by step, and at the
// end each suggestion has its own reply — its own title — from the one
// draft, and its own feedback.
func TestMergeMovesTogether(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	A := bn.a
	bn.db.Clock = workflow.FixedClock(on(t, "2024-07-01"))
	main := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-07-01"))
	other, oc := bn.twin(t, "20240295", on(t, "2024-07-01"))

	wantCode(t, bn.db.Merge(bn.ctx, A[workflow.RoleApprover], bn.proposal.ID, other.ID, time.Time{}), workflow.ErrForbidden)
	must(t, bn.db.Merge(bn.ctx, bn.liaison, bn.proposal.ID, other.ID, time.Time{}))
	wantCode(t, bn.db.Merge(bn.ctx, bn.liaison, bn.proposal.ID, other.ID, time.Time{}), workflow.ErrConflict) // already merged
	m, err := bn.db.MergeOf(bn.ctx, other.ID)
	must(t, err)
	if m.Into.Number != "20240294" {
		t.Errorf("merge of the other: %+v", m)
	}

	// The merged case does not move on its own.
	_, err = bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: oc.ID, Action: workflow.ActionAccept, Actor: A[workflow.RoleDrafter],
		ExpectedVersion: oc.Version, At: on(t, "2024-07-02")})
	wantCode(t, err, workflow.ErrConflict)
	if !strings.Contains(workflow.Message(err), "第20240294号建议") {
		t.Errorf("refusal on the merged case: %v", err)
	}

	main = bn.act(t, main, workflow.ActionAccept, A[workflow.RoleDrafter], on(t, "2024-07-02"), workflow.Input{})
	state := func() workflow.State {
		c, err := bn.db.Case(bn.ctx, oc.ID)
		must(t, err)
		return c.State
	}
	if s := state(); s != workflow.StateDrafting {
		t.Fatalf("merged case after the main's acceptance: %s", s)
	}
	wantCode(t, bn.db.Unmerge(bn.ctx, bn.liaison, other.ID, time.Time{}), workflow.ErrConflict) // drafting has started

	bn.draft(t, main, A[workflow.RoleDrafter], 0, on(t, "2024-07-10"))
	main = bn.act(t, main, workflow.ActionSubmit, A[workflow.RoleDrafter], on(t, "2024-07-10"), workflow.Input{})
	main = bn.act(t, main, workflow.ActionReturnForRevision, A[workflow.RoleReviewer], on(t, "2024-07-11"), workflow.Input{Comment: "请补充数据"})
	if s := state(); s != workflow.StateDrafting {
		t.Errorf("merged case after a return for revision: %s", s)
	}
	main = bn.act(t, main, workflow.ActionSubmit, A[workflow.RoleDrafter], on(t, "2024-07-12"), workflow.Input{})
	main = bn.act(t, main, workflow.ActionForward, A[workflow.RoleReviewer], on(t, "2024-07-15"), workflow.Input{})
	sign := workflow.Input{Class: workflow.ClassA, Disclosure: workflow.DisclosePublic, DocumentNumber: "武市监建〔2024〕300号"}
	main = bn.act(t, main, workflow.ActionSign, A[workflow.RoleApprover], on(t, "2024-07-16"), sign)
	if s := state(); s != workflow.StateApproved {
		t.Errorf("merged case after the sign-off: %s", s)
	}
	main = bn.act(t, main, workflow.ActionSend, A[workflow.RoleDrafter], on(t, "2024-07-17"), workflow.Input{})
	if s := state(); s != workflow.StateReplied {
		t.Fatalf("merged case after sending: %s", s)
	}
	mainReplies, err := bn.db.CaseReplies(bn.ctx, main.ID)
	must(t, err)
	otherReplies, err := bn.db.CaseReplies(bn.ctx, oc.ID)
	must(t, err)
	if len(mainReplies) != 1 || len(otherReplies) != 1 {
		t.Fatalf("replies: main %d, merged %d", len(mainReplies), len(otherReplies))
	}
	mr, or := mainReplies[0], otherReplies[0]
	if or.PublicationTitle != "关于市十五届人大三次会议第20240295号建议的答复" || mr.PublicationTitle != "关于市十五届人大三次会议第20240294号建议的答复" {
		t.Errorf("titles: main %q, merged %q", mr.PublicationTitle, or.PublicationTitle)
	}
	if or.Class != workflow.ClassA || or.SentAt.IsZero() || len(or.Sections) != len(mr.Sections) || or.Sections[0] != mr.Sections[0] {
		t.Errorf("merged reply: %+v", or)
	}
	// Each deputy's feedback is on their own suggestion.
	oc, err = bn.db.Case(bn.ctx, oc.ID)
	must(t, err)
	bn.act(t, oc, workflow.ActionRecordFeedback, bn.liaison, on(t, "2024-07-25"),
		workflow.Input{WorkRating: workflow.RatingSatisfied, ResultRating: workflow.RatingSatisfied})
	if s := state(); s != workflow.StateClosed {
		t.Errorf("merged case after its feedback: %s", s)
	}
	if c, _ := bn.db.Case(bn.ctx, main.ID); c.State != workflow.StateReplied {
		t.Errorf("main case after the merged one's feedback: %s", c.State)
	}
	if kinds := activeKinds(t, bn, oc.ID); !strings.Contains(kinds, "reply 2024-10-08 (met)") {
		t.Errorf("merged case deadlines: %s", kinds)
	}
	if rep := bn.verify(t); len(rep.Breaks) > 0 {
		t.Errorf("audit: %+v", rep.Breaks)
	}
}

// TestUnmerge: before drafting starts a merge can be undone; the cases then
// move on their own again.
func TestUnmerge(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	bn.db.Clock = workflow.FixedClock(on(t, "2024-07-01"))
	main := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-07-01"))
	other, oc := bn.twin(t, "20240295", on(t, "2024-07-01"))
	wantCode(t, bn.db.Unmerge(bn.ctx, bn.liaison, other.ID, time.Time{}), workflow.ErrConflict) // not merged
	must(t, bn.db.Merge(bn.ctx, bn.liaison, bn.proposal.ID, other.ID, time.Time{}))
	// No chains: the main suggestion cannot itself be merged into the other.
	wantCode(t, bn.db.Merge(bn.ctx, bn.liaison, other.ID, bn.proposal.ID, time.Time{}), workflow.ErrConflict)
	must(t, bn.db.Unmerge(bn.ctx, bn.liaison, other.ID, time.Time{}))
	if m, err := bn.db.MergeOf(bn.ctx, bn.proposal.ID); err != nil || m.Any() {
		t.Errorf("after unmerging: %+v %v", m, err)
	}
	bn.act(t, main, workflow.ActionAccept, bn.a[workflow.RoleDrafter], on(t, "2024-07-02"), workflow.Input{})
	if c, _ := bn.db.Case(bn.ctx, oc.ID); c.State != workflow.StateAssigned {
		t.Errorf("the unmerged case moved with the other: %s", c.State)
	}
	bn.act(t, oc, workflow.ActionAccept, bn.a[workflow.RoleDrafter], on(t, "2024-07-02"), workflow.Input{})
	if rep := bn.verify(t); len(rep.Breaks) > 0 {
		t.Errorf("audit: %+v", rep.Breaks)
	}
}

// TestWithdrawMainReleasesMerged: when the main suggestion of a merge is
// withdrawn, the suggestion merged into it is released and goes on by
// itself, recorded in its audit chain.
func TestWithdrawMainReleasesMerged(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	bn.db.Clock = workflow.FixedClock(on(t, "2024-07-01"))
	main := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-07-01"))
	other, oc := bn.twin(t, "20240295", on(t, "2024-07-01"))
	must(t, bn.db.Merge(bn.ctx, bn.liaison, bn.proposal.ID, other.ID, time.Time{}))
	bn.act(t, main, workflow.ActionAccept, bn.a[workflow.RoleDrafter], on(t, "2024-07-02"), workflow.Input{})
	if c, _ := bn.db.Case(bn.ctx, oc.ID); c.State != workflow.StateDrafting {
		t.Fatalf("the merged case did not follow the acceptance: %s", c.State)
	}
	main, err := bn.db.Case(bn.ctx, main.ID)
	must(t, err)
	bn.act(t, main, workflow.ActionWithdraw, bn.liaison, on(t, "2024-07-03"), workflow.Input{Comment: "代表来函撤回"})
	if m, err := bn.db.MergeOf(bn.ctx, other.ID); err != nil || m.Any() {
		t.Errorf("after the main suggestion was withdrawn, the other is still merged: %+v %v", m, err)
	}
	c, err := bn.db.Case(bn.ctx, oc.ID)
	must(t, err)
	if c.State != workflow.StateDrafting {
		t.Errorf("the released case is %s, want it left in drafting", c.State)
	}
	events, err := bn.db.CaseEvents(bn.ctx, oc.ID)
	must(t, err)
	if last := events[len(events)-1]; last.Action != string(workflow.RecordUnmerge) || last.Payload["ended"] != string(workflow.ActionWithdraw) {
		t.Errorf("the released case's last event: %+v", last)
	}
	// It goes on by itself: its drafter saves a draft and submits it.
	_, err = bn.db.SaveDraft(bn.ctx, storage.SaveDraftCmd{CaseID: c.ID, Actor: bn.a[workflow.RoleDrafter],
		Sections: []workflow.Section{{Heading: "一、工作开展情况", Body: "我局高度重视。"}}})
	must(t, err)
	bn.act(t, c, workflow.ActionSubmit, bn.a[workflow.RoleDrafter], on(t, "2024-07-04"), workflow.Input{})
	if rep := bn.verify(t); len(rep.Breaks) > 0 {
		t.Errorf("audit: %+v", rep.Breaks)
	}
}
