// Package testdb gives each test a fresh, migrated PostgreSQL database of its
// own, on a real server: the one BANLI_TEST_DATABASE_URL names, or else a
// temporary cluster the test process starts itself (see pgcluster.StartTemp).
//
// Every package whose tests use a database calls Main from its TestMain:
//
//	func TestMain(m *testing.M) { testdb.Main(m) }
//
// and each test asks for its database with New or NewDB. The migrations run
// once per test process, into a template database; each test's database is a
// copy of it, which takes a fraction of the time of migrating.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/banli-gov/banli/internal/pgcluster"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/migrations"
	"github.com/banli-gov/banli/workflow"
)

// EnvURL names the environment variable that points the tests at an existing
// server, e.g. postgres://user:pw@127.0.0.1:5432/postgres. Its user needs
// the right to create databases; the tests create and drop their own.
const EnvURL = "BANLI_TEST_DATABASE_URL"

var (
	serverURL string        // the maintenance database, set by Main
	admin     *pgxpool.Pool // connected to serverURL, set by Main
	prefix    string        // names this process's databases

	tplOnce sync.Once
	tplName string
	tplErr  error

	// createMu serializes copies of the template: PostgreSQL refuses to copy
	// a database that another session is connected to, or being copied.
	createMu sync.Mutex
	seq      atomic.Int64
)

// Main runs the tests of a package against a PostgreSQL server and exits
// with their status. Call it from TestMain. Without BANLI_TEST_DATABASE_URL
// it starts a temporary cluster and stops it after the tests; when no server
// can be had it fails (exit 1), it does not skip.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx := context.Background()
	serverURL = os.Getenv(EnvURL)
	if serverURL == "" {
		logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		c, err := pgcluster.StartTemp(ctx, logger)
		if err != nil {
			fmt.Fprintf(os.Stderr, "testdb: no PostgreSQL for the tests: %v\n"+
				"testdb: set %s to a server's URL, or install the PostgreSQL server binaries\n", err, EnvURL)
			return 1
		}
		defer func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := c.Stop(stopCtx); err != nil {
				fmt.Fprintf(os.Stderr, "testdb: %v\n", err)
			}
		}()
		serverURL = c.URLFor("postgres")
	}

	cfg, err := pgxpool.ParseConfig(serverURL)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testdb: %s is not a valid PostgreSQL connection string\n", EnvURL)
		return 1
	}
	cfg.MaxConns = 4
	admin, err = pgxpool.NewWithConfig(ctx, cfg)
	if err == nil {
		err = admin.Ping(ctx)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "testdb: cannot connect to the test server: %v\n", err)
		return 1
	}
	defer admin.Close()

	suffix := make([]byte, 3)
	_, _ = rand.Read(suffix)
	prefix = fmt.Sprintf("banli_%d_%s", os.Getpid(), hex.EncodeToString(suffix))

	code := m.Run()

	if tplName != "" {
		if err := dropDatabase(context.Background(), tplName); err != nil {
			fmt.Fprintf(os.Stderr, "testdb: %v\n", err)
		}
	}
	return code
}

// New returns the URL of a new database for this test alone, with every
// migration applied. The database is dropped when the test ends.
func New(t testing.TB) string {
	t.Helper()
	if admin == nil {
		t.Fatal("testdb: no test server: call testdb.Main(m) from TestMain")
	}
	tplOnce.Do(func() { tplName, tplErr = makeTemplate() })
	if tplErr != nil {
		t.Fatalf("testdb: %v", tplErr)
	}

	name := databaseName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	createMu.Lock()
	_, err := admin.Exec(ctx, "CREATE DATABASE "+ident(name)+" TEMPLATE "+ident(tplName))
	createMu.Unlock()
	if err != nil {
		t.Fatalf("testdb: error creating database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := dropDatabase(context.Background(), name); err != nil {
			t.Errorf("testdb: %v", err)
		}
	})
	return urlFor(serverURL, name)
}

// NewDB returns storage opened on a new database for this test alone (see
// New), closed when the test ends.
func NewDB(t testing.TB) *storage.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := storage.Open(ctx, New(t))
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(db.Close) // before the drop: cleanups run last-in first-out
	db.Clock = Clock()
	return db
}

// Epoch is the day every test's clock starts on unless the test pins its
// own: 2027-07-01 09:00 in Asia/Shanghai, the first day whose 6-month
// extension cap reads a year (2028) the built-in holiday data lacks — the
// day the first version of banli stopped assigning. Tests that assign "now"
// run there, whatever the machine's date.
var Epoch = time.Date(2027, 7, 1, 9, 0, 0, 0, workflow.Zone())

// Clock returns a clock that starts at Epoch and runs on from there at the
// machine's pace: the date is pinned, time still passes (sessions expire,
// events keep their order).
func Clock() workflow.Clock {
	start := time.Now()
	return func() time.Time { return Epoch.Add(time.Since(start)) }
}

// makeTemplate creates this process's template database and migrates it.
func makeTemplate() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	name := prefix + "_tpl"
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+ident(name)); err != nil {
		return "", fmt.Errorf("error creating template database: %w", err)
	}
	cfg, err := pgx.ParseConfig(urlFor(serverURL, name))
	if err != nil {
		return "", errors.New("error parsing the template database's URL")
	}
	db := stdlib.OpenDB(*cfg)
	_, err = migrations.Up(ctx, db, slog.New(slog.DiscardHandler))
	// Close every connection: a template with sessions on it cannot be copied.
	if closeErr := db.Close(); err == nil && closeErr != nil {
		err = closeErr
	}
	if err != nil {
		_ = dropDatabase(ctx, name)
		return "", fmt.Errorf("error migrating template database: %w", err)
	}
	return name, nil
}

func dropDatabase(ctx context.Context, name string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("error dropping database %s: %w", name, err)
	}
	return nil
}

var notIdent = regexp.MustCompile(`[^a-z0-9_]+`)

// databaseName makes a database name unique in this process and on the
// server, readable in the server's log: prefix, sequence, test name.
func databaseName(testName string) string {
	name := fmt.Sprintf("%s_%d_%s", prefix, seq.Add(1), notIdent.ReplaceAllString(strings.ToLower(testName), "_"))
	const maxLen = 63 // PostgreSQL's NAMEDATALEN - 1
	if len(name) > maxLen {
		name = name[:maxLen]
	}
	return strings.TrimRight(name, "_")
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

// urlFor returns connection string s pointed at database db. s is a URL
// (postgres://...) or keyword/value pairs, where a later dbname wins.
func urlFor(s, db string) string {
	if strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://") {
		u, err := url.Parse(s)
		if err == nil {
			u.Path = "/" + db
			u.RawPath = ""
			return u.String()
		}
	}
	return s + " dbname=" + db
}
