package storage_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

func TestAssignComputesDueDates(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	lead := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-07-01"))
	co := bn.assign(t, bn.unitB, workflow.KindCo, on(t, "2024-07-01"))
	leadCap, err := bn.db.ExtensionCap(bn.ctx, lead)
	must(t, err)
	checks := []struct {
		name      string
		got, want workflow.Date
	}{
		{"reply", lead.ReplyDue, date(t, "2024-10-08")}, // 10-01 is National Day: next working day
		{"reply-extended", leadCap.Date, date(t, "2025-01-02")},
		{"return-window", lead.ReturnDue, date(t, "2024-07-08")},
		{"co-opinion", co.CoOpinionDue, date(t, "2024-08-01")},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s due %s, want %s", c.name, c.got, c.want)
		}
	}
	if lead.State != workflow.StateAssigned || lead.Version != 1 || !lead.CoOpinionDue.IsZero() {
		t.Errorf("lead case: %+v", lead)
	}
	stored, err := bn.db.Case(bn.ctx, lead.ID)
	must(t, err)
	if stored.ReplyDue != lead.ReplyDue || stored.ReturnDue != lead.ReturnDue {
		t.Errorf("stored %+v, returned %+v", stored, lead)
	}
}

func TestAssignRefusals(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-07-01"))
	// A second lead unit: the partial unique index refuses it.
	_, err := bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: bn.proposal.ID, DepartmentID: bn.unitB.ID, Kind: workflow.KindLead, Actor: bn.liaison})
	wantCode(t, err, workflow.ErrConflict)
	// Separate handling does not mix with a lead unit.
	_, err = bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: bn.proposal.ID, DepartmentID: bn.unitB.ID, Kind: workflow.KindSeparate, Actor: bn.liaison})
	wantCode(t, err, workflow.ErrConflict)
	// Only the liaison assigns.
	_, err = bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: bn.proposal.ID, DepartmentID: bn.unitB.ID, Kind: workflow.KindCo, Actor: bn.a[workflow.RoleApprover]})
	wantCode(t, err, workflow.ErrForbidden)
	_, err = bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: 999999, DepartmentID: bn.unitB.ID, Kind: workflow.KindCo, Actor: bn.liaison})
	wantCode(t, err, workflow.ErrNotFound)
	cases, err := bn.db.CasesOfProposal(bn.ctx, bn.proposal.ID)
	must(t, err)
	if len(cases) != 1 {
		t.Fatalf("%d cases after refused assignments, want 1", len(cases))
	}
}

// TestWholeWorkflow walks a lead case with one co-handling unit from
// assignment through a return for revision, sign-off, reply, 不满意, a second
// round, 满意 and publication, and checks the audit chain at the end.
func TestWholeWorkflow(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	A, B := bn.a, bn.b
	lead := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-06-20"))
	co := bn.assign(t, bn.unitB, workflow.KindCo, on(t, "2024-06-20"))

	lead = bn.toAwaitingApproval(t, lead, A, "2024-08-20")
	sign := workflow.Input{Class: workflow.ClassB, Disclosure: workflow.DisclosePublic, DocumentNumber: "武市监建〔2024〕294号"}
	_, err := bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: lead.ID, Action: workflow.ActionSign, Actor: A[workflow.RoleApprover],
		ExpectedVersion: lead.Version, Input: sign, At: on(t, "2024-08-21")})
	wantCode(t, err, workflow.ErrConflict) // the co-opinion is missing

	co = bn.toAwaitingApproval(t, co, B, "2024-07-10")
	co = bn.act(t, co, workflow.ActionSign, B[workflow.RoleApprover], on(t, "2024-07-11"), workflow.Input{})
	if co.State != workflow.StateOpinionSubmitted {
		t.Fatalf("co case in %s", co.State)
	}
	lead = bn.act(t, lead, workflow.ActionReturnForRevision, A[workflow.RoleApprover], on(t, "2024-08-22"), workflow.Input{Comment: "请补充下一步工作打算"})
	bn.draft(t, lead, A[workflow.RoleDrafter], 1, on(t, "2024-08-23"))
	lead = bn.act(t, lead, workflow.ActionSubmit, A[workflow.RoleDrafter], on(t, "2024-08-23"), workflow.Input{})
	lead = bn.act(t, lead, workflow.ActionForward, A[workflow.RoleReviewer], on(t, "2024-08-26"), workflow.Input{})
	lead = bn.act(t, lead, workflow.ActionSign, A[workflow.RoleApprover], on(t, "2024-09-02"), sign)
	lead = bn.act(t, lead, workflow.ActionSend, A[workflow.RoleDrafter], on(t, "2024-09-05"), workflow.Input{})
	if lead.State != workflow.StateReplied {
		t.Fatalf("lead case in %s", lead.State)
	}

	lead = bn.act(t, lead, workflow.ActionRecordFeedback, bn.liaison, on(t, "2024-09-25"),
		workflow.Input{WorkRating: workflow.RatingSatisfied, ResultRating: workflow.RatingDissatisfied})
	if lead.State != workflow.StateRehandling || lead.Round != 2 || lead.RehandleDue != date(t, "2024-10-25") || lead.ReplyDue != lead.RehandleDue {
		t.Fatalf("after 不满意: state %s round %d rehandle due %s reply due %s", lead.State, lead.Round, lead.RehandleDue, lead.ReplyDue)
	}
	lead = bn.act(t, lead, workflow.ActionAccept, A[workflow.RoleDrafter], on(t, "2024-09-26"), workflow.Input{})
	// Round 2 needs its own draft before it can be submitted.
	_, err = bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: lead.ID, Action: workflow.ActionSubmit, Actor: A[workflow.RoleDrafter], ExpectedVersion: lead.Version})
	wantCode(t, err, workflow.ErrConflict)
	bn.draft(t, lead, A[workflow.RoleDrafter], 2, on(t, "2024-10-09"))
	lead = bn.act(t, lead, workflow.ActionSubmit, A[workflow.RoleDrafter], on(t, "2024-10-09"), workflow.Input{})
	lead = bn.act(t, lead, workflow.ActionForward, A[workflow.RoleReviewer], on(t, "2024-10-10"), workflow.Input{})
	lead = bn.act(t, lead, workflow.ActionSign, A[workflow.RoleApprover], on(t, "2024-10-11"), sign)
	lead = bn.act(t, lead, workflow.ActionSend, A[workflow.RoleDrafter], on(t, "2024-10-12"), workflow.Input{})
	lead = bn.act(t, lead, workflow.ActionPublish, A[workflow.RoleDrafter], on(t, "2024-10-14"), workflow.Input{})
	lead = bn.act(t, lead, workflow.ActionRecordFeedback, bn.liaison, on(t, "2024-10-20"),
		workflow.Input{WorkRating: workflow.RatingSatisfied, ResultRating: workflow.RatingBasicallySatisfied})
	if lead.State != workflow.StateClosed {
		t.Fatalf("lead case in %s", lead.State)
	}

	pubID, err := bn.db.PublicationIDByNumber(bn.ctx, bn.session.ShortName, "20240294")
	must(t, err)
	pub, err := bn.db.PublishedReply(bn.ctx, pubID)
	must(t, err)
	if pub.Title != "关于市十五届人大三次会议第20240294号建议的答复" || pub.DepartmentName != "武汉市市场监督管理局" {
		t.Errorf("publication: %q from %q", pub.Title, pub.DepartmentName)
	}
	events, err := bn.db.CaseEvents(bn.ctx, lead.ID)
	must(t, err)
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	want := "assign accept save_draft submit forward return_for_revision save_draft submit forward sign send record_feedback accept save_draft submit forward sign send publish record_feedback"
	if got := strings.Join(actions, " "); got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}
	if rep := bn.verify(t); len(rep.Breaks) != 0 || rep.Cases != 2 || rep.Events != len(events)+6 {
		t.Errorf("audit: %+v", rep)
	}
}

// TestConcurrentTransition: two users take the same transition from the same
// version at once. Exactly one succeeds; the other gets a conflict and
// nothing of it is written; the chain still verifies.
func TestConcurrentTransition(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	c := bn.assign(t, bn.unitA, workflow.KindLead, bn.db.Clock.Now())
	for round := 0; round < 20; round++ {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		results := make([]*workflow.Case, 2)
		action := workflow.ActionAccept
		actor := []workflow.Actor{bn.a[workflow.RoleDrafter], bn.a[workflow.RoleReviewer]}
		if c.State == workflow.StateDrafting {
			// Alternate: a recorded decision that keeps the state.
			action = workflow.ActionRequestExtension
		}
		in := workflow.Input{Comment: "需要调研", Due: c.ReplyDue.AddDays(1)}
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: c.ID, Action: action,
					Actor: actor[i], ExpectedVersion: c.Version, Input: in})
			}()
		}
		wg.Wait()
		ok := 0
		for i, err := range errs {
			if err == nil {
				ok++
				c = results[i]
				continue
			}
			wantCode(t, err, workflow.ErrConflict)
		}
		if ok != 1 {
			t.Fatalf("round %d: %d of 2 concurrent %s succeeded (%v)", round, ok, action, errs)
		}
		if action == workflow.ActionRequestExtension {
			// Decide it so the next round can request again.
			c = bn.act(t, c, workflow.ActionRefuseExtension, bn.liaison, bn.db.Clock.Now(), workflow.Input{Comment: "不同意"})
		}
	}
	events, err := bn.db.CaseEvents(bn.ctx, c.ID)
	must(t, err)
	if len(events) != c.Version {
		t.Errorf("%d events for version %d", len(events), c.Version)
	}
	if rep := bn.verify(t); len(rep.Breaks) != 0 {
		t.Fatalf("audit breaks: %+v", rep.Breaks)
	}
}

func TestStaleVersionWritesNothing(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	c := bn.assign(t, bn.unitA, workflow.KindLead, bn.db.Clock.Now())
	_, err := bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: c.ID, Action: workflow.ActionAccept, Actor: bn.a[workflow.RoleDrafter], ExpectedVersion: c.Version + 1})
	wantCode(t, err, workflow.ErrConflict)
	if !strings.Contains(workflow.Message(err), "页面已过期") || workflow.RuleOf(err) != "stale_version" {
		t.Errorf("message %q (rule %q) does not explain the conflict", workflow.Message(err), workflow.RuleOf(err))
	}
	got, err := bn.db.Case(bn.ctx, c.ID)
	must(t, err)
	if got.Version != 1 || got.State != workflow.StateAssigned {
		t.Fatalf("case changed: %+v", got)
	}
}

// TestRefusalsWriteNothing: another unit's user, a role the table does not
// allow, and a failing guard are refused, and the case, its events and the
// reply table are untouched.
func TestRefusalsWriteNothing(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	c := bn.assign(t, bn.unitA, workflow.KindLead, bn.db.Clock.Now())
	c = bn.toAwaitingApproval(t, c, bn.a, workflow.DateOf(bn.db.Clock.Now()).String())
	tries := []struct {
		name   string
		actor  workflow.Actor
		action workflow.Action
		in     workflow.Input
		code   workflow.ErrorCode
	}{
		{"other unit's approver", bn.b[workflow.RoleApprover], workflow.ActionSign, workflow.Input{Class: workflow.ClassA, Disclosure: workflow.DisclosePublic}, workflow.ErrForbidden},
		{"drafter signs", bn.a[workflow.RoleDrafter], workflow.ActionSign, workflow.Input{Class: workflow.ClassA, Disclosure: workflow.DisclosePublic}, workflow.ErrForbidden},
		{"no class", bn.a[workflow.RoleApprover], workflow.ActionSign, workflow.Input{Disclosure: workflow.DisclosePublic}, workflow.ErrInvalid},
		{"not disclosed without reason", bn.a[workflow.RoleApprover], workflow.ActionSign, workflow.Input{Class: workflow.ClassC, Disclosure: workflow.DiscloseNone}, workflow.ErrInvalid},
		{"admin", workflow.Actor{UserID: bn.liaison.UserID, DepartmentID: bn.unitA.ID, Roles: []workflow.Role{workflow.RoleAdmin}}, workflow.ActionSign, workflow.Input{Class: workflow.ClassA, Disclosure: workflow.DisclosePublic}, workflow.ErrForbidden},
		{"send before sign", bn.a[workflow.RoleDrafter], workflow.ActionSend, workflow.Input{}, workflow.ErrConflict},
		{"publish before reply", bn.a[workflow.RoleDrafter], workflow.ActionPublish, workflow.Input{}, workflow.ErrConflict},
	}
	before, err := bn.db.CaseEvents(bn.ctx, c.ID)
	must(t, err)
	for _, tt := range tries {
		_, err := bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: c.ID, Action: tt.action, Actor: tt.actor, ExpectedVersion: c.Version, Input: tt.in})
		if workflow.Code(err) != tt.code {
			t.Errorf("%s: got %v, want %s", tt.name, err, tt.code)
		}
	}
	after, err := bn.db.CaseEvents(bn.ctx, c.ID)
	must(t, err)
	got, err := bn.db.Case(bn.ctx, c.ID)
	must(t, err)
	var replies int
	must(t, bn.db.Pool.QueryRow(bn.ctx, `SELECT count(*) FROM replies`).Scan(&replies))
	if len(after) != len(before) || got.Version != c.Version || got.State != c.State || replies != 0 {
		t.Fatalf("refusals wrote: events %d→%d, version %d→%d, replies %d", len(before), len(after), c.Version, got.Version, replies)
	}
}

func TestReturnRequest(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	c := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-09-27"))
	if c.ReturnDue != date(t, "2024-10-10") { // 09-29 is a make-up Sunday; 10-01..07 National Day
		t.Fatalf("return due %s", c.ReturnDue)
	}
	_, err := bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: c.ID, Action: workflow.ActionRequestReturn, Actor: bn.a[workflow.RoleDrafter],
		ExpectedVersion: c.Version, Input: workflow.Input{Comment: "不属于我单位职责"}, At: on(t, "2024-10-11")})
	wantCode(t, err, workflow.ErrConflict)
	c = bn.act(t, c, workflow.ActionRequestReturn, bn.a[workflow.RoleDrafter], on(t, "2024-10-10"), workflow.Input{Comment: "不属于我单位职责"})
	c = bn.act(t, c, workflow.ActionApproveReturn, bn.liaison, on(t, "2024-10-11"), workflow.Input{})
	if c.State != workflow.StateReturned {
		t.Fatalf("state %s", c.State)
	}
	// The proposal can now go to another lead unit.
	nc := bn.assign(t, bn.unitB, workflow.KindLead, on(t, "2024-10-11"))
	if nc.State != workflow.StateAssigned {
		t.Fatalf("new lead case in %s", nc.State)
	}
}

func TestExtension(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	c := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-07-01"))
	c = bn.act(t, c, workflow.ActionAccept, bn.a[workflow.RoleDrafter], on(t, "2024-07-02"), workflow.Input{})
	_, err := bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: c.ID, Action: workflow.ActionRequestExtension, Actor: bn.a[workflow.RoleApprover],
		ExpectedVersion: c.Version, Input: workflow.Input{Comment: "需调研", Due: date(t, "2025-01-03")}}) // the cap is 2025-01-02
	wantCode(t, err, workflow.ErrInvalid)
	c = bn.act(t, c, workflow.ActionRequestExtension, bn.a[workflow.RoleApprover], on(t, "2024-09-01"), workflow.Input{Comment: "需调研", Due: date(t, "2024-12-31")})
	c = bn.act(t, c, workflow.ActionGrantExtension, bn.liaison, on(t, "2024-09-02"), workflow.Input{Due: date(t, "2024-11-29")})
	if c.ReplyDue != date(t, "2024-11-29") {
		t.Fatalf("reply due %s after the extension", c.ReplyDue)
	}
	events, err := bn.db.CaseEvents(bn.ctx, c.ID)
	must(t, err)
	last := events[len(events)-1]
	if last.Payload["previous_due"] != "2024-10-08" || last.Payload["granted_due"] != "2024-11-29" {
		t.Fatalf("grant event payload %v", last.Payload)
	}
}

func TestDraftConflict(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	c := bn.assign(t, bn.unitA, workflow.KindLead, bn.db.Clock.Now())
	c = bn.act(t, c, workflow.ActionAccept, bn.a[workflow.RoleDrafter], bn.db.Clock.Now(), workflow.Input{})
	bn.draft(t, c, bn.a[workflow.RoleDrafter], 0, bn.db.Clock.Now())
	_, err := bn.db.SaveDraft(bn.ctx, storage.SaveDraftCmd{CaseID: c.ID, Actor: bn.a[workflow.RoleDrafter], BaseVersion: 0,
		Sections: []workflow.Section{{Heading: "一、", Body: "x"}}})
	wantCode(t, err, workflow.ErrConflict)
	_, err = bn.db.SaveDraft(bn.ctx, storage.SaveDraftCmd{CaseID: c.ID, Actor: bn.b[workflow.RoleDrafter], BaseVersion: 1,
		Sections: []workflow.Section{{Heading: "一、", Body: "x"}}})
	wantCode(t, err, workflow.ErrForbidden)
	_, err = bn.db.SaveDraft(bn.ctx, storage.SaveDraftCmd{CaseID: c.ID, Actor: bn.a[workflow.RoleDrafter], BaseVersion: 1,
		Sections: []workflow.Section{{Heading: "一、", Body: "  "}}})
	wantCode(t, err, workflow.ErrInvalid)
	ds, err := bn.db.Drafts(bn.ctx, c.ID)
	must(t, err)
	if len(ds) != 1 {
		t.Fatalf("%d drafts, want 1", len(ds))
	}
}
