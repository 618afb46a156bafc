package storage_test

import (
	"testing"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// TestSupervisorLabel: the supervising role is 督办人员 until an
// administrator names it otherwise; each change is in the administration
// log with the previous name; 联络员 and names that are not Chinese are
// refused, and so is anyone but an administrator.
func TestSupervisorLabel(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	label := func() string {
		t.Helper()
		l, err := bn.db.SupervisorLabel(bn.ctx)
		must(t, err)
		return l
	}
	if got := label(); got != workflow.DefaultSupervisorLabel {
		t.Fatalf("label %q, want %q", got, workflow.DefaultSupervisorLabel)
	}
	must(t, bn.db.SetSupervisorLabel(bn.ctx, workflow.CommandLine("root"), "政府督查室"))
	must(t, bn.db.SetSupervisorLabel(bn.ctx, workflow.CommandLine("root"), "政府督查室")) // no change, no record
	if got := label(); got != "政府督查室" {
		t.Fatalf("label %q after setting 政府督查室", got)
	}
	events, _, err := bn.db.AdminEvents(bn.ctx, storage.AdminEventQuery{Limit: 10})
	must(t, err)
	var changes []*workflow.AdminEvent
	for _, e := range events {
		if e.Change == workflow.ChangeSupervisorLabel {
			changes = append(changes, e)
		}
	}
	if len(changes) != 1 || changes[0].PreviousValue != "督办人员" || changes[0].Value != "政府督查室" || changes[0].Actor.Name != "root" {
		t.Fatalf("log records of the label: %+v", changes)
	}

	for _, bad := range []string{"区联络员", "liaison", "督", " 督办人员", "人大常委会选举任免联络工作委员会代表工作室主任"} {
		if err := bn.db.SetSupervisorLabel(bn.ctx, workflow.CommandLine("root"), bad); workflow.Code(err) != workflow.ErrInvalid ||
			workflow.RuleOf(err) != workflow.RuleSupervisorLabel {
			t.Errorf("label %q: %v, want refused by %s", bad, err, workflow.RuleSupervisorLabel)
		}
	}
	drafter := workflow.AdminActor{Kind: workflow.AdminByUser, UserID: bn.a[workflow.RoleDrafter].UserID, Name: "drafter"}
	if err := bn.db.SetSupervisorLabel(bn.ctx, drafter, "人大代表工作机构"); workflow.Code(err) != workflow.ErrForbidden {
		t.Errorf("a drafter sets the label: %v", err)
	}
	if got := label(); got != "政府督查室" {
		t.Errorf("label %q after refused changes", got)
	}
}
