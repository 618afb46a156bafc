package storage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

// pendingReminders lists a case's reminder jobs that have not run, as
// "deadline-kind notice day", in time order.
func pendingReminders(t *testing.T, bn *bundle, caseID int64) []string {
	t.Helper()
	rows, err := bn.db.Pool.Query(bn.ctx, `
		SELECT d.kind, j.args, j.scheduled_at FROM river_job j JOIN deadlines d ON d.id = (j.args->>'deadline_id')::bigint
		WHERE j.kind = 'deadline_reminder' AND d.case_id = $1 AND j.state IN ('available', 'scheduled', 'retryable', 'pending')
		ORDER BY j.scheduled_at, d.kind`, caseID)
	must(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var kind string
		var raw []byte
		var at time.Time
		must(t, rows.Scan(&kind, &raw, &at))
		var args storage.ReminderArgs
		must(t, json.Unmarshal(raw, &args))
		if want := args.Day.Time().Add(9 * time.Hour); !at.Equal(want) {
			t.Errorf("%s %s scheduled at %s, want %s", kind, args.Notice, at, want)
		}
		s := fmt.Sprintf("%s %s %s", kind, args.Notice, args.Day)
		if args.Notice == workflow.NoticeBefore {
			s = fmt.Sprintf("%s %s-%d %s", kind, args.Notice, args.WorkingDays, args.Day)
		}
		out = append(out, s)
	}
	must(t, rows.Err())
	return out
}

func activeKinds(t *testing.T, bn *bundle, caseID int64) string {
	t.Helper()
	ds, err := bn.db.CaseDeadlines(bn.ctx, caseID)
	must(t, err)
	var out []string
	for _, d := range ds {
		s := fmt.Sprintf("%s %s", d.Kind, d.Due)
		if d.Ended {
			s += " (" + d.EndReason + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

// TestDeadlineSchedule follows one case through its deadlines with the
// clock at each action: which reminders are pending after each step, on
// which working days, across 2024's Mid-Autumn and National Day holidays and
// their make-up days; every ended deadline's reminders are cancelled in the
// same transaction.
func TestDeadlineSchedule(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	clock := on(t, "2024-07-01")
	bn.db.Clock = workflow.FixedClock(clock)
	step := func(day string) time.Time { clock = on(t, day); return clock }

	c := bn.assign(t, bn.unitA, workflow.KindLead, step("2024-07-01"))
	want := []string{
		"return_window before-3 2024-07-03", "return_window before-1 2024-07-05", "return_window due 2024-07-08",
		"reply before-15 2024-09-10", "reply before-7 2024-09-23", "reply before-3 2024-09-27", "reply before-1 2024-09-30",
		"reply due 2024-10-08", "reply overdue 2024-10-09",
	}
	if got := pendingReminders(t, bn, c.ID); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("after assignment:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	c = bn.act(t, c, workflow.ActionAccept, bn.a[workflow.RoleDrafter], step("2024-07-02"), workflow.Input{})
	if got := activeKinds(t, bn, c.ID); got != "reply 2024-10-08, return_window 2024-07-08 (met)" {
		t.Errorf("after acceptance: %s", got)
	}
	if got := pendingReminders(t, bn, c.ID); len(got) != 6 || strings.Contains(strings.Join(got, " "), "return_window") {
		t.Errorf("after acceptance the return window's reminders are still pending: %v", got)
	}

	c = bn.act(t, c, workflow.ActionRequestExtension, bn.a[workflow.RoleApprover], step("2024-09-26"),
		workflow.Input{Comment: "需调研", Due: date(t, "2024-11-29")})
	// The decision is due 5 working days after 09-26, counting the make-up
	// Sunday 09-29 and skipping National Day: 10-09. The reply's earlier
	// reminders are still pending only because no worker runs here.
	want = []string{
		"reply before-15 2024-09-10", "reply before-7 2024-09-23", "reply before-3 2024-09-27",
		"extension_decision before-3 2024-09-29", "reply before-1 2024-09-30", "extension_decision before-1 2024-10-08",
		"reply due 2024-10-08", "extension_decision due 2024-10-09", "reply overdue 2024-10-09", "extension_decision overdue 2024-10-10",
	}
	if got := pendingReminders(t, bn, c.ID); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("after the extension request:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	c = bn.act(t, c, workflow.ActionGrantExtension, bn.liaison, step("2024-09-27"), workflow.Input{Due: date(t, "2024-11-29")})
	if got := activeKinds(t, bn, c.ID); got != "reply 2024-10-08 (moved), return_window 2024-07-08 (met), extension_decision 2024-10-09 (met), reply 2024-11-29" {
		t.Errorf("after the grant: %s", got)
	}
	want = []string{"reply before-15 2024-11-08", "reply before-7 2024-11-20", "reply before-3 2024-11-26",
		"reply before-1 2024-11-28", "reply due 2024-11-29", "reply overdue 2024-12-02"}
	if got := pendingReminders(t, bn, c.ID); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("after the grant:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	bn.draft(t, c, bn.a[workflow.RoleDrafter], 0, step("2024-10-09"))
	c = bn.act(t, c, workflow.ActionSubmit, bn.a[workflow.RoleDrafter], clock, workflow.Input{})
	c = bn.act(t, c, workflow.ActionForward, bn.a[workflow.RoleReviewer], step("2024-10-10"), workflow.Input{})
	c = bn.act(t, c, workflow.ActionSign, bn.a[workflow.RoleApprover], step("2024-10-11"), workflow.Input{Class: workflow.ClassB, Disclosure: workflow.DisclosePublic})
	c = bn.act(t, c, workflow.ActionSend, bn.a[workflow.RoleDrafter], step("2024-10-12"), workflow.Input{}) // a make-up Saturday
	if got := activeKinds(t, bn, c.ID); !strings.HasSuffix(got, "reply 2024-11-29 (met), feedback 2024-11-12, publication 2024-11-08") {
		t.Errorf("after the reply: %s", got)
	}
	c = bn.act(t, c, workflow.ActionPublish, bn.a[workflow.RoleDrafter], step("2024-10-14"), workflow.Input{})
	c = bn.act(t, c, workflow.ActionRecordFeedback, bn.liaison, step("2024-10-15"), workflow.Input{WorkRating: workflow.RatingSatisfied, ResultRating: workflow.RatingSatisfied})
	if got := activeKinds(t, bn, c.ID); !strings.HasSuffix(got, "feedback 2024-11-12 (met), publication 2024-11-08 (met)") {
		t.Errorf("after closure: %s", got)
	}
	if got := pendingReminders(t, bn, c.ID); len(got) != 0 {
		t.Errorf("a closed, published case still has reminders: %v", got)
	}
}

// TestReturnedCaseVoidsDeadlines: a returned case owes nothing.
func TestReturnedCaseVoidsDeadlines(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	c := bn.assign(t, bn.unitA, workflow.KindLead, bn.db.Clock.Now())
	c = bn.act(t, c, workflow.ActionRequestReturn, bn.a[workflow.RoleDrafter], bn.db.Clock.Now(), workflow.Input{Comment: "非我单位职责"})
	c = bn.act(t, c, workflow.ActionApproveReturn, bn.liaison, bn.db.Clock.Now(), workflow.Input{})
	got := activeKinds(t, bn, c.ID)
	if strings.Count(got, "(void)") != 1 || strings.Count(got, "(met)") != 1 || len(pendingReminders(t, bn, c.ID)) != 0 {
		t.Errorf("returned case: %s, reminders %v", got, pendingReminders(t, bn, c.ID))
	}
}

// TestCheckAndSyncDeadlineJobs: on the demo every open deadline has exactly
// its jobs; lost jobs and a case without its deadline rows are reported,
// and SyncDeadlines puts them back.
func TestCheckAndSyncDeadlineJobs(t *testing.T) {
	t.Parallel()
	db := testdb.NewDB(t)
	ctx := context.Background()
	if _, err := demo.Load(ctx, db, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	now := db.Clock.Now()
	rep, err := db.CheckDeadlineJobs(ctx, now)
	must(t, err)
	if len(rep.Problems) != 0 || rep.Deadlines < 20 || rep.Jobs < rep.Deadlines {
		t.Fatalf("demo: %d cases, %d deadlines, %d jobs, problems %v", rep.Cases, rep.Deadlines, rep.Jobs, rep.Problems)
	}
	// Lose the jobs of some deadlines, and every deadline row of one case.
	_, err = db.Pool.Exec(ctx, `DELETE FROM river_job WHERE id IN (SELECT id FROM river_job WHERE kind = 'deadline_reminder' ORDER BY id LIMIT 10)`)
	must(t, err)
	var caseID int64
	must(t, db.Pool.QueryRow(ctx, `SELECT case_id FROM deadlines WHERE ended_at IS NULL AND kind = 'reply' ORDER BY id DESC LIMIT 1`).Scan(&caseID))
	_, err = db.Pool.Exec(ctx, `DELETE FROM river_job WHERE kind = 'deadline_reminder' AND (args->>'deadline_id')::bigint IN (SELECT id FROM deadlines WHERE case_id = $1)`, caseID)
	must(t, err)
	_, err = db.Pool.Exec(ctx, `DELETE FROM deadlines WHERE case_id = $1`, caseID)
	must(t, err)
	rep, err = db.CheckDeadlineJobs(ctx, now)
	must(t, err)
	missingRow := false
	for _, p := range rep.Problems {
		missingRow = missingRow || p.CaseID == caseID && p.DeadlineID == 0 && strings.Contains(p.Problem, "not stored")
	}
	if len(rep.Problems) < 2 || !missingRow {
		t.Fatalf("after losing jobs: %v", rep.Problems)
	}
	n, err := db.SyncDeadlines(ctx, nil)
	must(t, err)
	rep, err = db.CheckDeadlineJobs(ctx, now)
	must(t, err)
	if n != rep.Cases || len(rep.Problems) != 0 {
		t.Fatalf("after SyncDeadlines over %d cases: %v", n, rep.Problems)
	}
}
