package storage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// CreateSession stores a congress session with its rule set (the defaults
// where s.Rules is nil) and sets s.ID.
func (db *DB) CreateSession(ctx context.Context, s *workflow.CongressSession) error {
	if s.Rules == nil {
		s.Rules = workflow.DefaultRuleSet()
	}
	if err := s.Rules.Validate(); err != nil {
		return err
	}
	if s.Reminders.DaysBefore == nil && s.Reminders.Hour == 0 && s.Reminders.Minute == 0 {
		s.Reminders = workflow.DefaultReminderPolicy()
	}
	if err := s.Reminders.Validate(); err != nil {
		return err
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	err = tx.QueryRow(ctx,
		`INSERT INTO congress_sessions (name, short_name, opened_on, reminder_days, reminder_time)
		 VALUES ($1, $2, $3, $4, make_time($5, $6, 0)) RETURNING id`,
		s.Name, s.ShortName, sqlDate(s.OpenedOn), reminderDays(s.Reminders), s.Reminders.Hour, s.Reminders.Minute).Scan(&s.ID)
	if err != nil {
		return dbError(err, fmt.Sprintf("congress session %q", s.Name))
	}
	if err := saveRules(ctx, tx, s.ID, s.Rules); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// UpdateSessionRules replaces the rule set of a session. Due dates already
// set on cases stay as they were computed.
func (db *DB) UpdateSessionRules(ctx context.Context, sessionID int64, rules workflow.RuleSet) error {
	if err := rules.Validate(); err != nil {
		return err
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `DELETE FROM deadline_rules WHERE session_id = $1`, sessionID); err != nil {
		return fmt.Errorf("error replacing rules of session %d: %w", sessionID, err)
	}
	if err := saveRules(ctx, tx, sessionID, rules); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func saveRules(ctx context.Context, tx pgx.Tx, sessionID int64, rules workflow.RuleSet) error {
	for _, name := range workflow.AllRuleNames() {
		r := rules[name]
		_, err := tx.Exec(ctx, `INSERT INTO deadline_rules (session_id, rule, amount, unit) VALUES ($1, $2, $3, $4)`,
			sessionID, string(name), r.Amount, string(r.Unit))
		if err != nil {
			return dbError(err, fmt.Sprintf("rule %s", name))
		}
	}
	return nil
}

// SessionByShortName returns the session with that short name.
func (db *DB) SessionByShortName(ctx context.Context, short string) (*workflow.CongressSession, error) {
	return getSession(ctx, db.Pool, `short_name = $1`, short)
}

// Session returns the session with that id.
func (db *DB) Session(ctx context.Context, id int64) (*workflow.CongressSession, error) {
	return getSession(ctx, db.Pool, `id = $1`, id)
}

// querier is what pgxpool.Pool and pgx.Tx have in common.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func getSession(ctx context.Context, q querier, where string, arg any) (*workflow.CongressSession, error) {
	var s workflow.CongressSession
	var opened dateCol
	err := q.QueryRow(ctx, `SELECT id, name, short_name, opened_on, reminder_days,
			extract(hour FROM reminder_time)::int, extract(minute FROM reminder_time)::int,
			letter_opening, letter_closing, letter_copy_to, letter_per_deputy, letter_show_signer
		FROM congress_sessions WHERE `+where, arg).
		Scan(&s.ID, &s.Name, &s.ShortName, &opened, &s.Reminders.DaysBefore, &s.Reminders.Hour, &s.Reminders.Minute,
			&s.Letter.Opening, &s.Letter.Closing, &s.Letter.CopyTo, &s.Letter.PerDeputy, &s.Letter.ShowSigner)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("congress session %v", arg))
	}
	s.OpenedOn = opened.Date()
	if s.Rules, err = sessionRules(ctx, q, s.ID); err != nil {
		return nil, err
	}
	return &s, nil
}

func sessionRules(ctx context.Context, q querier, sessionID int64) (workflow.RuleSet, error) {
	rows, err := q.Query(ctx, `SELECT rule, amount, unit FROM deadline_rules WHERE session_id = $1`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("error reading rules of session %d: %w", sessionID, err)
	}
	defer rows.Close()
	rules := workflow.RuleSet{}
	for rows.Next() {
		var r workflow.Rule
		var name, unit string
		if err := rows.Scan(&name, &r.Amount, &unit); err != nil {
			return nil, fmt.Errorf("error reading rules of session %d: %w", sessionID, err)
		}
		r.Name, r.Unit = workflow.RuleName(name), workflow.PeriodUnit(unit)
		rules[r.Name] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("error reading rules of session %d: %w", sessionID, err)
	}
	if err := rules.Validate(); err != nil {
		return nil, fmt.Errorf("rules of session %d: %w", sessionID, err)
	}
	return rules, nil
}

// UpdateReminderPolicy replaces when a session's reminders go out. Reminder
// jobs already scheduled keep their times until their deadline changes.
func (db *DB) UpdateReminderPolicy(ctx context.Context, sessionID int64, p workflow.ReminderPolicy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	tag, err := db.Pool.Exec(ctx, `UPDATE congress_sessions SET reminder_days = $2, reminder_time = make_time($3, $4, 0) WHERE id = $1`,
		sessionID, reminderDays(p), p.Hour, p.Minute)
	if err != nil {
		return dbError(err, fmt.Sprintf("reminder policy of session %d", sessionID))
	}
	if tag.RowsAffected() == 0 {
		return workflow.Errorf(workflow.ErrNotFound, "congress session %d not found", sessionID)
	}
	return nil
}

func reminderDays(p workflow.ReminderPolicy) []int32 {
	out := make([]int32, len(p.DaysBefore))
	for i, d := range p.DaysBefore {
		out[i] = int32(d)
	}
	return out
}
