package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/testdb"
)

// TestBench runs the whole benchmark at a tiny size, as make bench runs it
// at 100,000 proposals: it seeds, starts the server (this test binary as
// banli), moves cases over HTTP and through storage, reads every page,
// delivers reminders to mailpit, and appends its table to a file.
func TestBench(t *testing.T) {
	t.Parallel()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	if err := os.WriteFile(out, []byte("# Benchmarks\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	b := &bench{io: stdio{Stdout: &stdout, Stderr: &stderr, Getenv: os.Getenv}, logger: slog.New(slog.DiscardHandler),
		opts: benchOptions{n: 200, seed: 1, databaseURL: testdb.New(t), serveBinary: exe, write: out,
			transitionClients: []int{1, 2}, pageClients: []int{1, 2}, duration: 300 * time.Millisecond, requests: 4,
			reminders: 60, reminderTimeout: time.Minute, serveEnv: []string{asBanliEnv + "=1"}}}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := b.run(ctx); err != nil {
		t.Fatalf("bench: %v\n%s", err, stderr.String())
	}
	written, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# Benchmarks\n\n## ", "200 proposals", "PostgreSQL 15", "| `banli serve` exec → listening |",
		"| app / floor, 2 clients |", "| 督办 dashboard (`/supervision`): clients: p50 / p95 ms | 1: ",
		"| portal search 专利转化: clients", "| 60 reminders due at once", "| server peak RSS (VmHWM) |"} {
		if !strings.Contains(string(written), want) {
			t.Errorf("BENCHMARKS.md lacks %q:\n%s", want, written)
		}
	}
	if !strings.Contains(stdout.String(), "| transitions over HTTP, 1 client:") {
		t.Errorf("the table was not printed:\n%s", stdout.String())
	}
	if strings.Contains(string(written), "failed)") {
		t.Errorf("requests failed:\n%s", written)
	}
	if strings.Contains(string(written), "(0 done)") {
		t.Errorf("no reminder was delivered:\n%s", written)
	}
	t.Logf("\n%s", written)
}

// TestPercentile checks the nearest-rank percentiles the table shows.
func TestPercentile(t *testing.T) {
	l := &latencies{wall: 2 * time.Second}
	for i := 100; i >= 1; i-- {
		l.times = append(l.times, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 95: 95 * time.Millisecond,
		99: 99 * time.Millisecond, 100: 100 * time.Millisecond, 0.1: time.Millisecond} {
		if got := l.percentile(p); got != want {
			t.Errorf("p%v of 1…100 ms = %v, want %v", p, got, want)
		}
	}
	if got := l.perSecond(); got != 50 {
		t.Errorf("100 requests in 2 s = %v/s, want 50", got)
	}
	if got := (&latencies{}).percentile(99); got != 0 {
		t.Errorf("p99 of nothing = %v, want 0", got)
	}
	table := renderTable([]benchRow{{"a", "1 ms", below(time.Millisecond, 50*time.Millisecond)},
		{"b", "60 ms", below(60*time.Millisecond, 50*time.Millisecond)}, {"c", "x", nil}})
	for _, want := range []string{"| a | 1 ms | < 50 ms | pass |", "| b | 60 ms | < 50 ms | **miss** |", "| c | x |  |  |"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
}
