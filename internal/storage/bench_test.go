package storage_test

import (
	"testing"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// BenchmarkTransition measures one state change as users make it: lock,
// version check, facts, guards, effects, audit event, commit. Each iteration
// requests an extension and refuses it (two transitions on one case, so the
// chain grows as it does in use).
func BenchmarkTransition(b *testing.B) {
	bn := setup(b)
	c, err := bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: bn.proposal.ID, DepartmentID: bn.unitA.ID, Kind: workflow.KindLead, Actor: bn.liaison})
	if err != nil {
		b.Fatal(err)
	}
	in := workflow.Input{Comment: "需调研", Due: c.ReplyDue.AddDays(10)}
	b.ResetTimer()
	for b.Loop() {
		c, err = bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: c.ID, Action: workflow.ActionRequestExtension,
			Actor: bn.a[workflow.RoleApprover], ExpectedVersion: c.Version, Input: in})
		if err != nil {
			b.Fatal(err)
		}
		c, err = bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: c.ID, Action: workflow.ActionRefuseExtension,
			Actor: bn.liaison, ExpectedVersion: c.Version, Input: workflow.Input{Comment: "不同意"}})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(2*b.N), "µs/transition")
}

// BenchmarkVerifyAudit measures banli audit verify per event over the demo-sized
// chain of one busy case.
func BenchmarkVerifyAudit(b *testing.B) {
	bn := setup(b)
	c, err := bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: bn.proposal.ID, DepartmentID: bn.unitA.ID, Kind: workflow.KindLead, Actor: bn.liaison})
	if err != nil {
		b.Fatal(err)
	}
	for range 500 {
		c, err = bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: c.ID, Action: workflow.ActionRequestExtension,
			Actor: bn.a[workflow.RoleApprover], ExpectedVersion: c.Version, Input: workflow.Input{Comment: "x", Due: c.ReplyDue.AddDays(10)}})
		if err == nil {
			c, err = bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: c.ID, Action: workflow.ActionRefuseExtension,
				Actor: bn.liaison, ExpectedVersion: c.Version, Input: workflow.Input{Comment: "x"}})
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	var events int
	for b.Loop() {
		rep, err := bn.db.VerifyAudit(bn.ctx)
		if err != nil || len(rep.Breaks) != 0 {
			b.Fatal(err, rep)
		}
		events = rep.Events
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*events), "ns/event")
}
