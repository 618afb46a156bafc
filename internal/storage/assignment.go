package storage

import (
	"context"
	"errors"
	"fmt"

	"github.com/banli-gov/banli/workflow"
)

// AssignmentError is the error of AssignAll: the assignment that failed (an
// index of its commands) and why. Its code is that of Err.
type AssignmentError struct {
	Index int
	Cmd   AssignCmd
	Err   error
}

// Error implements error.
func (e *AssignmentError) Error() string {
	return fmt.Sprintf("assignment %d (%s, department %d): %v", e.Index+1, e.Cmd.Kind, e.Cmd.DepartmentID, e.Err)
}

// Unwrap returns the cause, so that workflow.Code and workflow.Message see
// the domain error.
func (e *AssignmentError) Unwrap() error { return e.Err }

// AssignAll assigns a proposal to several units in one transaction (交办:
// a lead unit and its co-handling units, or several separate units), in
// the order of cmds — so a lead comes before its co-units. Each assignment
// is Assign's; if one fails, none stays, and the error is an
// *AssignmentError naming it.
func (db *DB) AssignAll(ctx context.Context, cmds []AssignCmd) ([]*workflow.Case, error) {
	if len(cmds) == 0 {
		return nil, workflow.Errorf(workflow.ErrInvalid, "no unit to assign")
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	out := make([]*workflow.Case, 0, len(cmds))
	for i, cmd := range cmds {
		c, err := db.assign(ctx, tx, cmd)
		if err != nil {
			return nil, &AssignmentError{Index: i, Cmd: cmd, Err: err}
		}
		out = append(out, c)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("error committing assignments: %w", err)
	}
	return out, nil
}

// FailedAssignment returns the assignment error in err's chain, if any.
func FailedAssignment(err error) (*AssignmentError, bool) {
	var ae *AssignmentError
	ok := errors.As(err, &ae)
	return ae, ok
}
