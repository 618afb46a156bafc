package storage_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// lockRounds is how many times each race below is run.
const lockRounds = 40

// race runs fns at once, released together from a barrier, and returns
// their errors.
func race(fns ...func() error) []error {
	errs := make([]error, len(fns))
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for i, fn := range fns {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			errs[i] = fn()
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	return errs
}

// TestConcurrentLeadAndSeparate: two liaisons assign one proposal at the
// same moment, one to a lead unit, the other to a separate unit. A proposal
// is either lead(+co) or separate (DESIGN.md §3), so exactly one wins; the
// other is told plainly that someone else assigned it, and the proposal
// keeps the winner's single case.
func TestConcurrentLeadAndSeparate(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	other := user(t, bn.db, bn.liaison.DepartmentID, workflow.RoleLiaison)
	at := on(t, "2024-07-01")
	wins := map[workflow.CaseKind]int{}
	for round := range lockRounds {
		p := bn.newProposal(t, bn.session.ID, fmt.Sprintf("2024%04d", round))
		errs := race(
			func() error {
				_, err := bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: p.ID, DepartmentID: bn.unitA.ID, Kind: workflow.KindLead, Actor: bn.liaison, At: at})
				return err
			},
			func() error {
				_, err := bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: p.ID, DepartmentID: bn.unitB.ID, Kind: workflow.KindSeparate, Actor: other, At: at})
				return err
			},
		)
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
				continue
			}
			wantCode(t, err, workflow.ErrConflict)
			if msg := workflow.Message(err); !strings.Contains(msg, "请刷新后查看") {
				t.Errorf("round %d: refusal %q does not tell the liaison to look again", round, msg)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d of 2 concurrent assignments succeeded (%v)", round, ok, errs)
		}
		cases, err := bn.db.CasesOfProposal(bn.ctx, p.ID)
		must(t, err)
		if len(cases) != 1 {
			t.Fatalf("round %d: the proposal has %d cases, want the winner's one", round, len(cases))
		}
		wins[cases[0].Kind]++
	}
	t.Logf("%d rounds: lead won %d, separate won %d", lockRounds, wins[workflow.KindLead], wins[workflow.KindSeparate])
}

// TestConcurrentCoAssignmentAndSignOff: a liaison assigns a co-handling
// unit while the lead unit's leader signs the reply off. The rule
// (workflow.CheckKindMix, GuardCoOpinionsIn): the lead cannot sign while a
// co-opinion is due, and no co-unit joins once the lead has signed. So
// either the co-unit comes first and the sign-off is refused for its
// missing opinion, or the sign-off comes first and the co-unit is refused —
// never both, never neither.
func TestConcurrentCoAssignmentAndSignOff(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	sign := workflow.Input{Class: workflow.ClassA, Disclosure: workflow.DisclosePublic}
	outcomes := map[string]int{}
	for round := range lockRounds {
		p := bn.newProposal(t, bn.session.ID, fmt.Sprintf("2024%04d", round))
		lead, err := bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: p.ID, DepartmentID: bn.unitA.ID, Kind: workflow.KindLead,
			Actor: bn.liaison, At: on(t, "2024-07-01")})
		must(t, err)
		lead = bn.toAwaitingApproval(t, lead, bn.a, "2024-08-01")
		at := on(t, "2024-08-02")
		errs := race(
			func() error {
				_, err := bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: lead.ID, Action: workflow.ActionSign,
					Actor: bn.a[workflow.RoleApprover], ExpectedVersion: lead.Version, Input: sign, At: at})
				return err
			},
			func() error {
				_, err := bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: p.ID, DepartmentID: bn.unitB.ID, Kind: workflow.KindCo,
					Actor: bn.liaison, At: at})
				return err
			},
		)
		signErr, coErr := errs[0], errs[1]
		cases, err := bn.db.CasesOfProposal(bn.ctx, p.ID)
		must(t, err)
		var leadState workflow.State
		for _, c := range cases {
			if c.ID == lead.ID {
				leadState = c.State
			}
		}
		switch {
		case signErr == nil && coErr != nil:
			wantCode(t, coErr, workflow.ErrConflict)
			if len(cases) != 1 || leadState != workflow.StateApproved {
				t.Fatalf("round %d: signed first, yet %d cases, lead %s", round, len(cases), leadState)
			}
			outcomes["signed first, co-unit refused"]++
		case coErr == nil && signErr != nil:
			wantCode(t, signErr, workflow.ErrConflict)
			if len(cases) != 2 || leadState != workflow.StateAwaitingApproval {
				t.Fatalf("round %d: co-unit first, yet %d cases, lead %s", round, len(cases), leadState)
			}
			outcomes["co-unit first, sign-off refused"]++
		default:
			t.Fatalf("round %d: sign-off %v, co assignment %v: want exactly one refused", round, signErr, coErr)
		}
	}
	t.Logf("%d rounds: %v", lockRounds, outcomes)
}
