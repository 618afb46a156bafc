package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/banli-gov/banli/internal/testdb"
)

// jobCountArgs is a job kind of this test alone.
type jobCountArgs struct{ N int }

func (jobCountArgs) Kind() string { return "job_count_test" }

// TestJobCounts counts the jobs not yet finalized by queue and state, and
// reads 0 for the states of a queue River lists that has none.
func TestJobCounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.NewDB(t)
	client, err := river.NewClient(riverpgxv5.New(db.Pool), &river.Config{})
	must(t, err)
	later := time.Now().Add(24 * time.Hour)
	for i, opts := range []*river.InsertOpts{
		{Queue: "reminders", ScheduledAt: later},
		{Queue: "reminders", ScheduledAt: later},
		{Queue: "notify"},
		{Queue: "notify"},
	} {
		_, err := client.Insert(ctx, jobCountArgs{N: i}, opts)
		must(t, err)
	}
	// One notify job done: finalized jobs are not depth.
	_, err = db.Pool.Exec(ctx, `UPDATE river_job SET state = 'completed', finalized_at = now()
		WHERE id = (SELECT min(id) FROM river_job WHERE queue = 'notify')`)
	must(t, err)
	// A queue a worker registered, with no jobs.
	_, err = db.Pool.Exec(ctx, `INSERT INTO river_queue (name, created_at, metadata, updated_at) VALUES ('idle', now(), '{}', now())`)
	must(t, err)

	counts, err := db.JobCounts(ctx)
	must(t, err)
	got := map[string]int64{}
	for _, c := range counts {
		key := c.Queue + "/" + string(c.State)
		if _, dup := got[key]; dup {
			t.Errorf("%s counted twice", key)
		}
		got[key] = c.Count
	}
	want := map[string]int64{
		"reminders/scheduled": 2,
		"notify/available":    1,
		"idle/available":      0, "idle/pending": 0, "idle/retryable": 0, "idle/running": 0, "idle/scheduled": 0,
	}
	if len(got) != len(want) {
		t.Errorf("counts = %v, want %v", got, want)
	}
	for k, n := range want {
		if g, ok := got[k]; !ok || g != n {
			t.Errorf("%s = %d (%v), want %d", k, g, ok, n)
		}
	}
}
