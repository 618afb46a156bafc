package storage_test

import (
	"fmt"
	"testing"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// TestCalendarCacheOverride: the calendar is cached per process, and an
// admin's holiday override is used by the next due date counted — in this
// process and in another one on the same database (a second storage.DB) —
// and so is its removal. Return window: 5 working days from Thursday
// 2027-07-01 is 2027-07-08; with Monday 2027-07-05 a holiday, 2027-07-09.
func TestCalendarCacheOverride(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	other, err := storage.Open(bn.ctx, bn.db.Pool.Config().ConnString())
	must(t, err)
	t.Cleanup(other.Close)
	n := 0
	assign := func(db *storage.DB) workflow.Date {
		t.Helper()
		n++
		p := &workflow.Proposal{SessionID: bn.session.ID, Number: fmt.Sprintf("2024090%d", n), Title: "关于缓存的建议",
			SubmittedOn: date(t, "2024-01-09"), DeputyIDs: bn.proposal.DeputyIDs}
		must(t, db.CreateProposal(bn.ctx, p))
		c, err := db.Assign(bn.ctx, storage.AssignCmd{ProposalID: p.ID, DepartmentID: bn.unitA.ID, Kind: workflow.KindLead,
			Actor: bn.liaison, At: on(t, "2027-07-01")})
		must(t, err)
		return c.ReturnDue
	}
	for _, db := range []*storage.DB{bn.db, other} { // both caches warm
		if got := assign(db); got != date(t, "2027-07-08") {
			t.Fatalf("before the override: return due %s, want 2027-07-08", got)
		}
	}
	must(t, bn.db.SetHolidayOverride(bn.ctx, workflow.Override{Date: date(t, "2027-07-05"), Kind: workflow.DayHoliday, Name: "防汛假"}))
	for i, db := range []*storage.DB{bn.db, other} {
		if got := assign(db); got != date(t, "2027-07-09") {
			t.Errorf("process %d, after the override: return due %s, want 2027-07-09", i+1, got)
		}
	}
	must(t, other.RemoveHolidayOverride(bn.ctx, date(t, "2027-07-05")))
	for i, db := range []*storage.DB{bn.db, other} {
		if got := assign(db); got != date(t, "2027-07-08") {
			t.Errorf("process %d, after the removal: return due %s, want 2027-07-08", i+1, got)
		}
	}
}
