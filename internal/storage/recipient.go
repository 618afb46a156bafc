package storage

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// RecipientsTx returns the ids of the active users an audience names for a
// case of department dept: the unit's users holding one of the audience's
// roles, and every liaison when the audience includes the liaison office.
func RecipientsTx(ctx context.Context, tx pgx.Tx, dept int64, a workflow.Audience) ([]int64, error) {
	roles := make([]string, len(a.UnitRoles))
	for i, r := range a.UnitRoles {
		roles[i] = string(r)
	}
	rows, err := tx.Query(ctx, `
		SELECT DISTINCT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE u.disabled_at IS NULL
		  AND ((u.department_id = $1 AND r.role = ANY($2)) OR ($3 AND r.role = 'liaison'))
		ORDER BY u.id`, dept, roles, a.Liaison)
	if err != nil {
		return nil, fmt.Errorf("error listing recipients: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("error listing recipients: %w", err)
	}
	return slices.Compact(ids), nil
}

// CaseSummaryTx reads a case with what a notice about it names, inside tx.
func CaseSummaryTx(ctx context.Context, tx pgx.Tx, id int64) (*CaseSummary, error) {
	cs, err := scanSummary(tx.QueryRow(ctx, `SELECT `+summaryColumns+summaryFrom+` WHERE c.id = $1`, id))
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("case %d", id))
	}
	return cs, nil
}
