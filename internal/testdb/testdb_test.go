package testdb_test

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/migrations"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func TestNewGivesEachTestItsOwnDatabase(t *testing.T) {
	t.Parallel()
	var (
		mu    sync.Mutex
		names []string
	)
	t.Run("group", func(t *testing.T) {
		for _, name := range []string{"first", "second"} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				db := testdb.NewDB(t)
				ctx := context.Background()
				var current string
				if err := db.Pool.QueryRow(ctx, "SELECT current_database()").Scan(&current); err != nil {
					t.Fatal(err)
				}
				// Fails with "already exists" if the two tests shared a database.
				if _, err := db.Pool.Exec(ctx, "CREATE TABLE only_mine (id int)"); err != nil {
					t.Fatal(err)
				}
				mu.Lock()
				names = append(names, current)
				mu.Unlock()
			})
		}
	})
	if len(names) != 2 || names[0] == names[1] {
		t.Fatalf("databases of the two tests: %q, want two distinct", names)
	}

	// Both were dropped when their tests ended.
	db := testdb.NewDB(t)
	var left int
	err := db.Pool.QueryRow(context.Background(),
		"SELECT count(*) FROM pg_database WHERE datname = ANY($1)", names).Scan(&left)
	if err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d of the databases %q still exist after their tests", left, names)
	}
}

func TestNewIsMigrated(t *testing.T) {
	t.Parallel()
	checkMigrated(t, openSQL(t, testdb.New(t)))
}

func TestMigrationsDownAndUpAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openSQL(t, testdb.New(t))

	if _, err := migrations.DownTo(ctx, db, 0); err != nil {
		t.Fatal(err)
	}
	var riverJob sql.NullString
	if err := db.QueryRowContext(ctx, "SELECT to_regclass('river_job')::text").Scan(&riverJob); err != nil {
		t.Fatal(err)
	}
	if riverJob.Valid {
		t.Error("river_job still exists after DownTo(0)")
	}
	var version int64
	if err := db.QueryRowContext(ctx, "SELECT coalesce(max(version_id), 0) FROM goose_db_version WHERE is_applied").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version != 0 {
		t.Errorf("version after DownTo(0) = %d, want 0", version)
	}

	if _, err := migrations.Up(ctx, db, nil); err != nil {
		t.Fatal(err)
	}
	checkMigrated(t, db)
}

func checkMigrated(t *testing.T, db *sql.DB) {
	t.Helper()
	ctx := context.Background()
	var version int64
	if err := db.QueryRowContext(ctx, "SELECT max(version_id) FROM goose_db_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version < 8 {
		t.Errorf("goose version = %d, want at least 8 (River's migrations)", version)
	}
	var riverJob sql.NullString
	if err := db.QueryRowContext(ctx, "SELECT to_regclass('river_job')::text").Scan(&riverJob); err != nil {
		t.Fatal(err)
	}
	if !riverJob.Valid {
		t.Error("table river_job does not exist")
	}
}

func openSQL(t *testing.T, url string) *sql.DB {
	t.Helper()
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { db.Close() })
	return db
}
