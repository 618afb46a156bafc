package storage_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

const what = "市十五届人大三次会议第20240294号建议"

// unread returns a user's unread notifications about a case.
func (bn *bundle) unread(t *testing.T, who workflow.Actor, caseID int64) []*storage.Notification {
	t.Helper()
	all, err := bn.db.Inbox(bn.ctx, who.UserID, storage.InboxFilter{UnreadOnly: true, Limit: storage.MaxInboxLimit})
	must(t, err)
	return slices.DeleteFunc(all, func(n *storage.Notification) bool { return n.CaseID != caseID })
}

// readAll is a user opening their inbox: everything in it is read.
func (bn *bundle) readAll(t *testing.T, who workflow.Actor) {
	t.Helper()
	_, err := bn.db.MarkAllNotificationsRead(bn.ctx, who.UserID, bn.db.Clock.Now())
	must(t, err)
}

func (bn *bundle) notificationCount(t *testing.T) int {
	t.Helper()
	var n int
	must(t, bn.db.Pool.QueryRow(bn.ctx, `SELECT count(*) FROM notifications`).Scan(&n))
	return n
}

// expectHandOff checks, after a step taken by actor, that next has exactly
// one unread notification about c, a hand-off with the subject want
// linking to the case, that the actor has none, and that the step notified
// no one else.
func (bn *bundle) expectHandOff(t *testing.T, step string, c *workflow.Case, actor, next workflow.Actor, want string, before int) *storage.Notification {
	t.Helper()
	if got := bn.unread(t, actor, c.ID); len(got) != 0 {
		t.Errorf("%s: the actor has %d unread notifications of the case: %q", step, len(got), got[0].Subject)
	}
	got := bn.unread(t, next, c.ID)
	if len(got) != 1 {
		var subjects []string
		for _, n := range got {
			subjects = append(subjects, n.Subject)
		}
		t.Fatalf("%s: the next actor has %d unread notifications of the case, want 1: %q", step, len(got), subjects)
	}
	n := got[0]
	if n.Subject != want || n.Kind != "handoff" || n.Link != fmt.Sprintf("/cases/%d", c.ID) {
		t.Errorf("%s: notification %q (%s, %s), want %q (handoff, /cases/%d)", step, n.Subject, n.Kind, n.Link, want, c.ID)
	}
	if after := bn.notificationCount(t); after != before+1 {
		t.Errorf("%s: %d notifications written, want 1", step, after-before)
	}
	return n
}

// TestHandOffWalk walks a suggestion from assignment to the reply sent:
// after each step, whoever acts next has exactly one unread notification of
// the case saying what to do, and the actor has none. Each user reads their
// inbox before they act.
func TestHandOffWalk(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	A := bn.a
	D, R, P := A[workflow.RoleDrafter], A[workflow.RoleReviewer], A[workflow.RoleApprover]
	act := func(c *workflow.Case, a workflow.Action, who workflow.Actor, day string, in workflow.Input) (*workflow.Case, int) {
		t.Helper()
		bn.readAll(t, who)
		before := bn.notificationCount(t)
		return bn.act(t, c, a, who, on(t, day), in), before
	}

	before := bn.notificationCount(t)
	c := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-07-01"))
	n := bn.expectHandOff(t, "assignment", c, bn.liaison, D, "【待签收】"+what+"：已交办武汉市市场监督管理局（主办）", before)
	for _, want := range []string{"《关于加快推进科技成果转化的建议》", "请您办理：签收或申请退回。", "答复期限：2024-10-08"} {
		if !strings.Contains(n.Body, want) {
			t.Errorf("assignment text lacks %q:\n%s", want, n.Body)
		}
	}

	// The drafter accepts and saves a draft: the case stays in their hands.
	c, before = act(c, workflow.ActionAccept, D, "2024-07-02", workflow.Input{})
	bn.draft(t, c, D, 0, on(t, "2024-07-03"))
	if got := bn.notificationCount(t); got != before {
		t.Errorf("accepting and saving a draft wrote %d notifications", got-before)
	}
	if got := bn.unread(t, D, c.ID); len(got) != 0 {
		t.Errorf("the drafter has %d unread notifications after accepting", len(got))
	}

	c, before = act(c, workflow.ActionSubmit, D, "2024-07-10", workflow.Input{})
	n = bn.expectHandOff(t, "submission", c, D, R, "【待审核】"+what+"：武汉市市场监督管理局的答复稿已提交审核", before)
	for _, want := range []string{"请您办理：审核通过或退回修改。", "答复期限：2024-10-08", "当前状态：审核中"} {
		if !strings.Contains(n.Body, want) {
			t.Errorf("submission text lacks %q:\n%s", want, n.Body)
		}
	}

	c, before = act(c, workflow.ActionReturnForRevision, R, "2024-07-11", workflow.Input{Comment: "请补充下一步工作打算"})
	n = bn.expectHandOff(t, "return for revision", c, R, D, "【退回修改】"+what+"：武汉市市场监督管理局的答复稿被退回修改", before)
	if !strings.Contains(n.Body, "退回意见：请补充下一步工作打算") || !strings.Contains(n.Body, "请您办理：提交审核。") {
		t.Errorf("return text:\n%s", n.Body)
	}

	bn.readAll(t, D)
	bn.draft(t, c, D, 1, on(t, "2024-07-12"))
	c, before = act(c, workflow.ActionSubmit, D, "2024-07-12", workflow.Input{})
	bn.expectHandOff(t, "resubmission", c, D, R, "【待审核】"+what+"：武汉市市场监督管理局的答复稿已提交审核", before)

	c, before = act(c, workflow.ActionForward, R, "2024-07-15", workflow.Input{})
	bn.expectHandOff(t, "forwarding", c, R, P, "【待签发】"+what+"：武汉市市场监督管理局的答复稿已审核通过，提交签发", before)

	sign := workflow.Input{Class: workflow.ClassB, Disclosure: workflow.DisclosePublic}
	c, before = act(c, workflow.ActionSign, P, "2024-07-16", sign)
	bn.expectHandOff(t, "sign-off", c, P, D, "【待答复】"+what+"：武汉市市场监督管理局的答复已签发，请答复代表", before)

	c, before = act(c, workflow.ActionSend, D, "2024-07-17", workflow.Input{})
	n = bn.expectHandOff(t, "reply sent", c, D, bn.liaison, "【待反馈】"+what+"：武汉市市场监督管理局已答复代表，请跟进代表反馈", before)
	if !strings.Contains(n.Body, "请您办理：登记反馈。") || !strings.Contains(n.Body, "代表反馈期限：") {
		t.Errorf("reply sent text:\n%s", n.Body)
	}

	// The other unit heard nothing; every hand-off has its own key, of the
	// case and its version.
	for _, u := range bn.b {
		if got, err := bn.db.UnreadCount(bn.ctx, u.UserID); err != nil || got != 0 {
			t.Errorf("unit B's user %d has %d unread notifications (%v)", u.UserID, got, err)
		}
	}
	var keys []string
	rows, err := bn.db.Pool.Query(bn.ctx, `SELECT key FROM notifications WHERE case_id = $1 ORDER BY id`, c.ID)
	must(t, err)
	keys, err = pgx.CollectRows(rows, pgx.RowTo[string])
	must(t, err)
	want := []string{storage.HandOffKey(c.ID, 1), storage.HandOffKey(c.ID, 3), storage.HandOffKey(c.ID, 4), storage.HandOffKey(c.ID, 5),
		storage.HandOffKey(c.ID, 6), storage.HandOffKey(c.ID, 7), storage.HandOffKey(c.ID, 8)}
	if !slices.Equal(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
}

// TestHandOffCoOpinion: a co-handling unit's sign-off notifies the lead
// unit's drafters, not the co-handling unit.
func TestHandOffCoOpinion(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	lead := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-07-01"))
	co := bn.assign(t, bn.unitB, workflow.KindCo, on(t, "2024-07-01"))
	for _, u := range bn.b {
		bn.readAll(t, u)
	}
	bn.readAll(t, bn.a[workflow.RoleDrafter])
	co = bn.toAwaitingApproval(t, co, bn.b, "2024-07-10")
	for _, u := range bn.b {
		bn.readAll(t, u)
	}
	before := bn.notificationCount(t)
	co = bn.act(t, co, workflow.ActionSign, bn.b[workflow.RoleApprover], on(t, "2024-07-11"), workflow.Input{})
	n := bn.expectHandOff(t, "co-opinion", co, bn.b[workflow.RoleApprover], bn.a[workflow.RoleDrafter],
		"【协办意见】"+what+"：武汉市科技创新局的协办意见已提交", before)
	// The lead unit works to its own reply due date.
	if !strings.Contains(n.Body, "答复期限：2024-10-08") || !strings.Contains(n.Body, "统筹吸收协办意见") {
		t.Errorf("co-opinion text:\n%s", n.Body)
	}
	for _, u := range bn.b {
		if got := bn.unread(t, u, co.ID); len(got) != 0 {
			t.Errorf("co unit's %v has %d unread notifications after the sign-off", u.Roles, len(got))
		}
	}
	if got := bn.unread(t, bn.a[workflow.RoleDrafter], lead.ID); len(got) != 0 {
		t.Errorf("the lead drafter has unread notifications of the lead case: %q", got[0].Subject)
	}
}

// TestHandOffRequests: a return request and an extension request notify
// the liaison; the decision notifies the requester (and, when a return is
// refused, the drafters who must now accept the case).
func TestHandOffRequests(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	D, R, P, L := bn.a[workflow.RoleDrafter], bn.a[workflow.RoleReviewer], bn.a[workflow.RoleApprover], bn.liaison
	c := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-09-27"))
	bn.readAll(t, D)

	// The approver asks to return; the liaison refuses.
	before := bn.notificationCount(t)
	c = bn.act(t, c, workflow.ActionRequestReturn, P, on(t, "2024-10-08"), workflow.Input{Comment: "不属于我单位职责"})
	n := bn.expectHandOff(t, "return request", c, P, L, "【退回申请待审批】"+what+"：武汉市市场监督管理局申请退回", before)
	if !strings.Contains(n.Body, "申请理由：不属于我单位职责") || !strings.Contains(n.Body, "请您办理：同意退回或不同意退回。") {
		t.Errorf("return request text:\n%s", n.Body)
	}
	bn.readAll(t, L)
	before = bn.notificationCount(t)
	c = bn.act(t, c, workflow.ActionRejectReturn, L, on(t, "2024-10-09"), workflow.Input{Comment: "属于你单位职责，请办理"})
	refused := "【不同意退回】" + what + "：督办部门不同意武汉市市场监督管理局的退回申请，请签收办理"
	// Two notifications of one key: the requester's and the drafter's.
	bn.expectHandOff(t, "return refused: the requester", c, L, P, refused, before+1)
	bn.expectHandOff(t, "return refused: the drafter", c, L, D, refused, before+1)
	if got := bn.unread(t, R, c.ID); len(got) != 0 {
		t.Errorf("the reviewer heard of the refusal: %q", got[0].Subject)
	}

	// The drafter asks again; the liaison agrees.
	bn.readAll(t, D)
	bn.readAll(t, P)
	before = bn.notificationCount(t)
	c = bn.act(t, c, workflow.ActionRequestReturn, D, on(t, "2024-10-10"), workflow.Input{Comment: "确不属于我单位职责"})
	bn.expectHandOff(t, "second return request", c, D, L, "【退回申请待审批】"+what+"：武汉市市场监督管理局申请退回", before)
	bn.readAll(t, L)
	before = bn.notificationCount(t)
	c = bn.act(t, c, workflow.ActionApproveReturn, L, on(t, "2024-10-11"), workflow.Input{})
	bn.expectHandOff(t, "return approved", c, L, D, "【同意退回】"+what+"：督办部门同意武汉市市场监督管理局的退回申请", before)
	if got := bn.unread(t, P, c.ID); len(got) != 0 {
		t.Errorf("the earlier requester heard of the second decision: %q", got[0].Subject)
	}

	// Extensions on a new lead case: the approver asks, the liaison grants;
	// the drafter asks, the liaison refuses.
	e := bn.assign(t, bn.unitB, workflow.KindLead, on(t, "2024-10-11"))
	BD, BP := bn.b[workflow.RoleDrafter], bn.b[workflow.RoleApprover]
	e = bn.act(t, e, workflow.ActionAccept, BD, on(t, "2024-10-12"), workflow.Input{})
	bn.readAll(t, BD)
	before = bn.notificationCount(t)
	e = bn.act(t, e, workflow.ActionRequestExtension, BP, on(t, "2024-12-02"), workflow.Input{Comment: "需开展专题调研", Due: date(t, "2025-02-28")})
	n = bn.expectHandOff(t, "extension request", e, BP, L, "【延期申请待审批】"+what+"：武汉市科技创新局申请将答复期限延至2025-02-28", before)
	if !strings.Contains(n.Body, "申请理由：需开展专题调研") || !strings.Contains(n.Body, "延期申请审批期限：") ||
		!strings.Contains(n.Body, "请您办理：同意延期或不同意延期。") {
		t.Errorf("extension request text:\n%s", n.Body)
	}
	bn.readAll(t, L)
	before = bn.notificationCount(t)
	e = bn.act(t, e, workflow.ActionGrantExtension, L, on(t, "2024-12-03"), workflow.Input{Due: date(t, "2025-01-24")})
	n = bn.expectHandOff(t, "extension granted", e, L, BP, "【同意延期】"+what+"：督办部门同意延期，答复期限延至2025-01-24", before)
	if !strings.Contains(n.Body, "答复期限：2025-01-24") {
		t.Errorf("extension granted text:\n%s", n.Body)
	}
	if got := bn.unread(t, BD, e.ID); len(got) != 0 {
		t.Errorf("the drafter heard of the approver's extension: %q", got[0].Subject)
	}
	bn.readAll(t, BP)
	before = bn.notificationCount(t)
	e = bn.act(t, e, workflow.ActionRequestExtension, BD, on(t, "2024-12-04"), workflow.Input{Comment: "再延一个月", Due: date(t, "2025-02-28")})
	bn.expectHandOff(t, "second extension request", e, BD, L, "【延期申请待审批】"+what+"：武汉市科技创新局申请将答复期限延至2025-02-28", before)
	bn.readAll(t, L)
	before = bn.notificationCount(t)
	e = bn.act(t, e, workflow.ActionRefuseExtension, L, on(t, "2024-12-05"), workflow.Input{Comment: "理由不充分"})
	n = bn.expectHandOff(t, "extension refused", e, L, BD, "【不同意延期】"+what+"：督办部门不同意延期，答复期限不变", before)
	if !strings.Contains(n.Body, "审批意见：理由不充分") || !strings.Contains(n.Body, "答复期限：2025-01-24") {
		t.Errorf("extension refused text:\n%s", n.Body)
	}
}

// TestHandOffEmailOptOut: a user who turned off e-mail for hand-offs gets
// them in the inbox only; a colleague who did not gets the e-mail; their
// reminders still come by e-mail (the jobs package proves it end to end).
func TestHandOffEmailOptOut(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	D, R := bn.a[workflow.RoleDrafter], bn.a[workflow.RoleReviewer]
	for _, u := range []workflow.Actor{D, R} {
		_, err := bn.db.Pool.Exec(bn.ctx, `UPDATE users SET email = $2 WHERE id = $1`, u.UserID, fmt.Sprintf("user%d@banli.example", u.UserID))
		must(t, err)
	}
	s, err := bn.db.NotificationSettings(bn.ctx, D.UserID)
	must(t, err)
	if !s.HandOffEmail {
		t.Fatalf("hand-off e-mail is off by default")
	}
	must(t, bn.db.SetNotificationSettings(bn.ctx, D.UserID, storage.NotificationSettings{HandOffEmail: false}))
	s, err = bn.db.NotificationSettings(bn.ctx, D.UserID)
	must(t, err)
	if s.HandOffEmail {
		t.Fatalf("hand-off e-mail still on after turning it off")
	}
	wantCode(t, bn.db.SetNotificationSettings(bn.ctx, 1<<40, storage.NotificationSettings{}), workflow.ErrNotFound)

	c := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-07-01"))
	c = bn.act(t, c, workflow.ActionAccept, D, on(t, "2024-07-02"), workflow.Input{})
	bn.draft(t, c, D, 0, on(t, "2024-07-03"))
	c = bn.act(t, c, workflow.ActionSubmit, D, on(t, "2024-07-03"), workflow.Input{})
	c = bn.act(t, c, workflow.ActionReturnForRevision, R, on(t, "2024-07-04"), workflow.Input{Comment: "请修改"})

	emails := func(key string) []string {
		t.Helper()
		rows, err := bn.db.Pool.Query(bn.ctx, `SELECT target FROM deliveries WHERE key = $1 AND channel = 'email' ORDER BY id`, key)
		must(t, err)
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		must(t, err)
		return out
	}
	if got := emails(storage.HandOffKey(c.ID, 1)); len(got) != 0 {
		t.Errorf("assignment e-mailed %v to a drafter who turned hand-off e-mail off", got)
	}
	if got := emails(storage.HandOffKey(c.ID, 4)); len(got) != 0 {
		t.Errorf("return for revision e-mailed %v to a drafter who turned hand-off e-mail off", got)
	}
	if got, want := emails(storage.HandOffKey(c.ID, 3)), []string{fmt.Sprintf("user%d@banli.example", R.UserID)}; !slices.Equal(got, want) {
		t.Errorf("submission e-mailed %v, want %v", got, want)
	}
	// In the inbox all the same.
	if got := bn.unread(t, D, c.ID); len(got) != 2 {
		t.Errorf("the drafter has %d unread notifications, want 2 (assignment, return)", len(got))
	}
	var jobs int
	must(t, bn.db.Pool.QueryRow(bn.ctx, `SELECT count(*) FROM river_job WHERE kind = 'notify_email'`).Scan(&jobs))
	if jobs != 1 {
		t.Errorf("%d e-mail jobs, want 1 (the reviewer's)", jobs)
	}
}

// TestHandOffBackfill: steps recorded after the fact (the demo's history)
// notify no one; the first step taken live does.
func TestHandOffBackfill(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	D, R := bn.a[workflow.RoleDrafter], bn.a[workflow.RoleReviewer]
	c, err := bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: bn.proposal.ID, DepartmentID: bn.unitA.ID, Kind: workflow.KindLead,
		Actor: bn.liaison, At: on(t, "2024-07-01"), Backfill: true})
	must(t, err)
	c, err = bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: c.ID, Action: workflow.ActionAccept, Actor: R, ExpectedVersion: c.Version,
		At: on(t, "2024-07-02"), Backfill: true})
	must(t, err)
	if n := bn.notificationCount(t); n != 0 {
		t.Fatalf("a backfill wrote %d notifications", n)
	}
	bn.draft(t, c, D, 0, on(t, "2024-07-03"))
	c = bn.act(t, c, workflow.ActionSubmit, D, on(t, "2024-07-03"), workflow.Input{})
	bn.expectHandOff(t, "live submission", c, D, R, "【待审核】"+what+"：武汉市市场监督管理局的答复稿已提交审核", 0)
}
