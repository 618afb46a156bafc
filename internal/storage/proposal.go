package storage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/banli-gov/banli/workflow"
)

// CreateProposal registers a proposal with its deputies (the first is the
// lead deputy) in one transaction and sets p.ID.
func (db *DB) CreateProposal(ctx context.Context, p *workflow.Proposal) error {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	if err := createProposal(ctx, tx, p); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// createProposal is CreateProposal's writing, in the caller's transaction.
func createProposal(ctx context.Context, tx pgx.Tx, p *workflow.Proposal) error {
	if p.Kind == "" {
		p.Kind = workflow.ProposalSuggestion
	}
	if !p.Kind.Registrable() {
		return workflow.Errorf(workflow.ErrInvalid, "第%s号：类别只能是建议、批评或意见；本系统不办理政协提案。", p.Number)
	}
	if len(p.DeputyIDs) == 0 {
		return workflow.Errorf(workflow.ErrInvalid, "proposal %s: at least one deputy is required", p.Number)
	}
	titleVec, bodyVec, err := proposalSearchVectors(ctx, tx, p)
	if err != nil {
		return err
	}
	err = tx.QueryRow(ctx, `
		INSERT INTO proposals (session_id, number, kind, title, body, submitted_on, search_title, search_body)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		p.SessionID, p.Number, string(p.Kind), p.Title, p.Body, sqlDate(p.SubmittedOn), titleVec, bodyVec).Scan(&p.ID)
	if err != nil {
		return dbError(err, fmt.Sprintf("proposal %s", p.Number))
	}
	for i, d := range p.DeputyIDs {
		_, err := tx.Exec(ctx, `INSERT INTO proposal_deputies (proposal_id, deputy_id, lead, position) VALUES ($1, $2, $3, $4)`,
			p.ID, d, i == 0, i)
		if err != nil {
			return dbError(err, fmt.Sprintf("deputy %d of proposal %s", d, p.Number))
		}
	}
	return nil
}

// Proposal returns the proposal with that id.
func (db *DB) Proposal(ctx context.Context, id int64) (*workflow.Proposal, error) {
	var p workflow.Proposal
	var kind string
	var submitted dateCol
	var o workflow.Outcome
	var outcomeAt pgtype.Timestamptz
	err := db.Pool.QueryRow(ctx, `
		SELECT p.id, p.session_id, p.number, p.kind, p.title, p.body, p.submitted_on,
		       coalesce(array_agg(d.deputy_id ORDER BY d.position) FILTER (WHERE d.deputy_id IS NOT NULL), '{}'),
		       coalesce(p.outcome, ''), p.outcome_reason, p.outcome_destination, coalesce(p.outcome_by, 0),
		       coalesce((SELECT u.name FROM users u WHERE u.id = p.outcome_by), ''), p.outcome_at
		FROM proposals p LEFT JOIN proposal_deputies d ON d.proposal_id = p.id
		WHERE p.id = $1 GROUP BY p.id`, id).
		Scan(&p.ID, &p.SessionID, &p.Number, &kind, &p.Title, &p.Body, &submitted, &p.DeputyIDs,
			&o.State, &o.Reason, &o.Destination, &o.RecordedBy, &o.RecordedByName, &outcomeAt)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("proposal %d", id))
	}
	p.Kind, p.SubmittedOn = workflow.ProposalKind(kind), submitted.Date()
	if o.State != "" {
		o.At = outcomeAt.Time
		p.Outcome = &o
	}
	return &p, nil
}
