package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

const demoUsage = `usage:
  banli demo                                      load the demo data into DATABASE_URL (once)
  banli demo --synthetic N [--seed S] [--as-of YYYY-MM-DD]
                                                  load N synthetic proposals (scale data) into a database without proposals`

// cmdDemo loads the demo data into the database at DATABASE_URL, once; or,
// with --synthetic, scale data for measuring banli.
func cmdDemo(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	fs.Usage = func() { fmt.Fprintln(io.Stderr, demoUsage) }
	synthetic := fs.Int("synthetic", 0, "load `N` synthetic proposals instead of the demo")
	seed := fs.Uint64("seed", 1, "the seed of the synthetic data")
	asOfFlag := fs.String("as-of", "", "the day the synthetic data ends on (`YYYY-MM-DD`; default today)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprintln(io.Stderr, demoUsage)
		return exitUsage
	}
	var asOf workflow.Date
	if *asOfFlag != "" {
		d, err := workflow.ParseDate(*asOfFlag)
		if err != nil {
			fmt.Fprintf(io.Stderr, "banli demo: --as-of: %v\n", err)
			return exitUsage
		}
		asOf = d
	}
	synthFlags := *synthetic != 0 || *asOfFlag != ""
	fs.Visit(func(f *flag.Flag) { synthFlags = synthFlags || f.Name == "seed" })
	if synthFlags && *synthetic < 1 {
		fmt.Fprintln(io.Stderr, "banli demo: --seed and --as-of go with --synthetic N (N ≥ 1)")
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
	if *synthetic > 0 {
		rep, err := demo.LoadSynthetic(ctx, db, demo.SyntheticOptions{Proposals: *synthetic, Seed: *seed, AsOf: asOf,
			Clock: workflow.SystemClock, Logger: cfg.Logger(io.Stderr)})
		if err != nil {
			fmt.Fprintf(io.Stderr, "banli demo: %v\n", err)
			return 1
		}
		printSyntheticReport(io, rep)
		return 0
	}
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

func printSyntheticReport(io stdio, rep *demo.SyntheticReport) {
	w := io.Stdout
	fmt.Fprintf(w, "synthetic data loaded: %d proposals, seed %d, as of %s\n", rep.Proposals, rep.Seed, rep.AsOf)
	for _, s := range rep.Sessions {
		fmt.Fprintf(w, "  session %s\n", s)
	}
	fmt.Fprintf(w, "%-18s %10s %10s\n", "table", "rows", "size")
	for _, t := range rep.Tables {
		fmt.Fprintf(w, "%-18s %10d %10s\n", t.Table, t.Rows, mib(t.Bytes))
	}
	fmt.Fprintf(w, "database size %s\n", mib(rep.DatabaseBytes))
	fmt.Fprintf(w, "cases by state: %s\n", counts(rep.CasesByState))
	fmt.Fprintf(w, "cases by kind: %s\n", counts(rep.CasesByKind))
	fmt.Fprintf(w, "active deadlines %d (current session only), reminder jobs scheduled %d\n", rep.ActiveDeadlines, rep.ReminderJobs)
	fmt.Fprintf(w, "took %s: generate %s, copy %s, reminders and commit %s, analyze %s\n",
		secs(rep.Total), secs(rep.Generate), secs(rep.Copy), secs(rep.Jobs), secs(rep.Analyze))
}

func counts[K ~string](m map[K]int) string {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func secs(d time.Duration) string { return fmt.Sprintf("%.1fs", d.Seconds()) }
