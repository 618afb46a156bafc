package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/mailpit"
	"github.com/banli-gov/banli/internal/pgcluster"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/migrations"
	"github.com/banli-gov/banli/workflow"
)

// benchOptions are the flags of banli bench.
type benchOptions struct {
	n                 int
	seed              uint64
	databaseURL       string
	serveBinary       string
	write             string
	transitionClients []int
	pageClients       []int
	duration          time.Duration
	requests          int
	reminders         int
	reminderTimeout   time.Duration
	metricsAddr       string
	seeded            bool
	// serveEnv is added to the server's environment (tests).
	serveEnv []string
}

const benchUsage = `usage: banli bench [flags]

Seeds N synthetic proposals into a private PostgreSQL cluster (or the
database of --database-url), starts banli serve as a child process and
measures it: start to listening and to /healthz, state transitions over HTTP
against the same transitions through the storage layer alone (the floor),
the pages, search, the Atom feed, 10,000 reminders due at once delivered to a
mailpit, and the server's peak memory. Prints one table; --write appends it
to a file (BENCHMARKS.md). BENCH_N sets the default of -n.`

// cmdBench runs `banli bench`.
func cmdBench(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	fs.Usage = func() { fmt.Fprintln(io.Stderr, benchUsage); fs.PrintDefaults() }
	defN := 100000
	if v := io.Getenv("BENCH_N"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			fmt.Fprintf(io.Stderr, "banli bench: BENCH_N: %q is not a positive number\n", v)
			return exitUsage
		}
		defN = n
	}
	var o benchOptions
	fs.IntVar(&o.n, "n", defN, "how many synthetic proposals to seed")
	fs.Uint64Var(&o.seed, "seed", 1, "the seed of the synthetic data")
	fs.StringVar(&o.databaseURL, "database-url", "", "an empty migrated database to use instead of a private cluster")
	fs.StringVar(&o.serveBinary, "serve-binary", "", "the banli binary to run as the server (default: this one)")
	fs.StringVar(&o.write, "write", "", "append the result as a dated section to this `file` (BENCHMARKS.md)")
	tc := fs.String("transition-clients", "1,8,32", "concurrent clients of the transition runs")
	pc := fs.String("page-clients", "1,16", "concurrent clients of the page runs")
	fs.DurationVar(&o.duration, "duration", 15*time.Second, "how long each transition run lasts")
	fs.IntVar(&o.requests, "requests", 160, "requests per page and concurrency")
	fs.IntVar(&o.reminders, "reminders", 10000, "reminders due at the same moment")
	fs.DurationVar(&o.reminderTimeout, "reminder-timeout", 10*time.Minute, "how long to wait for the reminders' deliveries")
	fs.BoolVar(&o.seeded, "seeded", false, "with --database-url: the database holds the synthetic data of an earlier run; do not seed")
	fs.StringVar(&o.metricsAddr, "metrics-addr", "", "BANLI_METRICS_ADDR of the server (metrics and pprof while it runs)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return exitUsage
	}
	var err error
	if o.transitionClients, err = parseClients(*tc); err == nil {
		o.pageClients, err = parseClients(*pc)
	}
	if err != nil || o.n < 1 || o.requests < 1 || o.duration <= 0 {
		fmt.Fprintf(io.Stderr, "banli bench: bad flags: %v\n", err)
		return exitUsage
	}
	if o.serveBinary == "" {
		if o.serveBinary, err = os.Executable(); err != nil {
			fmt.Fprintf(io.Stderr, "banli bench: %v\n", err)
			return 1
		}
	}
	logger := slog.New(slog.NewTextHandler(io.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	b := &bench{opts: o, io: io, logger: logger}
	if err := b.run(ctx); err != nil {
		fmt.Fprintf(io.Stderr, "banli bench: %v\n", err)
		return 1
	}
	return 0
}

// parseClients reads a list of concurrencies such as "1,8,32".
func parseClients(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a list of positive numbers", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// bench is one run of banli bench.
type bench struct {
	opts   benchOptions
	io     stdio
	logger *slog.Logger
	url    string
	db     *storage.DB
	rows   []benchRow
	notes  []string
	start  time.Time
	loadAt [2]string // /proc/loadavg at the start and the end
}

// say prints a progress line on stderr.
func (b *bench) say(format string, args ...any) {
	fmt.Fprintf(b.io.Stderr, "[%6.1fs] %s\n", time.Since(b.start).Seconds(), fmt.Sprintf(format, args...))
}

// addRow records rows of the table and prints them at once, so that a
// long run shows its figures as it goes.
func (b *bench) addRow(rows ...benchRow) {
	for _, r := range rows {
		b.say("%s: %s %s %s", r.what, r.figure, func() string {
			if r.target == nil {
				return ""
			}
			return r.target.text
		}(), r.target.mark())
	}
	b.rows = append(b.rows, rows...)
}

// run sets up the database, seeds it, runs the server and every
// measurement, and tears everything down whatever happens.
func (b *bench) run(ctx context.Context) (err error) {
	b.start = time.Now()
	b.loadAt[0] = loadAverage()
	b.url = b.opts.databaseURL
	if b.url == "" {
		b.say("starting a private PostgreSQL cluster")
		c, err := pgcluster.StartTemp(ctx, b.logger)
		if err != nil {
			return err
		}
		defer func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if serr := c.Stop(stopCtx); serr != nil && err == nil {
				err = serr
			}
		}()
		if err := createDatabase(ctx, c.URLFor("postgres"), "bench"); err != nil {
			return err
		}
		b.url = c.URLFor("bench")
		sqlDB, err := openSQL(ctx, b.url)
		if err != nil {
			return err
		}
		_, err = migrations.Up(ctx, sqlDB, nil)
		sqlDB.Close()
		if err != nil {
			return fmt.Errorf("error migrating: %w", err)
		}
	}
	if b.db, err = storage.Open(ctx, b.url); err != nil {
		return err
	}
	defer b.db.Close()

	if err := b.seed(ctx); err != nil {
		return err
	}

	b.say("starting mailpit")
	mp, err := mailpit.Start(ctx, mailpit.Options{Logger: b.logger})
	if err != nil {
		return err
	}
	defer mp.Stop()

	w, err := b.prepare(ctx)
	if err != nil {
		return err
	}
	srv, err := b.startServer(ctx, mp)
	if err != nil {
		return err
	}
	defer srv.stop()
	if err := b.measureStart(ctx, srv); err != nil {
		return err
	}
	// The pages first, on a server and database doing nothing else: after
	// the transition runs, mailpit and the server spent minutes on their
	// thousands of e-mails, and the pages measured that (about twice as
	// slow in one run). The jobs of the cases' preparation are worked off
	// first.
	if err := b.drainJobs(ctx, "the preparation", "pages"); err != nil {
		return err
	}
	if err := b.measurePages(ctx, srv, w); err != nil {
		return err
	}
	if err := b.measureTransitions(ctx, srv, w); err != nil {
		return err
	}
	if err := b.drainJobs(ctx, "the transition runs", "reminders"); err != nil {
		return err
	}
	if err := b.measureReminders(ctx, mp); err != nil {
		return err
	}
	hwm, err := srv.peakRSS()
	if err != nil {
		return err
	}
	b.addRow(benchRow{"server peak RSS (VmHWM)", fmt.Sprintf("%d MB", hwm>>20),
		&target{text: "< 150 MB", ok: hwm < 150<<20}})
	if err := srv.stop(); err != nil {
		return err
	}
	b.loadAt[1] = loadAverage()
	return b.report(ctx)
}

// seed loads the synthetic data, or with --seeded counts what an earlier
// run loaded.
func (b *bench) seed(ctx context.Context) error {
	if b.opts.seeded && b.opts.databaseURL != "" {
		var proposals, cases int
		if err := b.db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM proposals), (SELECT count(*) FROM cases)`).Scan(&proposals, &cases); err != nil {
			return err
		}
		b.opts.n = proposals
		b.notes = append(b.notes, fmt.Sprintf("%d proposals, %d cases, seeded by an earlier run (`--seeded`: "+
			"the same data, with the transitions and reminders of that run)", proposals, cases))
		return nil
	}
	b.say("seeding %d synthetic proposals", b.opts.n)
	rep, err := demo.LoadSynthetic(ctx, b.db, demo.SyntheticOptions{Proposals: b.opts.n, Seed: b.opts.seed,
		Clock: workflow.SystemClock, Logger: b.logger})
	if err != nil {
		return fmt.Errorf("error seeding: %w", err)
	}
	cases := 0
	for _, n := range rep.CasesByKind {
		cases += n
	}
	b.say("seeded in %v: %d cases; VACUUM ANALYZE", rep.Total.Round(time.Second), cases)
	if _, err := b.db.Pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		return fmt.Errorf("error vacuuming: %w", err)
	}
	b.notes = append(b.notes, fmt.Sprintf("%d proposals, %d cases (seed %d), seeded in %v",
		rep.Proposals, cases, rep.Seed, rep.Total.Round(time.Second)))
	return nil
}

// createDatabase creates database name on the maintenance database at url.
func createDatabase(ctx context.Context, url, name string) error {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return fmt.Errorf("error creating database %s: %w", name, err)
	}
	return nil
}

// loadAverage returns the 1, 5 and 15 minute load averages of the machine.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// errBench marks a measurement that could not be made.
var errBench = errors.New("bench")

// drainJobs waits until the server has worked off the jobs that source
// queued (hand-off notices and their e-mails: thousands after the
// transition runs), so that next is measured on a server doing nothing
// else.
func (b *bench) drainJobs(ctx context.Context, source, next string) error {
	start := time.Now()
	for {
		var left int
		if err := b.db.Pool.QueryRow(ctx, `SELECT count(*) FROM river_job
			WHERE state IN ('available', 'running', 'retryable') OR (state = 'scheduled' AND scheduled_at <= now())`).Scan(&left); err != nil {
			return fmt.Errorf("error counting jobs: %w", err)
		}
		if left == 0 {
			b.say("jobs of %s done after %v", source, time.Since(start).Round(100*time.Millisecond))
			return nil
		}
		if time.Since(start) > 5*time.Minute {
			b.notes = append(b.notes, fmt.Sprintf("%d jobs of %s were still queued when the %s were measured", left, source, next))
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}
