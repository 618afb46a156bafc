package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/banli-gov/banli/internal/storage"
)

// warmup is what a worker process does after it starts listening: the
// provisional due dates of open cases recomputed (a newer built-in
// calendar may cover a year they were counted without), every case that
// may carry a deadline reconciled with its state (cases from before an
// upgrade, jobs lost to a restored backup), and the search columns of rows
// from before they existed filled. Until it is done /readyz answers 503
// "warming: <status>" (web.Readiness); the application serves meanwhile,
// since none of it changes what a page shows.
type warmup struct {
	mu     sync.Mutex
	done   bool
	status string
}

func newWarmup() *warmup { return &warmup{status: "starting"} }

// Ready implements web.Readiness.
func (w *warmup) Ready() (bool, string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.done, w.status
}

func (w *warmup) set(status string) {
	w.mu.Lock()
	w.status = status
	w.mu.Unlock()
}

// run warms up; an error ends it (and the process).
func (w *warmup) run(ctx context.Context, db *storage.DB, logger *slog.Logger) error {
	begin := time.Now()
	w.set("recomputing provisional due dates")
	res, err := db.RecomputeOpenProvisionalDueDates(ctx, db.Clock.Now())
	if err != nil {
		return fmt.Errorf("error recomputing provisional due dates: %w", err)
	}
	if res.Err != nil {
		logger.Error("error recomputing provisional due dates", "err", res.Err, "failed", res.Failed)
	}
	logger.Info("provisional due dates checked", "cases", res.Checked, "recomputed", res.Changed)
	w.set("reconciling deadlines")
	n, err := db.SyncDeadlines(ctx, func(done, total int) {
		w.set(fmt.Sprintf("reconciling deadlines (%d of %d cases)", done, total))
	})
	if err != nil {
		return fmt.Errorf("error syncing deadlines: %w", err)
	}
	logger.Info("deadlines in sync", "cases", n)
	w.set("indexing search")
	m, err := db.IndexSearch(ctx, func(done int) {
		w.set(fmt.Sprintf("indexing search (%d rows)", done))
	})
	if err != nil {
		return fmt.Errorf("error indexing search: %w", err)
	}
	if m > 0 {
		logger.Info("search indexed", "rows", m)
	}
	w.mu.Lock()
	w.done, w.status = true, "ready"
	w.mu.Unlock()
	logger.Info("warm-up done", "took", time.Since(begin).Round(time.Millisecond))
	return nil
}
