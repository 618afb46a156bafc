package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// OIDCIdentity is who an identity provider says logged in: the verified
// claims of an ID token, and what banli's configuration says of the
// provider.
type OIDCIdentity struct {
	// Issuer and Subject identify the user: the ID token's iss and sub.
	Issuer, Subject string
	// Name and Email are refreshed at every login.
	Name, Email string
	// DepartmentCode is the department the token's department claim names;
	// "" when the provider sends none.
	DepartmentCode string
	// Roles are the roles the token's roles claim grants, already filtered
	// by the provider's configuration (no admin unless it allows it); nil
	// when the provider sends no roles claim, so that the roles an
	// administrator granted stay.
	Roles []workflow.Role
	// FixedDepartmentID is the department of a provider that belongs to
	// one department; 0 otherwise.
	FixedDepartmentID int64
}

// UpsertOIDCUser records a login by id and returns the user with their
// roles. The user is found by (issuer, subject) and created at their first
// login; name and email are refreshed, last_login_at set.
//
// The department comes from the claim (an unknown code is refused, naming
// it), or else from the provider's fixed department; a claim naming another
// department than the fixed one is refused. Without either, the user keeps
// the department an administrator gave them, or has none and cannot act.
//
// Roles are replaced by the claim's when the provider sends one (id.Roles
// not nil); otherwise they stay as an administrator granted them, and a user
// without roles awaits one. A claim never grants the deputy role, and
// grants liaison only to users of the liaison office, and grants the admin
// role alone (workflow.CheckRoles): a claim giving admin with another role
// is refused (forbidden), the identity provider's configuration being
// wrong — banli does not guess which of the two the person should have. A
// disabled user is refused (forbidden) and nothing is written.
//
// The administration log records, as the identity provider's
// (workflow.LoginSync), a new user with their department and roles, and at
// a later login each change of department and each role granted or revoked.
func (db *DB) UpsertOIDCUser(ctx context.Context, id OIDCIdentity) (*workflow.User, error) {
	if id.Issuer == "" || id.Subject == "" {
		return nil, workflow.Errorf(workflow.ErrInvalid, "an OpenID identity needs an issuer and a subject")
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)

	userID, err := upsertOIDCUser(ctx, tx, id, db.Clock.Now())
	if err != nil {
		return nil, err
	}
	u, err := userTx(ctx, tx, userID)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("error committing login of user %d: %w", userID, err)
	}
	return u, nil
}

func upsertOIDCUser(ctx context.Context, tx pgx.Tx, id OIDCIdentity, at time.Time) (int64, error) {
	var (
		userID   int64
		deptID   *int64
		disabled *time.Time
		exists   = true
	)
	err := tx.QueryRow(ctx, `SELECT id, department_id, disabled_at FROM users
		WHERE oidc_issuer = $1 AND oidc_subject = $2 FOR NO KEY UPDATE`, id.Issuer, id.Subject).
		Scan(&userID, &deptID, &disabled)
	if errors.Is(err, pgx.ErrNoRows) {
		exists = false
	} else if err != nil {
		return 0, fmt.Errorf("error looking up user of %s: %w", id.Issuer, err)
	}
	if disabled != nil {
		return 0, workflow.Errorf(workflow.ErrForbidden, "账号已停用 / account disabled")
	}

	liaisonOffice := false
	switch {
	case id.DepartmentCode != "":
		var d int64
		err := tx.QueryRow(ctx, `SELECT id, kind = 'liaison_office' FROM departments WHERE code = $1`, id.DepartmentCode).
			Scan(&d, &liaisonOffice)
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, workflow.Errorf(workflow.ErrForbidden, "未知单位 %q / unknown department %q", id.DepartmentCode, id.DepartmentCode)
		} else if err != nil {
			return 0, fmt.Errorf("error looking up department %q: %w", id.DepartmentCode, err)
		}
		if id.FixedDepartmentID != 0 && d != id.FixedDepartmentID {
			return 0, workflow.Errorf(workflow.ErrForbidden,
				"该身份认证平台不属于单位 %q / this identity provider does not serve department %q", id.DepartmentCode, id.DepartmentCode)
		}
		deptID = &d
	case id.FixedDepartmentID != 0:
		deptID = &id.FixedDepartmentID
		if err := tx.QueryRow(ctx, `SELECT kind = 'liaison_office' FROM departments WHERE id = $1`, id.FixedDepartmentID).
			Scan(&liaisonOffice); err != nil {
			return 0, dbError(err, fmt.Sprintf("department %d", id.FixedDepartmentID))
		}
	case deptID != nil:
		if err := tx.QueryRow(ctx, `SELECT kind = 'liaison_office' FROM departments WHERE id = $1`, *deptID).
			Scan(&liaisonOffice); err != nil {
			return 0, dbError(err, fmt.Sprintf("department %d", *deptID))
		}
	}
	for _, r := range id.Roles {
		switch {
		case !r.Valid() || r == workflow.RoleDeputy:
			return 0, workflow.Errorf(workflow.ErrForbidden, "角色 %q 不能由身份认证平台授予 / role %q cannot be granted by an identity provider", r, r)
		case r == workflow.RoleLiaison && !liaisonOffice:
			return 0, workflow.Errorf(workflow.ErrForbidden,
				"督办人员角色只能授予督查室人员 / the liaison role is only for users of the liaison office")
		}
	}
	if err := workflow.CheckRoles(id.Roles); err != nil {
		return 0, workflow.Errorf(workflow.ErrForbidden,
			"身份认证平台授予的角色有误：%s请联系身份认证平台的管理员。 / the identity provider grants the admin role together with another role; an admin account holds no other role",
			err.Message)
	}

	name := firstNonEmpty(id.Name, id.Email, id.Subject)
	by := workflow.LoginSync(id.Issuer)
	if !exists {
		// A concurrent first login of the same identity may have inserted
		// the row since the SELECT: the INSERT waits for it to commit and
		// inserts nothing, and this login starts over, finding that user.
		err = tx.QueryRow(ctx, `
			INSERT INTO users (department_id, name, email, oidc_issuer, oidc_subject, last_login_at)
			VALUES ($1, $2, $3, $4, $5, now())
			ON CONFLICT (oidc_issuer, oidc_subject) WHERE oidc_subject <> '' DO NOTHING
			RETURNING id`, deptID, name, id.Email, id.Issuer, id.Subject).Scan(&userID)
		if errors.Is(err, pgx.ErrNoRows) {
			return upsertOIDCUser(ctx, tx, id, at)
		} else if err != nil {
			return 0, dbError(err, fmt.Sprintf("user %q", name))
		}
		for _, r := range id.Roles {
			if _, err := tx.Exec(ctx, `INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
				userID, string(r)); err != nil {
				return 0, dbError(err, fmt.Sprintf("role %s of user %d", r, userID))
			}
		}
		return userID, recordNewUser(ctx, tx, by, at, userID)
	}

	before, beforeDept, err := lockUserTx(ctx, tx, userID)
	if err != nil {
		return 0, err
	}
	_, err = tx.Exec(ctx, `UPDATE users SET name = $2, email = $3, department_id = $4, last_login_at = now() WHERE id = $1`,
		userID, name, id.Email, deptID)
	if err != nil {
		return 0, dbError(err, fmt.Sprintf("user %d", userID))
	}
	if id.Roles != nil {
		if _, err := tx.Exec(ctx, `DELETE FROM user_roles WHERE user_id = $1`, userID); err != nil {
			return 0, fmt.Errorf("error replacing roles of user %d: %w", userID, err)
		}
		for _, r := range id.Roles {
			if _, err := tx.Exec(ctx, `INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
				userID, string(r)); err != nil {
				return 0, dbError(err, fmt.Sprintf("role %s of user %d", r, userID))
			}
		}
	}
	return userID, recordLoginChanges(ctx, tx, by, at, before, beforeDept)
}

// recordLoginChanges records what a login changed of user before (as they
// were, in department beforeDept): their department, and each role granted
// or revoked. A login that changes neither records nothing.
func recordLoginChanges(ctx context.Context, tx pgx.Tx, by workflow.AdminActor, at time.Time, before *workflow.User, beforeDept string) error {
	after, dept, err := lockUserTx(ctx, tx, before.ID)
	if err != nil {
		return err
	}
	base := workflow.AdminEvent{At: at, Actor: by, UserID: after.ID, UserName: after.Name, DepartmentID: after.DepartmentID, Department: dept}
	var events []workflow.AdminEvent
	if after.DepartmentID != before.DepartmentID {
		e := base
		e.Change, e.PreviousDepartment = workflow.ChangeUserDepartment, beforeDept
		events = append(events, e)
	}
	for _, r := range before.Roles {
		if !slices.Contains(after.Roles, r) {
			e := base
			e.Change, e.Role = workflow.ChangeRoleRevoke, r
			events = append(events, e)
		}
	}
	for _, r := range after.Roles {
		if !slices.Contains(before.Roles, r) {
			e := base
			e.Change, e.Role = workflow.ChangeRoleGrant, r
			events = append(events, e)
		}
	}
	for i := range events {
		if err := appendAdminEvent(ctx, tx, &events[i]); err != nil {
			return err
		}
	}
	return nil
}

// UserByOIDC returns the user with that OpenID identity (issuer, subject)
// and their roles, also when disabled (see User.Disabled). It never creates
// one: a Bearer token of an unknown identity finds no user (not found).
func (db *DB) UserByOIDC(ctx context.Context, issuer, subject string) (*workflow.User, error) {
	if issuer == "" || subject == "" {
		return nil, workflow.Errorf(workflow.ErrNotFound, "user not found")
	}
	var id int64
	err := db.Pool.QueryRow(ctx, `SELECT id FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2`, issuer, subject).Scan(&id)
	if err != nil {
		return nil, dbError(err, "user")
	}
	return db.User(ctx, id)
}

// userTx is User inside a transaction.
func userTx(ctx context.Context, q querier, id int64) (*workflow.User, error) {
	var u workflow.User
	var roles []string
	err := q.QueryRow(ctx, `
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
