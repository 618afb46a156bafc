package jobs_test

import (
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertest"
	"github.com/riverqueue/river/rivertype"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/jobs"
	"github.com/banli-gov/banli/workflow"
)

// TestDigestDueSoon: the daily digest counts "due soon" as the dashboard
// does, through the 7th working day. A reply due Friday 2024-10-11 is due
// soon on Friday 2024-09-27 — 09-29 (a Sunday make-up day), 09-30, 10-08,
// 10-09, 10-10, 10-11 and 10-12 (a Saturday make-up day) are the next seven
// working days, across the National Day holiday — but not on 2024-09-20,
// whose seventh working day is 09-30.
func TestDigestDueSoon(t *testing.T) {
	t.Parallel()
	// Assigned 2024-07-11: reply due 2024-10-11.
	w := newWorld(t, time.Date(2024, 7, 11, 2, 0, 0, 0, time.UTC), config.SMTP{})
	if w.c.ReplyDue != (workflow.Date{Year: 2024, Month: 10, Day: 11}) {
		t.Fatalf("reply due %s, want 2024-10-11", w.c.ReplyDue)
	}
	worker := jobs.NewDigestWorker(w.db, nil)
	digest := func(day workflow.Date) (subject, body string) {
		t.Helper()
		job := &river.Job[jobs.DigestArgs]{JobRow: &rivertype.JobRow{}, Args: jobs.DigestArgs{Day: day}}
		must(t, worker.Work(rivertest.WorkContext(w.ctx, w.client), job))
		must(t, w.db.Pool.QueryRow(w.ctx, `SELECT subject, body FROM notifications WHERE key = $1 LIMIT 1`,
			"digest:"+day.String()).Scan(&subject, &body))
		return subject, body
	}

	subject, body := digest(workflow.Date{Year: 2024, Month: 9, Day: 27})
	if want := "【督办日报】2024-09-27：7个工作日内到期1件，已逾期0件"; subject != want {
		t.Errorf("subject on 2024-09-27:\n got %s\nwant %s", subject, want)
	}
	if want := "2024-09-27 各承办单位办理情况：\n武汉市市场监督管理局：7个工作日内到期1件，已逾期0件，待代表反馈0件，待公开0件\n"; body != want {
		t.Errorf("body on 2024-09-27:\n got %q\nwant %q", body, want)
	}

	subject, body = digest(workflow.Date{Year: 2024, Month: 9, Day: 20})
	if want := "【督办日报】2024-09-20：7个工作日内到期0件，已逾期0件"; subject != want {
		t.Errorf("subject on 2024-09-20:\n got %s\nwant %s", subject, want)
	}
	if want := "2024-09-20 各承办单位办理情况：\n各单位均无即将到期、逾期、待反馈或待公开的事项。\n"; body != want {
		t.Errorf("body on 2024-09-20:\n got %q\nwant %q", body, want)
	}
}
