package storage

import (
	"context"
	"fmt"

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
