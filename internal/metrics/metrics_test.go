package metrics_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/banli-gov/banli/internal/metrics"
	"github.com/banli-gov/banli/internal/metrics/metricstest"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

func TestObserve(t *testing.T) {
	t.Parallel()
	m := metrics.New(nil)
	m.ObserveRequest(http.MethodGet, "/cases/{id}", 200, 20*time.Millisecond)
	m.ObserveRequest(http.MethodGet, "/cases/{id}", 200, 2*time.Second)
	m.ObserveRequest(http.MethodGet, "/cases/{id}", 404, time.Millisecond)
	m.ObserveRequest("BREW", "", 404, time.Millisecond)
	m.ObserveTransition(workflow.ActionAccept, nil)
	m.ObserveTransition(workflow.ActionAccept, workflow.Errorf(workflow.ErrConflict, "stale"))
	m.ObserveTransition(workflow.ActionSign, workflow.Errorf(workflow.ErrInvalid, "no class"))
	m.ObserveTransition(workflow.ActionSign, errors.New("connection reset"))
	m.ObserveTransition(workflow.ActionSign, workflow.Errorf(workflow.ErrUnavailable, "database down"))
	m.ObserveTransition("fly", workflow.Errorf(workflow.ErrInvalid, "unknown action"))
	m.ObserveReminder(workflow.NoticeBefore, true, 90*time.Second)
	m.ObserveReminder(workflow.NoticeOverdue, true, -time.Second)
	m.ObserveReminder(workflow.NoticeDue, false, 0)
	var none *metrics.Metrics // nil records nothing, and does not panic
	none.ObserveRequest(http.MethodGet, "/", 200, time.Second)
	none.ObserveTransition(workflow.ActionAccept, nil)
	none.ObserveReminder(workflow.NoticeDue, true, time.Second)

	s := metricstest.ScrapeHandler(t, m.Handler(), "/metrics")
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"banli_http_request_duration_seconds_count", []string{"method", "GET", "route", "/cases/{id}", "status", "200"}, 2},
		{"banli_http_request_duration_seconds_sum", []string{"method", "GET", "route", "/cases/{id}", "status", "200"}, 2.02},
		{"banli_http_request_duration_seconds_count", []string{"method", "GET", "route", "/cases/{id}", "status", "404"}, 1},
		{"banli_http_request_duration_seconds_count", []string{"method", "other", "route", "unmatched", "status", "404"}, 1},
		{"banli_case_transitions_total", []string{"action", "accept", "outcome", "ok"}, 1},
		{"banli_case_transitions_total", []string{"action", "accept", "outcome", "conflict"}, 1},
		{"banli_case_transitions_total", []string{"action", "sign", "outcome", "invalid"}, 1},
		{"banli_case_transitions_total", []string{"action", "sign", "outcome", "error"}, 2},
		{"banli_case_transitions_total", []string{"action", "unknown", "outcome", "invalid"}, 1},
		{"banli_reminders_total", []string{"notice", "before", "outcome", "sent"}, 1},
		{"banli_reminders_total", []string{"notice", "overdue", "outcome", "sent"}, 1},
		{"banli_reminders_total", []string{"notice", "due", "outcome", "obsolete"}, 1},
		{"banli_reminder_lag_seconds_sum", []string{"notice", "before"}, 90},
		{"banli_reminder_lag_seconds_sum", []string{"notice", "overdue"}, 0},
		{"banli_reminder_lag_seconds_count", []string{"notice", "overdue"}, 1},
	} {
		got, ok := s.Value(c.name, c.labels...)
		if !ok || got != c.want {
			t.Errorf("%s%v = %v (found %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	if _, ok := s.Value("banli_reminder_lag_seconds_count", "notice", "due"); ok {
		t.Error("an obsolete reminder has a lag")
	}
	if _, ok := s["go_goroutines"]; !ok {
		t.Error("no Go runtime metrics")
	}
}

// fakeJobs stands in for storage.DB.JobCounts.
type fakeJobs struct {
	counts []storage.JobCount
	err    error
}

func (f fakeJobs) JobCounts(context.Context) ([]storage.JobCount, error) { return f.counts, f.err }

func TestWatchJobs(t *testing.T) {
	t.Parallel()
	m := metrics.New(nil)
	m.WatchJobs(fakeJobs{counts: []storage.JobCount{
		{Queue: "reminders", State: rivertype.JobStateScheduled, Count: 120},
		{Queue: "notify", State: rivertype.JobStateRetryable, Count: 3},
		{Queue: "notify", State: rivertype.JobStateAvailable, Count: 0},
	}})
	s := metricstest.ScrapeHandler(t, m.Handler(), "/metrics")
	for _, c := range []struct {
		queue, state string
		want         float64
	}{{"reminders", "scheduled", 120}, {"notify", "retryable", 3}, {"notify", "available", 0}} {
		if got, ok := s.Value("banli_river_jobs", "queue", c.queue, "state", c.state); !ok || got != c.want {
			t.Errorf("banli_river_jobs{%s,%s} = %v (%v), want %v", c.queue, c.state, got, ok, c.want)
		}
	}
}

// TestWatchJobsError serves the other metrics when the queue depth cannot
// be read.
func TestWatchJobsError(t *testing.T) {
	t.Parallel()
	m := metrics.New(nil)
	m.WatchJobs(fakeJobs{err: errors.New("database down")})
	m.ObserveTransition(workflow.ActionAccept, nil)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `banli_case_transitions_total{action="accept",outcome="ok"} 1`) ||
		strings.Contains(rec.Body.String(), "banli_river_jobs{") {
		t.Errorf("scrape with a failing collector: %d\n%s", rec.Code, rec.Body.String())
	}
}

// TestListenerHandler serves the metrics and Go's profiles.
func TestListenerHandler(t *testing.T) {
	t.Parallel()
	m := metrics.New(nil)
	h := m.ListenerHandler()
	metricstest.ScrapeHandler(t, h, metrics.Path)
	for _, path := range []string{metrics.PprofPath, metrics.PprofPath + "goroutine?debug=1", metrics.PprofPath + "cmdline"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
			t.Errorf("GET %s: %d", path, rec.Code)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/cases/1", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("GET /cases/1 on the metrics listener: %d", rec.Code)
	}
}
