package storage

import (
	"context"
	"fmt"
	"strings"

	"github.com/banli-gov/banli/workflow"
)

// DeputyRef is a deputy of a proposal being registered: an existing one
// (ID) or a new one to create (New).
type DeputyRef struct {
	ID  int64
	New *workflow.Deputy
}

// RegisterProposal registers a proposal (登记) in one transaction: it
// creates the new deputies among deputies, then the proposal with all of
// them in order (the first is the lead deputy, 领衔代表). p.DeputyIDs is
// set from deputies; p.ID and each new deputy's ID are set. When anything
// fails — a duplicate number in the session, an unknown deputy — nothing
// is written.
func (db *DB) RegisterProposal(ctx context.Context, p *workflow.Proposal, deputies []DeputyRef) error {
	if len(deputies) == 0 {
		return workflow.Errorf(workflow.ErrInvalid, "proposal %s: at least one deputy is required", p.Number)
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	ids := make([]int64, 0, len(deputies))
	for _, d := range deputies {
		if d.New != nil {
			d.New.Name = strings.TrimSpace(d.New.Name)
			if err := createDeputy(ctx, tx, d.New); err != nil {
				return err
			}
			ids = append(ids, d.New.ID)
			continue
		}
		ids = append(ids, d.ID)
	}
	p.DeputyIDs = ids
	if err := createProposal(ctx, tx, p); err != nil {
		p.ID = 0
		return err
	}
	return tx.Commit(ctx)
}

// ProposalNumberTaken reports whether a proposal with that number exists
// in the session.
func (db *DB) ProposalNumberTaken(ctx context.Context, sessionID int64, number string) (bool, error) {
	var taken bool
	err := db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM proposals WHERE session_id = $1 AND number = $2)`,
		sessionID, number).Scan(&taken)
	if err != nil {
		return false, fmt.Errorf("error looking up proposal number %s: %w", number, err)
	}
	return taken, nil
}

// ProposalDeputy is a deputy of a proposal: its lead deputy (领衔代表) or
// a co-signer (联名代表).
type ProposalDeputy struct {
	workflow.Deputy
	Lead bool
}

// ProposalDeputies lists the deputies of a proposal, the lead first.
func (db *DB) ProposalDeputies(ctx context.Context, proposalID int64) ([]ProposalDeputy, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT d.id, d.name, d.delegation, d.affiliation, d.phone, d.email, pd.lead
		FROM proposal_deputies pd JOIN deputies d ON d.id = pd.deputy_id
		WHERE pd.proposal_id = $1 ORDER BY pd.position`, proposalID)
	if err != nil {
		return nil, fmt.Errorf("error listing deputies of proposal %d: %w", proposalID, err)
	}
	defer rows.Close()
	var out []ProposalDeputy
	for rows.Next() {
		var d ProposalDeputy
		if err := rows.Scan(&d.ID, &d.Name, &d.Delegation, &d.Affiliation, &d.Phone, &d.Email, &d.Lead); err != nil {
			return nil, fmt.Errorf("error listing deputies of proposal %d: %w", proposalID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Deputies lists every deputy, by delegation and name.
func (db *DB) Deputies(ctx context.Context) ([]*workflow.Deputy, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id, name, delegation, affiliation, phone, email FROM deputies
		ORDER BY delegation, name, id`)
	if err != nil {
		return nil, fmt.Errorf("error listing deputies: %w", err)
	}
	defer rows.Close()
	var out []*workflow.Deputy
	for rows.Next() {
		var d workflow.Deputy
		if err := rows.Scan(&d.ID, &d.Name, &d.Delegation, &d.Affiliation, &d.Phone, &d.Email); err != nil {
			return nil, fmt.Errorf("error listing deputies: %w", err)
		}
		out = append(out, &d)
	}
	return out, rows.Err()
}
