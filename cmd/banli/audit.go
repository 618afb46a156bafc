package main

import (
	"context"
	"fmt"

	"github.com/banli-gov/banli/internal/storage"
)

// cmdAudit runs `banli audit verify`: it walks every case's hash chain and
// exits 1 when any breaks, listing each break with its case and event.
func cmdAudit(ctx context.Context, args []string, io stdio) int {
	if len(args) != 1 || args[0] != "verify" {
		fmt.Fprintln(io.Stderr, "usage: banli audit verify")
		return exitUsage
	}
	cfg, ok := needDatabase("audit", io)
	if !ok {
		return exitUsage
	}
	db, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli audit: %v\n", err)
		return 1
	}
	defer db.Close()
	rep, err := db.VerifyAudit(ctx)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli audit: %v\n", err)
		return 1
	}
	for _, b := range rep.Breaks {
		if b.EventID != 0 {
			fmt.Fprintf(io.Stdout, "BROKEN case %d event %d (seq %d): %s\n", b.CaseID, b.EventID, b.Seq, b.Reason)
		} else {
			fmt.Fprintf(io.Stdout, "BROKEN case %d: %s\n", b.CaseID, b.Reason)
		}
	}
	if len(rep.Breaks) > 0 {
		fmt.Fprintf(io.Stdout, "audit FAILED: %d break(s) in %d cases, %d events\n", len(rep.Breaks), rep.Cases, rep.Events)
		return 1
	}
	fmt.Fprintf(io.Stdout, "audit ok: %d cases, %d events, every chain intact\n", rep.Cases, rep.Events)
	return 0
}
