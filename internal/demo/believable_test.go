package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

// TestDemoIsBelievable: the demo's dates agree with the record and with
// each other, as an office would see them (issue 11 part 9): the 3rd session
// of the 15th Wuhan People's Congress closed on 2024-01-21, its suggestions
// were submitted during it and assigned together at one 交办 meeting; every
// step of work is dated on a working day of the calendar (make-up days
// included); replies are sent within the due date in force; every
// suggestion has its own reply text.
func TestDemoIsBelievable(t *testing.T) {
	t.Parallel()
	for _, now := range []time.Time{
		time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC), // a Monday morning in Shanghai, after a weekend
		time.Date(2026, 10, 3, 6, 0, 0, 0, time.UTC),   // a Saturday of the National Day holiday
	} {
		t.Run(now.Format("2006-01-02"), func(t *testing.T) {
			t.Parallel()
			demoIsBelievable(t, now)
		})
	}
}

func demoIsBelievable(t *testing.T, now time.Time) {
	ctx := context.Background()
	db := testdb.NewDB(t)
	if _, err := demo.Load(ctx, db, demo.Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	shanghai := workflow.Zone()
	date := func(s string) workflow.Date {
		t.Helper()
		d, err := workflow.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	rows := func(q string, args ...any) [][]string {
		t.Helper()
		rs, err := db.Pool.Query(ctx, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		var out [][]string
		for rs.Next() {
			vals, err := rs.Values()
			if err != nil {
				t.Fatal(err)
			}
			row := make([]string, len(vals))
			for i, v := range vals {
				switch v := v.(type) {
				case time.Time:
					row[i] = v.In(shanghai).Format("2006-01-02 15:04")
				case string:
					row[i] = v
				default:
					t.Fatalf("unexpected column type %T", v)
				}
			}
			out = append(out, row)
		}
		if err := rs.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}

	// Work only on working days: every step a person took, every contact.
	work := rows(`SELECT e.action || ' on case ' || e.case_id, e.at FROM case_events e WHERE e.actor_role <> 'system'
		UNION ALL SELECT 'contact on case ' || case_id, happened_on::timestamptz FROM communications`)
	if len(work) < 200 {
		t.Fatalf("only %d steps of work in the demo", len(work))
	}
	for _, w := range work {
		d := date(w[1][:10])
		if ok, _, err := cal.Workday(d); err != nil || !ok {
			t.Errorf("%s dated %s, not a working day", w[0], w[1])
		}
		if at, _ := time.ParseInLocation("2006-01-02 15:04", w[1], shanghai); at.After(now) {
			t.Errorf("%s dated %s, after now", w[0], w[1])
		}
	}

	// The past session: opened days before it closed on 2024-01-21; its
	// suggestions submitted during it; all assigned at one 交办 meeting.
	past := rows(`SELECT p.number, s.opened_on::text, p.submitted_on::text, c.assigned_at
		FROM proposals p JOIN congress_sessions s ON s.id = p.session_id JOIN cases c ON c.proposal_id = p.id
		WHERE s.short_name = $1`, demo.SessionShort)
	if len(past) < 5 {
		t.Fatalf("the past session has %d cases", len(past))
	}
	for _, r := range past {
		opened, submitted := date(r[1]), date(r[2])
		if closed := date("2024-01-21"); opened.After(closed) || opened.Before(closed.AddDays(-7)) {
			t.Errorf("the past session opened on %s, not in the days before 2024-01-21", opened)
		}
		if submitted.Before(opened) || submitted.After(date("2024-01-21")) {
			t.Errorf("No. %s submitted on %s, not during the session (%s to 2024-01-21)", r[0], submitted, opened)
		}
		if r[3][:10] != past[0][3][:10] || !strings.HasPrefix(r[3], "2024-0") {
			t.Errorf("No. %s assigned %s, its siblings %s: one 交办 meeting assigns them all", r[0], r[3], past[0][3])
		}
	}

	// The current session: what was submitted during it was assigned at one
	// meeting after it closed; a later suggestion after it was submitted.
	cur := rows(`SELECT p.number, s.opened_on::text, p.submitted_on::text, min(c.assigned_at)
		FROM proposals p JOIN congress_sessions s ON s.id = p.session_id JOIN cases c ON c.proposal_id = p.id
		WHERE s.short_name <> $1 GROUP BY p.number, s.opened_on, p.submitted_on`, demo.SessionShort)
	meeting := ""
	for _, r := range cur {
		opened, submitted, assigned := date(r[1]), date(r[2]), date(r[3][:10])
		if submitted.Before(opened) || !assigned.After(submitted) {
			t.Errorf("No. %s: session opened %s, submitted %s, assigned %s", r[0], opened, submitted, assigned)
		}
		if submitted.After(opened.AddDays(6)) {
			continue // a suggestion of the recess (闭会期间)
		}
		if meeting == "" {
			meeting = r[3][:10]
		}
		if r[3][:10] != meeting {
			t.Errorf("No. %s, submitted during the session, assigned %s; its siblings at the meeting of %s", r[0], r[3], meeting)
		}
	}
	if meeting == "" {
		t.Error("no current suggestion was submitted during the session")
	}

	// Replies of the first round were sent by the due date in force.
	for _, r := range rows(`SELECT p.number || ' ' || d.code, r.sent_at, c.reply_due::text
		FROM replies r JOIN cases c ON c.id = r.case_id JOIN proposals p ON p.id = c.proposal_id
		JOIN departments d ON d.id = c.department_id WHERE r.sent_at IS NOT NULL AND c.round = 1`) {
		if date(r[1][:10]).After(date(r[2])) {
			t.Errorf("No. %s: reply sent %s, due %s", r[0], r[1], r[2])
		}
	}

	// Co-handling opinions reached the lead unit by their due date.
	opinions := rows(`SELECT p.number || ' ' || d.code, max(e.at), c.co_opinion_due::text
		FROM cases c JOIN proposals p ON p.id = c.proposal_id JOIN departments d ON d.id = c.department_id
		JOIN case_events e ON e.case_id = c.id AND e.action = 'sign'
		WHERE c.kind = 'co' GROUP BY p.number, d.code, c.co_opinion_due`)
	if len(opinions) < 5 {
		t.Errorf("only %d co-opinions signed in the demo", len(opinions))
	}
	for _, r := range opinions {
		if date(r[1][:10]).After(date(r[2])) {
			t.Errorf("No. %s: co-opinion signed %s, due %s", r[0], r[1], r[2])
		}
	}

	// Every suggestion's reply says something of its own, without stutters.
	texts := map[string]string{}
	for _, r := range rows(`SELECT DISTINCT ON (p.id) p.number, d.sections::text
		FROM drafts d JOIN cases c ON c.id = d.case_id JOIN proposals p ON p.id = c.proposal_id
		WHERE c.kind <> 'co' ORDER BY p.id, d.version DESC`) {
		if other, ok := texts[r[1]]; ok {
			t.Errorf("Nos. %s and %s have the same reply text", other, r[0])
		}
		texts[r[1]] = r[0]
		for _, typo := range []string{"推进推进", "加强加强", "，，", "。。"} {
			if strings.Contains(r[1], typo) {
				t.Errorf("No. %s's reply says %q", r[0], typo)
			}
		}
	}
	if len(texts) < 20 {
		t.Errorf("only %d replies drafted in the demo", len(texts))
	}
}
