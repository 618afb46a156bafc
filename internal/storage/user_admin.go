package storage

import (
	"context"
	"fmt"
	"time"

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

// GrantRole gives a user a role, as by, and records it in the
// administration log in the same transaction. The rules of administration
// decide first (workflow.CheckUserChange): an administrator changes no role
// of their own, and the admin role stays alone on its account. Granting a
// role the user holds changes and records nothing.
func (db *DB) GrantRole(ctx context.Context, by workflow.AdminActor, userID int64, r workflow.Role) error {
	return db.changeUser(ctx, by, userID, workflow.ChangeRoleGrant, r,
		func(tx pgx.Tx, u *workflow.User, _ *workflow.AdminEvent) (bool, error) {
			tag, err := tx.Exec(ctx, `INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING`, u.ID, string(r))
			if err != nil {
				return false, dbError(err, fmt.Sprintf("role %s of user %d", r, u.ID))
			}
			return tag.RowsAffected() == 1, nil
		})
}

// RevokeRole takes a role from a user, as by, and records it; revoking a
// role the user lacks changes and records nothing.
func (db *DB) RevokeRole(ctx context.Context, by workflow.AdminActor, userID int64, r workflow.Role) error {
	return db.changeUser(ctx, by, userID, workflow.ChangeRoleRevoke, r,
		func(tx pgx.Tx, u *workflow.User, _ *workflow.AdminEvent) (bool, error) {
			tag, err := tx.Exec(ctx, `DELETE FROM user_roles WHERE user_id = $1 AND role = $2`, u.ID, string(r))
			if err != nil {
				return false, fmt.Errorf("error revoking role %s of user %d: %w", r, u.ID, err)
			}
			return tag.RowsAffected() == 1, nil
		})
}

// SetUserDepartment moves a user to a department (by code), as by, and
// records it; moving them where they are changes and records nothing.
func (db *DB) SetUserDepartment(ctx context.Context, by workflow.AdminActor, userID int64, code string) error {
	return db.changeUser(ctx, by, userID, workflow.ChangeUserDepartment, "",
		func(tx pgx.Tx, u *workflow.User, e *workflow.AdminEvent) (bool, error) {
			var deptID int64
			var name string
			err := tx.QueryRow(ctx, `SELECT id, name FROM departments WHERE code = $1`, code).Scan(&deptID, &name)
			if err != nil {
				return false, dbError(err, fmt.Sprintf("department %q", code))
			}
			if deptID == u.DepartmentID {
				return false, nil
			}
			if _, err := tx.Exec(ctx, `UPDATE users SET department_id = $2 WHERE id = $1`, u.ID, deptID); err != nil {
				return false, dbError(err, fmt.Sprintf("user %d", u.ID))
			}
			e.PreviousDepartment = e.Department
			e.DepartmentID, e.Department = deptID, name
			return true, nil
		})
}

// DisableUser disables a user, as by, revokes every session of theirs and
// records it, in one transaction: they are logged out at once and cannot
// log in again. Nobody disables themselves on the admin pages.
func (db *DB) DisableUser(ctx context.Context, by workflow.AdminActor, userID int64) error {
	return db.changeUser(ctx, by, userID, workflow.ChangeUserDisable, "",
		func(tx pgx.Tx, u *workflow.User, _ *workflow.AdminEvent) (bool, error) {
			if u.Disabled {
				return false, nil
			}
			return true, setDisabledTx(ctx, tx, u.ID, true, db.Clock.Now())
		})
}

// EnableUser lets a disabled user log in again, as by, and records it.
func (db *DB) EnableUser(ctx context.Context, by workflow.AdminActor, userID int64) error {
	return db.changeUser(ctx, by, userID, workflow.ChangeUserEnable, "",
		func(tx pgx.Tx, u *workflow.User, _ *workflow.AdminEvent) (bool, error) {
			if !u.Disabled {
				return false, nil
			}
			return true, setDisabledTx(ctx, tx, u.ID, false, db.Clock.Now())
		})
}

// userChangeFunc applies an administrative change to the locked user u
// inside tx, filling in what the record e says of the change beyond the
// user and their department; it returns false when the change changes
// nothing, which is then not recorded.
type userChangeFunc func(tx pgx.Tx, u *workflow.User, e *workflow.AdminEvent) (bool, error)

// changeUser makes one administrative change to a user in one transaction:
// it locks the user's row, checks the rules (workflow.CheckUserChange) on
// the user and the acting administrator as they are now, applies the change
// and records it, at the DB's clock.
func (db *DB) changeUser(ctx context.Context, by workflow.AdminActor, userID int64, change workflow.AdminChange, r workflow.Role, apply userChangeFunc) error {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	u, deptName, err := lockUserTx(ctx, tx, userID)
	if err != nil {
		return err
	}
	byRoles, err := adminRolesTx(ctx, tx, by)
	if err != nil {
		return err
	}
	if err := workflow.CheckUserChange(workflow.UserChange{By: by, ByRoles: byRoles, Target: u, Change: change, Role: r}); err != nil {
		return err
	}
	e := &workflow.AdminEvent{At: db.Clock.Now(), Change: change, Actor: by, UserID: u.ID, UserName: u.Name, Role: r,
		DepartmentID: u.DepartmentID, Department: deptName}
	changed, err := apply(tx, u, e)
	if err != nil || !changed {
		return err
	}
	if err := appendAdminEvent(ctx, tx, e); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("error committing %s of user %d: %w", change, u.ID, err)
	}
	return nil
}

// adminRolesTx returns the roles the acting administrator holds now (none
// when disabled), for workflow.CheckAdmin; nil for the other kinds of
// actor.
func adminRolesTx(ctx context.Context, tx pgx.Tx, by workflow.AdminActor) ([]workflow.Role, error) {
	if by.Kind != workflow.AdminByUser {
		return nil, nil
	}
	admin, err := userTx(ctx, tx, by.UserID)
	if err != nil {
		return nil, err
	}
	if admin.Disabled {
		return nil, nil
	}
	return admin.Roles, nil
}

// lockUserTx reads a user with their roles and the name of their
// department ("" when none), locking the user's row against concurrent
// administrative changes until tx ends.
func lockUserTx(ctx context.Context, tx pgx.Tx, id int64) (*workflow.User, string, error) {
	var deptName string
	err := tx.QueryRow(ctx, `SELECT coalesce(d.name, '') FROM users u LEFT JOIN departments d ON d.id = u.department_id
		WHERE u.id = $1 FOR NO KEY UPDATE OF u`, id).Scan(&deptName)
	if err != nil {
		return nil, "", dbError(err, fmt.Sprintf("user %d", id))
	}
	u, err := userTx(ctx, tx, id)
	if err != nil {
		return nil, "", err
	}
	return u, deptName, nil
}

func setDisabledTx(ctx context.Context, tx pgx.Tx, userID int64, disabled bool, at time.Time) error {
	var err error
	if disabled {
		_, err = tx.Exec(ctx, `UPDATE users SET disabled_at = coalesce(disabled_at, $2) WHERE id = $1`, userID, at)
	} else {
		_, err = tx.Exec(ctx, `UPDATE users SET disabled_at = NULL WHERE id = $1`, userID)
	}
	if err != nil {
		return fmt.Errorf("error updating user %d: %w", userID, err)
	}
	if disabled {
		if _, err := tx.Exec(ctx, `DELETE FROM login_sessions WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("error revoking sessions of user %d: %w", userID, err)
		}
	}
	return nil
}
