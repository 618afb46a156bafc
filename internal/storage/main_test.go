package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// bundle is what most storage tests start from: a session with the default
// rules, two units with a drafter, reviewer and approver each, a liaison,
// and one proposal.
type bundle struct {
	db       *storage.DB
	ctx      context.Context
	session  *workflow.CongressSession
	unitA    *workflow.Department
	unitB    *workflow.Department
	liaison  workflow.Actor
	a, b     map[workflow.Role]workflow.Actor
	proposal *workflow.Proposal
}

func setup(t testing.TB) *bundle {
	t.Helper()
	ctx := context.Background()
	db := testdb.NewDB(t)
	bn := &bundle{db: db, ctx: ctx, a: map[workflow.Role]workflow.Actor{}, b: map[workflow.Role]workflow.Actor{}}
	bn.session = &workflow.CongressSession{Name: "武汉市第十五届人民代表大会第三次会议", ShortName: "市十五届人大三次会议", OpenedOn: date(t, "2024-01-07")}
	must(t, db.CreateSession(ctx, bn.session))
	office := &workflow.Department{Code: "dcs", Name: "督查室", LiaisonOffice: true}
	bn.unitA = &workflow.Department{Code: "scjg", Name: "武汉市市场监督管理局"}
	bn.unitB = &workflow.Department{Code: "kcj", Name: "武汉市科技创新局"}
	for _, d := range []*workflow.Department{office, bn.unitA, bn.unitB} {
		must(t, db.CreateDepartment(ctx, d))
	}
	bn.liaison = user(t, db, office.ID, workflow.RoleLiaison)
	for _, r := range []workflow.Role{workflow.RoleDrafter, workflow.RoleReviewer, workflow.RoleApprover} {
		bn.a[r] = user(t, db, bn.unitA.ID, r)
		bn.b[r] = user(t, db, bn.unitB.ID, r)
	}
	dep := &workflow.Deputy{Name: "陈代表", Phone: "13800000000"}
	must(t, db.CreateDeputy(ctx, dep))
	bn.proposal = &workflow.Proposal{SessionID: bn.session.ID, Number: "20240294", Title: "关于加快推进科技成果转化的建议",
		SubmittedOn: date(t, "2024-01-09"), DeputyIDs: []int64{dep.ID}}
	must(t, db.CreateProposal(ctx, bn.proposal))
	return bn
}

func user(t testing.TB, db *storage.DB, dept int64, roles ...workflow.Role) workflow.Actor {
	t.Helper()
	u := &workflow.User{DepartmentID: dept, Name: string(roles[0]), Roles: roles}
	must(t, db.CreateUser(context.Background(), u))
	return workflow.Actor{UserID: u.ID, DepartmentID: dept, Roles: roles}
}

func date(t testing.TB, s string) workflow.Date {
	t.Helper()
	d, err := workflow.ParseDate(s)
	must(t, err)
	return d
}

// on returns 10:00 of day s in Asia/Shanghai.
func on(t testing.TB, s string) time.Time {
	return date(t, s).Time().Add(10 * time.Hour)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode fails unless err is a domain error with that code.
func wantCode(t *testing.T, err error, code workflow.ErrorCode) {
	t.Helper()
	var de *workflow.Error
	if !errors.As(err, &de) || de.Code != code {
		t.Fatalf("want a %s error, got %v", code, err)
	}
}

func (bn *bundle) assign(t *testing.T, dept *workflow.Department, kind workflow.CaseKind, at time.Time) *workflow.Case {
	t.Helper()
	c, err := bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: bn.proposal.ID, DepartmentID: dept.ID, Kind: kind, Actor: bn.liaison, At: at})
	must(t, err)
	return c
}

func (bn *bundle) act(t *testing.T, c *workflow.Case, action workflow.Action, actor workflow.Actor, at time.Time, in workflow.Input) *workflow.Case {
	t.Helper()
	got, err := bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: c.ID, Action: action, Actor: actor, ExpectedVersion: c.Version, Input: in, At: at})
	if err != nil {
		t.Fatalf("%s on case %d (%s): %v", action, c.ID, c.State, err)
	}
	return got
}

func (bn *bundle) draft(t *testing.T, c *workflow.Case, actor workflow.Actor, base int, at time.Time) *workflow.Draft {
	t.Helper()
	d, err := bn.db.SaveDraft(bn.ctx, storage.SaveDraftCmd{CaseID: c.ID, Actor: actor, BaseVersion: base, At: at,
		Sections: []workflow.Section{{Heading: "一、工作开展情况", Body: "一是……"}, {Heading: "二、下一步工作打算", Body: "一是……"}}})
	must(t, err)
	return d
}

// toAwaitingApproval takes a fresh case to awaiting_approval.
func (bn *bundle) toAwaitingApproval(t *testing.T, c *workflow.Case, unit map[workflow.Role]workflow.Actor, day string) *workflow.Case {
	t.Helper()
	at := on(t, day)
	c = bn.act(t, c, workflow.ActionAccept, unit[workflow.RoleDrafter], at, workflow.Input{})
	bn.draft(t, c, unit[workflow.RoleDrafter], 0, at.Add(time.Hour))
	c = bn.act(t, c, workflow.ActionSubmit, unit[workflow.RoleDrafter], at.Add(2*time.Hour), workflow.Input{})
	return bn.act(t, c, workflow.ActionForward, unit[workflow.RoleReviewer], at.Add(3*time.Hour), workflow.Input{})
}

func (bn *bundle) verify(t *testing.T) *storage.AuditReport {
	t.Helper()
	rep, err := bn.db.VerifyAudit(bn.ctx)
	must(t, err)
	return rep
}
