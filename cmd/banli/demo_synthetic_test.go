package main

import (
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/testdb"
)

// TestDemoSyntheticCommand loads a small synthetic set through the CLI and
// checks what the operator's commands say of it.
func TestDemoSyntheticCommand(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": testdb.New(t)}
	code, out, errOut := runWith(t, env, "demo", "--synthetic", "40", "--seed", "3")
	if code != 0 || !strings.Contains(out, "synthetic data loaded: 40 proposals, seed 3") ||
		!strings.Contains(out, "case_events") || !strings.Contains(out, "database size") {
		t.Fatalf("demo --synthetic: %d\n%s\n%s", code, out, errOut)
	}
	if code, out, _ := runWith(t, env, "audit", "verify"); code != 0 || !strings.Contains(out, "audit ok") {
		t.Errorf("audit verify: %d %q", code, out)
	}
	if code, out, _ := runWith(t, env, "deadlines", "check"); code != 0 || !strings.Contains(out, "all in order") {
		t.Errorf("deadlines check: %d %q", code, out)
	}
	code, _, errOut = runWith(t, env, "demo", "--synthetic", "10")
	if code != 1 || !strings.Contains(errOut, "already has proposals") {
		t.Errorf("second load: %d %q", code, errOut)
	}
}

func TestDemoSyntheticUsage(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": "postgres://nowhere.invalid/banli"}
	for _, args := range [][]string{
		{"demo", "--seed", "3"},
		{"demo", "--as-of", "2026-11-29"},
		{"demo", "--synthetic", "-5"},
		{"demo", "--synthetic", "5", "--as-of", "2026-13-01"},
		{"demo", "--synthetic", "many"},
		{"demo", "extra"},
	} {
		if code, _, errOut := runWith(t, env, args...); code != exitUsage || !strings.Contains(errOut, "usage") && !strings.Contains(errOut, "synthetic") && !strings.Contains(errOut, "as-of") {
			t.Errorf("%v: exit %d %q", args, code, errOut)
		}
	}
}
