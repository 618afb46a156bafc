package storage

import (
	"context"
	"fmt"

	"github.com/banli-gov/banli/workflow"
)

// CreateUser stores a user with their roles in one transaction and sets u.ID.
func (db *DB) CreateUser(ctx context.Context, u *workflow.User) error {
	for _, r := range u.Roles {
		if !r.Valid() || r == workflow.RoleDeputy {
			return workflow.Errorf(workflow.ErrInvalid, "user %q: role %q cannot be granted", u.Name, r)
		}
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	var dept *int64
	if u.DepartmentID != 0 {
		dept = &u.DepartmentID
	}
	err = tx.QueryRow(ctx,
		`INSERT INTO users (department_id, name, email, oidc_issuer, oidc_subject) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		dept, u.Name, u.Email, u.Issuer, u.Subject).Scan(&u.ID)
	if err != nil {
		return dbError(err, fmt.Sprintf("user %q", u.Name))
	}
	for _, r := range u.Roles {
		if _, err := tx.Exec(ctx, `INSERT INTO user_roles (user_id, role) VALUES ($1, $2)`, u.ID, string(r)); err != nil {
			return dbError(err, fmt.Sprintf("role %s of user %q", r, u.Name))
		}
	}
	return tx.Commit(ctx)
}

// User returns the user with that id and their roles.
func (db *DB) User(ctx context.Context, id int64) (*workflow.User, error) {
	var u workflow.User
	var roles []string
	err := db.Pool.QueryRow(ctx, `
		SELECT u.id, coalesce(u.department_id, 0), u.name, u.email, u.oidc_issuer, u.oidc_subject, u.disabled_at IS NOT NULL,
		       coalesce(array_agg(r.role ORDER BY r.role) FILTER (WHERE r.role IS NOT NULL), '{}')
		FROM users u LEFT JOIN user_roles r ON r.user_id = u.id
		WHERE u.id = $1 GROUP BY u.id`, id).
		Scan(&u.ID, &u.DepartmentID, &u.Name, &u.Email, &u.Issuer, &u.Subject, &u.Disabled, &roles)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("user %d", id))
	}
	for _, r := range roles {
		u.Roles = append(u.Roles, workflow.Role(r))
	}
	return &u, nil
}

// ActorFor returns the actor a user acts as: their department and roles;
// a disabled user acts as nobody.
func (db *DB) ActorFor(ctx context.Context, userID int64) (workflow.Actor, error) {
	u, err := db.User(ctx, userID)
	if err != nil {
		return workflow.Actor{}, err
	}
	if u.Disabled {
		return workflow.Actor{}, workflow.Errorf(workflow.ErrForbidden, "user %d is disabled", userID)
	}
	return workflow.Actor{UserID: u.ID, DepartmentID: u.DepartmentID, Roles: u.Roles}, nil
}
