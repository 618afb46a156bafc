package storage

import (
	"context"
	"fmt"

	"github.com/banli-gov/banli/workflow"
)

// DigestRow is one unit's line of the liaison office's daily digest.
type DigestRow struct {
	DepartmentID   int64
	DepartmentName string
	// DueSoon counts unit deadlines (workflow.DeadlineKind.UnitDuty:
	// reply, co-opinion, re-handling, publication) due from today through
	// soonUntil (workflow.SoonUntil: the dashboard's "due soon").
	DueSoon int
	// Overdue counts unit deadlines past their due date.
	Overdue int
	// AwaitingFeedback counts replied cases whose feedback is not in.
	AwaitingFeedback int
	// AwaitingPublication counts sent replies not yet published or withheld.
	AwaitingPublication int
}

// Digest returns, per unit with anything to report, the figures of the
// daily digest on day today; deadlines due from today through soonUntil
// are due soon.
func (db *DB) Digest(ctx context.Context, today, soonUntil workflow.Date) ([]DigestRow, error) {
	rows, err := db.Pool.Query(ctx, `
		WITH unit_deadlines AS (
			SELECT c.department_id, d.due_on FROM deadlines d JOIN cases c ON c.id = d.case_id
			WHERE d.ended_at IS NULL AND d.kind = ANY($2::text[])
		)
		SELECT dep.id, dep.name,
			(SELECT count(*) FROM unit_deadlines u WHERE u.department_id = dep.id AND u.due_on BETWEEN $1 AND $3),
			(SELECT count(*) FROM unit_deadlines u WHERE u.department_id = dep.id AND u.due_on < $1),
			(SELECT count(*) FROM cases c WHERE c.department_id = dep.id AND c.state = 'replied'),
			(SELECT count(*) FROM publications p JOIN replies r ON r.id = p.reply_id JOIN cases c ON c.id = r.case_id
				WHERE c.department_id = dep.id AND p.state = 'pending')
		FROM departments dep WHERE dep.kind = 'unit' ORDER BY dep.code`, sqlDate(today), unitDutyKinds(), sqlDate(soonUntil))
	if err != nil {
		return nil, fmt.Errorf("error reading the digest: %w", err)
	}
	defer rows.Close()
	var out []DigestRow
	for rows.Next() {
		var r DigestRow
		if err := rows.Scan(&r.DepartmentID, &r.DepartmentName, &r.DueSoon, &r.Overdue, &r.AwaitingFeedback, &r.AwaitingPublication); err != nil {
			return nil, fmt.Errorf("error reading the digest: %w", err)
		}
		if r.DueSoon+r.Overdue+r.AwaitingFeedback+r.AwaitingPublication > 0 {
			out = append(out, r)
		}
	}
	return out, rows.Err()
}

// LiaisonIDs returns the ids of every active liaison.
func (db *DB) LiaisonIDs(ctx context.Context) ([]int64, error) {
	rows, err := db.Pool.Query(ctx, `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE r.role = 'liaison' AND u.disabled_at IS NULL ORDER BY u.id`)
	if err != nil {
		return nil, fmt.Errorf("error listing liaisons: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// unitDutyKinds is workflow.UnitDutyKinds as a query parameter.
func unitDutyKinds() []string {
	var out []string
	for _, k := range workflow.UnitDutyKinds() {
		out = append(out, string(k))
	}
	return out
}
