package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// RecomputeResult says what RecomputeProvisionalDueDates did.
type RecomputeResult struct {
	// Checked counts the cases that had a provisional due date.
	Checked int
	// Changed counts the cases whose dates or flags changed (each got an
	// audit event).
	Changed int
	// Failed counts the cases that could not be recomputed; Err is the first
	// of their errors. They stay as they were and are tried again next time.
	Failed int
	Err    error
}

// RecomputeProvisionalDueDates recomputes, with the calendar as it is now,
// every provisional due date (see workflow.DueDate) from its start day and
// rule: the reply, return-window, co-opinion and re-handling dates of the
// case (from assigned_at, or the 不满意 feedback's received_at), a pending
// extension request's decision date (requested_at) and a publication's due
// date (the reply's sent_at), with the session's rules in force. A case
// whose dates or flags change is updated, its deadlines moved and reminder
// jobs replaced (syncDeadlines), and an audit event (workflow.SystemRecomputeDueDates)
// written, in one transaction per case; one that does not change is left
// alone, so calling it again is harmless. at is the time of the calling
// action (an admin's save, a process's start).
//
// It is called after an admin saves holiday overrides; a worker process
// that starts calls RecomputeOpenProvisionalDueDates (a newer built-in
// calendar may have shipped). Finding the cases is one query over the
// flagged rows, empty most of the year.
func (db *DB) RecomputeProvisionalDueDates(ctx context.Context, at time.Time) (RecomputeResult, error) {
	return db.recomputeProvisional(ctx, at, false)
}

// RecomputeOpenProvisionalDueDates is RecomputeProvisionalDueDates over the
// cases that may still carry a deadline (those SyncDeadlines reads): what a
// process checks when it starts, in the background. Due dates of cases
// that ended stay as they were counted until an admin saves the calendar.
func (db *DB) RecomputeOpenProvisionalDueDates(ctx context.Context, at time.Time) (RecomputeResult, error) {
	return db.recomputeProvisional(ctx, at, true)
}

func (db *DB) recomputeProvisional(ctx context.Context, at time.Time, open bool) (RecomputeResult, error) {
	var res RecomputeResult
	q := `
		SELECT id FROM cases
			WHERE reply_due_provisional OR co_opinion_due_provisional OR return_due_provisional OR rehandle_due_provisional
		UNION SELECT case_id FROM extensions WHERE decide_due_provisional AND state = 'requested'
		UNION SELECT r.case_id FROM publications p JOIN replies r ON r.id = p.reply_id WHERE p.due_provisional
		UNION SELECT case_id FROM deadlines WHERE provisional AND ended_at IS NULL`
	if open {
		q = `SELECT id FROM (` + q + `) provisional WHERE id IN (` + deadlineCasesSQL + `)`
	}
	rows, err := db.Pool.Query(ctx, q+` ORDER BY 1`)
	if err != nil {
		return res, fmt.Errorf("error listing cases with provisional due dates: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return res, fmt.Errorf("error listing cases with provisional due dates: %w", err)
	}
	at = at.Truncate(time.Microsecond)
	for _, id := range ids {
		res.Checked++
		changed, err := db.recomputeCase(ctx, id, at)
		if err != nil {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			res.Failed++
			res.Err = errors.Join(res.Err, fmt.Errorf("case %d: %w", id, err))
			continue
		}
		if changed {
			res.Changed++
		}
	}
	return res, nil
}

// recomputeCase recomputes the provisional due dates of one case in its own
// transaction; it reports whether anything changed.
func (db *DB) recomputeCase(ctx context.Context, id int64, at time.Time) (bool, error) {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	c, err := scanCase(tx.QueryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = $1 FOR UPDATE`, id))
	if err != nil {
		return false, dbError(err, fmt.Sprintf("case %d", id))
	}
	dl, err := db.loadCaseDeadlines(ctx, tx, c.ProposalID)
	if err != nil {
		return false, err
	}
	payload := map[string]any{}
	// set records a recomputed date; key names it in the event's payload,
	// with the date it had as key_was.
	set := func(key string, date *workflow.Date, provisional *bool, due workflow.DueDate) bool {
		if *date == due.Date && *provisional == due.Provisional {
			return false
		}
		payload[key], payload[key+"_was"] = due.Date.String(), date.String()
		*date, *provisional = due.Date, due.Provisional
		return true
	}
	recompute := func(key string, rule workflow.RuleName, from workflow.Date, date *workflow.Date, provisional *bool) (bool, error) {
		due, err := dl.due(rule, from)
		if err != nil {
			return false, err
		}
		return set(key, date, provisional, due), nil
	}

	assigned := workflow.DateOf(c.AssignedAt)
	p := &c.Provisional
	caseChanged := false
	for _, r := range []struct {
		on    bool
		key   string
		rule  workflow.RuleName
		date  *workflow.Date
		provi *bool
	}{
		{p.Return, "return_due", workflow.RuleReturnWindow, &c.ReturnDue, &p.Return},
		{p.CoOpinion, "co_opinion_due", workflow.RuleCoOpinion, &c.CoOpinionDue, &p.CoOpinion},
		{p.Reply && c.Round == 1, "reply_due", workflow.RuleReply, &c.ReplyDue, &p.Reply},
	} {
		if !r.on {
			continue
		}
		ch, err := recompute(r.key, r.rule, assigned, r.date, r.provi)
		if err != nil {
			return false, err
		}
		caseChanged = caseChanged || ch
	}
	if c.Round > 1 && (p.Rehandle || p.Reply) {
		// A re-handling round counts from the 不满意 feedback that opened it.
		var received time.Time
		err := tx.QueryRow(ctx, `SELECT received_at FROM feedback WHERE case_id = $1 AND round = $2`, c.ID, c.Round-1).Scan(&received)
		if err != nil {
			return false, dbError(err, fmt.Sprintf("feedback of case %d round %d", c.ID, c.Round-1))
		}
		due, err := dl.due(workflow.RuleRehandle, workflow.DateOf(received))
		if err != nil {
			return false, err
		}
		if p.Rehandle && set("rehandle_due", &c.RehandleDue, &p.Rehandle, due) {
			caseChanged = true
		}
		// A reply due date still provisional was never moved by an extension.
		if p.Reply && set("reply_due", &c.ReplyDue, &p.Reply, due) {
			caseChanged = true
		}
	}
	if caseChanged {
		_, err := tx.Exec(ctx, `
			UPDATE cases SET reply_due = $2, co_opinion_due = $3, return_due = $4, rehandle_due = $5,
				reply_due_provisional = $6, co_opinion_due_provisional = $7, return_due_provisional = $8, rehandle_due_provisional = $9
			WHERE id = $1`,
			c.ID, sqlDate(c.ReplyDue), sqlDate(c.CoOpinionDue), sqlDate(c.ReturnDue), sqlDate(c.RehandleDue),
			p.Reply, p.CoOpinion, p.Return, p.Rehandle)
		if err != nil {
			return false, dbError(err, fmt.Sprintf("case %d", c.ID))
		}
	}

	otherChanged, err := recomputeRecords(ctx, tx, c.ID, dl, set)
	if err != nil {
		return false, err
	}

	before, err := activeDeadlines(ctx, tx, c.ID)
	if err != nil {
		return false, err
	}
	if err := db.syncDeadlines(ctx, tx, c, at); err != nil {
		return false, err
	}
	after, err := activeDeadlines(ctx, tx, c.ID)
	if err != nil {
		return false, err
	}
	deadlinesChanged := false
	for _, a := range after {
		var was *StoredDeadline
		for _, b := range before {
			if b.Kind == a.Kind {
				was = b
			}
		}
		if was != nil && was.ID == a.ID && was.Due == a.Due && was.Provisional == a.Provisional {
			continue
		}
		deadlinesChanged = true
		if a.Kind == workflow.DeadlineFeedback && was != nil {
			// The feedback date is not stored beside the case: only its
			// deadline says it.
			payload["feedback_due"], payload["feedback_due_was"] = a.Due.String(), was.Due.String()
		}
	}
	if !caseChanged && !otherChanged && !deadlinesChanged {
		return false, nil
	}
	// The year's holidays may move the working days before a due date that
	// stayed: re-plan every active deadline's reminders.
	if err := db.replanReminders(ctx, tx, c, dl, db.notBefore(at)); err != nil {
		return false, err
	}
	if years := dl.cal.LatestCoveredYear(); years > 0 {
		payload["calendar_through"] = years
	}
	ev := &workflow.Event{CaseID: c.ID, Machine: "record", Action: string(workflow.SystemRecomputeDueDates), From: c.State, To: c.State,
		ActorRole: "system", At: at, Payload: payload}
	if err := appendEvent(ctx, tx, ev); err != nil {
		return false, err
	}
	if err := tx.Commit(ctx); err != nil {
		return false, fmt.Errorf("error committing recomputed due dates of case %d: %w", c.ID, err)
	}
	return true, nil
}

// recomputeRecords recomputes the provisional due dates kept beside a case:
// a pending extension request's decision date and the publication dates of
// its replies.
func recomputeRecords(ctx context.Context, tx pgx.Tx, caseID int64, dl *deadlines,
	set func(string, *workflow.Date, *bool, workflow.DueDate) bool) (bool, error) {
	changed := false
	var extID int64
	var requested time.Time
	var decide dateCol
	err := tx.QueryRow(ctx, `SELECT id, requested_at, decide_due FROM extensions
		WHERE case_id = $1 AND state = 'requested' AND decide_due_provisional`, caseID).Scan(&extID, &requested, &decide)
	switch {
	case err == nil:
		due, err := dl.due(workflow.RuleExtensionDecision, workflow.DateOf(requested))
		if err != nil {
			return false, err
		}
		date, provisional := decide.Date(), true
		if set("decide_due", &date, &provisional, due) {
			changed = true
			if _, err := tx.Exec(ctx, `UPDATE extensions SET decide_due = $2, decide_due_provisional = $3 WHERE id = $1`,
				extID, sqlDate(date), provisional); err != nil {
				return false, dbError(err, "extension request")
			}
		}
	case err != pgx.ErrNoRows:
		return false, fmt.Errorf("error reading the extension request of case %d: %w", caseID, err)
	}

	rows, err := tx.Query(ctx, `SELECT p.id, r.sent_at, p.due_on FROM publications p JOIN replies r ON r.id = p.reply_id
		WHERE r.case_id = $1 AND p.due_provisional ORDER BY r.round`, caseID)
	if err != nil {
		return false, fmt.Errorf("error reading the publications of case %d: %w", caseID, err)
	}
	type pub struct {
		id   int64
		sent time.Time
		due  dateCol
	}
	pubs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (pub, error) {
		var p pub
		return p, row.Scan(&p.id, &p.sent, &p.due)
	})
	if err != nil {
		return false, fmt.Errorf("error reading the publications of case %d: %w", caseID, err)
	}
	for _, p := range pubs {
		due, err := dl.due(workflow.RulePublication, workflow.DateOf(p.sent))
		if err != nil {
			return false, err
		}
		date, provisional := p.due.Date(), true
		if set("publication_due", &date, &provisional, due) {
			changed = true
			if _, err := tx.Exec(ctx, `UPDATE publications SET due_on = $2, due_provisional = $3 WHERE id = $1`,
				p.id, sqlDate(date), provisional); err != nil {
				return false, dbError(err, "publication")
			}
		}
	}
	return changed, nil
}
