package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/storage"
)

// cmdDemo loads the demo data into the database at DATABASE_URL, once.
func cmdDemo(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprintln(io.Stderr, "usage: banli demo")
		return exitUsage
	}
	cfg, ok := needDatabase("demo", io)
	if !ok {
		return exitUsage
	}
	db, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli demo: %v\n", err)
		return 1
	}
	defer db.Close()
	loaded, err := demo.Load(ctx, db, demo.Options{Logger: cfg.Logger(io.Stderr)})
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli demo: %v\n", err)
		return 1
	}
	if loaded {
		fmt.Fprintln(io.Stdout, "demo data loaded")
	} else {
		fmt.Fprintln(io.Stdout, "demo data already loaded")
	}
	return 0
}
