// Package migrations holds banli's PostgreSQL schema as goose migrations and
// runs River's own migrations through the same goose provider, so one advisory
// lock and one version history (table goose_db_version) cover both.
//
// Versions 1–8 are River's migrations, one goose version each. River's version
// 4 adds the enum value 'pending' to river_job_state and later versions use it;
// PostgreSQL refuses to use an enum value added in the same transaction
// (SQLSTATE 55P04), so each River version runs in a transaction of its own.
// banli's own SQL migrations start at version 100. A River upgrade that brings
// a new River version adds a row to riverVersions with the next free goose
// version.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed sql/*.sql
var sqlFS embed.FS

// riverVersions maps goose versions to River migration versions, in order.
var riverVersions = []struct {
	goose int64
	river int
}{
	{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {6, 6}, {7, 7}, {8, 8},
}

// newProvider builds the goose provider over banli's SQL files and River's
// migrations, guarded by a PostgreSQL session advisory lock so concurrent
// starts of banli migrate one at a time.
func newProvider(db *sql.DB, logger *slog.Logger) (*goose.Provider, error) {
	sub, err := fs.Sub(sqlFS, "sql")
	if err != nil {
		return nil, fmt.Errorf("error opening embedded migrations: %w", err)
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, fmt.Errorf("error creating migration lock: %w", err)
	}
	migrator, err := rivermigrate.New(riverdatabasesql.New(nil), &rivermigrate.Config{Logger: discardLogger()})
	if err != nil {
		return nil, fmt.Errorf("error creating River migrator: %w", err)
	}
	goMigrations := make([]*goose.Migration, 0, len(riverVersions))
	for i, rv := range riverVersions {
		up := rv.river
		down := -1 // River's way to say "remove everything"
		if i > 0 {
			down = riverVersions[i-1].river
		}
		goMigrations = append(goMigrations, goose.NewGoMigration(rv.goose,
			&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
				// MigrateTx is deprecated for batching versions in one
				// transaction (55P04); here each transaction holds one version.
				//lint:ignore SA1019 one River version per transaction
				_, err := migrator.MigrateTx(ctx, tx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{TargetVersion: up})
				if err != nil {
					return fmt.Errorf("error applying River migration %d: %w", up, err)
				}
				return nil
			}},
			&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
				//lint:ignore SA1019 one River version per transaction
				_, err := migrator.MigrateTx(ctx, tx, rivermigrate.DirectionDown, &rivermigrate.MigrateOpts{TargetVersion: down})
				if err != nil {
					return fmt.Errorf("error reverting River migration %d: %w", up, err)
				}
				return nil
			}},
		))
	}
	opts := []goose.ProviderOption{
		goose.WithSessionLocker(locker),
		goose.WithGoMigrations(goMigrations...),
		goose.WithDisableGlobalRegistry(true),
	}
	if logger != nil {
		opts = append(opts, goose.WithSlog(logger))
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("error creating migration provider: %w", err)
	}
	return p, nil
}

// Up applies every pending migration, River's and banli's, in version order.
func Up(ctx context.Context, db *sql.DB, logger *slog.Logger) ([]*goose.MigrationResult, error) {
	p, err := newProvider(db, logger)
	if err != nil {
		return nil, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return res, fmt.Errorf("error migrating: %w", err)
	}
	return res, nil
}

// DownTo reverts migrations down to (not including) version; 0 reverts all.
func DownTo(ctx context.Context, db *sql.DB, version int64) ([]*goose.MigrationResult, error) {
	p, err := newProvider(db, nil)
	if err != nil {
		return nil, err
	}
	res, err := p.DownTo(ctx, version)
	if err != nil {
		return res, fmt.Errorf("error reverting migrations: %w", err)
	}
	return res, nil
}

// Status reports each migration and whether it is applied.
func Status(ctx context.Context, db *sql.DB) ([]*goose.MigrationStatus, error) {
	p, err := newProvider(db, nil)
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("error reading migration status: %w", err)
	}
	return st, nil
}

func discardLogger() *slog.Logger {
	return slog.New(slog.DiscardHandler)
}
