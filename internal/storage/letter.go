package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/banli-gov/banli/workflow"
)

// UpdateLetterSettings replaces how a session's reply letters read
// (workflow.LetterSettings) and records the change in the administration
// log, in one transaction. Letters already produced are files the units
// hold; the next one produced reads the new settings.
func (db *DB) UpdateLetterSettings(ctx context.Context, by workflow.AdminActor, sessionID int64, s workflow.LetterSettings) error {
	for i := range s.CopyTo {
		s.CopyTo[i] = strings.TrimSpace(s.CopyTo[i])
	}
	if err := s.Validate(); err != nil {
		return err
	}
	if s.CopyTo == nil {
		s.CopyTo = []string{}
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	var short string
	err = tx.QueryRow(ctx, `UPDATE congress_sessions SET letter_opening = $2, letter_closing = $3, letter_copy_to = $4,
			letter_per_deputy = $5, letter_show_signer = $6 WHERE id = $1 RETURNING short_name`,
		sessionID, strings.TrimSpace(s.Opening), strings.TrimSpace(s.Closing), s.CopyTo, s.PerDeputy, s.ShowSigner).Scan(&short)
	if err != nil {
		return dbError(err, fmt.Sprintf("congress session %d", sessionID))
	}
	e := &workflow.AdminEvent{At: db.Clock.Now(), Change: workflow.ChangeSessionLetter, Actor: by, SessionID: sessionID, Session: short}
	if err := appendAdminEvent(ctx, tx, e); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// CoOpinion is a co-handling unit's signed opinion (协办意见): the draft
// its approver signed, who signed it and when.
type CoOpinion struct {
	CaseID   int64
	Sections []workflow.Section
	SignedBy string
	SignedAt time.Time
}

// SignedCoOpinion returns the signed opinion of co-handling case caseID:
// the latest draft of its latest sign-off, not found before its approver
// signs. It does not check visibility.
func (db *DB) SignedCoOpinion(ctx context.Context, caseID int64) (*CoOpinion, error) {
	op := CoOpinion{CaseID: caseID}
	var sections []byte
	err := db.Pool.QueryRow(ctx, `
		SELECT e.at, coalesce(u.name, ''), dr.sections
		FROM case_events e
		JOIN cases c ON c.id = e.case_id AND c.kind = 'co'
		LEFT JOIN users u ON u.id = e.actor_id
		JOIN LATERAL (SELECT sections FROM drafts WHERE case_id = e.case_id AND created_at <= e.at
		              ORDER BY version DESC LIMIT 1) dr ON true
		WHERE e.case_id = $1 AND e.machine = 'case' AND e.action = 'sign'
		ORDER BY e.seq DESC LIMIT 1`, caseID).Scan(&op.SignedAt, &op.SignedBy, &sections)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("signed co-opinion of case %d", caseID))
	}
	if err := json.Unmarshal(sections, &op.Sections); err != nil {
		return nil, fmt.Errorf("error decoding co-opinion of case %d: %w", caseID, err)
	}
	return &op, nil
}

// ProposalByNumber returns the proposal numbered number in the session
// with that short name.
func (db *DB) ProposalByNumber(ctx context.Context, sessionShort, number string) (*workflow.Proposal, error) {
	var id int64
	err := db.Pool.QueryRow(ctx, `SELECT p.id FROM proposals p JOIN congress_sessions s ON s.id = p.session_id
		WHERE s.short_name = $1 AND p.number = $2`, sessionShort, number).Scan(&id)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("suggestion No. %s of %s", number, sessionShort))
	}
	return db.Proposal(ctx, id)
}

// CaseSummaryOf returns case id without asking who reads it: for the
// operator's command line, which reaches the database directly.
func (db *DB) CaseSummaryOf(ctx context.Context, id int64) (*CaseSummary, error) {
	cs, err := scanSummary(db.Pool.QueryRow(ctx, `SELECT `+summaryColumns+summaryFrom+` WHERE c.id = $1`, id))
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("case %d", id))
	}
	return cs, nil
}
