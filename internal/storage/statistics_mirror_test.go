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

// TestStatisticsFiguresMirrorWorkflow: the figures are defined in workflow
// (CaseRecord.Facts, SuggestionFacts, Figure.Of) and counted in SQL. On the
// demo data, each case's SQL facts are workflow's facts of its record
// (replies, feedback, contacts), each suggestion's are SuggestionFacts of
// its cases, and every figure of the dashboard, per unit and in total, is
// Figure.Of the counts of workflow's facts.
func TestStatisticsFiguresMirrorWorkflow(t *testing.T) {
	t.Parallel()
	db := testdb.NewDB(t)
	ctx := context.Background()
	_, err := demo.Load(ctx, db, demo.Options{})
	must(t, err)
	today := db.Clock.Today()
	list, _, err := db.SupervisionCases(ctx, storage.SupervisionFilter{Today: today, SoonUntil: today, Limit: 500})
	must(t, err)
	total := workflow.NewCounts()
	units := map[int64]*workflow.Counts{}
	byProposal := map[int64][]workflow.CaseFacts{}
	byUnitProposal := map[[2]int64][]workflow.CaseFacts{}
	seen := map[string]int{}
	for _, sc := range list {
		c, err := db.Case(ctx, sc.ID)
		must(t, err)
		rec := workflow.CaseRecord{Kind: c.Kind, State: c.State}
		replies, err := db.CaseReplies(ctx, c.ID)
		must(t, err)
		for _, r := range replies {
			if r.Round == 1 && !r.SentAt.IsZero() {
				rec.FirstSentAt, rec.FirstSentDue = r.SentAt, r.SentDue
			}
			rec.Class = r.Class
		}
		fb, err := db.CaseFeedback(ctx, c.ID)
		must(t, err)
		for _, f := range fb {
			if f.Round == 1 {
				rec.FirstRating = f.ResultRating
			}
			rec.FinalRating, rec.WorkRating = f.ResultRating, f.WorkRating
			rec.FeedbackContacts = append(rec.FeedbackContacts, f.ContactMethod)
		}
		comms, err := db.Communications(ctx, c.ID)
		must(t, err)
		for _, m := range comms {
			rec.Contacts = append(rec.Contacts, m.Method)
		}
		want := rec.Facts()
		got := workflow.CaseFacts{Replying: sc.Replying, Replied: sc.Replied, OnTime: sc.Replied && sc.OnTime, Met: sc.Replied && sc.Met}
		if sc.Replying {
			got.FirstRating, got.FinalRating, got.WorkRating = sc.FirstRating, sc.Rating, sc.WorkRating
		}
		if sc.Replied {
			got.Class = sc.Class
		}
		if got != want {
			t.Errorf("case %d (%s %s): SQL facts %+v, workflow %+v", c.ID, c.Kind, c.State, got, want)
		}
		if want.Met && len(rec.Contacts) == 0 {
			seen["met by the deputy's report alone"]++
		}
		if want.FirstRating != "" && want.FirstRating != want.FinalRating {
			seen["re-rated"]++
		}
		if want.Replied && !want.OnTime {
			seen["late"]++
		}
		total.Add(want)
		if units[c.DepartmentID] == nil {
			n := workflow.NewCounts()
			units[c.DepartmentID] = &n
		}
		units[c.DepartmentID].Add(want)
		byProposal[c.ProposalID] = append(byProposal[c.ProposalID], want)
		k := [2]int64{c.DepartmentID, c.ProposalID}
		byUnitProposal[k] = append(byUnitProposal[k], want)
	}
	for _, cs := range byProposal {
		total.AddSuggestion(cs)
	}
	for k, cs := range byUnitProposal {
		units[k[0]].AddSuggestion(cs)
	}
	st, err := db.Statistics(ctx, storage.StatisticsScope{}, today, today)
	must(t, err)
	for _, fig := range workflow.AllFigures() {
		if got, want := st.Total.Rate(fig), fig.Of(total); got != want {
			t.Errorf("total %s: SQL %v, workflow %v", fig.LabelZH(), got, want)
		}
		for _, u := range st.Units {
			want := workflow.Rate{}
			if n := units[u.Department.ID]; n != nil {
				want = fig.Of(*n)
			}
			if got := u.Rate(fig); got != want {
				t.Errorf("%s %s: SQL %v, workflow %v", u.Department.Name, fig.LabelZH(), got, want)
			}
		}
	}
	// The lists behind 办复率（按件） hold one row per suggestion counted.
	for m, want := range map[storage.Measure]int{storage.MeasureSuggestions: total.Suggestions,
		storage.MeasureSuggestionsReplied: total.SuggestionsReplied} {
		_, n, err := db.SupervisionCases(ctx, storage.SupervisionFilter{Today: today, SoonUntil: today, Measure: m, Limit: 500})
		must(t, err)
		if n != want {
			t.Errorf("list %s: %d rows, workflow counts %d suggestions", m, n, want)
		}
	}
	if total.Met == 0 || total.FirstFeedback == 0 || total.Suggestions == 0 {
		t.Errorf("the demo data leaves figures untested: %+v", total)
	}
	t.Logf("demo: %+v; seen %v", total, seen)
}
