package workflow

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// AdminActorKind says through which door an administrative change came.
type AdminActorKind string

const (
	// AdminByUser is an administrator (系统管理员) on the admin pages;
	// AdminActor.UserID names them.
	AdminByUser AdminActorKind = "user"
	// AdminByCLI is the command line (banli user …, banli department …),
	// run by whoever may reach the database; AdminActor.Name holds the
	// operating-system user.
	AdminByCLI AdminActorKind = "cli"
	// AdminByLogin is an identity provider whose claims set a user's roles
	// or department at their login; AdminActor.Name holds its issuer.
	AdminByLogin AdminActorKind = "login"
	// AdminBySystem is banli itself: the demo data, a migration, test
	// fixtures.
	AdminBySystem AdminActorKind = "system"
)

// AllAdminActorKinds lists every AdminActorKind.
func AllAdminActorKinds() []AdminActorKind {
	return []AdminActorKind{AdminByUser, AdminByCLI, AdminByLogin, AdminBySystem}
}

// Valid reports whether k is a known kind.
func (k AdminActorKind) Valid() bool { return slices.Contains(AllAdminActorKinds(), k) }

// AdminActor is who makes an administrative change: an administrator, the
// command line, an identity provider at login, or banli itself.
type AdminActor struct {
	Kind AdminActorKind
	// UserID is the administrator (AdminByUser); 0 for the other kinds.
	UserID int64
	// Name is what the administration log keeps of them: the
	// administrator's name, the operating-system user of the command line,
	// the identity provider's issuer, or "系统".
	Name string
}

// AdminUser is the administrator u acting on the admin pages.
func AdminUser(u *User) AdminActor {
	return AdminActor{Kind: AdminByUser, UserID: u.ID, Name: u.Name}
}

// CommandLine is the command line run by the operating-system user osUser.
func CommandLine(osUser string) AdminActor {
	if osUser == "" {
		osUser = "?"
	}
	return AdminActor{Kind: AdminByCLI, Name: osUser}
}

// LoginSync is the identity provider issuer setting a user's roles or
// department from the claims of their login.
func LoginSync(issuer string) AdminActor {
	return AdminActor{Kind: AdminByLogin, Name: issuer}
}

// System is banli itself (demo data, fixtures).
var System = AdminActor{Kind: AdminBySystem, Name: "系统"}

// AdminChange is a kind of administrative change (管理操作); each one is
// recorded in the administration log.
type AdminChange string

const (
	// ChangeUserCreate adds a user (添加用户), with their department.
	ChangeUserCreate AdminChange = "user_create"
	// ChangeRoleGrant gives a user a role (授予角色).
	ChangeRoleGrant AdminChange = "role_grant"
	// ChangeRoleRevoke takes a role from a user (撤销角色).
	ChangeRoleRevoke AdminChange = "role_revoke"
	// ChangeUserDepartment moves a user to a department (设置所属单位).
	ChangeUserDepartment AdminChange = "user_department"
	// ChangeUserDisable disables a user (停用), ending their sessions.
	ChangeUserDisable AdminChange = "user_disable"
	// ChangeUserEnable lets a disabled user log in again (启用).
	ChangeUserEnable AdminChange = "user_enable"
	// ChangeDepartmentCreate adds a unit or the liaison office (添加单位).
	ChangeDepartmentCreate AdminChange = "department_create"
	// ChangeSupervisorLabel sets the name the supervising role goes by in
	// this deployment (督办人员的称谓).
	ChangeSupervisorLabel AdminChange = "supervisor_label"
	// ChangePrincipalSet marks a user as their unit's principal leader
	// (主要负责人), who signs key suggestions off.
	ChangePrincipalSet AdminChange = "principal_set"
	// ChangePrincipalUnset takes the principal leader's mark off a user.
	ChangePrincipalUnset AdminChange = "principal_unset"
	// ChangeSessionLetter changes a session's letter settings (答复函设置).
	ChangeSessionLetter AdminChange = "session_letter"
)

// AllAdminChanges lists every AdminChange.
func AllAdminChanges() []AdminChange {
	return []AdminChange{ChangeUserCreate, ChangeRoleGrant, ChangeRoleRevoke, ChangeUserDepartment,
		ChangeUserDisable, ChangeUserEnable, ChangeDepartmentCreate, ChangeSupervisorLabel, ChangePrincipalSet,
		ChangePrincipalUnset, ChangeSessionLetter}
}

// Valid reports whether c is a known change.
func (c AdminChange) Valid() bool { return slices.Contains(AllAdminChanges(), c) }

// AdminEvent is one record of the administration log (管理日志): who
// changed what of whom, and when. The names are kept as they were at the
// time, so the record reads the same after a rename.
type AdminEvent struct {
	ID     int64
	At     time.Time
	Change AdminChange
	Actor  AdminActor
	// UserID and UserName are the user changed; 0 and "" for a department
	// change.
	UserID   int64
	UserName string
	// Role is the role granted or revoked.
	Role Role
	// DepartmentID and Department are the department concerned: the
	// user's for a role change, the new one for a move, a new user or a
	// new department; 0 and "" when there is none.
	DepartmentID int64
	Department   string
	// PreviousDepartment is where a moved user was ("" when nowhere).
	PreviousDepartment string
	// PreviousValue and Value are a setting's value before and after the
	// change (ChangeSupervisorLabel).
	PreviousValue, Value string
	// SessionID and Session are the congress session whose settings
	// changed, and its short name; 0 and "" for other changes.
	SessionID int64
	Session   string
}

// Names of the rules of administration, set as Error.Guard when one
// refuses, so that a page can say it in the reader's language.
const (
	// RuleAdminOnly: only an administrator administers users.
	RuleAdminOnly = "admin_only"
	// RuleNoSelfChange: nobody changes their own roles or department.
	RuleNoSelfChange = "admin_no_self_change"
	// RuleNoSelfDisable: nobody disables their own account.
	RuleNoSelfDisable = "admin_no_self_disable"
	// RuleAdminAlone: an admin account holds no other role.
	RuleAdminAlone = "admin_alone"
	// RuleGrantableRole: the role is one an administrator grants.
	RuleGrantableRole = "grantable_role"
)

// Grantable reports whether r is a role an administrator grants to a user:
// every role but deputy (a deputy has no account).
func (r Role) Grantable() bool { return r.Valid() && r != RoleDeputy }

// CheckRoles checks that one account may hold roles together: each one
// grantable, and the admin role alone. An administrator who also drafted,
// reviewed, signed or supervised could grant themselves the power to sign
// and leave no one to check them, so the two are kept on separate accounts
// (系统管理员与业务人员分设账号).
func CheckRoles(roles []Role) *Error {
	for _, r := range roles {
		if !r.Grantable() {
			return &Error{Code: ErrInvalid, Guard: RuleGrantableRole,
				Message: "角色“" + string(r) + "”不能授予 / role \"" + string(r) + "\" cannot be granted; roles: drafter, reviewer, approver, liaison, admin"}
		}
	}
	if slices.Contains(roles, RoleAdmin) && slices.ContainsFunc(roles, func(r Role) bool { return r != RoleAdmin }) {
		return &Error{Code: ErrConflict, Guard: RuleAdminAlone,
			Message: "系统管理员账号不能同时担任承办人、审核人、签发人或督办人员。"}
	}
	return nil
}

// CheckAdmin decides whether by may administer at all: on the admin pages,
// only a user who holds the admin role now (byRoles: their roles as they
// are now, none when disabled); the command line, a login and banli itself
// always may.
func CheckAdmin(by AdminActor, byRoles []Role) *Error {
	if !by.Kind.Valid() {
		return Errorf(ErrInvalid, "unknown administrator kind %q", by.Kind)
	}
	if by.Kind == AdminByUser && !slices.Contains(byRoles, RoleAdmin) {
		return &Error{Code: ErrForbidden, Guard: RuleAdminOnly, Message: "只有系统管理员可以管理用户和单位。"}
	}
	return nil
}

// UserChange is an administrative change to a user, as the rules see it.
type UserChange struct {
	By AdminActor
	// ByRoles are the acting administrator's roles as they are now
	// (AdminByUser only).
	ByRoles []Role
	// Target is the user changed, as they are now.
	Target *User
	Change AdminChange
	// Role is the role granted or revoked.
	Role Role
}

// CheckUserChange decides whether an administrative change to a user may
// be made:
//   - on the admin pages, only an administrator changes users, and never
//     their own roles or department, nor disables themselves: another
//     administrator must (the command line, run on the server, may);
//   - a granted role must be grantable, and the admin role stays alone on
//     its account (CheckRoles).
func CheckUserChange(c UserChange) *Error {
	if !c.Change.Valid() || c.Change == ChangeDepartmentCreate || c.Change == ChangeSupervisorLabel || c.Change == ChangeSessionLetter {
		return Errorf(ErrInvalid, "unknown change of a user %q", c.Change)
	}
	if err := CheckAdmin(c.By, c.ByRoles); err != nil {
		return err
	}
	if c.By.Kind == AdminByUser {
		if c.Target != nil && c.By.UserID == c.Target.ID {
			if c.Change == ChangeUserDisable {
				return &Error{Code: ErrForbidden, Guard: RuleNoSelfDisable, Message: "不能停用自己的账号，请由其他管理员办理。"}
			}
			return &Error{Code: ErrForbidden, Guard: RuleNoSelfChange, Message: "不能修改自己的角色或所属单位，请由其他管理员办理。"}
		}
	}
	switch c.Change {
	case ChangeRoleGrant:
		roles := []Role{c.Role}
		if c.Target != nil {
			roles = append(slices.Clone(c.Target.Roles), c.Role)
		}
		return CheckRoles(roles)
	case ChangeRoleRevoke:
		if !c.Role.Grantable() {
			return CheckRoles([]Role{c.Role})
		}
	}
	return nil
}

// DefaultSupervisorLabel is the name of the supervising role (RoleLiaison)
// unless a deployment sets its own: 督办人员. Role.LabelZH says it.
const DefaultSupervisorLabel = "督办人员"

// SupervisorLabels are the names a deployment commonly gives the
// supervising role: the congress's office for deputies' work or the
// government's supervision office. Any other name passing
// CheckSupervisorLabel may be set too.
func SupervisorLabels() []string {
	return []string{DefaultSupervisorLabel, "人大代表工作机构", "政府督查室"}
}

// RuleSupervisorLabel: the supervising role's name is a short Chinese name
// that does not mistake it for a unit's contact person (联络员).
const RuleSupervisorLabel = "supervisor_label"

// CheckSupervisorLabel decides whether label may name the supervising role:
// 2 to 20 characters without surrounding spaces, with Chinese in it, and
// not 联络员 — in government usage a unit's own contact person.
func CheckSupervisorLabel(label string) *Error {
	n := utf8.RuneCountInString(label)
	if strings.TrimSpace(label) != label || n < 2 || n > 20 || !strings.ContainsFunc(label, isHan) {
		return &Error{Code: ErrInvalid, Guard: RuleSupervisorLabel,
			Message: "督办人员的称谓须为2至20个字的中文名称，如“人大代表工作机构”或“政府督查室”。"}
	}
	if strings.Contains(label, "联络员") {
		return &Error{Code: ErrInvalid, Guard: RuleSupervisorLabel, Reason: "contact",
			Message: "“联络员”指承办单位的联络人员，不能作为督办人员的称谓。"}
	}
	return nil
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
