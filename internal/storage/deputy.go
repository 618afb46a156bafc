package storage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

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

// DeputiesNamed lists the deputies with any of the names or ids, by name,
// delegation and id: what a form's names and picks are looked up in.
func (db *DB) DeputiesNamed(ctx context.Context, names []string, ids []int64) ([]*workflow.Deputy, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id, name, delegation, affiliation, phone, email FROM deputies
		WHERE name = ANY($1) OR id = ANY($2) ORDER BY name, delegation, id`, names, ids)
	if err != nil {
		return nil, fmt.Errorf("error looking up deputies: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*workflow.Deputy, error) {
		var d workflow.Deputy
		err := row.Scan(&d.ID, &d.Name, &d.Delegation, &d.Affiliation, &d.Phone, &d.Email)
		return &d, err
	})
	if err != nil {
		return nil, fmt.Errorf("error looking up deputies: %w", err)
	}
	return out, nil
}
