package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/jobs"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/web"
	"github.com/banli-gov/banli/migrations"
	"github.com/banli-gov/banli/workflow"
)

// cmdServe runs `banli serve [--migrate]`: the web application on the
// database DATABASE_URL names, until SIGINT or SIGTERM.
func cmdServe(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("banli serve", flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	migrate := fs.Bool("migrate", false, "apply pending database migrations before serving")
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, "usage: banli serve [--migrate]")
		fmt.Fprintln(io.Stderr)
		fmt.Fprintln(io.Stderr, "Serves banli on BANLI_LISTEN_ADDR (default 127.0.0.1:8080) with the database DATABASE_URL names.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(io.Stderr, "banli serve: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	cfg, err := config.Load(io.Getenv)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli serve: %v\n", err)
		return exitUsage
	}
	if err := cfg.RequireFeedbackSecret(); err != nil {
		fmt.Fprintf(io.Stderr, "banli serve: %v\n", err)
		return exitUsage
	}
	if cfg.DatabaseURL == "" {
		fmt.Fprintln(io.Stderr, "banli serve: DATABASE_URL is not set: point it at PostgreSQL "+
			"(e.g. postgres://user:password@host:5432/banli), or run `banli dev` for a private development database")
		return exitUsage
	}
	logger := cfg.Logger(io.Stderr)

	db, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		logger.Error("cannot start", "error", err)
		return 1
	}
	defer db.Close()
	// The process's one clock, for storage and the web alike.
	clock := workflow.SystemClock
	db.Clock = clock
	if *migrate {
		sqlDB := stdlib.OpenDBFromPool(db.Pool)
		_, err := migrations.Up(ctx, sqlDB, logger)
		sqlDB.Close()
		if err != nil {
			logger.Error("cannot start", "error", err)
			return 1
		}
	}
	if err := serveWith(ctx, cfg, db, clock, logger); err != nil {
		logger.Error("server failed", "error", err)
		return 1
	}
	return 0
}

// serveWith runs a banli process with db until ctx ends, then shuts down
// gracefully: the web application (unless cfg.Jobs.Mode is worker, which
// serves only the probes) and the River client (working jobs unless the mode
// is web). `banli serve` and `banli dev` share it; opts add to the server.
// clock is the one db has: the web decides by the same time. The metrics
// are served as cfg.MetricsAddr says (startMetrics).
func serveWith(ctx context.Context, cfg *config.Config, db *storage.DB, clock workflow.Clock, logger *slog.Logger, opts ...web.Option) error {
	m, stopMetrics, err := startMetrics(ctx, cfg, db, logger)
	if err != nil {
		return err
	}
	defer stopMetrics()
	client, err := jobs.NewClient(db, cfg, logger, jobs.Options{Metrics: m})
	if err != nil {
		return err
	}
	// A failed warm-up stops the process, as it did when this work ran
	// before serving.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var warm *warmup
	if cfg.Jobs.Works() {
		// Reconciliation runs in the background: the process listens at
		// once, /readyz says "warming: …" until it is done.
		warm = newWarmup()
		go func() {
			if err := warm.run(ctx, db, logger); err != nil && ctx.Err() == nil {
				cancel(err)
			}
		}()
		if err := client.Start(ctx); err != nil {
			return fmt.Errorf("error starting the job workers: %w", err)
		}
		logger.Info("job workers started", "mode", cfg.Jobs.Mode, "reminders", cfg.Jobs.ReminderWorkers,
			"notify", cfg.Jobs.NotifyWorkers, "default", cfg.Jobs.DefaultWorkers)
		defer func() {
			stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
			defer cancel()
			if err := client.Stop(stopCtx); err != nil {
				logger.Error("error stopping the job workers", "err", err)
			}
		}()
	}
	opts = append(opts, web.WithClock(clock), web.WithJobs(client), web.WithMetrics(m))
	if warm != nil {
		opts = append(opts, web.WithReadiness(warm))
	}
	if !cfg.Jobs.ServesWeb() {
		opts = append(opts, web.ProbesOnly())
	}
	err = web.Run(ctx, cfg, web.NewServer(cfg, db, logger, opts...), logger)
	if cause := context.Cause(ctx); err == nil && cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	return err
}
