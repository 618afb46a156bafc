package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/banli-gov/banli/internal/notify"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// DigestArgs is the liaison office's daily digest of one day.
type DigestArgs struct {
	Day workflow.Date `json:"day"`
}

// Kind implements river.JobArgs.
func (DigestArgs) Kind() string { return "liaison_digest" }

// InsertOpts implements river.JobArgsWithInsertOpts: one digest per day.
func (DigestArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// digestAt is when the digest goes out: 08:30 in Asia/Shanghai.
const digestHour, digestMinute = 8, 30

// dailySchedule fires every day at hour:minute in the business time zone;
// the worker skips days that are not working days (the calendar, with its
// overrides, lives in the database).
type dailySchedule struct{ hour, minute int }

// Next implements river.PeriodicSchedule.
func (s dailySchedule) Next(t time.Time) time.Time {
	day := workflow.DateOf(t)
	next := day.Time().Add(time.Duration(s.hour)*time.Hour + time.Duration(s.minute)*time.Minute)
	if !next.After(t) {
		next = day.AddDays(1).Time().Add(time.Duration(s.hour)*time.Hour + time.Duration(s.minute)*time.Minute)
	}
	return next
}

// DigestWorker sends the daily digest to every liaison: per unit, what falls
// due within workflow.DueSoonDays working days, what is overdue, what awaits feedback or
// publication.
type DigestWorker struct {
	river.WorkerDefaults[DigestArgs]
	db     *storage.DB
	logger *slog.Logger
}

// NewDigestWorker returns the digest's worker on db.
func NewDigestWorker(db *storage.DB, logger *slog.Logger) *DigestWorker {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &DigestWorker{db: db, logger: logger}
}

// Work implements river.Worker.
func (w *DigestWorker) Work(ctx context.Context, job *river.Job[DigestArgs]) error {
	client, err := river.ClientFromContextSafely[pgx.Tx](ctx)
	if err != nil {
		return err
	}
	day := job.Args.Day
	if day.IsZero() {
		day = workflow.DateOf(job.ScheduledAt)
	}
	cal, err := w.db.Calendar(ctx)
	if err != nil {
		return err
	}
	// In a year without holiday data, Monday to Friday (provisionally):
	// the digest does not stop for lack of next year's schedule.
	if ok, _, err := cal.Workday(day); err != nil || !ok {
		w.logger.InfoContext(ctx, "no digest on a day off", "day", day.String(), "err", err)
		return nil
	}
	// Due soon as on the dashboard: through the DueSoonDays-th working day.
	until, _ := workflow.SoonUntil(cal, day)
	rows, err := w.db.Digest(ctx, day, until)
	if err != nil {
		return err
	}
	liaisons, err := w.db.LiaisonIDs(ctx)
	if err != nil {
		return err
	}
	msg := digestMessage(day, rows)
	msg.UserIDs = liaisons
	tx, err := w.db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	n, err := notify.Enqueue(ctx, tx, client, msg)
	if err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("error committing digest: %w", err)
	}
	w.logger.InfoContext(ctx, "digest sent", "day", day.String(), "units", len(rows), "recipients", len(liaisons), "new", n)
	return nil
}

func digestMessage(day workflow.Date, rows []storage.DigestRow) notify.Message {
	var b strings.Builder
	var soon, overdue int
	fmt.Fprintf(&b, "%s 各承办单位办理情况：\n", day)
	for _, r := range rows {
		soon += r.DueSoon
		overdue += r.Overdue
		fmt.Fprintf(&b, "%s：%d个工作日内到期%d件，已逾期%d件，待代表反馈%d件，待公开%d件\n",
			r.DepartmentName, workflow.DueSoonDays, r.DueSoon, r.Overdue, r.AwaitingFeedback, r.AwaitingPublication)
	}
	if len(rows) == 0 {
		b.WriteString("各单位均无即将到期、逾期、待反馈或待公开的事项。\n")
	}
	return notify.Message{
		Key:     "digest:" + day.String(),
		Kind:    "digest",
		Subject: fmt.Sprintf("【督办日报】%s：%d个工作日内到期%d件，已逾期%d件", day, workflow.DueSoonDays, soon, overdue),
		Text:    b.String(),
		Link:    "/",
	}
}
