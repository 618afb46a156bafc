package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// DeadlineJobProblem is a difference between the reminders a deadline calls
// for and the jobs that are queued for it.
type DeadlineJobProblem struct {
	CaseID     int64
	DeadlineID int64 // 0 when the case lacks a deadline row altogether
	Kind       workflow.DeadlineKind
	Problem    string
}

// DeadlineJobReport is the result of checking every open deadline.
type DeadlineJobReport struct {
	Cases     int
	Deadlines int
	Jobs      int
	Problems  []DeadlineJobProblem
}

// CheckDeadlineJobs compares, at now, every case's stored deadlines with
// what its state calls for, and every active deadline's pending reminder
// jobs with the notices still ahead of it (workflow.Calendar.Notices): a
// notice without a job is missing; a job in the future that no notice calls
// for is extra. Jobs whose time has come but that no worker has taken yet
// are neither.
func (db *DB) CheckDeadlineJobs(ctx context.Context, now time.Time) (*DeadlineJobReport, error) {
	rep := &DeadlineJobReport{}
	ids, err := db.caseIDs(ctx)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		rep.Cases++
		if err := db.checkCase(ctx, id, now, rep); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// deadlineCasesSQL selects the ids of the cases that may carry a deadline
// (see caseIDs).
const deadlineCasesSQL = `
	SELECT id FROM cases WHERE state NOT IN ('returned', 'closed', 'opinion_submitted', 'withdrawn', 'converted')
	UNION SELECT case_id FROM deadlines WHERE ended_at IS NULL
	UNION SELECT r.case_id FROM publications p JOIN replies r ON r.id = p.reply_id WHERE p.state = 'pending'`

// caseIDs lists the cases that may carry a deadline: those whose unit
// still owes its answer or that were replied (feedback due), those with a
// pending publication, and those with an active deadline row (to be ended
// when stale). Every other case — closed, returned or with its opinion
// submitted, its publication decided — carries none by
// workflow.ActiveDeadlines and has none stored, so checking or syncing it
// would change nothing. At 100,000 proposals this is some thousands of
// cases of 156,000.
func (db *DB) caseIDs(ctx context.Context) ([]int64, error) {
	rows, err := db.Pool.Query(ctx, deadlineCasesSQL+` ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("error listing cases: %w", err)
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

func (db *DB) checkCase(ctx context.Context, id int64, now time.Time, rep *DeadlineJobReport) error {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	c, err := scanCase(tx.QueryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = $1 FOR SHARE`, id))
	if err != nil {
		return dbError(err, fmt.Sprintf("case %d", id))
	}
	f, err := db.caseDeadlineFacts(ctx, tx, c)
	if err != nil {
		return err
	}
	want := workflow.ActiveDeadlines(f)
	have, err := activeDeadlines(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	rep.Deadlines += len(have)
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || h.Kind == w.Kind && h.Due == w.Due
		}
		if !found {
			rep.Problems = append(rep.Problems, DeadlineJobProblem{CaseID: c.ID, Kind: w.Kind,
				Problem: fmt.Sprintf("the case calls for a %s deadline on %s that is not stored", w.Kind, w.Due)})
		}
	}
	if len(have) == 0 {
		return nil
	}
	dl, err := db.loadCaseDeadlines(ctx, tx, c.ProposalID)
	if err != nil {
		return err
	}
	for _, h := range have {
		notices, err := dl.cal.Notices(h.Kind, h.Due, dl.policy, now)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT args, scheduled_at FROM river_job WHERE `+reminderJobsOf+`
			AND state IN ('available', 'scheduled', 'retryable', 'pending')`, h.ID)
		if err != nil {
			return fmt.Errorf("error listing reminder jobs: %w", err)
		}
		queued := map[string]time.Time{}
		for rows.Next() {
			var raw []byte
			var at time.Time
			if err := rows.Scan(&raw, &at); err != nil {
				rows.Close()
				return err
			}
			var a ReminderArgs
			if err := json.Unmarshal(raw, &a); err != nil {
				rows.Close()
				return fmt.Errorf("error decoding reminder job: %w", err)
			}
			queued[string(a.Notice)+" "+a.Day.String()] = at
			rep.Jobs++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		expected := map[string]bool{}
		for _, n := range notices {
			key := string(n.Kind) + " " + n.Day.String()
			expected[key] = true
			if _, ok := queued[key]; !ok {
				rep.Problems = append(rep.Problems, DeadlineJobProblem{CaseID: c.ID, DeadlineID: h.ID, Kind: h.Kind,
					Problem: fmt.Sprintf("no job for the %s notice of %s", n.Kind, n.Day)})
			}
		}
		for key, at := range queued {
			if !expected[key] && at.After(now) {
				rep.Problems = append(rep.Problems, DeadlineJobProblem{CaseID: c.ID, DeadlineID: h.ID, Kind: h.Kind,
					Problem: fmt.Sprintf("a job for %s that no notice calls for", key)})
			}
		}
	}
	return nil
}

// SyncDeadlines reconciles every case's deadlines and reminder jobs with its
// state, as a transition would: it stores missing deadlines, ends stale
// ones, and inserts the reminders still ahead of each active deadline
// (duplicates are skipped: the jobs are unique by their arguments). Only
// the cases that may carry a deadline are read (caseIDs), in batches of
// syncBatch cases locked in one transaction each. progress, when not nil,
// is told after each batch how many of how many cases are done. It returns
// how many cases it looked at. banli runs it when a worker process starts,
// in the background, which also brings cases from before the deadlines
// existed under watch.
func (db *DB) SyncDeadlines(ctx context.Context, progress func(done, total int)) (int, error) {
	ids, err := db.caseIDs(ctx)
	if err != nil {
		return 0, err
	}
	for i := 0; i < len(ids); i += syncBatch {
		if err := db.syncCases(ctx, ids[i:min(i+syncBatch, len(ids))]); err != nil {
			return 0, err
		}
		if progress != nil {
			progress(min(i+syncBatch, len(ids)), len(ids))
		}
	}
	return len(ids), nil
}

// syncBatch is how many cases SyncDeadlines locks in one transaction: few
// enough that a transition waiting for one of them waits a fraction of a
// second.
const syncBatch = 50

func (db *DB) syncCases(ctx context.Context, ids []int64) error {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	rows, err := tx.Query(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = ANY($1) ORDER BY id FOR UPDATE`, ids)
	if err != nil {
		return fmt.Errorf("error locking cases: %w", err)
	}
	var cases []*workflow.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("error locking cases: %w", err)
		}
		cases = append(cases, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("error locking cases: %w", err)
	}
	now := db.Clock.Now()
	for _, c := range cases {
		if err := db.syncDeadlines(ctx, tx, c, now); err != nil {
			return err
		}
		if err := db.replanReminders(ctx, tx, c, nil, now); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// replanReminders inserts the reminders still ahead of each active deadline
// of c and cancels its future jobs that no notice calls for any more. dl may
// be nil; it is loaded when needed.
func (db *DB) replanReminders(ctx context.Context, tx pgx.Tx, c *workflow.Case, dl *deadlines, now time.Time) error {
	have, err := activeDeadlines(ctx, tx, c.ID)
	if err != nil || len(have) == 0 {
		return err
	}
	if dl == nil {
		if dl, err = db.loadCaseDeadlines(ctx, tx, c.ProposalID); err != nil {
			return err
		}
	}
	for _, h := range have {
		w := workflow.Deadline{Kind: h.Kind, Due: h.Due, Provisional: h.Provisional}
		if err := db.scheduleReminders(ctx, tx, dl, h.ID, w, now); err != nil {
			return err
		}
		if err := db.cancelStaleReminders(ctx, tx, dl, h, now); err != nil {
			return err
		}
	}
	return nil
}

// cancelStaleReminders cancels a deadline's future jobs that its notices no
// longer call for (the reminder policy changed, say).
func (db *DB) cancelStaleReminders(ctx context.Context, tx pgx.Tx, dl *deadlines, h *StoredDeadline, now time.Time) error {
	notices, err := dl.cal.Notices(h.Kind, h.Due, dl.policy, now)
	if err != nil {
		return err
	}
	expected := map[string]bool{}
	for _, n := range notices {
		expected[string(n.Kind)+" "+n.Day.String()] = true
	}
	rows, err := tx.Query(ctx, `SELECT id, args FROM river_job WHERE `+reminderJobsOf+`
		AND state IN ('available', 'scheduled', 'retryable', 'pending') AND scheduled_at > $2`, h.ID, now)
	if err != nil {
		return fmt.Errorf("error listing reminder jobs: %w", err)
	}
	var stale []int64
	for rows.Next() {
		var id int64
		var raw []byte
		if err := rows.Scan(&id, &raw); err != nil {
			rows.Close()
			return err
		}
		var a ReminderArgs
		if err := json.Unmarshal(raw, &a); err != nil {
			rows.Close()
			return fmt.Errorf("error decoding reminder job %d: %w", id, err)
		}
		if !expected[string(a.Notice)+" "+a.Day.String()] {
			stale = append(stale, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range stale {
		if _, err := db.jobs.JobCancelTx(ctx, tx, id); err != nil {
			return fmt.Errorf("error cancelling stale reminder job %d: %w", id, err)
		}
	}
	return nil
}
