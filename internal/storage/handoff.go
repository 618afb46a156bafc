package storage

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/internal/notify"
	"github.com/banli-gov/banli/workflow"
)

// HandOffKey is the dedupe key of the hand-off notification written when
// case caseID reached version: a retried or replayed transaction finds it
// and notifies no one twice.
func HandOffKey(caseID int64, version int) string {
	return fmt.Sprintf("handoff:%d:v%d", caseID, version)
}

// notifyHandOff tells whoever acts next on c after decision d
// (workflow.HandOffOf) — never the actor — in the caller's transaction,
// after the case, its deadlines and its audit event are written: an in-app
// notification each, e-mail to those who keep it on, and a post to the
// robot of the unit concerned. in is the action's input.
func (db *DB) notifyHandOff(ctx context.Context, tx pgx.Tx, c *workflow.Case, d workflow.Decision, actorID int64, in workflow.Input) error {
	h := workflow.HandOffOf(c.Kind, d)
	if h.Empty() {
		return nil
	}
	cs, err := CaseSummaryTx(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	var users, depts []int64
	if len(h.UnitRoles) > 0 || h.Liaison {
		ids, err := RecipientsTx(ctx, tx, c.DepartmentID, h.Audience)
		if err != nil {
			return err
		}
		users = append(users, ids...)
		if len(h.UnitRoles) > 0 {
			depts = append(depts, c.DepartmentID)
		}
	}
	if h.Request != "" {
		// The requester is whoever took the request last on the case: the
		// audit log names them.
		var requester *int64
		err := tx.QueryRow(ctx, `SELECT actor_id FROM case_events WHERE case_id = $1 AND action = $2 ORDER BY seq DESC LIMIT 1`,
			c.ID, string(h.Request)).Scan(&requester)
		if err != nil && err != pgx.ErrNoRows {
			return fmt.Errorf("error reading the %s of case %d: %w", h.Request, c.ID, err)
		}
		if requester != nil {
			users = append(users, *requester)
		}
		depts = append(depts, c.DepartmentID)
	}
	dueCase := c.ID
	if len(h.LeadUnitRoles) > 0 {
		var leadID, leadDept int64
		err := tx.QueryRow(ctx, `SELECT id, department_id FROM cases WHERE proposal_id = $1 AND kind = 'lead' AND state <> 'returned'`,
			c.ProposalID).Scan(&leadID, &leadDept)
		switch {
		case err == pgx.ErrNoRows: // no lead unit (yet): no one to tell
		case err != nil:
			return fmt.Errorf("error reading the lead case of proposal %d: %w", c.ProposalID, err)
		default:
			ids, err := RecipientsTx(ctx, tx, leadDept, workflow.Audience{UnitRoles: h.LeadUnitRoles})
			if err != nil {
				return err
			}
			users = append(users, ids...)
			depts = append(depts, leadDept)
			dueCase = leadID
		}
	}
	users = slices.DeleteFunc(users, func(id int64) bool { return id == actorID })
	slices.Sort(users)
	users = slices.Compact(users)
	slices.Sort(depts)
	depts = slices.Compact(depts)
	if len(users) == 0 && len(depts) == 0 {
		return nil
	}

	stored, err := activeDeadlines(ctx, tx, dueCase)
	if err != nil {
		return err
	}
	active := make([]workflow.Deadline, len(stored))
	for i, s := range stored {
		active[i] = workflow.Deadline{Kind: s.Kind, Due: s.Due, Provisional: s.Provisional}
	}
	due, _ := h.Due(active)
	note := h.Note(c.Kind, d, workflow.HandOffFacts{SessionShort: cs.SessionShort, Number: cs.ProposalNumber,
		Title: cs.ProposalTitle, Department: cs.DepartmentName, Kind: c.Kind, State: c.State,
		Comment: in.Comment, Input: in, Due: due})
	_, err = notify.Enqueue(ctx, tx, db.jobs, notify.Message{
		Key:           HandOffKey(c.ID, c.Version),
		CaseID:        c.ID,
		Kind:          notify.KindHandoff,
		Subject:       note.Subject,
		Text:          note.Text,
		Link:          fmt.Sprintf("/cases/%d", c.ID),
		UserIDs:       users,
		DepartmentIDs: depts,
	})
	return err
}
