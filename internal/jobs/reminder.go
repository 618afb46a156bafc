package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/banli-gov/banli/internal/metrics"
	"github.com/banli-gov/banli/internal/notify"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// ReminderWorker sends one notice of one deadline. It re-reads the deadline
// under its case's lock and does nothing when the deadline has ended (the
// case moved on, the date moved); otherwise it records the notice for its
// audience and, for an overdue notice, schedules the next working day's —
// all in one transaction.
type ReminderWorker struct {
	river.WorkerDefaults[storage.ReminderArgs]
	db     *storage.DB
	logger *slog.Logger
	// Metrics counts the reminders worked and the lag of those sent, from
	// the time River scheduled them for to the commit (nil: not counted).
	Metrics *metrics.Metrics
}

// NewReminderWorker returns the reminder worker over db.
func NewReminderWorker(db *storage.DB, logger *slog.Logger) *ReminderWorker {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &ReminderWorker{db: db, logger: logger}
}

// Work implements river.Worker.
func (w *ReminderWorker) Work(ctx context.Context, job *river.Job[storage.ReminderArgs]) error {
	client, err := river.ClientFromContextSafely[pgx.Tx](ctx)
	if err != nil {
		return err
	}
	tx, err := w.db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	d, c, err := storage.DeadlineTx(ctx, tx, job.Args.DeadlineID)
	if workflow.Code(err) == workflow.ErrNotFound {
		w.logger.WarnContext(ctx, "reminder for a deadline that does not exist", "deadline", job.Args.DeadlineID)
		w.Metrics.ObserveReminder(job.Args.Notice, false, 0)
		return nil
	}
	if err != nil {
		return err
	}
	if d.Ended {
		w.logger.InfoContext(ctx, "reminder no longer applies", "deadline", d.ID, "case", d.CaseID, "reason", d.EndReason)
		w.Metrics.ObserveReminder(job.Args.Notice, false, 0)
		return nil
	}
	cs, err := storage.CaseSummaryTx(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	aud := workflow.AudienceOf(d.Kind, job.Args.Notice)
	users, err := storage.RecipientsTx(ctx, tx, c.DepartmentID, aud)
	if err != nil {
		return err
	}
	msg := reminderMessage(cs, d, job.Args)
	msg.UserIDs = users
	if len(aud.UnitRoles) > 0 {
		msg.DepartmentIDs = []int64{c.DepartmentID}
	}
	n, err := notify.Enqueue(ctx, tx, client, msg)
	if err != nil {
		return err
	}
	if job.Args.Notice == workflow.NoticeOverdue {
		if err := w.db.ScheduleNextOverdue(ctx, tx, d, job.ScheduledAt); err != nil {
			return err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("error committing reminder: %w", err)
	}
	w.Metrics.ObserveReminder(job.Args.Notice, true, w.db.Clock.Now().Sub(job.ScheduledAt))
	w.logger.InfoContext(ctx, "reminder sent", "deadline", d.ID, "case", d.CaseID, "kind", d.Kind,
		"notice", job.Args.Notice, "day", job.Args.Day.String(), "recipients", len(users), "new", n)
	return nil
}

// ProvisionalNote is what follows a provisional due date in a message:
// （暂定：2028年节假日安排尚未公布）.
func ProvisionalNote(year int) string {
	return fmt.Sprintf("（暂定：%d年节假日安排尚未公布）", year)
}

// reminderMessage writes a notice in Chinese: what, when, how urgent, where.
// A provisional due date (counted without its year's holiday data) says so
// wherever the date appears.
func reminderMessage(cs *storage.CaseSummary, d *storage.StoredDeadline, a storage.ReminderArgs) notify.Message {
	what := fmt.Sprintf("%s第%s号建议", cs.SessionShort, cs.ProposalNumber)
	// The subject is short: the date marked 暂定; the text says why.
	due, dueShort := d.Due.String(), d.Due.String()
	if d.Provisional {
		due += ProvisionalNote(d.Due.Year)
		dueShort += "，暂定"
	}
	var subject, urgency string
	kind := "reminder"
	switch a.Notice {
	case workflow.NoticeBefore:
		subject = fmt.Sprintf("【即将到期】%s还有%d个工作日：%s（%s到期）", d.Kind.LabelZH(), a.WorkingDays, what, dueShort)
		urgency = fmt.Sprintf("还有%d个工作日", a.WorkingDays)
	case workflow.NoticeDue:
		subject = fmt.Sprintf("【今日到期】%s：%s（%s）", d.Kind.LabelZH(), what, dueShort)
		urgency, kind = "今日到期", "due"
	default:
		subject = fmt.Sprintf("【已逾期】%s已逾期%d个工作日：%s（%s到期）", d.Kind.LabelZH(), a.WorkingDays, what, dueShort)
		urgency, kind = fmt.Sprintf("已逾期%d个工作日", a.WorkingDays), "overdue"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s《%s》\n", what, cs.ProposalTitle)
	fmt.Fprintf(&b, "承办单位：%s（%s）\n", cs.DepartmentName, cs.Kind.LabelZH())
	fmt.Fprintf(&b, "%s：%s，%s\n", d.Kind.LabelZH(), due, urgency)
	if d.Provisional {
		fmt.Fprintf(&b, "该期限按周一至周五上班、不计节假日暂定计算；%d年节假日安排公布并录入后系统自动重新计算，提醒随之调整。\n", d.Due.Year)
	}
	fmt.Fprintf(&b, "当前状态：%s\n", cs.State.LabelZH())
	if a.Notice == workflow.NoticeOverdue {
		b.WriteString("已逾期，本提醒同时发送单位审核人、签发人和督办部门，请尽快办理。\n")
	} else {
		b.WriteString("请及时办理。\n")
	}
	return notify.Message{
		Key:     fmt.Sprintf("deadline:%d:%s", d.ID, workflow.Notice{Kind: a.Notice, Day: a.Day, WorkingDays: a.WorkingDays}.Key()),
		CaseID:  cs.ID,
		Kind:    kind,
		Subject: subject,
		Text:    b.String(),
		Link:    fmt.Sprintf("/cases/%d", cs.ID),
	}
}
