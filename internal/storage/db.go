package storage

import (
	"context"
	"fmt"

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

	// jobs inserts and cancels River jobs inside storage's transactions. It
	// only inserts: the River client of internal/jobs works them.
	jobs *river.Client[pgx.Tx]

	// cache holds the calendar and the session rules (cache.go).
	cache configCache
}

// Open connects to the database at url and checks that it answers.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message can echo the URL with its password: do not wrap it.
		return nil, fmt.Errorf("error parsing DATABASE_URL: malformed connection string")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("error connecting to database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("error connecting to database: %w", err)
	}
	db, err := New(pool)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// New wraps an open pool.
func New(pool *pgxpool.Pool) (*DB, error) {
	jobs, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("error creating job inserter: %w", err)
	}
	return &DB{Pool: pool, Clock: workflow.SystemClock, jobs: jobs}, nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.Pool.Ping(ctx)
}

// Close closes every connection of the pool.
func (db *DB) Close() {
	db.Pool.Close()
}
