package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// CreateUser stores a user with their roles in one transaction and sets
// u.ID, recorded as banli's (workflow.System): for the demo data and test
// fixtures. Administrators add users through CreateUserAs.
func (db *DB) CreateUser(ctx context.Context, u *workflow.User) error {
	return db.CreateUserAs(ctx, workflow.System, u)
}

// CreateUserAs stores a user with their roles in one transaction, as by,
// and sets u.ID; the administration log records the new user and each role
// granted. The roles must go together (workflow.CheckRoles).
func (db *DB) CreateUserAs(ctx context.Context, by workflow.AdminActor, u *workflow.User) error {
	if err := workflow.CheckRoles(u.Roles); err != nil {
		return err
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
	if err := recordNewUser(ctx, tx, by, db.Clock.Now(), u.ID); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// recordNewUser records a user just created: the new user with their
// department, then each role of theirs.
func recordNewUser(ctx context.Context, tx pgx.Tx, by workflow.AdminActor, at time.Time, id int64) error {
	u, dept, err := lockUserTx(ctx, tx, id)
	if err != nil {
		return err
	}
	e := &workflow.AdminEvent{At: at, Change: workflow.ChangeUserCreate, Actor: by, UserID: u.ID, UserName: u.Name,
		DepartmentID: u.DepartmentID, Department: dept}
	if err := appendAdminEvent(ctx, tx, e); err != nil {
		return err
	}
	for _, r := range u.Roles {
		e := *e
		e.Change, e.Role = workflow.ChangeRoleGrant, r
		if err := appendAdminEvent(ctx, tx, &e); err != nil {
			return err
		}
	}
	return nil
}

// User returns the user with that id and their roles.
func (db *DB) User(ctx context.Context, id int64) (*workflow.User, error) {
	var u workflow.User
	var roles []string
	err := db.Pool.QueryRow(ctx, `
		SELECT u.id, coalesce(u.department_id, 0), u.name, u.email, u.oidc_issuer, u.oidc_subject, u.disabled_at IS NOT NULL,
		       coalesce(array_agg(r.role ORDER BY r.role) FILTER (WHERE r.role IS NOT NULL), '{}'), u.principal_leader
		FROM users u LEFT JOIN user_roles r ON r.user_id = u.id
		WHERE u.id = $1 GROUP BY u.id`, id).
		Scan(&u.ID, &u.DepartmentID, &u.Name, &u.Email, &u.Issuer, &u.Subject, &u.Disabled, &roles, &u.PrincipalLeader)
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
	return workflow.Actor{UserID: u.ID, DepartmentID: u.DepartmentID, Roles: u.Roles, PrincipalLeader: u.PrincipalLeader}, nil
}
