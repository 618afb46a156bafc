package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/banli-gov/banli/workflow"
)

// DB is banli's PostgreSQL storage: a connection pool and the queries over it.
type DB struct {
	Pool *pgxpool.Pool
	// Clock is the one clock of every storage decision: the time of an
	// action given without one, which reminders are still ahead when a
	// deadline is scheduled (workflow.SystemClock by default; main sets it,
	// tests pin it).
	Clock workflow.Clock
	// SearchCommonAt is how many suggestions must hold a staff search's
	// query for it to count as common (SearchCases); zero means
	// CommonQueryProposals. Tests lower it.
	SearchCommonAt int

	// Blobs keeps the attachments' content (attachment_blob.go):
	// PostgreSQL's table by default.
	Blobs BlobStore

	// jobs inserts and cancels River jobs inside storage's transactions. It
	// only inserts: the River client of internal/jobs works them.
	jobs *river.Client[pgx.Tx]

	// jobPool is River's pool (JobPool).
	jobPool *pgxpool.Pool

	// cache holds the calendar and the session rules (cache.go).
	cache configCache
	// facets holds the portal's facets (publication_list.go).
	facets facetsCache
}

// Pool sizes, unless DATABASE_URL sets pool_max_conns (which sizes the main
// pool): the main pool serves HTTP requests and the jobs' own work; River's
// pool (leader election, fetching and completing jobs, its LISTEN
// connection) is separate, so that a burst of heavy pages cannot make the
// leader lose its lease.
const (
	defaultMaxConns = 12
	jobPoolMaxConns = 6
)

// Open connects to the database at url with two pools (see JobPool) and
// checks that it answers. banli's sessions run with jit = off: on its
// queries PostgreSQL's JIT compilation cost more (0.3 s on heavy ones)
// than it saved.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message can echo the URL with its password: do not wrap it.
		return nil, fmt.Errorf("error parsing DATABASE_URL: malformed connection string")
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = defaultMaxConns
	}
	cfg.ConnConfig.RuntimeParams["jit"] = "off"
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = "banli"
	}
	jobCfg := cfg.Copy()
	jobCfg.MaxConns = jobPoolMaxConns
	jobCfg.ConnConfig.RuntimeParams["application_name"] = cfg.ConnConfig.RuntimeParams["application_name"] + " jobs"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("error connecting to database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("error connecting to database: %w", err)
	}
	jobPool, err := pgxpool.NewWithConfig(ctx, jobCfg)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("error connecting to database: %w", err)
	}
	db, err := New(pool)
	if err != nil {
		pool.Close()
		jobPool.Close()
		return nil, err
	}
	db.jobPool = jobPool
	return db, nil
}

// New wraps an open pool, which serves River too.
func New(pool *pgxpool.Pool) (*DB, error) {
	jobs, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("error creating job inserter: %w", err)
	}
	return &DB{Pool: pool, Clock: workflow.SystemClock, Blobs: PGBlobStore{Pool: pool}, jobs: jobs, jobPool: pool}, nil
}

// JobPool is the pool of the River client that works jobs (its own under
// Open, the main pool under New). Jobs do their work through storage on
// the main pool.
func (db *DB) JobPool() *pgxpool.Pool {
	return db.jobPool
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.Pool.Ping(ctx)
}

// Close closes every connection of the pools.
func (db *DB) Close() {
	db.Pool.Close()
	if db.jobPool != db.Pool {
		db.jobPool.Close()
	}
}

// customPlan returns args for a query that PostgreSQL should plan for
// these arguments each time (an unnamed statement, its description
// cached: pgx.QueryExecModeCacheDescribe) instead of settling, after five
// runs, on a generic plan for any arguments. The lists whose best plan
// depends on the arguments use it: a unit with 5,000 cases and one with
// 50, the liaison office and a unit. At 100,000 suggestions the busiest
// unit's case list took 1.2 s on the generic plan, 40 ms planned for it;
// planning costs a millisecond or two.
func customPlan(args []any) []any {
	return append([]any{pgx.QueryExecModeCacheDescribe}, args...)
}

// unitPlan returns args for a query over the cases actor may see: planned
// for its arguments each time (customPlan) for a unit's users, whose units
// differ a hundredfold in size, and by the cached plan for the liaison
// office, whose lists look the same whatever the arguments (planning the
// queue's query costs it some 4 ms a page).
func unitPlan(actor workflow.Actor, args []any) []any {
	if slices.Contains(actor.Roles, workflow.RoleLiaison) {
		return args
	}
	return customPlan(args)
}
