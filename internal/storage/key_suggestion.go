package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// 重点建议: the key mark of a suggestion, its progress reports and the
// principal leader who signs it off. Marking, unmarking and reporting are
// records in the audit chain of the suggestion's replying cases; whether a
// user is a unit's principal leader is an administrative change.

// lockReplyingCases locks the live replying cases of a proposal (lead or
// separate, not returned), after the proposal itself, in id order.
func lockReplyingCases(ctx context.Context, tx pgx.Tx, proposalID int64) ([]*workflow.Case, error) {
	if _, err := tx.Exec(ctx, `SELECT 1 FROM proposals WHERE id = $1 FOR NO KEY UPDATE`, proposalID); err != nil {
		return nil, fmt.Errorf("error locking proposal %d: %w", proposalID, err)
	}
	rows, err := tx.Query(ctx, `SELECT `+caseColumns+` FROM cases WHERE proposal_id = $1 AND kind IN ('lead', 'separate')
		AND state <> 'returned' ORDER BY id FOR UPDATE`, proposalID)
	if err != nil {
		return nil, fmt.Errorf("error locking the cases of proposal %d: %w", proposalID, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*workflow.Case, error) { return scanCase(row) })
}

// at is the time of a change made at t: t, or now on db.Clock when t is
// zero (the demo and imports give the time of a change they backfill).
func (db *DB) at(t time.Time) time.Time {
	if t.IsZero() {
		t = db.Clock.Now()
	}
	return t.Truncate(time.Microsecond)
}

// recordOnCases checks that actor may write record r on every case (as
// workflow.MayRecord says) and appends it, with payload, to each case's
// audit chain. It refuses when there is no case to write it on.
func recordOnCases(ctx context.Context, tx pgx.Tx, actor workflow.Actor, cases []*workflow.Case, r workflow.Record,
	payload map[string]any, at time.Time) error {
	if len(cases) == 0 {
		return &workflow.Error{Code: workflow.ErrConflict, Rule: "no_case",
			Message: "这件建议还没有交办给承办单位，或已全部退回，暂不能这样办理。", Detail: fmt.Sprintf("no live replying case for %s", r)}
	}
	for _, c := range cases {
		role, err := workflow.MayRecord(r, c.State, actor.RolesOn(c.DepartmentID))
		if err != nil {
			return err
		}
		ev := &workflow.Event{CaseID: c.ID, Machine: "record", Action: string(r), From: c.State, To: c.State,
			ActorID: actor.UserID, ActorRole: string(role), At: at, Payload: payload}
		if err := appendEvent(ctx, tx, ev); err != nil {
			return err
		}
	}
	return nil
}

// MarkKey marks a suggestion as a key suggestion (重点建议) with its
// overseeing leader and supervising office, or changes the mark, as the
// liaison actor: recorded on each of its replying cases, whose progress
// report deadline starts (the progress rule from assignment or the last
// report) with its reminders, in one transaction.
func (db *DB) MarkKey(ctx context.Context, actor workflow.Actor, m workflow.KeyMark, at time.Time) error {
	if err := m.Validate(); err != nil {
		return err
	}
	at = db.at(at)
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	cases, err := lockReplyingCases(ctx, tx, m.ProposalID)
	if err != nil {
		return err
	}
	leader, title, office := strings.TrimSpace(m.LeaderName), strings.TrimSpace(m.LeaderTitle), strings.TrimSpace(m.Office)
	if err := recordOnCases(ctx, tx, actor, cases, workflow.RecordMarkKey,
		map[string]any{"leader": leader, "leader_title": title, "office": office}, at); err != nil {
		return err
	}
	var by *int64
	if actor.UserID != 0 {
		by = &actor.UserID
	}
	_, err = tx.Exec(ctx, `
		INSERT INTO key_suggestions (proposal_id, leader_name, leader_title, office, marked_by, marked_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (proposal_id) DO UPDATE SET leader_name = $2, leader_title = $3, office = $4, marked_by = $5, marked_at = $6`,
		m.ProposalID, leader, title, office, by, at)
	if err != nil {
		return dbError(err, "key suggestion")
	}
	for _, c := range cases {
		if err := db.syncDeadlines(ctx, tx, c, at); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// UnmarkKey takes the key mark off a suggestion, as the liaison actor:
// recorded on each of its replying cases, whose progress report deadlines
// end with their reminders.
func (db *DB) UnmarkKey(ctx context.Context, actor workflow.Actor, proposalID int64, at time.Time) error {
	at = db.at(at)
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	cases, err := lockReplyingCases(ctx, tx, proposalID)
	if err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `DELETE FROM key_suggestions WHERE proposal_id = $1`, proposalID)
	if err != nil {
		return fmt.Errorf("error unmarking proposal %d: %w", proposalID, err)
	}
	if tag.RowsAffected() == 0 {
		return &workflow.Error{Code: workflow.ErrConflict, Rule: "key_mark", Reason: "not_key",
			Message: "这件建议不是重点建议。", Detail: fmt.Sprintf("proposal %d is not key", proposalID)}
	}
	if err := recordOnCases(ctx, tx, actor, cases, workflow.RecordUnmarkKey, map[string]any{}, at); err != nil {
		return err
	}
	for _, c := range cases {
		if err := db.syncDeadlines(ctx, tx, c, at); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// KeyMarkOf returns the key mark of a proposal and whether it is key.
func (db *DB) KeyMarkOf(ctx context.Context, proposalID int64) (workflow.KeyMark, bool, error) {
	m := workflow.KeyMark{ProposalID: proposalID}
	var by *int64
	err := db.Pool.QueryRow(ctx, `SELECT leader_name, leader_title, office, marked_by, marked_at FROM key_suggestions WHERE proposal_id = $1`,
		proposalID).Scan(&m.LeaderName, &m.LeaderTitle, &m.Office, &by, &m.MarkedAt)
	if err == pgx.ErrNoRows {
		return m, false, nil
	}
	if err != nil {
		return m, false, fmt.Errorf("error reading the key mark of proposal %d: %w", proposalID, err)
	}
	if by != nil {
		m.MarkedBy = *by
	}
	return m, true, nil
}

// AddProgressReport files a progress report (办理进展) on a key
// suggestion's case, as a user of its unit: recorded in its audit chain,
// and the next report's deadline counted from the report's date, its
// reminders replaced, in one transaction.
func (db *DB) AddProgressReport(ctx context.Context, actor workflow.Actor, r *workflow.ProgressReport, at time.Time) error {
	at = db.at(at)
	if err := r.Validate(workflow.DateOf(at)); err != nil {
		return err
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	c, err := scanCase(tx.QueryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = $1 FOR UPDATE`, r.CaseID))
	if err != nil {
		return dbError(err, fmt.Sprintf("case %d", r.CaseID))
	}
	var key bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM key_suggestions WHERE proposal_id = $1)`, c.ProposalID).Scan(&key); err != nil {
		return fmt.Errorf("error reading the key mark of case %d: %w", c.ID, err)
	}
	if !key || !c.Kind.RepliesToDeputy() {
		return &workflow.Error{Code: workflow.ErrConflict, Rule: "progress_report", Reason: "not_key",
			Message: "这件建议不是重点建议，无需报送办理进展。", Detail: fmt.Sprintf("case %d is not a key suggestion's reply", c.ID)}
	}
	r.AuthorID, r.CreatedAt, r.Body = actor.UserID, at, strings.TrimSpace(r.Body)
	var author *int64
	if actor.UserID != 0 {
		author = &actor.UserID
	}
	err = tx.QueryRow(ctx, `INSERT INTO progress_reports (case_id, reported_on, body, author_id, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, c.ID, sqlDate(r.ReportedOn), r.Body, author, at).Scan(&r.ID)
	if err != nil {
		return dbError(err, "progress report")
	}
	if err := recordOnCases(ctx, tx, actor, []*workflow.Case{c}, workflow.RecordAddProgressReport,
		map[string]any{"progress_report_id": r.ID, "reported_on": r.ReportedOn.String()}, at); err != nil {
		return err
	}
	if err := db.syncDeadlines(ctx, tx, c, at); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// ProgressReports lists the progress reports of a case, newest first.
func (db *DB) ProgressReports(ctx context.Context, caseID int64) ([]*workflow.ProgressReport, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id, case_id, reported_on, body, coalesce(author_id, 0), created_at
		FROM progress_reports WHERE case_id = $1 ORDER BY reported_on DESC, id DESC`, caseID)
	if err != nil {
		return nil, fmt.Errorf("error listing the progress reports of case %d: %w", caseID, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*workflow.ProgressReport, error) {
		var r workflow.ProgressReport
		var on dateCol
		err := row.Scan(&r.ID, &r.CaseID, &on, &r.Body, &r.AuthorID, &r.CreatedAt)
		r.ReportedOn = on.Date()
		return &r, err
	})
}

// SetPrincipalLeader marks a user as their unit's principal leader
// (主要负责人), who signs key suggestions off, or takes the mark off, as by,
// recorded in the administration log; setting what is already so changes
// and records nothing.
func (db *DB) SetPrincipalLeader(ctx context.Context, by workflow.AdminActor, userID int64, principal bool) error {
	change := workflow.ChangePrincipalUnset
	if principal {
		change = workflow.ChangePrincipalSet
	}
	return db.changeUser(ctx, by, userID, change, "",
		func(tx pgx.Tx, u *workflow.User, _ *workflow.AdminEvent) (bool, error) {
			tag, err := tx.Exec(ctx, `UPDATE users SET principal_leader = $2 WHERE id = $1 AND principal_leader <> $2`, u.ID, principal)
			if err != nil {
				return false, dbError(err, fmt.Sprintf("user %d", u.ID))
			}
			return tag.RowsAffected() == 1, nil
		})
}

// KeySuggestion is a key suggestion as the liaison's dashboard lists it:
// one row per replying case.
type KeySuggestion struct {
	workflow.KeyMark
	CaseID     int64
	Number     string
	Title      string
	Department string
	State      workflow.State
	ReplyDue   workflow.Date
	// LastReport is the latest progress report (zero ID when none).
	LastReport workflow.ProgressReport
	// ProgressDue is the active progress report deadline (zero when the
	// reply is no longer owed).
	ProgressDue workflow.Date
}

// ProgressOverdue reports whether the next progress report was due before
// today.
func (k *KeySuggestion) ProgressOverdue(today workflow.Date) bool {
	return !k.ProgressDue.IsZero() && k.ProgressDue.Before(today)
}

// KeySuggestions lists the key suggestions of a session (every session when
// sessionID is 0) with their replying cases, by number.
func (db *DB) KeySuggestions(ctx context.Context, sessionID int64) ([]*KeySuggestion, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT k.proposal_id, k.leader_name, k.leader_title, k.office, k.marked_at,
			c.id, p.number, p.title, d.name, c.state, c.reply_due,
			coalesce(lr.id, 0), lr.reported_on, coalesce(lr.body, ''),
			(SELECT dl.due_on FROM deadlines dl WHERE dl.case_id = c.id AND dl.kind = 'progress' AND dl.ended_at IS NULL)
		FROM key_suggestions k
		JOIN proposals p ON p.id = k.proposal_id
		JOIN cases c ON c.proposal_id = p.id AND c.kind IN ('lead', 'separate') AND c.state <> 'returned'
		JOIN departments d ON d.id = c.department_id
		LEFT JOIN LATERAL (SELECT r.id, r.reported_on, r.body FROM progress_reports r WHERE r.case_id = c.id
			ORDER BY r.reported_on DESC, r.id DESC LIMIT 1) lr ON true
		WHERE $1::bigint = 0 OR p.session_id = $1
		ORDER BY p.number, c.id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("error listing key suggestions: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*KeySuggestion, error) {
		var k KeySuggestion
		var state string
		var due, reported, progressDue dateCol
		err := row.Scan(&k.ProposalID, &k.LeaderName, &k.LeaderTitle, &k.Office, &k.MarkedAt,
			&k.CaseID, &k.Number, &k.Title, &k.Department, &state, &due,
			&k.LastReport.ID, &reported, &k.LastReport.Body, &progressDue)
		k.State, k.ReplyDue = workflow.State(state), due.Date()
		k.LastReport.ReportedOn, k.LastReport.CaseID, k.ProgressDue = reported.Date(), k.CaseID, progressDue.Date()
		return &k, err
	})
}
