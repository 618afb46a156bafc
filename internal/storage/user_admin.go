package storage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// Users lists every user with their roles, by department and name.
func (db *DB) Users(ctx context.Context) ([]*workflow.User, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT u.id, coalesce(u.department_id, 0), u.name, u.email, u.oidc_issuer, u.oidc_subject, u.disabled_at IS NOT NULL,
		       coalesce(array_agg(r.role ORDER BY r.role) FILTER (WHERE r.role IS NOT NULL), '{}')
		FROM users u LEFT JOIN user_roles r ON r.user_id = u.id
		GROUP BY u.id ORDER BY u.department_id NULLS FIRST, u.id`)
	if err != nil {
		return nil, fmt.Errorf("error listing users: %w", err)
	}
	defer rows.Close()
	var out []*workflow.User
	for rows.Next() {
		var u workflow.User
		var roles []string
		if err := rows.Scan(&u.ID, &u.DepartmentID, &u.Name, &u.Email, &u.Issuer, &u.Subject, &u.Disabled, &roles); err != nil {
			return nil, fmt.Errorf("error listing users: %w", err)
		}
		for _, r := range roles {
			u.Roles = append(u.Roles, workflow.Role(r))
		}
		out = append(out, &u)
	}
	return out, rows.Err()
}

// UserByEmail returns the user with that e-mail address.
func (db *DB) UserByEmail(ctx context.Context, email string) (*workflow.User, error) {
	var id int64
	err := db.Pool.QueryRow(ctx, `SELECT id FROM users WHERE lower(email) = lower($1) ORDER BY id LIMIT 1`, email).Scan(&id)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("user %q", email))
	}
	return db.User(ctx, id)
}

// GrantRole gives a user a role; granting a role they hold is a no-op.
func (db *DB) GrantRole(ctx context.Context, userID int64, r workflow.Role) error {
	if !r.Valid() || r == workflow.RoleDeputy {
		return workflow.Errorf(workflow.ErrInvalid, "role %q cannot be granted; roles: drafter, reviewer, approver, liaison, admin", r)
	}
	tag, err := db.Pool.Exec(ctx, `INSERT INTO user_roles (user_id, role) SELECT id, $2 FROM users WHERE id = $1 ON CONFLICT DO NOTHING`, userID, string(r))
	if err != nil {
		return dbError(err, fmt.Sprintf("role %s of user %d", r, userID))
	}
	if tag.RowsAffected() == 0 {
		if _, err := db.User(ctx, userID); err != nil {
			return err
		}
	}
	return nil
}

// RevokeRole takes a role from a user; revoking a role they lack is a no-op.
func (db *DB) RevokeRole(ctx context.Context, userID int64, r workflow.Role) error {
	if _, err := db.User(ctx, userID); err != nil {
		return err
	}
	if _, err := db.Pool.Exec(ctx, `DELETE FROM user_roles WHERE user_id = $1 AND role = $2`, userID, string(r)); err != nil {
		return fmt.Errorf("error revoking role %s of user %d: %w", r, userID, err)
	}
	return nil
}

// SetUserDepartment moves a user to a department (by code).
func (db *DB) SetUserDepartment(ctx context.Context, userID int64, code string) error {
	tag, err := db.Pool.Exec(ctx, `UPDATE users SET department_id = (SELECT id FROM departments WHERE code = $2) WHERE id = $1
		AND EXISTS (SELECT 1 FROM departments WHERE code = $2)`, userID, code)
	if err != nil {
		return dbError(err, fmt.Sprintf("user %d", userID))
	}
	if tag.RowsAffected() == 0 {
		if _, err := db.User(ctx, userID); err != nil {
			return err
		}
		return workflow.Errorf(workflow.ErrNotFound, "department %q not found", code)
	}
	return nil
}

// DisableUser disables a user and revokes every session of theirs in the
// same transaction: they are logged out at once and cannot log in again.
func (db *DB) DisableUser(ctx context.Context, userID int64) error {
	return db.setDisabled(ctx, userID, true)
}

// EnableUser lets a disabled user log in again.
func (db *DB) EnableUser(ctx context.Context, userID int64) error {
	return db.setDisabled(ctx, userID, false)
}

func (db *DB) setDisabled(ctx context.Context, userID int64, disabled bool) error {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	if err := setDisabledTx(ctx, tx, userID, disabled); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func setDisabledTx(ctx context.Context, tx pgx.Tx, userID int64, disabled bool) error {
	var tag interface{ RowsAffected() int64 }
	var err error
	if disabled {
		tag, err = tx.Exec(ctx, `UPDATE users SET disabled_at = coalesce(disabled_at, now()) WHERE id = $1`, userID)
	} else {
		tag, err = tx.Exec(ctx, `UPDATE users SET disabled_at = NULL WHERE id = $1`, userID)
	}
	if err != nil {
		return fmt.Errorf("error updating user %d: %w", userID, err)
	}
	if tag.RowsAffected() == 0 {
		return workflow.Errorf(workflow.ErrNotFound, "user %d not found", userID)
	}
	if disabled {
		if _, err := tx.Exec(ctx, `DELETE FROM login_sessions WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("error revoking sessions of user %d: %w", userID, err)
		}
	}
	return nil
}
