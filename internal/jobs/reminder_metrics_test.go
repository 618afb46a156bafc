package jobs_test

import (
	"testing"
	"time"

	"github.com/riverqueue/river/rivertest"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/jobs"
	"github.com/banli-gov/banli/internal/metrics"
	"github.com/banli-gov/banli/internal/metrics/metricstest"
	"github.com/banli-gov/banli/workflow"
)

// TestReminderMetrics counts a reminder sent 90 seconds after its scheduled
// time, and one whose deadline had ended (obsolete: no lag).
func TestReminderMetrics(t *testing.T) {
	t.Parallel()
	w := newWorld(t, time.Date(2024, 7, 1, 10, 0, 0, 0, time.UTC), config.SMTP{})
	m := metrics.New(nil)
	worker := jobs.NewReminderWorker(w.db, nil)
	worker.Metrics = m

	job := w.nextJob(t)
	if job == nil {
		t.Fatal("no reminder scheduled")
	}
	notice := string(job.Args.Notice)
	w.db.Clock = workflow.FixedClock(job.ScheduledAt.Add(90 * time.Second))
	must(t, worker.Work(rivertest.WorkContext(w.ctx, w.client), job))

	// The same deadline, ended (the case moved on): nothing is sent.
	_, err := w.db.Pool.Exec(w.ctx, `UPDATE deadlines SET ended_at = now(), end_reason = 'met' WHERE id = $1`, job.Args.DeadlineID)
	must(t, err)
	must(t, worker.Work(rivertest.WorkContext(w.ctx, w.client), job))

	s := metricstest.ScrapeHandler(t, m.Handler(), "/metrics")
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"banli_reminders_total", []string{"notice", notice, "outcome", "sent"}, 1},
		{"banli_reminders_total", []string{"notice", notice, "outcome", "obsolete"}, 1},
		{"banli_reminder_lag_seconds_count", []string{"notice", notice}, 1},
		{"banli_reminder_lag_seconds_sum", []string{"notice", notice}, 90},
	} {
		if got, ok := s.Value(c.name, c.labels...); !ok || got != c.want {
			t.Errorf("%s%v = %v (%v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
}
