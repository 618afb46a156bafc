package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertest"
	"github.com/riverqueue/river/rivertype"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/jobs"
	"github.com/banli-gov/banli/internal/mailpit"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// world is a unit with a drafter, reviewer and approver, another unit's
// drafter, a liaison, and a lead case of the unit.
type world struct {
	ctx    context.Context
	db     *storage.DB
	cfg    *config.Config
	client *river.Client[pgx.Tx]
	names  map[int64]string
	actors map[string]workflow.Actor
	c      *workflow.Case
}

func newWorld(t *testing.T, assigned time.Time, smtp config.SMTP) *world {
	t.Helper()
	ctx := context.Background()
	db := testdb.NewDB(t)
	cfg, err := config.Load(func(string) string { return "" })
	must(t, err)
	cfg.SMTP = smtp
	w := &world{ctx: ctx, db: db, cfg: cfg, names: map[int64]string{}, actors: map[string]workflow.Actor{}}
	w.client, err = jobs.NewClient(db, cfg, nil, jobs.Options{})
	must(t, err)
	s := &workflow.CongressSession{Name: "武汉市第十五届人民代表大会第三次会议", ShortName: "市十五届人大三次会议", OpenedOn: workflow.Date{Year: 2024, Month: 1, Day: 7}}
	must(t, db.CreateSession(ctx, s))
	depts := map[string]*workflow.Department{}
	for _, d := range []*workflow.Department{{Code: "dcs", Name: "督查室", LiaisonOffice: true}, {Code: "scjg", Name: "武汉市市场监督管理局"}, {Code: "kcj", Name: "武汉市科技创新局"}} {
		must(t, db.CreateDepartment(ctx, d))
		depts[d.Code] = d
	}
	for _, u := range []struct {
		login, name, dept string
		role              workflow.Role
	}{
		{"drafter", "王晓燕", "scjg", workflow.RoleDrafter}, {"reviewer", "陈志强", "scjg", workflow.RoleReviewer},
		{"approver", "刘建国", "scjg", workflow.RoleApprover}, {"other", "赵丽娟", "kcj", workflow.RoleDrafter},
		{"liaison", "李红梅", "dcs", workflow.RoleLiaison},
	} {
		user := &workflow.User{DepartmentID: depts[u.dept].ID, Name: u.name, Email: u.login + "@banli.example", Roles: []workflow.Role{u.role}}
		must(t, db.CreateUser(ctx, user))
		w.names[user.ID] = u.name
		w.actors[u.login] = workflow.Actor{UserID: user.ID, DepartmentID: user.DepartmentID, Roles: user.Roles}
	}
	dep := &workflow.Deputy{Name: "陈明远"}
	must(t, db.CreateDeputy(ctx, dep))
	p := &workflow.Proposal{SessionID: s.ID, Number: "20240294", Title: "关于加快推进科技成果转化的建议", SubmittedOn: workflow.Date{Year: 2024, Month: 1, Day: 9}, DeputyIDs: []int64{dep.ID}}
	must(t, db.CreateProposal(ctx, p))
	db.Clock = workflow.FixedClock(assigned) // the clock of the schedule
	w.c, err = db.Assign(ctx, storage.AssignCmd{ProposalID: p.ID, DepartmentID: depts["scjg"].ID, Kind: workflow.KindLead, Actor: w.actors["liaison"], At: assigned})
	must(t, err)
	return w
}

// newMailedWorld is a world assigned now, e-mailing to a real SMTP server
// (mailpit) through a real River client that works every queue: the jobs
// run at their real times.
func newMailedWorld(t *testing.T) (*world, *mailpit.Server) {
	t.Helper()
	ctx := context.Background()
	mp, err := mailpit.Start(ctx, mailpit.Options{})
	must(t, err)
	t.Cleanup(func() { _ = mp.Stop() })
	w := newWorld(t, time.Now(), config.SMTP{Host: mp.SMTPHost(), Port: mp.SMTPPort(), From: "banli@banli.example", TLS: config.SMTPTLSNone})
	client, err := jobs.NewClient(w.db, w.cfg, nil, jobs.Options{})
	must(t, err)
	must(t, client.Start(ctx))
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = client.Stop(stopCtx)
	})
	return w, mp
}

// nextJob returns the case's earliest pending reminder job.
func (w *world) nextJob(t *testing.T) *river.Job[storage.ReminderArgs] {
	t.Helper()
	var id int64
	err := w.db.Pool.QueryRow(w.ctx, `SELECT j.id FROM river_job j JOIN deadlines d ON d.id = (j.args->>'deadline_id')::bigint
		WHERE j.kind = 'deadline_reminder' AND d.case_id = $1 AND j.state IN ('scheduled', 'available')
		ORDER BY j.scheduled_at, j.id LIMIT 1`, w.c.ID).Scan(&id)
	if err == pgx.ErrNoRows {
		return nil
	}
	must(t, err)
	row, err := w.client.JobGet(w.ctx, id)
	must(t, err)
	var args storage.ReminderArgs
	must(t, json.Unmarshal(row.EncodedArgs, &args))
	return &river.Job[storage.ReminderArgs]{JobRow: row, Args: args}
}

// work runs the reminder worker on job as River would at its time, and
// marks the job completed.
func (w *world) work(t *testing.T, job *river.Job[storage.ReminderArgs]) {
	t.Helper()
	worker := jobs.NewReminderWorker(w.db, nil)
	must(t, worker.Work(rivertest.WorkContext(w.ctx, w.client), job))
	_, err := w.db.Pool.Exec(w.ctx, `UPDATE river_job SET state = 'completed', finalized_at = now(), attempt = 1 WHERE id = $1`, job.ID)
	must(t, err)
}

// recipients lists who got the notification with that key, by name.
func (w *world) recipients(t *testing.T, key string) string {
	t.Helper()
	rows, err := w.db.Pool.Query(w.ctx, `SELECT user_id FROM notifications WHERE key = $1 ORDER BY user_id`, key)
	must(t, err)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	must(t, err)
	var names []string
	for _, id := range ids {
		names = append(names, w.names[id])
	}
	return strings.Join(names, "、")
}

// TestReminderSchedule walks the clock through a case's reply deadline,
// working each reminder job at its time: which notices go out, to whom, on
// which working days — across 2024's Mid-Autumn and National Day holidays
// and their make-up days 09-14 (Saturday), 09-29 (Sunday) and 10-12
// (Saturday) — and how the overdue notices escalate and chain.
func TestReminderSchedule(t *testing.T) {
	t.Parallel()
	w := newWorld(t, time.Date(2024, 7, 1, 10, 0, 0, 0, time.UTC), config.SMTP{})
	var err error
	w.c, err = w.db.Transition(w.ctx, storage.TransitionCmd{CaseID: w.c.ID, Action: workflow.ActionAccept, Actor: w.actors["drafter"],
		ExpectedVersion: w.c.Version, At: time.Date(2024, 7, 2, 1, 0, 0, 0, time.UTC)})
	must(t, err)
	unit := "王晓燕"
	escalated := "王晓燕、陈志强、刘建国、李红梅"
	want := []string{
		"reply before-15 2024-09-10 → " + unit,
		"reply before-7 2024-09-23 → " + unit,
		"reply before-3 2024-09-27 → " + unit,
		"reply before-1 2024-09-30 → " + unit,
		"reply due 2024-10-08 → " + unit,
		"reply overdue-2024-10-09 2024-10-09 → " + escalated,
		"reply overdue-2024-10-10 2024-10-10 → " + escalated,
		"reply overdue-2024-10-11 2024-10-11 → " + escalated,
		"reply overdue-2024-10-12 2024-10-12 → " + escalated,
		"reply overdue-2024-10-14 2024-10-14 → " + escalated,
	}
	var got []string
	for range want {
		job := w.nextJob(t)
		if job == nil {
			t.Fatalf("no reminder pending after:\n%s", strings.Join(got, "\n"))
		}
		w.db.Clock = workflow.FixedClock(job.ScheduledAt)
		w.work(t, job)
		n := workflow.Notice{Kind: job.Args.Notice, Day: job.Args.Day, WorkingDays: job.Args.WorkingDays}
		key := fmt.Sprintf("deadline:%d:%s", job.Args.DeadlineID, n.Key())
		got = append(got, fmt.Sprintf("reply %s %s → %s", n.Key(), job.Args.Day, w.recipients(t, key)))
		if !job.ScheduledAt.Equal(job.Args.Day.Time().Add(9 * time.Hour)) {
			t.Errorf("%s scheduled at %s", n.Key(), job.ScheduledAt)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("schedule:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// The subject says what, how urgent and when.
	var subject string
	must(t, w.db.Pool.QueryRow(w.ctx, `SELECT subject FROM notifications WHERE key LIKE '%:overdue-2024-10-10' LIMIT 1`).Scan(&subject))
	if subject != "【已逾期】答复期限已逾期2个工作日：市十五届人大三次会议第20240294号建议（2024-10-08到期）" {
		t.Errorf("overdue subject: %q", subject)
	}

	// The unit replies: the reply deadline ends, its next overdue notice is
	// cancelled, and a stale job worked anyway sends nothing.
	stale := w.nextJob(t)
	var dID int64
	must(t, w.db.Pool.QueryRow(w.ctx, `SELECT id FROM deadlines WHERE case_id = $1 AND kind = 'reply'`, w.c.ID).Scan(&dID))
	if stale == nil || stale.Args.DeadlineID != dID {
		t.Fatalf("next pending job %+v, want the reply's next overdue notice", stale)
	}
	ctx := w.ctx
	_, err = w.db.SaveDraft(ctx, storage.SaveDraftCmd{CaseID: w.c.ID, Actor: w.actors["drafter"], Sections: []workflow.Section{{Heading: "一、", Body: "答复"}}})
	must(t, err)
	for _, step := range []struct {
		a   workflow.Action
		who string
		in  workflow.Input
	}{
		{workflow.ActionSubmit, "drafter", workflow.Input{}},
		{workflow.ActionForward, "reviewer", workflow.Input{}},
		{workflow.ActionSign, "approver", workflow.Input{Class: workflow.ClassB, Disclosure: workflow.DisclosePublic}},
		{workflow.ActionSend, "drafter", workflow.Input{}},
	} {
		w.c, err = w.db.Transition(ctx, storage.TransitionCmd{CaseID: w.c.ID, Action: step.a, Actor: w.actors[step.who], ExpectedVersion: w.c.Version, Input: step.in,
			At: time.Date(2024, 10, 14, 3, 0, 0, 0, time.UTC)})
		must(t, err)
	}
	row, err := w.client.JobGet(ctx, stale.ID)
	must(t, err)
	if row.State != rivertype.JobStateCancelled {
		t.Errorf("the reply's pending overdue notice is %s after the reply, want cancelled", row.State)
	}
	var before int
	must(t, w.db.Pool.QueryRow(ctx, `SELECT count(*) FROM notifications`).Scan(&before))
	w.work(t, stale)
	var after int
	must(t, w.db.Pool.QueryRow(ctx, `SELECT count(*) FROM notifications`).Scan(&after))
	if after != before {
		t.Errorf("a reminder for an ended deadline sent %d notifications", after-before)
	}
	// Feedback and publication now have their own reminders; the feedback is
	// the liaison's to chase.
	var kinds []string
	rows, err := w.db.Pool.Query(ctx, `SELECT kind FROM deadlines WHERE case_id = $1 AND ended_at IS NULL ORDER BY kind`, w.c.ID)
	must(t, err)
	kinds, err = pgx.CollectRows(rows, pgx.RowTo[string])
	must(t, err)
	if !slices.Equal(kinds, []string{"feedback", "publication"}) {
		t.Errorf("open deadlines after the reply: %v", kinds)
	}
}

// TestReminderEmail: a real River client works the case's reminder when its
// time comes, and the e-mail arrives in a real SMTP server (mailpit) with
// the case and the due date.
func TestReminderEmail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, mp := newMailedWorld(t)
	// Its time comes: the first pending reminder of the reply is due now.
	job := w.nextJob(t)
	_, err := w.db.Pool.Exec(ctx, `UPDATE river_job SET scheduled_at = now() WHERE id = $1`, job.ID)
	must(t, err)
	// Two e-mails to the drafter: the assignment (a hand-off) and the
	// reminder.
	msgs, err := mp.WaitForMessages(ctx, 2, 30*time.Second)
	must(t, err)
	i := slices.IndexFunc(msgs, func(m mailpit.Message) bool { return strings.HasPrefix(m.Subject, "【即将到期】") })
	if len(msgs) != 2 || i < 0 {
		t.Fatalf("%d messages, want 2 (to the drafter), one of them the reminder: %+v", len(msgs), msgs)
	}
	detail, err := mp.Message(ctx, msgs[i].ID)
	must(t, err)
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(detail.Subject)
	must(t, err)
	var dueOn time.Time
	must(t, w.db.Pool.QueryRow(ctx, `SELECT due_on FROM deadlines WHERE id = $1`, job.Args.DeadlineID).Scan(&dueOn))
	due := workflow.Date{Year: dueOn.Year(), Month: dueOn.Month(), Day: dueOn.Day()}
	if !strings.Contains(subject, "市十五届人大三次会议第20240294号建议") || !strings.Contains(subject, due.String()) {
		t.Errorf("subject %q lacks the case or the due date %s", subject, due)
	}
	link := fmt.Sprintf("%s/cases/%d", w.cfg.BaseURL, w.c.ID)
	if !strings.Contains(detail.Text, link) || !strings.Contains(detail.Text, "关于加快推进科技成果转化的建议") || !strings.Contains(detail.HTML, link) {
		t.Errorf("body lacks the case link %s or title:\n%s", link, detail.Text)
	}
	if to := fmt.Sprint(detail.To); !strings.Contains(to, "drafter@banli.example") {
		t.Errorf("sent to %s, want the unit's drafter", to)
	}
}

// TestReminderProvisional: a reminder of a due date counted without its
// year's holiday data says it is provisional, in the subject and the text.
func TestReminderProvisional(t *testing.T) {
	t.Parallel()
	// Assigned 2027-11-15: the reply is due 2028-02-15, provisionally.
	assigned := workflow.Date{Year: 2027, Month: 11, Day: 15}.Time().Add(10 * time.Hour)
	w := newWorld(t, assigned, config.SMTP{})
	var id int64
	err := w.db.Pool.QueryRow(w.ctx, `SELECT j.id FROM river_job j JOIN deadlines d ON d.id = (j.args->>'deadline_id')::bigint
		WHERE j.kind = 'deadline_reminder' AND d.case_id = $1 AND d.kind = 'reply' AND j.args->>'notice' = 'due'`, w.c.ID).Scan(&id)
	must(t, err)
	row, err := w.client.JobGet(w.ctx, id)
	must(t, err)
	var args storage.ReminderArgs
	must(t, json.Unmarshal(row.EncodedArgs, &args))
	w.work(t, &river.Job[storage.ReminderArgs]{JobRow: row, Args: args})

	var subject, body string
	must(t, w.db.Pool.QueryRow(w.ctx, `SELECT subject, body FROM notifications WHERE case_id = $1 AND kind <> 'handoff' ORDER BY id LIMIT 1`,
		w.c.ID).Scan(&subject, &body))
	if want := "【今日到期】答复期限：市十五届人大三次会议第20240294号建议（2028-02-15，暂定）"; subject != want {
		t.Errorf("subject %q, want %q", subject, want)
	}
	for _, want := range []string{"答复期限：2028-02-15（暂定：2028年节假日安排尚未公布），今日到期", "2028年节假日安排公布并录入后系统自动重新计算"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
}
