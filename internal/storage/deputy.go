package storage

import (
	"context"
	"fmt"

	"github.com/banli-gov/banli/workflow"
)

// CreateDeputy stores a deputy and sets d.ID.
func (db *DB) CreateDeputy(ctx context.Context, d *workflow.Deputy) error {
	return createDeputy(ctx, db.Pool, d)
}

// createDeputy is CreateDeputy on q, a pool or a transaction.
func createDeputy(ctx context.Context, q querier, d *workflow.Deputy) error {
	err := q.QueryRow(ctx,
		`INSERT INTO deputies (name, delegation, affiliation, phone, email) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		d.Name, d.Delegation, d.Affiliation, d.Phone, d.Email).Scan(&d.ID)
	return dbError(err, fmt.Sprintf("deputy %q", d.Name))
}
