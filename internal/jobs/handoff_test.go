package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/mailpit"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// TestHandOffEmail: with a real River client working the notify queue, the
// e-mail of each hand-off arrives in a real SMTP server (mailpit): the
// assignment to the unit's drafter, then the submission to its reviewer,
// with the case in the subject and the link to it in the text.
func TestHandOffEmail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, mp := newMailedWorld(t)
	what := "市十五届人大三次会议第20240294号建议"
	link := fmt.Sprintf("%s/cases/%d", w.cfg.BaseURL, w.c.ID)

	msgs, err := mp.WaitForMessages(ctx, 1, 30*time.Second)
	must(t, err)
	if want := "【待签收】" + what + "：已交办武汉市市场监督管理局（主办）"; len(msgs) != 1 || msgs[0].Subject != want ||
		len(msgs[0].To) != 1 || msgs[0].To[0].Address != "drafter@banli.example" {
		t.Fatalf("after the assignment: %+v, want one e-mail %q to the drafter", msgs, want)
	}

	// The drafter accepts (the case stays theirs: no e-mail), drafts and
	// submits: the reviewer gets the e-mail.
	drafter := w.actors["drafter"]
	w.c, err = w.db.Transition(ctx, storage.TransitionCmd{CaseID: w.c.ID, Action: workflow.ActionAccept, Actor: drafter, ExpectedVersion: w.c.Version})
	must(t, err)
	_, err = w.db.SaveDraft(ctx, storage.SaveDraftCmd{CaseID: w.c.ID, Actor: drafter, Sections: []workflow.Section{{Heading: "一、", Body: "答复"}}})
	must(t, err)
	w.c, err = w.db.Transition(ctx, storage.TransitionCmd{CaseID: w.c.ID, Action: workflow.ActionSubmit, Actor: drafter, ExpectedVersion: w.c.Version})
	must(t, err)
	msgs, err = mp.WaitForMessages(ctx, 2, 30*time.Second)
	must(t, err)
	want := "【待审核】" + what + "：武汉市市场监督管理局的答复稿已提交审核"
	i := slices.IndexFunc(msgs, func(m mailpit.Message) bool { return m.Subject == want })
	if len(msgs) != 2 || i < 0 {
		t.Fatalf("after the submission: %+v, want a second e-mail %q", msgs, want)
	}
	detail, err := mp.Message(ctx, msgs[i].ID)
	must(t, err)
	if to := fmt.Sprint(detail.To); !strings.Contains(to, "reviewer@banli.example") {
		t.Errorf("sent to %s, want the reviewer", to)
	}
	for _, s := range []string{link, "《关于加快推进科技成果转化的建议》", "请您办理：审核通过或退回修改。"} {
		if !strings.Contains(detail.Text, s) {
			t.Errorf("text lacks %q:\n%s", s, detail.Text)
		}
	}
	if !strings.Contains(detail.HTML, link) {
		t.Errorf("HTML lacks the link %s", link)
	}
	// Nothing else was to be sent: the deliveries are all there, in the
	// transactions that committed.
	var n int
	must(t, w.db.Pool.QueryRow(ctx, `SELECT count(*) FROM deliveries WHERE channel = 'email'`).Scan(&n))
	if n != 2 {
		t.Errorf("%d e-mail deliveries, want 2", n)
	}
}

// TestHandOffOptOutKeepsReminders: a drafter who turned off e-mail for
// hand-offs still gets the in-app hand-off, and still gets reminders and
// overdue notices by e-mail.
func TestHandOffOptOutKeepsReminders(t *testing.T) {
	t.Parallel()
	w := newWorld(t, time.Date(2024, 7, 1, 10, 0, 0, 0, time.UTC), config.SMTP{})
	ctx := w.ctx
	drafter := w.actors["drafter"]
	must(t, w.db.SetNotificationSettings(ctx, drafter.UserID, storage.NotificationSettings{HandOffEmail: false}))

	emailsTo := func(keyPattern string) []string {
		t.Helper()
		rows, err := w.db.Pool.Query(ctx, `SELECT target FROM deliveries WHERE key LIKE $1 AND channel = 'email' ORDER BY id`, keyPattern)
		must(t, err)
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		must(t, err)
		return out
	}

	// The reviewer accepts for the unit: the drafters are to draft.
	var err error
	w.c, err = w.db.Transition(ctx, storage.TransitionCmd{CaseID: w.c.ID, Action: workflow.ActionAccept, Actor: w.actors["reviewer"],
		ExpectedVersion: w.c.Version, At: time.Date(2024, 7, 2, 1, 0, 0, 0, time.UTC)})
	must(t, err)
	key := storage.HandOffKey(w.c.ID, w.c.Version)
	if got := w.recipients(t, key); got != "王晓燕" {
		t.Errorf("hand-off to %q, want the drafter 王晓燕", got)
	}
	if got := emailsTo(key); len(got) != 0 {
		t.Errorf("hand-off e-mailed to %v", got)
	}

	// The reply's first reminder, and its first overdue notice.
	job := w.nextJob(t)
	w.db.Clock = workflow.FixedClock(job.ScheduledAt)
	w.work(t, job)
	if got := emailsTo(fmt.Sprintf("deadline:%d:before-15", job.Args.DeadlineID)); !slices.Equal(got, []string{"drafter@banli.example"}) {
		t.Errorf("the reminder e-mailed %v, want the drafter", got)
	}
	var id int64
	must(t, w.db.Pool.QueryRow(ctx, `SELECT id FROM river_job WHERE kind = 'deadline_reminder' AND args->>'notice' = 'overdue'
		AND (args->>'deadline_id')::bigint = $1`, job.Args.DeadlineID).Scan(&id))
	row, err := w.client.JobGet(ctx, id)
	must(t, err)
	var args storage.ReminderArgs
	must(t, json.Unmarshal(row.EncodedArgs, &args))
	w.db.Clock = workflow.FixedClock(row.ScheduledAt)
	w.work(t, &river.Job[storage.ReminderArgs]{JobRow: row, Args: args})
	got := emailsTo(fmt.Sprintf("deadline:%d:overdue-%%", job.Args.DeadlineID))
	if !slices.Contains(got, "drafter@banli.example") {
		t.Errorf("the overdue notice e-mailed %v, not the drafter", got)
	}
}
