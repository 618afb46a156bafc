package main

import (
	"context"
	"fmt"

	"github.com/banli-gov/banli/internal/storage"
)

const deadlinesUsage = `usage:
  banli deadlines check   compare every case's deadlines and reminder jobs with its state; exit 1 on any difference
  banli deadlines sync    recompute provisional due dates the calendar now covers; store missing deadlines,
                          end stale ones, insert missing reminders, cancel stale ones`

// cmdDeadlines runs `banli deadlines check|sync`: the operator's view of the
// deadlines every transition keeps in line with its case (storage's
// deadline.go) and of their reminder jobs in River's queue.
func cmdDeadlines(ctx context.Context, args []string, io stdio) int {
	if len(args) != 1 || (args[0] != "check" && args[0] != "sync") {
		fmt.Fprintln(io.Stderr, deadlinesUsage)
		return exitUsage
	}
	cfg, ok := needDatabase("deadlines", io)
	if !ok {
		return exitUsage
	}
	db, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli deadlines: %v\n", err)
		return 1
	}
	defer db.Close()

	if args[0] == "sync" {
		res, err := db.RecomputeProvisionalDueDates(ctx, db.Clock.Now())
		if err == nil {
			err = res.Err
		}
		if err != nil {
			fmt.Fprintf(io.Stderr, "banli deadlines sync: %v\n", err)
			return 1
		}
		if res.Checked > 0 {
			fmt.Fprintf(io.Stdout, "provisional due dates: %d cases checked, %d recomputed\n", res.Checked, res.Changed)
		}
		n, err := db.SyncDeadlines(ctx, nil)
		if err != nil {
			fmt.Fprintf(io.Stderr, "banli deadlines sync: %v\n", err)
			return 1
		}
		fmt.Fprintf(io.Stdout, "deadlines synced: %d cases\n", n)
		return 0
	}

	rep, err := db.CheckDeadlineJobs(ctx, db.Clock.Now())
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli deadlines check: %v\n", err)
		return 1
	}
	cases := map[int64]bool{}
	for _, p := range rep.Problems {
		cases[p.CaseID] = true
		if p.DeadlineID != 0 {
			fmt.Fprintf(io.Stdout, "case %d deadline %d (%s): %s\n", p.CaseID, p.DeadlineID, p.Kind, p.Problem)
		} else {
			fmt.Fprintf(io.Stdout, "case %d (%s): %s\n", p.CaseID, p.Kind, p.Problem)
		}
	}
	summary := fmt.Sprintf("%d cases, %d deadlines, %d jobs", rep.Cases, rep.Deadlines, rep.Jobs)
	if len(rep.Problems) > 0 {
		fmt.Fprintf(io.Stdout, "%d problem(s) in %d case(s) (%s): `banli deadlines sync` repairs them\n",
			len(rep.Problems), len(cases), summary)
		return 1
	}
	fmt.Fprintf(io.Stdout, "%s, all in order\n", summary)
	return 0
}
