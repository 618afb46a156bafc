package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
)

func TestMain(m *testing.M) {
	// The bench test runs this binary as its `banli serve` child.
	if os.Getenv(asBanliEnv) == "1" {
		main()
	}
	testdb.Main(m)
}

// asBanliEnv makes the test binary run as banli (TestBench's server).
const asBanliEnv = "BANLI_TEST_AS_BANLI"

// runWith runs banli with args and the given environment, returning the exit
// status and what it printed.
func runWith(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, stdio{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }})
	return code, out.String(), errOut.String()
}

// TestDemoAndAuditCommands loads the demo through the CLI, verifies the
// audit chains, tampers with one event and sees verify fail naming it.
func TestDemoAndAuditCommands(t *testing.T) {
	t.Parallel()
	url := testdb.New(t)
	env := map[string]string{"DATABASE_URL": url}

	if code, out, errOut := runWith(t, env, "migrate"); code != 0 || !strings.Contains(out, "no pending migrations") {
		t.Fatalf("migrate on a migrated database: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := runWith(t, env, "demo"); code != 0 || !strings.Contains(out, "demo data loaded") {
		t.Fatalf("demo: %d %q %q", code, out, errOut)
	}
	if code, out, _ := runWith(t, env, "demo"); code != 0 || !strings.Contains(out, "already loaded") {
		t.Fatalf("second demo: %d %q", code, out)
	}
	code, out, errOut := runWith(t, env, "audit", "verify")
	if code != 0 || !strings.Contains(out, "audit ok") {
		t.Fatalf("audit verify: %d %q %q", code, out, errOut)
	}

	db, err := storage.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	var caseID, eventID int64
	if err := conn.QueryRow(ctx, `SELECT case_id, id FROM case_events WHERE action = 'sign' ORDER BY id LIMIT 1`).Scan(&caseID, &eventID); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`SET session_replication_role = replica`,
		`UPDATE case_events SET payload = jsonb_set(payload, '{class}', '"A"') WHERE id = ` + itoa(eventID),
		`SET session_replication_role = origin`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	code, out, _ = runWith(t, env, "audit", "verify")
	want := regexp.MustCompile(`BROKEN case ` + itoa(caseID) + ` event ` + itoa(eventID) + ` \(seq \d+\): hash does not match`)
	if code != 1 || !want.MatchString(out) || !strings.Contains(out, "audit FAILED") {
		t.Fatalf("audit verify after tampering: exit %d\n%s", code, out)
	}
}

func TestDatabaseCommandsNeedDatabaseURL(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"migrate"}, {"demo"}, {"audit", "verify"}} {
		code, _, errOut := runWith(t, map[string]string{}, args...)
		if code != exitUsage || !strings.Contains(errOut, "DATABASE_URL") {
			t.Errorf("%v without DATABASE_URL: %d %q", args, code, errOut)
		}
	}
	if code, _, errOut := runWith(t, map[string]string{"DATABASE_URL": "x"}, "audit", "check"); code != exitUsage || !strings.Contains(errOut, "usage") {
		t.Errorf("audit check: %d %q", code, errOut)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
