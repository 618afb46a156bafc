package main

import (
	"context"
	"log/slog"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/metrics"
	"github.com/banli-gov/banli/internal/storage"
)

// startMetrics builds the process's metrics — with the database pool and
// River's queue depth read at each scrape — and, when cfg.MetricsAddr is
// set, serves them with Go's profiles on a listener of their own until ctx
// ends or stop is called. A taken address is an error before anything is
// served. stop shuts that listener down and waits for it; its errors are
// logged: the application goes on without its metrics.
func startMetrics(ctx context.Context, cfg *config.Config, db *storage.DB, logger *slog.Logger) (m *metrics.Metrics, stop func(), err error) {
	m = metrics.New(logger)
	m.WatchPool(db.Pool)
	m.WatchJobs(db)
	if cfg.MetricsAddr == "" {
		return m, func() {}, nil
	}
	ln, err := metrics.Listen(ctx, cfg.MetricsAddr)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := metrics.Serve(ctx, ln, m.ListenerHandler(), cfg.ShutdownTimeout, logger); err != nil {
			logger.Error("metrics listener stopped", "err", err)
		}
	}()
	return m, func() { cancel(); <-done }, nil
}
