package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

// TestKeyAndMergedInDemo: the demo holds a key suggestion of the current
// session with a progress report and its principal leader, and a merged
// pair replied to together, each suggestion with its own reply and title.
func TestKeyAndMergedInDemo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.NewDB(t)
	if _, err := demo.Load(ctx, db, demo.Options{Now: time.Date(2026, 11, 29, 15, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	key, err := db.KeySuggestions(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != 1 || key[0].Number == demo.FixtureNumber || key[0].LastReport.ID == 0 || key[0].ProgressDue.IsZero() {
		t.Fatalf("key suggestions: %+v", key)
	}
	var principals int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE principal_leader`).Scan(&principals); err != nil || principals == 0 {
		t.Errorf("no principal leader in the demo: %v", err)
	}
	var mainID, otherID int64
	if err := db.Pool.QueryRow(ctx, `SELECT main_proposal_id, proposal_id FROM proposal_merges`).Scan(&mainID, &otherID); err != nil {
		t.Fatalf("no merged pair in the demo: %v", err)
	}
	titles := map[string]bool{}
	for _, id := range []int64{mainID, otherID} {
		cases, err := db.CasesOfProposal(ctx, id)
		if err != nil || len(cases) != 1 || cases[0].State != workflow.StateReplied {
			t.Fatalf("merged proposal %d: %v %v", id, cases, err)
		}
		replies, err := db.CaseReplies(ctx, cases[0].ID)
		if err != nil || len(replies) != 1 {
			t.Fatalf("replies of merged proposal %d: %v %v", id, replies, err)
		}
		titles[replies[0].PublicationTitle] = true
	}
	if len(titles) != 2 {
		t.Errorf("the merged pair's replies have titles %v, want two of their own", titles)
	}
}
