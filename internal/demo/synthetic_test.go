package demo_test

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

// syntheticNow is the pinned clock of the synthetic tests: the data ends on
// its day (as of 2026-11-29) and reminders are scheduled from it.
var syntheticNow = time.Date(2026, 11, 29, 15, 0, 0, 0, workflow.Zone())

func loadSynthetic(t *testing.T, n int, seed uint64) (*storage.DB, *demo.SyntheticReport) {
	t.Helper()
	db := testdb.NewDB(t)
	rep, err := demo.LoadSynthetic(context.Background(), db, demo.SyntheticOptions{Proposals: n, Seed: seed,
		Clock: workflow.FixedClock(syntheticNow)})
	if err != nil {
		t.Fatalf("LoadSynthetic: %v", err)
	}
	return db, rep
}

func count(t *testing.T, db *storage.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestLoadSynthetic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const n = 500
	db, rep := loadSynthetic(t, n, 42)

	// Rows per table, in the ranges the generator aims at.
	rows := map[string]int{}
	for _, tr := range rep.Tables {
		rows[tr.Table] = int(tr.Rows)
		if got := count(t, db, `SELECT count(*) FROM `+tr.Table); got != int(tr.Rows) && tr.Table != "river_job" {
			t.Errorf("%s: the report says %d rows, the table has %d", tr.Table, tr.Rows, got)
		}
	}
	ranges := []struct {
		table    string
		min, max float64 // per proposal
	}{
		{"cases", 1.3, 1.8},
		{"proposal_deputies", 1.5, 5},
		{"drafts", 1.5, 3},
		{"communications", 0.8, 2.5},
		{"replies", 0.9, 1.5},
		{"publications", 0.9, 1.5},
		{"feedback", 0.9, 1.5},
		{"extensions", 0.02, 0.2},
		{"deadlines", 3, 8},
		{"case_events", 9, 25},
	}
	for _, r := range ranges {
		per := float64(rows[r.table]) / n
		if per < r.min || per > r.max {
			t.Errorf("%s: %.2f rows per proposal, want %.2f to %.2f", r.table, per, r.min, r.max)
		}
	}
	if rows["proposals"] != n || rows["congress_sessions"] != 5 || rows["departments"] != 61 || rows["deputies"] < 100 {
		t.Errorf("rows: %v", rows)
	}
	if events := float64(rows["case_events"]) / float64(rows["cases"]); events < 5 || events > 14 {
		t.Errorf("%.1f events per case, want 5 to 14", events)
	}

	// Every case state and kind, every publication, extension and rating.
	for _, s := range workflow.CaseStates() {
		if rep.CasesByState[s] == 0 {
			t.Errorf("no case in state %s", s)
		}
	}
	for _, k := range workflow.AllCaseKinds() {
		if rep.CasesByKind[k] == 0 {
			t.Errorf("no case of kind %s", k)
		}
	}
	distinct := func(query string, want ...string) {
		t.Helper()
		r, err := db.Pool.Query(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var got []string
		for r.Next() {
			var s string
			if err := r.Scan(&s); err != nil {
				t.Fatal(err)
			}
			got = append(got, s)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", query, got, want)
		}
	}
	distinct(`SELECT DISTINCT state FROM publications`, "pending", "published", "withheld")
	distinct(`SELECT DISTINCT state FROM extensions`, "requested", "granted", "refused")
	distinct(`SELECT DISTINCT result_rating FROM feedback`, "satisfied", "basically_satisfied", "dissatisfied")
	distinct(`SELECT DISTINCT class FROM replies`, "A", "B", "C", "D")
	distinct(`SELECT DISTINCT method FROM communications`, "meeting", "visit", "phone")
	distinct(`SELECT DISTINCT kind FROM deadlines WHERE ended_at IS NULL`,
		"reply", "co_opinion", "return_window", "extension_decision", "rehandle", "feedback", "publication")
	if count(t, db, `SELECT max(round) FROM cases`) < 2 {
		t.Error("no re-handling round")
	}

	// Audit chains verify.
	audit, err := db.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(audit.Breaks) != 0 || audit.Cases != rows["cases"] {
		t.Fatalf("audit: %d cases, breaks %+v", audit.Cases, audit.Breaks[:min(len(audit.Breaks), 5)])
	}

	// Deadlines: what storage checks (every deadline a case's state calls
	// for is stored, every notice still ahead has its job) …
	check, err := db.CheckDeadlineJobs(ctx, syntheticNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(check.Problems) != 0 || check.Jobs != rep.ReminderJobs || check.Deadlines != rep.ActiveDeadlines {
		t.Errorf("deadlines check: %d deadlines, %d jobs (report: %d, %d), problems %+v", check.Deadlines, check.Jobs,
			rep.ActiveDeadlines, rep.ReminderJobs, check.Problems[:min(len(check.Problems), 5)])
	}
	// … and both ways for a sample: the active deadlines are exactly what
	// workflow.ActiveDeadlines says, none in the earlier sessions.
	cal, err := db.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := db.Pool.Query(ctx, `SELECT id FROM cases WHERE id % 5 = 0 OR state NOT IN ('closed', 'opinion_submitted', 'returned') ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var sample []int64
	for ids.Next() {
		var id int64
		if err := ids.Scan(&id); err != nil {
			t.Fatal(err)
		}
		sample = append(sample, id)
	}
	ids.Close()
	for _, id := range sample {
		c, err := db.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		f := workflow.CaseDeadlineFacts{Case: c}
		var ext, sent, pubDue *time.Time
		var pubState string
		err = db.Pool.QueryRow(ctx, `SELECT
			(SELECT decide_due FROM extensions WHERE case_id = $1 AND state = 'requested'),
			(SELECT sent_at FROM replies WHERE case_id = $1 AND round = $2),
			coalesce((SELECT p.state FROM publications p JOIN replies r ON r.id = p.reply_id WHERE r.case_id = $1 ORDER BY r.round DESC LIMIT 1), ''),
			(SELECT p.due_on FROM publications p JOIN replies r ON r.id = p.reply_id WHERE r.case_id = $1 ORDER BY r.round DESC LIMIT 1)`,
			id, c.Round).Scan(&ext, &sent, &pubState, &pubDue)
		if err != nil {
			t.Fatal(err)
		}
		day := func(p *time.Time) workflow.DueDate {
			if p == nil {
				return workflow.DueDate{}
			}
			return workflow.DueDate{Date: workflow.Date{Year: p.Year(), Month: p.Month(), Day: p.Day()}}
		}
		f.ExtensionDue, f.PublicationState, f.PublicationDue = day(ext), workflow.State(pubState), day(pubDue)
		if sent != nil && c.State == workflow.StateReplied {
			if f.FeedbackDue, err = cal.Due(workflow.DefaultRuleSet()[workflow.RuleFeedback], workflow.DateOf(*sent)); err != nil {
				t.Fatal(err)
			}
		}
		var want []string
		for _, d := range workflow.ActiveDeadlines(f) {
			want = append(want, string(d.Kind)+" "+d.Due.String())
		}
		stored, err := db.CaseDeadlines(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var have []string
		for _, d := range stored {
			if !d.Ended {
				have = append(have, string(d.Kind)+" "+d.Due.String())
			}
		}
		slices.Sort(want)
		slices.Sort(have)
		if !slices.Equal(want, have) {
			t.Errorf("case %d (%s %s round %d): active deadlines %v, want %v", id, c.Kind, c.State, c.Round, have, want)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM deadlines d JOIN cases c ON c.id = d.case_id JOIN proposals p ON p.id = c.proposal_id
		JOIN congress_sessions s ON s.id = p.session_id
		WHERE d.ended_at IS NULL AND s.opened_on < (SELECT max(opened_on) FROM congress_sessions)`); n != 0 {
		t.Errorf("%d active deadlines in earlier sessions, want none", n)
	}

	// Numbers: unique per session, the session's year and a serial.
	if n := count(t, db, `SELECT count(*) - count(DISTINCT (session_id, number)) FROM proposals`); n != 0 {
		t.Errorf("%d duplicate numbers", n)
	}
	if n := count(t, db, `SELECT count(*) FROM proposals p JOIN congress_sessions s ON s.id = p.session_id
		WHERE p.number !~ ('^' || extract(year FROM s.opened_on)::int || '[0-9]{4,}$')`); n != 0 {
		t.Errorf("%d numbers not of the form YEARnnnn", n)
	}

	// Dates hold together.
	for _, q := range []struct{ what, query string }{
		{"assigned before the session opened", `SELECT count(*) FROM cases c JOIN proposals p ON p.id = c.proposal_id
			JOIN congress_sessions s ON s.id = p.session_id WHERE c.assigned_at < s.opened_on OR p.submitted_on < s.opened_on`},
		{"assigned before the proposal came in", `SELECT count(*) FROM cases c JOIN proposals p ON p.id = c.proposal_id
			WHERE (c.assigned_at AT TIME ZONE 'Asia/Shanghai')::date < p.submitted_on`},
		{"signed before its draft", `SELECT count(*) FROM replies r JOIN drafts d ON d.id = r.draft_id WHERE r.signed_at <= d.created_at OR d.case_id <> r.case_id`},
		{"sent before signed", `SELECT count(*) FROM replies WHERE sent_at < signed_at`},
		{"feedback before the reply was sent", `SELECT count(*) FROM feedback f JOIN replies r ON r.id = f.reply_id WHERE f.received_at <= r.sent_at`},
		{"event on or after the as-of day", `SELECT count(*) FROM case_events WHERE at >= '2026-11-29 00:00+08'`},
		{"event earlier than the one before it", `SELECT count(*) FROM case_events e JOIN case_events f ON f.case_id = e.case_id AND f.seq = e.seq + 1 WHERE f.at < e.at`},
		{"reply due not from the reply rule", `SELECT count(*) FROM cases WHERE round = 1 AND reply_due < (assigned_at AT TIME ZONE 'Asia/Shanghai')::date + 89`},
		{"text shorter than 1,000 characters", `SELECT count(*) FROM proposals WHERE char_length(body) < 1000 OR title NOT LIKE '关于%的%建议'`},
	} {
		if n := count(t, db, q.query); n != 0 {
			t.Errorf("%d rows %s", n, q.what)
		}
	}

	// A second load into the same database is refused, and writes nothing.
	_, err = demo.LoadSynthetic(ctx, db, demo.SyntheticOptions{Proposals: 10, Clock: workflow.FixedClock(syntheticNow)})
	if !errors.Is(err, demo.ErrHasProposals) {
		t.Errorf("second load: %v, want ErrHasProposals", err)
	}
	if got := count(t, db, `SELECT count(*) FROM proposals`); got != n {
		t.Errorf("%d proposals after the refused load, want %d", got, n)
	}
	t.Logf("%d proposals: %v; states %v; %s", n, rows, rep.CasesByState, rep.Total)
}

func TestLoadSyntheticIsDeterministic(t *testing.T) {
	t.Parallel()
	titles := func(seed uint64) (string, []int64) {
		db, rep := loadSynthetic(t, 80, seed)
		var out []string
		r, err := db.Pool.Query(context.Background(), `SELECT p.number || ' ' || p.title || ' ' || md5(p.body) || ' ' ||
				(SELECT string_agg(c.kind || ':' || c.state || ':' || d.code, ',' ORDER BY c.id) FROM cases c JOIN departments d ON d.id = c.department_id WHERE c.proposal_id = p.id)
			FROM proposals p JOIN congress_sessions s ON s.id = p.session_id ORDER BY s.opened_on, p.number`)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for r.Next() {
			var s string
			if err := r.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		var rows []int64
		for _, tr := range rep.Tables {
			rows = append(rows, tr.Rows)
		}
		return strings.Join(out, "\n"), rows
	}
	a, rowsA := titles(7)
	b, rowsB := titles(7)
	c, _ := titles(8)
	if a != b || !slices.Equal(rowsA, rowsB) {
		t.Errorf("the same seed made different data:\n%.300s\n---\n%.300s\nrows %v %v", a, b, rowsA, rowsB)
	}
	if a == c {
		t.Error("seeds 7 and 8 made the same data")
	}
	if !regexp.MustCompile(`^20220001 关于`).MatchString(a) {
		t.Errorf("first proposal: %.80s", a)
	}
}
