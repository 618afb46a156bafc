package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/web"
	"github.com/banli-gov/banli/migrations"
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
	if *migrate {
		sqlDB := stdlib.OpenDBFromPool(db.Pool)
		_, err := migrations.Up(ctx, sqlDB, logger)
		sqlDB.Close()
		if err != nil {
			logger.Error("cannot start", "error", err)
			return 1
		}
	}
	if err := serveWith(ctx, cfg, db, logger); err != nil {
		logger.Error("server failed", "error", err)
		return 1
	}
	return 0
}

// serveWith serves banli on cfg.ListenAddr with db until ctx ends, then
// shuts down gracefully. `banli serve` and `banli dev` share it.
func serveWith(ctx context.Context, cfg *config.Config, db *storage.DB, logger *slog.Logger) error {
	return web.Run(ctx, cfg, web.NewServer(cfg, db, logger), logger)
}
