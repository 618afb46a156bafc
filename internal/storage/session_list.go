package storage

import (
	"context"
	"fmt"

	"github.com/banli-gov/banli/workflow"
)

// Sessions lists every congress session with its rules and reminder
// policy, the latest opened first.
func (db *DB) Sessions(ctx context.Context) ([]*workflow.CongressSession, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id FROM congress_sessions ORDER BY opened_on DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("error listing congress sessions: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("error listing congress sessions: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("error listing congress sessions: %w", err)
	}
	out := make([]*workflow.CongressSession, 0, len(ids))
	for _, id := range ids {
		s, err := getSession(ctx, db.Pool, `id = $1`, id)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
