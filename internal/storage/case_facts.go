package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// The facts the transition table's guards look at, read in one place for
// both uses: under the case's lock by Transition, and read-only by CaseFacts
// for a page that offers only the actions that can succeed
// (workflow.Offers).

// caseFacts are the facts of a case beyond the case row, and the ids
// Transition needs to apply its effects.
type caseFacts struct {
	hasDraft bool
	// replySent: some case of the proposal sent a reply to the deputy.
	replySent bool
	// extID is the extension request awaiting a decision, 0 when none.
	extID int64
	// awaited are the co-opinions the proposal still waits for.
	awaited []workflow.AwaitedCoOpinion
	// key: the proposal is a key suggestion; mergedInto the number of the
	// suggestion it is merged into ("" when none).
	key        bool
	mergedInto string
}

// readCaseFacts reads the facts of case c on q: whether its round has a
// draft, its pending extension request, whether its proposal has a sent
// reply, and the co-opinions its proposal
// waits for (workflow.CoOpinionPending), with their units and due dates.
func readCaseFacts(ctx context.Context, q querier, c *workflow.Case) (caseFacts, error) {
	var cf caseFacts
	err := q.QueryRow(ctx, `
		SELECT
			EXISTS (SELECT 1 FROM drafts WHERE case_id = $1 AND round = $2),
			coalesce((SELECT id FROM extensions WHERE case_id = $1 AND state = 'requested'), 0),
			EXISTS (SELECT 1 FROM key_suggestions WHERE proposal_id = $3),
			coalesce((SELECT p.number FROM proposal_merges m JOIN proposals p ON p.id = m.main_proposal_id WHERE m.proposal_id = $3), ''),
			EXISTS (SELECT 1 FROM cases o JOIN replies r ON r.case_id = o.id WHERE o.proposal_id = $3 AND r.sent_at IS NOT NULL)`,
		c.ID, c.Round, c.ProposalID).Scan(&cf.hasDraft, &cf.extID, &cf.key, &cf.mergedInto, &cf.replySent)
	if err != nil {
		return cf, fmt.Errorf("error reading facts of case %d: %w", c.ID, err)
	}
	rows, err := q.Query(ctx, `
		SELECT c.kind, c.state, d.name, c.co_opinion_due FROM cases c JOIN departments d ON d.id = c.department_id
		WHERE c.proposal_id = $1 ORDER BY c.co_opinion_due, c.id`, c.ProposalID)
	if err != nil {
		return cf, fmt.Errorf("error reading cases of proposal %d: %w", c.ProposalID, err)
	}
	type other struct {
		kind, state, unit string
		due               dateCol
	}
	others, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (other, error) {
		var o other
		err := row.Scan(&o.kind, &o.state, &o.unit, &o.due)
		return o, err
	})
	if err != nil {
		return cf, fmt.Errorf("error reading cases of proposal %d: %w", c.ProposalID, err)
	}
	for _, o := range others {
		if workflow.CoOpinionPending(workflow.CaseKind(o.kind), workflow.State(o.state)) {
			cf.awaited = append(cf.awaited, workflow.AwaitedCoOpinion{Unit: o.unit, Due: o.due.Date()})
		}
	}
	return cf, nil
}

// fill sets the facts read into f.
func (cf caseFacts) fill(f *workflow.Facts) {
	f.HasDraft, f.ExtensionPending, f.ReplySent = cf.hasDraft, cf.extID != 0, cf.replySent
	f.CoOpinionsPending, f.AwaitedCoOpinions = len(cf.awaited), cf.awaited
	f.KeySuggestion, f.MergedInto = cf.key, cf.mergedInto
}

// CaseFacts returns what the guards of the transition table would look at
// if a user acted on c now (db.Clock), without any input, and the state of
// its reply's publication ("" before a reply is sent): read-only, without
// the case's lock, for a page or the API to offer only the actions that can
// succeed (workflow.Offers). The extension cap is left zero: only a guard
// on the user's input reads it; so is SignerPrincipal, which is the
// viewer's (workflow.Actor.PrincipalLeader).
func (db *DB) CaseFacts(ctx context.Context, c *workflow.Case) (workflow.Facts, workflow.State, error) {
	f := workflow.Facts{Now: db.Clock.Now().Truncate(time.Microsecond), ReturnDue: c.ReturnDue, ReplyDue: c.ReplyDue,
		CoOpinionsWaived: c.CoOpinionsWaived}
	cf, err := readCaseFacts(ctx, db.Pool, c)
	if err != nil {
		return f, "", err
	}
	cf.fill(&f)
	var state, disclosure string
	err = db.Pool.QueryRow(ctx, `
		SELECT p.state, r.disclosure FROM publications p JOIN replies r ON r.id = p.reply_id
		WHERE r.case_id = $1 ORDER BY r.round DESC LIMIT 1`, c.ID).Scan(&state, &disclosure)
	switch {
	case err == pgx.ErrNoRows:
	case err != nil:
		return f, "", fmt.Errorf("error reading the publication of case %d: %w", c.ID, err)
	default:
		f.Disclosure = workflow.Disclosure(disclosure)
	}
	return f, workflow.State(state), nil
}
