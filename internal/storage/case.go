package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

const caseColumns = `id, proposal_id, department_id, kind, state, round, version, assigned_at,
	reply_due, co_opinion_due, return_due, rehandle_due, co_opinions_waived, updated_at,
	reply_due_provisional, co_opinion_due_provisional, return_due_provisional, rehandle_due_provisional`

func scanCase(row pgx.Row) (*workflow.Case, error) {
	var c workflow.Case
	var kind, state string
	var replyDue, coDue, returnDue, rehandleDue dateCol
	p := &c.Provisional
	err := row.Scan(&c.ID, &c.ProposalID, &c.DepartmentID, &kind, &state, &c.Round, &c.Version, &c.AssignedAt,
		&replyDue, &coDue, &returnDue, &rehandleDue, &c.CoOpinionsWaived, &c.UpdatedAt,
		&p.Reply, &p.CoOpinion, &p.Return, &p.Rehandle)
	if err != nil {
		return nil, err
	}
	c.Kind, c.State = workflow.CaseKind(kind), workflow.State(state)
	c.ReplyDue, c.CoOpinionDue = replyDue.Date(), coDue.Date()
	c.ReturnDue, c.RehandleDue = returnDue.Date(), rehandleDue.Date()
	return &c, nil
}

// Case returns the case with that id. It does not check who may see it; the
// web layer's scoped queries do.
func (db *DB) Case(ctx context.Context, id int64) (*workflow.Case, error) {
	c, err := scanCase(db.Pool.QueryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = $1`, id))
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("case %d", id))
	}
	return c, nil
}

// CasesOfProposal lists the cases of a proposal, lead first.
func (db *DB) CasesOfProposal(ctx context.Context, proposalID int64) ([]*workflow.Case, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+caseColumns+` FROM cases WHERE proposal_id = $1
		ORDER BY array_position(ARRAY['lead','separate','co'], kind), id`, proposalID)
	if err != nil {
		return nil, fmt.Errorf("error listing cases of proposal %d: %w", proposalID, err)
	}
	defer rows.Close()
	var out []*workflow.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("error listing cases of proposal %d: %w", proposalID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AssignCmd is the liaison's assignment of a proposal to a unit (交办).
type AssignCmd struct {
	ProposalID   int64
	DepartmentID int64
	Kind         workflow.CaseKind
	Actor        workflow.Actor
	// At is when the assignment happens; zero means now on db.Clock.
	At time.Time
	// Backfill records an assignment made earlier (the demo's history, old
	// data brought in): the unit is not notified.
	Backfill bool
}

// Assign creates a case in one transaction: it checks the table allows the
// actor to assign, computes the due dates from the session's rules and the
// calendar, stores the case, opens its audit chain and, unless it is a
// Backfill, notifies the unit's drafters (notifyHandOff). A due date that reads
// a year without holiday data is stored provisional; the extension cap is
// not computed here but when an extension is requested or decided.
func (db *DB) Assign(ctx context.Context, cmd AssignCmd) (*workflow.Case, error) {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	c, err := db.assign(ctx, tx, cmd)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("error committing assignment: %w", err)
	}
	return c, nil
}

// assign is Assign inside the caller's transaction, which it does not
// commit: AssignAll runs several in one.
func (db *DB) assign(ctx context.Context, tx pgx.Tx, cmd AssignCmd) (*workflow.Case, error) {
	if !cmd.Kind.Valid() {
		return nil, workflow.Errorf(workflow.ErrInvalid, "kind: %q is not one of lead, co, separate", cmd.Kind)
	}
	at := cmd.At
	if at.IsZero() {
		at = db.Clock.Now()
	}
	at = at.Truncate(time.Microsecond)
	d, err := workflow.Decide(workflow.Request{Kind: cmd.Kind, From: workflow.StateNone, Action: workflow.ActionAssign,
		Roles: cmd.Actor.RolesOn(cmd.DepartmentID), Facts: workflow.Facts{Now: at}})
	if err != nil {
		return nil, err
	}
	// Lock the proposal before reading its cases: two liaisons assigning it
	// at once, or an assignment and the lead unit's sign-off (Transition
	// locks the proposal of a lead case too), take turns, so each sees what
	// the other committed.
	var sessionID int64
	if err := tx.QueryRow(ctx, `SELECT session_id FROM proposals WHERE id = $1 FOR NO KEY UPDATE`, cmd.ProposalID).Scan(&sessionID); err != nil {
		return nil, dbError(err, fmt.Sprintf("proposal %d", cmd.ProposalID))
	}
	var deptKind string
	if err := tx.QueryRow(ctx, `SELECT kind FROM departments WHERE id = $1`, cmd.DepartmentID).Scan(&deptKind); err != nil {
		return nil, dbError(err, fmt.Sprintf("department %d", cmd.DepartmentID))
	}
	if deptKind != "unit" {
		return nil, workflow.Errorf(workflow.ErrInvalid, "department %d is the liaison office, not a handling unit", cmd.DepartmentID)
	}
	if err := checkKindMix(ctx, tx, cmd.ProposalID, cmd.Kind); err != nil {
		return nil, err
	}
	dl, err := db.loadDeadlines(ctx, tx, sessionID)
	if err != nil {
		return nil, err
	}
	c := &workflow.Case{ProposalID: cmd.ProposalID, DepartmentID: cmd.DepartmentID, Kind: cmd.Kind,
		State: d.To, Round: 1, Version: 1, AssignedAt: at, UpdatedAt: at}
	payload := map[string]any{"department_id": c.DepartmentID, "kind": string(c.Kind)}
	for _, e := range d.Effects {
		if err := applyCaseEffect(c, e, payload, dl.due); err != nil {
			return nil, err
		}
	}
	p := c.Provisional
	err = tx.QueryRow(ctx, `
		INSERT INTO cases (proposal_id, department_id, kind, state, round, version, assigned_at,
			reply_due, co_opinion_due, return_due, updated_at,
			reply_due_provisional, co_opinion_due_provisional, return_due_provisional)
		VALUES ($1, $2, $3, $4, 1, 1, $5, $6, $7, $8, $5, $9, $10, $11) RETURNING id`,
		c.ProposalID, c.DepartmentID, string(c.Kind), string(c.State), at,
		sqlDate(c.ReplyDue), sqlDate(c.CoOpinionDue), sqlDate(c.ReturnDue), p.Reply, p.CoOpinion, p.Return).Scan(&c.ID)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("%s case of proposal %d for department %d", cmd.Kind, cmd.ProposalID, cmd.DepartmentID))
	}
	if err := db.syncDeadlines(ctx, tx, c, at); err != nil {
		return nil, err
	}
	ev := &workflow.Event{CaseID: c.ID, Machine: string(workflow.MachineCase), Action: string(workflow.ActionAssign),
		From: workflow.StateNone, To: c.State, ActorID: cmd.Actor.UserID, ActorRole: string(d.Role), At: at, Payload: payload}
	if err := appendEvent(ctx, tx, ev); err != nil {
		return nil, err
	}
	if !cmd.Backfill {
		if err := db.notifyHandOff(ctx, tx, c, d, cmd.Actor.UserID, workflow.Input{}); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// checkKindMix reads the proposal's cases, under the proposal's lock, and
// asks workflow.CheckKindMix whether one more of kind may join them.
func checkKindMix(ctx context.Context, tx pgx.Tx, proposalID int64, kind workflow.CaseKind) error {
	existing, err := proposalCases(ctx, tx, proposalID)
	if err != nil {
		return err
	}
	return workflow.CheckKindMix(existing, kind)
}

// proposalCases reads the kind and state of every case of a proposal.
func proposalCases(ctx context.Context, tx pgx.Tx, proposalID int64) ([]workflow.AssignedCase, error) {
	rows, err := tx.Query(ctx, `SELECT kind, state FROM cases WHERE proposal_id = $1`, proposalID)
	if err != nil {
		return nil, fmt.Errorf("error reading cases of proposal %d: %w", proposalID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (workflow.AssignedCase, error) {
		var k, s string
		err := row.Scan(&k, &s)
		return workflow.AssignedCase{Kind: workflow.CaseKind(k), State: workflow.State(s)}, err
	})
	if err != nil {
		return nil, fmt.Errorf("error reading cases of proposal %d: %w", proposalID, err)
	}
	return out, nil
}

// deadlines is a session's rule set and reminder policy with the calendar,
// read in a transaction.
type deadlines struct {
	rules  workflow.RuleSet
	policy workflow.ReminderPolicy
	cal    *workflow.Calendar
}

func (dl *deadlines) due(name workflow.RuleName, from workflow.Date) (workflow.DueDate, error) {
	r, err := dl.rules.Rule(name)
	if err != nil {
		return workflow.DueDate{}, err
	}
	return dl.cal.Due(r, from)
}
