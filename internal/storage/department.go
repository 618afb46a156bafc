package storage

import (
	"context"
	"fmt"

	"github.com/banli-gov/banli/workflow"
)

// CreateDepartment stores a unit or the liaison office and sets d.ID,
// recorded as banli's (workflow.System): for the demo data and test
// fixtures. Administrators add departments through CreateDepartmentAs.
func (db *DB) CreateDepartment(ctx context.Context, d *workflow.Department) error {
	return db.CreateDepartmentAs(ctx, workflow.System, d)
}

// CreateDepartmentAs stores a unit or the liaison office, as by, sets d.ID
// and records it in the administration log, in one transaction.
func (db *DB) CreateDepartmentAs(ctx context.Context, by workflow.AdminActor, d *workflow.Department) error {
	kind := "unit"
	if d.LiaisonOffice {
		kind = "liaison_office"
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	byRoles, err := adminRolesTx(ctx, tx, by)
	if err != nil {
		return err
	}
	if err := workflow.CheckAdmin(by, byRoles); err != nil {
		return err
	}
	err = tx.QueryRow(ctx,
		`INSERT INTO departments (code, name, short_name, kind) VALUES ($1, $2, $3, $4) RETURNING id`,
		d.Code, d.Name, d.ShortName, kind).Scan(&d.ID)
	if err != nil {
		return dbError(err, fmt.Sprintf("department %q", d.Code))
	}
	e := &workflow.AdminEvent{At: db.Clock.Now(), Change: workflow.ChangeDepartmentCreate, Actor: by, DepartmentID: d.ID, Department: d.Name}
	if err := appendAdminEvent(ctx, tx, e); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("error committing department %q: %w", d.Code, err)
	}
	return nil
}

const departmentColumns = `id, code, name, short_name, kind = 'liaison_office'`

// Department returns the department with that id.
func (db *DB) Department(ctx context.Context, id int64) (*workflow.Department, error) {
	var d workflow.Department
	err := db.Pool.QueryRow(ctx, `SELECT `+departmentColumns+` FROM departments WHERE id = $1`, id).
		Scan(&d.ID, &d.Code, &d.Name, &d.ShortName, &d.LiaisonOffice)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("department %d", id))
	}
	return &d, nil
}

// DepartmentByCode returns the department with that code.
func (db *DB) DepartmentByCode(ctx context.Context, code string) (*workflow.Department, error) {
	var d workflow.Department
	err := db.Pool.QueryRow(ctx, `SELECT `+departmentColumns+` FROM departments WHERE code = $1`, code).
		Scan(&d.ID, &d.Code, &d.Name, &d.ShortName, &d.LiaisonOffice)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("department %q", code))
	}
	return &d, nil
}

// Departments lists every department by name.
func (db *DB) Departments(ctx context.Context) ([]*workflow.Department, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+departmentColumns+` FROM departments ORDER BY kind DESC, code`)
	if err != nil {
		return nil, fmt.Errorf("error listing departments: %w", err)
	}
	defer rows.Close()
	var out []*workflow.Department
	for rows.Next() {
		var d workflow.Department
		if err := rows.Scan(&d.ID, &d.Code, &d.Name, &d.ShortName, &d.LiaisonOffice); err != nil {
			return nil, fmt.Errorf("error listing departments: %w", err)
		}
		out = append(out, &d)
	}
	return out, rows.Err()
}
