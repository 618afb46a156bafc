package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"

	"github.com/banli-gov/banli/migrations"
)

// cmdMigrate applies, lists or reverts migrations: `banli migrate [up]`,
// `banli migrate status`, `banli migrate down-to VERSION`.
func cmdMigrate(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	fs.Usage = func() { fmt.Fprintln(io.Stderr, "usage: banli migrate [up | status | down-to VERSION]") }
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	sub := "up"
	if fs.NArg() > 0 {
		sub = fs.Arg(0)
	}
	var target int64
	switch {
	case sub == "up" || sub == "status":
		if fs.NArg() > 1 {
			fs.Usage()
			return exitUsage
		}
	case sub == "down-to" && fs.NArg() == 2:
		v, err := strconv.ParseInt(fs.Arg(1), 10, 64)
		if err != nil || v < 0 {
			fmt.Fprintf(io.Stderr, "banli migrate: down-to: %q is not a version number\n", fs.Arg(1))
			return exitUsage
		}
		target = v
	default:
		fs.Usage()
		return exitUsage
	}
	cfg, ok := needDatabase("migrate", io)
	if !ok {
		return exitUsage
	}
	logger := cfg.Logger(io.Stderr)
	db, err := openSQL(ctx, cfg.DatabaseURL)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli migrate: %v\n", err)
		return 1
	}
	defer db.Close()
	switch sub {
	case "status":
		st, err := migrations.Status(ctx, db)
		if err != nil {
			fmt.Fprintf(io.Stderr, "banli migrate: %v\n", err)
			return 1
		}
		for _, s := range st {
			applied := "pending"
			if !s.AppliedAt.IsZero() {
				applied = "applied " + s.AppliedAt.Format("2006-01-02 15:04:05")
			}
			fmt.Fprintf(io.Stdout, "%6d  %-32s %s\n", s.Source.Version, s.Source.Path, applied)
		}
	case "up":
		res, err := migrations.Up(ctx, db, nil)
		for _, r := range res {
			fmt.Fprintf(io.Stdout, "applied %s\n", r)
		}
		if err != nil {
			fmt.Fprintf(io.Stderr, "banli migrate: %v\n", err)
			return 1
		}
		if len(res) == 0 {
			fmt.Fprintln(io.Stdout, "no pending migrations")
		}
		logger.Debug("migrations applied", "count", len(res))
	case "down-to":
		res, err := migrations.DownTo(ctx, db, target)
		for _, r := range res {
			fmt.Fprintf(io.Stdout, "reverted %s\n", r)
		}
		if err != nil && !errors.Is(err, context.Canceled) {
			fmt.Fprintf(io.Stderr, "banli migrate: %v\n", err)
			return 1
		}
	}
	return 0
}
