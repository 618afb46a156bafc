package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
)

// TestDeadlinesCommands loads the demo, finds every deadline's reminders in
// order, loses some jobs (a backup restored without the queue, say), sees
// check name the cases and exit 1, repairs them with sync, and sees check
// pass again.
func TestDeadlinesCommands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testdb.New(t)
	env := map[string]string{"DATABASE_URL": url}
	if code, out, errOut := runWith(t, env, "demo"); code != 0 {
		t.Fatalf("demo: %d %q %q", code, out, errOut)
	}
	inOrder := regexp.MustCompile(`(?m)^(\d+) cases, (\d+) deadlines, (\d+) jobs, all in order$`)
	code, out, errOut := runWith(t, env, "deadlines", "check")
	m := inOrder.FindStringSubmatch(out)
	if code != 0 || m == nil || m[1] == "0" || m[2] == "0" || m[3] == "0" {
		t.Fatalf("deadlines check after the demo: %d %q %q", code, out, errOut)
	}
	jobsBefore := m[3]

	db, err := storage.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Pool.Query(ctx, `
		WITH gone AS (
			DELETE FROM river_job WHERE id IN (
				SELECT DISTINCT ON (args->>'deadline_id') id FROM river_job
				WHERE kind = 'deadline_reminder' AND state = 'scheduled'
				ORDER BY args->>'deadline_id', id LIMIT 3)
			RETURNING (args->>'deadline_id')::bigint AS deadline_id)
		SELECT d.case_id, d.id FROM gone JOIN deadlines d ON d.id = gone.deadline_id ORDER BY d.case_id`)
	if err != nil {
		t.Fatal(err)
	}
	var lost [][2]int64
	for rows.Next() {
		var c, d int64
		if err := rows.Scan(&c, &d); err != nil {
			t.Fatal(err)
		}
		lost = append(lost, [2]int64{c, d})
	}
	if rows.Close(); rows.Err() != nil || len(lost) != 3 {
		t.Fatalf("deleting three reminder jobs: %v, %v", lost, rows.Err())
	}

	cases := map[int64]bool{}
	for _, l := range lost {
		cases[l[0]] = true
	}
	code, out, _ = runWith(t, env, "deadlines", "check")
	if code != 1 || !strings.Contains(out, "3 problem(s) in "+itoa(int64(len(cases)))+" case(s)") || !strings.Contains(out, "banli deadlines sync") {
		t.Fatalf("deadlines check with lost jobs: exit %d\n%s", code, out)
	}
	for _, l := range lost {
		want := regexp.MustCompile(`(?m)^case ` + itoa(l[0]) + ` deadline ` + itoa(l[1]) + ` \(\w+\): no job for the \w+ notice of \d{4}-\d\d-\d\d$`)
		if !want.MatchString(out) {
			t.Errorf("deadlines check does not name case %d deadline %d:\n%s", l[0], l[1], out)
		}
	}

	code, out, errOut = runWith(t, env, "deadlines", "sync")
	if code != 0 || !regexp.MustCompile(`^deadlines synced: \d+ cases\n$`).MatchString(out) {
		t.Fatalf("deadlines sync: %d %q %q", code, out, errOut)
	}
	code, out, _ = runWith(t, env, "deadlines", "check")
	if m := inOrder.FindStringSubmatch(out); code != 0 || m == nil || m[3] != jobsBefore {
		t.Fatalf("deadlines check after sync: exit %d (jobs before: %s)\n%s", code, jobsBefore, out)
	}
}

func TestDeadlinesCommandsUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"deadlines"}, {"deadlines", "fix"}, {"deadlines", "check", "now"}} {
		if code, _, errOut := runWith(t, map[string]string{"DATABASE_URL": "x"}, args...); code != exitUsage || !strings.Contains(errOut, "banli deadlines check") {
			t.Errorf("%v: %d %q", args, code, errOut)
		}
	}
	if code, _, errOut := runWith(t, map[string]string{}, "deadlines", "check"); code != exitUsage || !strings.Contains(errOut, "DATABASE_URL") {
		t.Errorf("deadlines check without DATABASE_URL: %d %q", code, errOut)
	}
}
