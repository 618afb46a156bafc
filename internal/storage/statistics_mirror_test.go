package storage_test

import (
	"context"
	"testing"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

// TestStatisticsMirrorWorkflow: the statistics count open, overdue and
// due-soon cases in SQL for speed; on the demo data, on several days, each
// case's SQL facts are exactly what workflow says of it (Case.Owes, Due,
// Overdue, DueSoon), and the dashboard's counts are the list's.
func TestStatisticsMirrorWorkflow(t *testing.T) {
	t.Parallel()
	db := testdb.NewDB(t)
	ctx := context.Background()
	_, err := demo.Load(ctx, db, demo.Options{})
	must(t, err)
	cal, err := db.Calendar(ctx)
	must(t, err)
	today0 := db.Clock.Today()
	seen := map[string]int{}
	for _, offset := range []int{-60, -20, 0, 10, 45, 100} {
		today := today0.AddDays(offset)
		soon, _ := workflow.SoonUntil(cal, today)
		list, total, err := db.SupervisionCases(ctx, storage.SupervisionFilter{Today: today, SoonUntil: soon, Limit: 500})
		must(t, err)
		if total != len(list) || total < 40 {
			t.Fatalf("%s: %d of %d cases listed", today, len(list), total)
		}
		var overdue, dueSoon int
		for _, sc := range list {
			c, err := db.Case(ctx, sc.ID)
			must(t, err)
			if want := c.Owes() != workflow.OwedNothing; sc.Open != want {
				t.Errorf("%s: case %d (%s %s): SQL open %v, workflow %v", today, c.ID, c.Kind, c.State, sc.Open, want)
			}
			if sc.Due != c.Due() {
				t.Errorf("%s: case %d (%s): SQL due %s, workflow %s", today, c.ID, c.Kind, sc.Due, c.Due())
			}
			if want := c.Overdue(today); sc.Overdue != want {
				t.Errorf("%s: case %d (%s, due %s): SQL overdue %v, workflow %v", today, c.ID, c.State, c.Due(), sc.Overdue, want)
			}
			if want := c.DueSoon(today, soon); sc.DueSoon != want {
				t.Errorf("%s: case %d (%s, due %s): SQL due soon %v, workflow %v", today, c.ID, c.State, c.Due(), sc.DueSoon, want)
			}
			if sc.Overdue {
				overdue++
				seen["overdue"]++
			}
			if sc.DueSoon {
				dueSoon++
				seen["due soon"]++
			}
			if !sc.Open {
				seen["not open"]++
			}
		}
		st, err := db.Statistics(ctx, storage.StatisticsScope{}, today, soon)
		must(t, err)
		if st.Total.Overdue != overdue || st.Total.DueSoon != dueSoon {
			t.Errorf("%s: dashboard %d overdue, %d due soon; list %d, %d", today, st.Total.Overdue, st.Total.DueSoon, overdue, dueSoon)
		}
	}
	// 办复率's denominator: the live lead and separate cases.
	all, _, err := db.SupervisionCases(ctx, storage.SupervisionFilter{Today: today0, SoonUntil: today0, Limit: 500})
	must(t, err)
	replying, _, err := db.SupervisionCases(ctx, storage.SupervisionFilter{Today: today0, SoonUntil: today0, Measure: storage.MeasureReplying, Limit: 500})
	must(t, err)
	in := map[int64]bool{}
	for _, sc := range replying {
		in[sc.ID] = true
	}
	for _, sc := range all {
		if want := workflow.Replying(sc.Kind, sc.State); in[sc.ID] != want {
			t.Errorf("case %d (%s %s): SQL replying %v, workflow %v", sc.ID, sc.Kind, sc.State, in[sc.ID], want)
		}
		if !sc.State.Live() {
			seen["returned"]++
		}
	}
	for _, k := range []string{"overdue", "due soon", "not open", "returned"} {
		if seen[k] == 0 {
			t.Errorf("the demo data has no %s case on the days tried: the mirror is not tested for it", k)
		}
	}
}
