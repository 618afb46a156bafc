package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

// TestCaseTallyMirrorsWorkflow: PostgreSQL packs a case's columns into
// cases.tally (migration 00300) and the statistics unpack it in Go. For
// every state and kind, each rating and class, a first send on time, late
// by minutes across midnight in Asia/Shanghai and none, and 面商 or not, the
// expression the database holds gives back workflow's CaseRecord.Tally of
// the same record.
func TestCaseTallyMirrorsWorkflow(t *testing.T) {
	t.Parallel()
	db := testdb.NewDB(t)
	ctx := context.Background()
	var expr string
	if err := db.Pool.QueryRow(ctx, `SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
		JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
		WHERE d.adrelid = 'cases'::regclass AND a.attname = 'tally'`).Scan(&expr); err != nil {
		t.Fatal(err)
	}
	due := workflow.Date{Year: 2024, Month: 4, Day: 19}
	lastMinute := time.Date(2024, 4, 19, 23, 59, 0, 0, workflow.Zone())
	var records []workflow.CaseRecord
	for _, s := range workflow.CaseStates() {
		for _, k := range workflow.AllCaseKinds() {
			records = append(records, workflow.CaseRecord{Kind: k, State: s})
		}
	}
	base := workflow.CaseRecord{Kind: workflow.KindLead, State: workflow.StateClosed}
	for _, sent := range []time.Time{lastMinute, lastMinute.Add(2 * time.Minute), lastMinute.AddDate(0, 0, -3)} {
		r := base
		r.FirstSentAt, r.FirstSentDue = sent, due
		records = append(records, r)
	}
	r := base
	r.FirstSentAt = lastMinute // sent, no due date recorded: late
	records = append(records, r)
	for _, m := range []workflow.ContactMethod{workflow.ContactMeeting, workflow.ContactVisit, workflow.ContactPhone} {
		r := base
		r.FirstSentAt, r.FirstSentDue, r.Contacts = lastMinute, due, []workflow.ContactMethod{m}
		records = append(records, r)
	}
	for _, rt := range workflow.AllRatings() {
		for i := range 3 {
			r := base
			*[]*workflow.Rating{&r.FinalRating, &r.WorkRating, &r.FirstRating}[i] = rt
			records = append(records, r)
		}
	}
	for _, c := range workflow.AllReplyClasses() {
		r := base
		r.Class = c
		records = append(records, r)
	}
	records = append(records, workflow.CaseRecord{Kind: workflow.KindSeparate, State: workflow.StateConverted,
		FirstSentAt: lastMinute, FirstSentDue: due, FeedbackContacts: []workflow.ContactMethod{workflow.ContactVisit},
		FirstRating: workflow.RatingDissatisfied, FinalRating: workflow.RatingSatisfied,
		WorkRating: workflow.RatingBasicallySatisfied, Class: workflow.ClassD})

	for _, rec := range records {
		want := rec.Tally()
		null := func(s string) *string {
			if s == "" {
				return nil
			}
			return &s
		}
		var sentAt *time.Time
		if !rec.FirstSentAt.IsZero() {
			sentAt = &rec.FirstSentAt
		}
		var sentDue *string
		if !rec.FirstSentDue.IsZero() {
			sentDue = null(rec.FirstSentDue.String())
		}
		var packed int32
		if err := db.Pool.QueryRow(ctx, `SELECT `+expr+` FROM (SELECT $1::text AS state, $2::text AS kind,
			$3::timestamptz AS first_sent_at, $4::date AS first_sent_due, $5::boolean AS met,
			$6::text AS latest_result_rating, $7::text AS latest_work_rating, $8::text AS first_result_rating,
			$9::text AS latest_class) cases`,
			string(rec.State), string(rec.Kind), sentAt, sentDue, want.Met,
			null(string(rec.FinalRating)), null(string(rec.WorkRating)), null(string(rec.FirstRating)), null(string(rec.Class))).
			Scan(&packed); err != nil {
			t.Fatal(err)
		}
		got, err := storage.UnpackCaseTally(packed)
		if err != nil {
			t.Errorf("%+v: %v", rec, err)
			continue
		}
		if got != want {
			t.Errorf("record %+v:\n packed %d unpacks to %+v\n workflow's tally     %+v", rec, packed, got, want)
		}
	}
}
