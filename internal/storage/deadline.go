package storage

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/banli-gov/banli/workflow"
)

// ReminderArgs is a River job: one notice of one deadline. Its arguments
// name it completely, so a second insert of the same notice is a duplicate
// River skips (unique by args), and the worker re-reads the deadline before
// it sends anything.
type ReminderArgs struct {
	DeadlineID int64               `json:"deadline_id"`
	Notice     workflow.NoticeKind `json:"notice"`
	Day        workflow.Date       `json:"day"`
	// WorkingDays is the notice's working days left (before) or passed
	// (overdue).
	WorkingDays int `json:"working_days"`
}

// ReminderKind is the River job kind of ReminderArgs.
const ReminderKind = "deadline_reminder"

// ReminderQueue is the River queue of reminder jobs.
const ReminderQueue = "reminders"

// Kind implements river.JobArgs.
func (ReminderArgs) Kind() string { return ReminderKind }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (ReminderArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: ReminderQueue, MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// StoredDeadline is a deadline as stored, active or ended.
type StoredDeadline struct {
	ID     int64
	CaseID int64
	Kind   workflow.DeadlineKind
	Due    workflow.Date
	// Provisional marks a due date counted without a year's holiday data.
	Provisional bool
	StartedAt   time.Time
	Ended       bool
	EndReason   string
}

// caseDeadlineFacts reads, inside tx, what decides the deadlines of c.
func (db *DB) caseDeadlineFacts(ctx context.Context, tx pgx.Tx, c *workflow.Case) (workflow.CaseDeadlineFacts, error) {
	f := workflow.CaseDeadlineFacts{Case: c}
	var extDue, pubDue, sentOn dateCol
	var pubState string
	var extProv, pubProv bool
	err := tx.QueryRow(ctx, `
		SELECT
			(SELECT decide_due FROM extensions WHERE case_id = $1 AND state = 'requested'),
			coalesce((SELECT decide_due_provisional FROM extensions WHERE case_id = $1 AND state = 'requested'), false),
			(SELECT (r.sent_at AT TIME ZONE 'Asia/Shanghai')::date FROM replies r WHERE r.case_id = $1 AND r.round = $2 AND r.sent_at IS NOT NULL),
			coalesce((SELECT p.state FROM publications p JOIN replies r ON r.id = p.reply_id WHERE r.case_id = $1 ORDER BY r.round DESC LIMIT 1), ''),
			(SELECT p.due_on FROM publications p JOIN replies r ON r.id = p.reply_id WHERE r.case_id = $1 ORDER BY r.round DESC LIMIT 1),
			coalesce((SELECT p.due_provisional FROM publications p JOIN replies r ON r.id = p.reply_id WHERE r.case_id = $1 ORDER BY r.round DESC LIMIT 1), false)`,
		c.ID, c.Round).Scan(&extDue, &extProv, &sentOn, &pubState, &pubDue, &pubProv)
	if err != nil {
		return f, fmt.Errorf("error reading the deadlines of case %d: %w", c.ID, err)
	}
	f.ExtensionDue = workflow.DueDate{Date: extDue.Date(), Provisional: extProv}
	f.PublicationState = workflow.State(pubState)
	f.PublicationDue = workflow.DueDate{Date: pubDue.Date(), Provisional: pubProv}
	if err := db.progressDue(ctx, tx, c, &f); err != nil {
		return f, err
	}
	if sent := sentOn.Date(); !sent.IsZero() && c.State == workflow.StateReplied {
		dl, err := db.loadCaseDeadlines(ctx, tx, c.ProposalID)
		if err != nil {
			return f, err
		}
		if f.FeedbackDue, err = dl.due(workflow.RuleFeedback, sent); err != nil {
			return f, err
		}
	}
	return f, nil
}

// syncDeadlines reconciles the stored deadlines of c, and their reminder
// jobs, with what workflow.ActiveDeadlines says c carries now: a deadline
// that ended is closed and its pending reminders cancelled (JobCancelTx); a
// new or moved one is stored and its reminders inserted (InsertManyTx) — all
// in the caller's transaction, so a deadline and its reminders commit or
// roll back with the change that sets them. reason says why deadlines that
// disappear end. A deadline whose date stays but whose provisional flag
// changed (the year's holiday data arrived) keeps its row and gets the new
// flag and its reminders re-planned on the new calendar.
func (db *DB) syncDeadlines(ctx context.Context, tx pgx.Tx, c *workflow.Case, at time.Time) error {
	f, err := db.caseDeadlineFacts(ctx, tx, c)
	if err != nil {
		return err
	}
	want := workflow.ActiveDeadlines(f)
	have, err := activeDeadlines(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	var dl *deadlines
	for _, h := range have {
		i := slices.IndexFunc(want, func(w workflow.Deadline) bool { return w.Kind == h.Kind })
		if i >= 0 && want[i].Due == h.Due {
			if want[i].Provisional != h.Provisional {
				if dl == nil {
					if dl, err = db.loadCaseDeadlines(ctx, tx, c.ProposalID); err != nil {
						return err
					}
				}
				if err := db.confirmDeadline(ctx, tx, dl, h, want[i].Provisional, at); err != nil {
					return err
				}
			}
			want = slices.Delete(want, i, i+1) // unchanged
			continue
		}
		reason := workflow.DeadlineEndReason(c.State, h.Kind, i >= 0)
		if err := db.endDeadline(ctx, tx, h.ID, reason, at); err != nil {
			return err
		}
	}
	for _, w := range want {
		if dl == nil {
			if dl, err = db.loadCaseDeadlines(ctx, tx, c.ProposalID); err != nil {
				return err
			}
		}
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO deadlines (case_id, kind, due_on, started_at, provisional) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			c.ID, string(w.Kind), sqlDate(w.Due), at, w.Provisional).Scan(&id)
		if err != nil {
			return dbError(err, fmt.Sprintf("%s deadline of case %d", w.Kind, c.ID))
		}
		if err := db.scheduleReminders(ctx, tx, dl, id, w, db.notBefore(at)); err != nil {
			return err
		}
	}
	return nil
}

// confirmDeadline sets the provisional flag of a deadline whose date stays,
// and re-plans its reminders: the working days before it may have changed
// with the year's holiday data.
func (db *DB) confirmDeadline(ctx context.Context, tx pgx.Tx, dl *deadlines, h *StoredDeadline, provisional bool, at time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE deadlines SET provisional = $2 WHERE id = $1`, h.ID, provisional); err != nil {
		return fmt.Errorf("error updating deadline %d: %w", h.ID, err)
	}
	h.Provisional = provisional
	now := db.notBefore(at)
	if err := db.cancelStaleReminders(ctx, tx, dl, h, now); err != nil {
		return err
	}
	return db.scheduleReminders(ctx, tx, dl, h.ID, workflow.Deadline{Kind: h.Kind, Due: h.Due, Provisional: provisional}, now)
}

// notBefore is the time after which reminders still go out: the later of
// the action's time and the clock, so that historical data (the demo, an
// import) does not fire its past reminders at once.
func (db *DB) notBefore(at time.Time) time.Time {
	if now := db.Clock.Now(); now.After(at) {
		return now
	}
	return at
}

func (db *DB) scheduleReminders(ctx context.Context, tx pgx.Tx, dl *deadlines, id int64, w workflow.Deadline, now time.Time) error {
	notices, err := dl.cal.Notices(w.Kind, w.Due, dl.policy, now)
	if err != nil {
		return err
	}
	if len(notices) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, 0, len(notices))
	for _, n := range notices {
		args := ReminderArgs{DeadlineID: id, Notice: n.Kind, Day: n.Day, WorkingDays: n.WorkingDays}
		opts := args.InsertOpts()
		opts.ScheduledAt = n.At
		params = append(params, river.InsertManyParams{Args: args, InsertOpts: &opts})
	}
	if _, err := db.jobs.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("error scheduling reminders of deadline %d: %w", id, err)
	}
	return nil
}

// ScheduleNextOverdue inserts, in tx, the overdue notice that follows one
// sent at sentAt: the next working day's. The reminder worker calls it in
// the transaction that records the notice it sent.
func (db *DB) ScheduleNextOverdue(ctx context.Context, tx pgx.Tx, d *StoredDeadline, sentAt time.Time) error {
	var proposalID int64
	if err := tx.QueryRow(ctx, `SELECT proposal_id FROM cases WHERE id = $1`, d.CaseID).Scan(&proposalID); err != nil {
		return dbError(err, fmt.Sprintf("case %d", d.CaseID))
	}
	dl, err := db.loadCaseDeadlines(ctx, tx, proposalID)
	if err != nil {
		return err
	}
	n, err := dl.cal.NextOverdue(d.Due, dl.policy, sentAt)
	if err != nil {
		return err
	}
	args := ReminderArgs{DeadlineID: d.ID, Notice: n.Kind, Day: n.Day, WorkingDays: n.WorkingDays}
	opts := args.InsertOpts()
	opts.ScheduledAt = n.At
	if _, err := db.jobs.InsertTx(ctx, tx, args, &opts); err != nil {
		return fmt.Errorf("error scheduling the next overdue notice of deadline %d: %w", d.ID, err)
	}
	return nil
}

func (db *DB) endDeadline(ctx context.Context, tx pgx.Tx, id int64, reason string, at time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE deadlines SET ended_at = $2, end_reason = $3 WHERE id = $1`, id, at, reason); err != nil {
		return fmt.Errorf("error ending deadline %d: %w", id, err)
	}
	jobIDs, err := pendingReminderJobs(ctx, tx, id)
	if err != nil {
		return err
	}
	for _, jid := range jobIDs {
		if _, err := db.jobs.JobCancelTx(ctx, tx, jid); err != nil {
			return fmt.Errorf("error cancelling reminder job %d of deadline %d: %w", jid, id, err)
		}
	}
	return nil
}

// reminderJobsOf is the condition on river_job of the reminder jobs of
// the deadline $1, served by river_job_deadline_idx (migration 00303): its
// kind is written out so that the index's predicate holds in any plan.
const reminderJobsOf = `kind = '` + ReminderKind + `' AND (args->>'deadline_id')::bigint = $1`

// pendingReminderJobs lists the reminder jobs of a deadline that have not
// run yet.
func pendingReminderJobs(ctx context.Context, q querier, deadlineID int64) ([]int64, error) {
	rows, err := q.Query(ctx, `SELECT id FROM river_job WHERE `+reminderJobsOf+`
		AND state IN ('available', 'scheduled', 'retryable', 'pending') ORDER BY scheduled_at`, deadlineID)
	if err != nil {
		return nil, fmt.Errorf("error listing reminder jobs of deadline %d: %w", deadlineID, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func activeDeadlines(ctx context.Context, q querier, caseID int64) ([]*StoredDeadline, error) {
	rows, err := q.Query(ctx, `SELECT `+deadlineColumns+` FROM deadlines WHERE case_id = $1 AND ended_at IS NULL ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("error listing deadlines of case %d: %w", caseID, err)
	}
	return collectDeadlines(rows)
}

const deadlineColumns = `id, case_id, kind, due_on, provisional, started_at, ended_at IS NOT NULL, coalesce(end_reason, '')`

func collectDeadlines(rows pgx.Rows) ([]*StoredDeadline, error) {
	defer rows.Close()
	var out []*StoredDeadline
	for rows.Next() {
		var d StoredDeadline
		var kind string
		var due dateCol
		if err := rows.Scan(&d.ID, &d.CaseID, &kind, &due, &d.Provisional, &d.StartedAt, &d.Ended, &d.EndReason); err != nil {
			return nil, fmt.Errorf("error reading deadlines: %w", err)
		}
		d.Kind, d.Due = workflow.DeadlineKind(kind), due.Date()
		out = append(out, &d)
	}
	return out, rows.Err()
}

// CaseDeadlines lists every deadline a case has carried, oldest first.
func (db *DB) CaseDeadlines(ctx context.Context, caseID int64) ([]*StoredDeadline, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+deadlineColumns+` FROM deadlines WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("error listing deadlines of case %d: %w", caseID, err)
	}
	return collectDeadlines(rows)
}

// DeadlineTx returns a deadline inside tx, locking its case so that the
// reminder worker and a transition on the case do not cross.
func DeadlineTx(ctx context.Context, tx pgx.Tx, id int64) (*StoredDeadline, *workflow.Case, error) {
	rows, err := tx.Query(ctx, `SELECT `+deadlineColumns+` FROM deadlines WHERE id = $1`, id)
	if err != nil {
		return nil, nil, fmt.Errorf("error reading deadline %d: %w", id, err)
	}
	ds, err := collectDeadlines(rows)
	if err != nil {
		return nil, nil, err
	}
	if len(ds) == 0 {
		return nil, nil, workflow.Errorf(workflow.ErrNotFound, "deadline %d not found", id)
	}
	c, err := scanCase(tx.QueryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = $1 FOR UPDATE`, ds[0].CaseID))
	if err != nil {
		return nil, nil, dbError(err, fmt.Sprintf("case %d", ds[0].CaseID))
	}
	return ds[0], c, nil
}

// progressDue sets when the next progress report of a key suggestion's
// case is due (workflow.ProgressFrom, the progress rule); it leaves it zero
// for a suggestion that is not key or a case that owes no reply.
func (db *DB) progressDue(ctx context.Context, tx pgx.Tx, c *workflow.Case, f *workflow.CaseDeadlineFacts) error {
	if c.Owes() != workflow.OwedReply {
		return nil
	}
	var key bool
	var last dateCol
	err := tx.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM key_suggestions WHERE proposal_id = $1),
			(SELECT max(reported_on) FROM progress_reports WHERE case_id = $2)`, c.ProposalID, c.ID).Scan(&key, &last)
	if err != nil {
		return fmt.Errorf("error reading the progress reports of case %d: %w", c.ID, err)
	}
	if !key {
		return nil
	}
	dl, err := db.loadCaseDeadlines(ctx, tx, c.ProposalID)
	if err != nil {
		return err
	}
	f.ProgressDue, err = dl.due(workflow.RuleProgress, workflow.ProgressFrom(workflow.DateOf(c.AssignedAt), last.Date()))
	return err
}
