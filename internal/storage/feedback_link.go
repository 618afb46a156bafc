package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// FeedbackCase is a case as the deputy's feedback page (征询意见表) shows
// and checks it: the suggestion, the unit, the lead deputy's name and the
// reply of the round a signed link names. It carries no contact details and
// no staff names but the reply's contact person.
type FeedbackCase struct {
	CaseID         int64
	Kind           workflow.CaseKind
	State          workflow.State
	Round          int // the case's current round
	Version        int
	Number         string
	SessionShort   string
	ProposalTitle  string
	DepartmentName string
	LeadDeputy     string
	// Reply is the sent reply of the round asked for; nil when that round
	// has none.
	Reply *CaseReply
	// Recorded reports whether feedback on the round asked for is recorded.
	Recorded bool
}

// FeedbackCase returns case caseID with what its feedback page needs about
// round. It does not check who asks: the signed link is the caller's
// permission.
func (db *DB) FeedbackCase(ctx context.Context, caseID int64, round int) (*FeedbackCase, error) {
	var fc FeedbackCase
	var kind, state string
	err := db.Pool.QueryRow(ctx, `
		SELECT c.id, c.kind, c.state, c.round, c.version, p.number, s.short_name, p.title, d.name,
		       coalesce((SELECT dep.name FROM proposal_deputies pd JOIN deputies dep ON dep.id = pd.deputy_id
		                 WHERE pd.proposal_id = p.id ORDER BY pd.lead DESC, pd.position LIMIT 1), ''),
		       EXISTS (SELECT 1 FROM feedback f WHERE f.case_id = c.id AND f.round = $2)
		FROM cases c
		JOIN proposals p ON p.id = c.proposal_id
		JOIN congress_sessions s ON s.id = p.session_id
		JOIN departments d ON d.id = c.department_id
		WHERE c.id = $1`, caseID, round).
		Scan(&fc.CaseID, &kind, &state, &fc.Round, &fc.Version, &fc.Number, &fc.SessionShort, &fc.ProposalTitle,
			&fc.DepartmentName, &fc.LeadDeputy, &fc.Recorded)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("case %d", caseID))
	}
	fc.Kind, fc.State = workflow.CaseKind(kind), workflow.State(state)
	r, err := scanCaseReply(db.Pool.QueryRow(ctx, caseReplyQuery+` WHERE r.case_id = $1 AND r.round = $2 AND r.sent_at IS NOT NULL`,
		caseID, round))
	switch {
	case err == pgx.ErrNoRows:
	case err != nil:
		return nil, fmt.Errorf("error reading the reply of case %d round %d: %w", caseID, round, err)
	default:
		fc.Reply = r
	}
	return &fc, nil
}

// FeedbackLinkIssue is the deputy's feedback link issued for a round of a
// case: its expiry, which with the case and round makes its signed token.
type FeedbackLinkIssue struct {
	CaseID    int64
	Round     int
	ExpiresAt time.Time
	Revoked   bool
}

// IssueFeedbackLink returns the feedback link of caseID's round: the one
// issued before while it is neither revoked nor expired at now, else a new
// one that expires at expires, issued by userID — and at least a second
// after the one it replaces, so that a revoked link's token never comes
// back.
func (db *DB) IssueFeedbackLink(ctx context.Context, caseID int64, round int, userID int64, now, expires time.Time) (*FeedbackLinkIssue, error) {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	l := FeedbackLinkIssue{CaseID: caseID, Round: round}
	err = tx.QueryRow(ctx, `INSERT INTO feedback_links (case_id, round, expires_at, created_by, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (case_id, round) DO UPDATE SET
			expires_at = greatest(excluded.expires_at, feedback_links.expires_at + interval '1 second'), created_by = excluded.created_by,
			created_at = excluded.created_at, revoked_at = NULL
		WHERE feedback_links.revoked_at IS NOT NULL OR feedback_links.expires_at <= excluded.created_at
		RETURNING expires_at`, caseID, round, expires.Truncate(time.Second), userID, now).Scan(&l.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		// The link issued before is still good.
		err = tx.QueryRow(ctx, `SELECT expires_at FROM feedback_links WHERE case_id = $1 AND round = $2`, caseID, round).Scan(&l.ExpiresAt)
	}
	if err != nil {
		return nil, dbError(err, "feedback link")
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("error committing feedback link: %w", err)
	}
	return &l, nil
}

// FeedbackLinkOf returns the feedback link issued for caseID's round, even
// revoked or expired; not found when none was.
func (db *DB) FeedbackLinkOf(ctx context.Context, caseID int64, round int) (*FeedbackLinkIssue, error) {
	l := FeedbackLinkIssue{CaseID: caseID, Round: round}
	err := db.Pool.QueryRow(ctx, `SELECT expires_at, revoked_at IS NOT NULL FROM feedback_links WHERE case_id = $1 AND round = $2`,
		caseID, round).Scan(&l.ExpiresAt, &l.Revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, workflow.Errorf(workflow.ErrNotFound, "no feedback link issued for case %d round %d", caseID, round)
	} else if err != nil {
		return nil, fmt.Errorf("error reading the feedback link of case %d: %w", caseID, err)
	}
	return &l, nil
}

// RevokeFeedbackLink revokes the feedback link of caseID's round: it stops
// working, and the next one issued is new.
func (db *DB) RevokeFeedbackLink(ctx context.Context, caseID int64, round int, now time.Time) error {
	if _, err := db.Pool.Exec(ctx, `UPDATE feedback_links SET revoked_at = $3 WHERE case_id = $1 AND round = $2 AND revoked_at IS NULL`,
		caseID, round, now); err != nil {
		return fmt.Errorf("error revoking the feedback link of case %d: %w", caseID, err)
	}
	return nil
}
