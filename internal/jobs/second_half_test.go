package jobs_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// TestRemindersInTheSecondHalf: the reminders of a case assigned on the
// days the first version of banli could not assign — 2027-07-01, when the
// 6-month extension cap reads 2028, and 2027-12-20, when even the reply
// due date does — are planned on the calendar as it stands: exactly on
// 2027's holiday data, Monday to Friday (provisionally) in 2028. Expected
// days are counted by hand from DESIGN.md §2 and the 2027 schedule; the
// notices go out 15, 7, 3 and 1 working days before and on the due day,
// and the first overdue notice on the next working day, at 09:00.
func TestRemindersInTheSecondHalf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		assigned    string
		reply       string
		provisional bool
		notices     []string
	}{
		// 3 months from 2027-07-01 is 2027-10-01, 国庆节 (10-01..10-07): due
		// 2027-10-08. Counting back on the 2027 schedule as the built-in
		// data holds it (中秋节 09-15; make-up working days Sunday 09-26 and
		// Saturday 10-09): 09-30 (1), 09-28 (3), 09-23 (7, counting 09-26),
		// 09-10 (15, skipping 09-15); the first overdue notice is the next
		// working day, the make-up Saturday 10-09.
		{"2027-07-01", "2027-10-08", false, []string{
			"before 15 2027-09-10", "before 7 2027-09-23", "before 3 2027-09-28", "before 1 2027-09-30", "due 0 2027-10-08",
			"overdue 1 2027-10-09"}},
		// 3 months from 2027-12-20 is 2028-03-20, a Monday, provisional.
		// Back on Monday–Friday: 03-17 (1), 03-15 (3), 03-09 (7), 02-28 (15;
		// 2028 is a leap year); the first overdue notice Tuesday 03-21.
		{"2027-12-20", "2028-03-20", true, []string{
			"before 15 2028-02-28", "before 7 2028-03-09", "before 3 2028-03-15", "before 1 2028-03-17", "due 0 2028-03-20",
			"overdue 1 2028-03-21"}},
	} {
		t.Run(tc.assigned, func(t *testing.T) {
			t.Parallel()
			day, err := workflow.ParseDate(tc.assigned)
			must(t, err)
			w := newWorld(t, day.Time().Add(10*time.Hour), config.SMTP{})
			if w.c.ReplyDue.String() != tc.reply || w.c.Provisional.Reply != tc.provisional {
				t.Fatalf("reply due %s (provisional %v), want %s (%v)", w.c.ReplyDue, w.c.Provisional.Reply, tc.reply, tc.provisional)
			}
			got := w.replyNotices(t)
			if !slices.Equal(got, tc.notices) {
				t.Errorf("reply notices\n got %s\nwant %s", strings.Join(got, ", "), strings.Join(tc.notices, ", "))
			}
		})
	}
}

// replyNotices lists the case's planned reply notices as "kind days day",
// checking each is at 09:00 in Asia/Shanghai.
func (w *world) replyNotices(t *testing.T) []string {
	t.Helper()
	rows, err := w.db.Pool.Query(w.ctx, `SELECT j.args, j.scheduled_at FROM river_job j JOIN deadlines d ON d.id = (j.args->>'deadline_id')::bigint
		WHERE j.kind = 'deadline_reminder' AND d.case_id = $1 AND d.kind = 'reply' AND d.ended_at IS NULL ORDER BY j.scheduled_at`, w.c.ID)
	must(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var raw []byte
		var at time.Time
		must(t, rows.Scan(&raw, &at))
		var args storage.ReminderArgs
		must(t, json.Unmarshal(raw, &args))
		if local := at.In(workflow.Zone()); local.Hour() != 9 || local.Minute() != 0 || workflow.DateOf(at) != args.Day {
			t.Errorf("notice %+v scheduled at %s, want 09:00 on its day", args, local)
		}
		out = append(out, fmt.Sprintf("%s %d %s", args.Notice, args.WorkingDays, args.Day))
	}
	must(t, rows.Err())
	return out
}
