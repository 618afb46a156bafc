package storage_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, for the migrations

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/migrations"
	"github.com/banli-gov/banli/workflow"
)

// adminBundle is setup's world with an administrator in the liaison office
// and the clock pinned, each step of a test moving it on a minute. The
// pinned clock is years ahead of the machine's, which setup's records
// (newest first) used.
type adminBundle struct {
	*bundle
	admin *workflow.User
	now   time.Time
}

func setupAdmin(t *testing.T) *adminBundle {
	t.Helper()
	bn := setup(t)
	ab := &adminBundle{bundle: bn, now: time.Date(2036, 12, 2, 14, 3, 0, 0, workflow.Zone())}
	bn.db.Clock = func() time.Time { return ab.now }
	office, err := bn.db.DepartmentByCode(bn.ctx, "dcs")
	must(t, err)
	ab.admin = &workflow.User{Name: "王某", DepartmentID: office.ID, Roles: []workflow.Role{workflow.RoleAdmin}}
	must(t, bn.db.CreateUser(bn.ctx, ab.admin))
	return ab
}

// tick moves the clock on a minute and returns the new time.
func (ab *adminBundle) tick() time.Time {
	ab.now = ab.now.Add(time.Minute)
	return ab.now
}

// history returns the user's administration log, newest first, without
// the records' ids.
func (ab *adminBundle) history(t *testing.T, userID int64) []workflow.AdminEvent {
	t.Helper()
	events, total, err := ab.db.AdminEvents(ab.ctx, storage.AdminEventQuery{UserID: userID, Limit: 100})
	must(t, err)
	if total != len(events) {
		t.Errorf("total %d, %d events", total, len(events))
	}
	out := make([]workflow.AdminEvent, len(events))
	for i, e := range events {
		out[i] = *e
		out[i].ID = 0
		out[i].At = e.At.UTC()
	}
	return out
}

func (ab *adminBundle) countEvents(t *testing.T) int {
	t.Helper()
	var n int
	must(t, ab.db.Pool.QueryRow(ab.ctx, `SELECT count(*) FROM admin_events`).Scan(&n))
	return n
}

func wantEvents(t *testing.T, what string, got, want []workflow.AdminEvent) {
	t.Helper()
	for i := range want {
		want[i].At = want[i].At.UTC()
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %s\n want %s", what, eventsString(got), eventsString(want))
	}
}

func eventsString(es []workflow.AdminEvent) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "\n  %+v", e)
	}
	return b.String()
}

func TestAdminChangesAreRecorded(t *testing.T) {
	t.Parallel()
	ab := setupAdmin(t)
	by := workflow.AdminActor{Kind: workflow.AdminByUser, UserID: ab.admin.ID, Name: "王某"}
	cli := workflow.AdminActor{Kind: workflow.AdminByCLI, Name: "root"}
	const scjg, kcj = "武汉市市场监督管理局", "武汉市科技创新局"

	t0 := ab.tick()
	zhang := &workflow.User{Name: "张三", DepartmentID: ab.unitA.ID, Roles: []workflow.Role{workflow.RoleDrafter}}
	must(t, ab.db.CreateUserAs(ab.ctx, cli, zhang))
	t1 := ab.tick()
	must(t, ab.db.GrantRole(ab.ctx, by, zhang.ID, workflow.RoleApprover))
	t2 := ab.tick()
	must(t, ab.db.RevokeRole(ab.ctx, by, zhang.ID, workflow.RoleDrafter))
	t3 := ab.tick()
	must(t, ab.db.SetUserDepartment(ab.ctx, by, zhang.ID, "kcj"))
	t4 := ab.tick()
	must(t, ab.db.DisableUser(ab.ctx, by, zhang.ID))
	t5 := ab.tick()
	must(t, ab.db.EnableUser(ab.ctx, cli, zhang.ID))

	// Changes that change nothing record nothing.
	ab.tick()
	must(t, ab.db.GrantRole(ab.ctx, by, zhang.ID, workflow.RoleApprover))
	must(t, ab.db.RevokeRole(ab.ctx, by, zhang.ID, workflow.RoleReviewer))
	must(t, ab.db.SetUserDepartment(ab.ctx, by, zhang.ID, "kcj"))
	must(t, ab.db.EnableUser(ab.ctx, by, zhang.ID))

	u, err := ab.db.User(ab.ctx, zhang.ID)
	must(t, err)
	if !slices.Equal(u.Roles, []workflow.Role{workflow.RoleApprover}) || u.DepartmentID != ab.unitB.ID || u.Disabled {
		t.Errorf("张三 after the changes: %+v", u)
	}
	wantEvents(t, "张三's history", ab.history(t, zhang.ID), []workflow.AdminEvent{
		{At: t5, Change: workflow.ChangeUserEnable, Actor: cli, UserID: zhang.ID, UserName: "张三", DepartmentID: ab.unitB.ID, Department: kcj},
		{At: t4, Change: workflow.ChangeUserDisable, Actor: by, UserID: zhang.ID, UserName: "张三", DepartmentID: ab.unitB.ID, Department: kcj},
		{At: t3, Change: workflow.ChangeUserDepartment, Actor: by, UserID: zhang.ID, UserName: "张三", DepartmentID: ab.unitB.ID, Department: kcj, PreviousDepartment: scjg},
		{At: t2, Change: workflow.ChangeRoleRevoke, Actor: by, UserID: zhang.ID, UserName: "张三", Role: workflow.RoleDrafter, DepartmentID: ab.unitA.ID, Department: scjg},
		{At: t1, Change: workflow.ChangeRoleGrant, Actor: by, UserID: zhang.ID, UserName: "张三", Role: workflow.RoleApprover, DepartmentID: ab.unitA.ID, Department: scjg},
		{At: t0, Change: workflow.ChangeRoleGrant, Actor: cli, UserID: zhang.ID, UserName: "张三", Role: workflow.RoleDrafter, DepartmentID: ab.unitA.ID, Department: scjg},
		{At: t0, Change: workflow.ChangeUserCreate, Actor: cli, UserID: zhang.ID, UserName: "张三", DepartmentID: ab.unitA.ID, Department: scjg},
	})

	// A department; and the whole log, newest first, paged.
	t6 := ab.tick()
	jyj := &workflow.Department{Code: "jyj", Name: "武汉市教育局", ShortName: "市教育局"}
	must(t, ab.db.CreateDepartmentAs(ab.ctx, by, jyj))
	page, total, err := ab.db.AdminEvents(ab.ctx, storage.AdminEventQuery{Limit: 2})
	must(t, err)
	if total != ab.countEvents(t) || len(page) != 2 {
		t.Fatalf("first page: %d events of %d, want 2 of %d", len(page), total, ab.countEvents(t))
	}
	got := []workflow.AdminEvent{*page[0], *page[1]}
	for i := range got {
		got[i].ID, got[i].At = 0, got[i].At.UTC()
	}
	wantEvents(t, "the log's first page", got, []workflow.AdminEvent{
		{At: t6, Change: workflow.ChangeDepartmentCreate, Actor: by, DepartmentID: jyj.ID, Department: "武汉市教育局"},
		{At: t5, Change: workflow.ChangeUserEnable, Actor: cli, UserID: zhang.ID, UserName: "张三", DepartmentID: ab.unitB.ID, Department: kcj},
	})
	next, _, err := ab.db.AdminEvents(ab.ctx, storage.AdminEventQuery{Limit: 2, Offset: 2})
	must(t, err)
	if len(next) != 2 || next[0].Change != workflow.ChangeUserDisable || next[1].Change != workflow.ChangeUserDepartment {
		t.Errorf("second page: %s", eventsString([]workflow.AdminEvent{*next[0], *next[1]}))
	}
	if _, _, err := ab.db.AdminEvents(ab.ctx, storage.AdminEventQuery{Limit: 0}); workflow.Code(err) != workflow.ErrInvalid {
		t.Errorf("limit 0: %v", err)
	}
}

// TestAdminChangesRefused: each refused change changes nothing and records
// nothing.
func TestAdminChangesRefused(t *testing.T) {
	t.Parallel()
	ab := setupAdmin(t)
	by := workflow.AdminUser(ab.admin)
	drafter := ab.a[workflow.RoleDrafter].UserID
	approver := ab.a[workflow.RoleApprover].UserID
	other := &workflow.User{Name: "李某", DepartmentID: ab.unitA.ID, Roles: []workflow.Role{workflow.RoleAdmin}}
	must(t, ab.db.CreateUser(ab.ctx, other))
	disabledAdmin := &workflow.User{Name: "离职管理员", Roles: []workflow.Role{workflow.RoleAdmin}}
	must(t, ab.db.CreateUser(ab.ctx, disabledAdmin))
	must(t, ab.db.DisableUser(ab.ctx, workflow.System, disabledAdmin.ID))

	before := ab.countEvents(t)
	for _, c := range []struct {
		name   string
		change func() error
		code   workflow.ErrorCode
		msg    string
	}{
		{"admin grants themselves approver", func() error { return ab.db.GrantRole(ab.ctx, by, ab.admin.ID, workflow.RoleApprover) },
			workflow.ErrForbidden, "不能修改自己的角色或所属单位，请由其他管理员办理。"},
		{"admin revokes their own admin", func() error { return ab.db.RevokeRole(ab.ctx, by, ab.admin.ID, workflow.RoleAdmin) },
			workflow.ErrForbidden, "不能修改自己的角色或所属单位，请由其他管理员办理。"},
		{"admin moves themselves", func() error { return ab.db.SetUserDepartment(ab.ctx, by, ab.admin.ID, "scjg") },
			workflow.ErrForbidden, "不能修改自己的角色或所属单位，请由其他管理员办理。"},
		{"admin disables themselves", func() error { return ab.db.DisableUser(ab.ctx, by, ab.admin.ID) },
			workflow.ErrForbidden, "不能停用自己的账号，请由其他管理员办理。"},
		{"approver to an admin", func() error { return ab.db.GrantRole(ab.ctx, by, other.ID, workflow.RoleApprover) },
			workflow.ErrConflict, "系统管理员账号不能同时担任承办人、审核人、签发人或督办人员。"},
		{"admin to a drafter", func() error { return ab.db.GrantRole(ab.ctx, by, drafter, workflow.RoleAdmin) },
			workflow.ErrConflict, "系统管理员账号不能同时担任承办人、审核人、签发人或督办人员。"},
		{"admin to a drafter, by the command line", func() error {
			return ab.db.GrantRole(ab.ctx, workflow.CommandLine("root"), drafter, workflow.RoleAdmin)
		}, workflow.ErrConflict, "系统管理员账号不能同时担任承办人、审核人、签发人或督办人员。"},
		{"a new user with admin and liaison", func() error {
			return ab.db.CreateUserAs(ab.ctx, workflow.CommandLine("root"), &workflow.User{Name: "两用", Roles: []workflow.Role{workflow.RoleLiaison, workflow.RoleAdmin}})
		}, workflow.ErrConflict, "系统管理员账号不能同时担任承办人、审核人、签发人或督办人员。"},
		{"an approver acting as administrator", func() error {
			return ab.db.GrantRole(ab.ctx, workflow.AdminActor{Kind: workflow.AdminByUser, UserID: approver, Name: "approver"}, drafter, workflow.RoleReviewer)
		}, workflow.ErrForbidden, "只有系统管理员可以管理用户和单位。"},
		{"a disabled administrator", func() error { return ab.db.DisableUser(ab.ctx, workflow.AdminUser(disabledAdmin), drafter) },
			workflow.ErrForbidden, "只有系统管理员可以管理用户和单位。"},
		{"a disabled administrator adds a unit", func() error {
			return ab.db.CreateDepartmentAs(ab.ctx, workflow.AdminUser(disabledAdmin), &workflow.Department{Code: "x", Name: "某局"})
		}, workflow.ErrForbidden, "只有系统管理员可以管理用户和单位。"},
		{"deputy", func() error { return ab.db.GrantRole(ab.ctx, by, drafter, workflow.RoleDeputy) }, workflow.ErrInvalid, "cannot be granted"},
		{"unknown user", func() error { return ab.db.GrantRole(ab.ctx, by, 999999, workflow.RoleDrafter) }, workflow.ErrNotFound, "user 999999 not found"},
		{"unknown department", func() error { return ab.db.SetUserDepartment(ab.ctx, by, drafter, "nosuch") }, workflow.ErrNotFound, `department "nosuch" not found`},
		{"duplicate department", func() error {
			return ab.db.CreateDepartmentAs(ab.ctx, by, &workflow.Department{Code: "scjg", Name: "重复"})
		}, workflow.ErrConflict, "already exists"},
	} {
		err := c.change()
		if workflow.Code(err) != c.code || !strings.Contains(workflow.Message(err), c.msg) {
			t.Errorf("%s: %v (%s), want %s with %q", c.name, err, workflow.Code(err), c.code, c.msg)
		}
	}
	if n := ab.countEvents(t); n != before {
		t.Errorf("refused changes wrote %d records", n-before)
	}
	for id, want := range map[int64][]workflow.Role{ab.admin.ID: {workflow.RoleAdmin}, other.ID: {workflow.RoleAdmin}, drafter: {workflow.RoleDrafter}} {
		u, err := ab.db.User(ab.ctx, id)
		must(t, err)
		if !slices.Equal(u.Roles, want) || u.Disabled {
			t.Errorf("user %s after refusals: %+v", u.Name, u)
		}
	}
	if u, err := ab.db.User(ab.ctx, ab.admin.ID); err != nil || u.DepartmentID == ab.unitA.ID {
		t.Errorf("the admin moved themselves: %+v %v", u, err)
	}
}

func TestAdminEventsAreAppendOnly(t *testing.T) {
	t.Parallel()
	ab := setupAdmin(t)
	for _, sql := range []string{
		`UPDATE admin_events SET user_name = '别人'`,
		`DELETE FROM admin_events`,
		`TRUNCATE admin_events`,
	} {
		_, err := ab.db.Pool.Exec(ab.ctx, sql)
		if err == nil || !strings.Contains(err.Error(), "admin_events is append-only") {
			t.Errorf("%s: got %v, want refused", sql, err)
		}
	}
	if ab.countEvents(t) == 0 {
		t.Error("no records to protect: setup's users and departments were not recorded")
	}
}

// TestAdminRoleAloneInTheDatabase: the trigger refuses what the rules
// refuse, for a writer that bypasses storage.
func TestAdminRoleAloneInTheDatabase(t *testing.T) {
	t.Parallel()
	ab := setupAdmin(t)
	for _, c := range []struct {
		user int64
		role string
	}{
		{ab.admin.ID, "approver"},
		{ab.admin.ID, "liaison"},
		{ab.a[workflow.RoleDrafter].UserID, "admin"},
		{ab.liaison.UserID, "admin"},
	} {
		_, err := ab.db.Pool.Exec(ab.ctx, `INSERT INTO user_roles (user_id, role) VALUES ($1, $2)`, c.user, c.role)
		if err == nil || !strings.Contains(err.Error(), "an admin account holds no other role") {
			t.Errorf("role %s for user %d: %v, want refused", c.role, c.user, err)
		}
	}
	_, err := ab.db.Pool.Exec(ab.ctx, `UPDATE user_roles SET role = 'reviewer' WHERE user_id = $1`, ab.admin.ID)
	if err != nil {
		// admin → reviewer leaves one role: allowed.
		t.Errorf("replacing admin by reviewer: %v", err)
	}
}

// TestLoginChangesAreRecorded: a login whose claims set roles or the
// department is recorded as the identity provider's; a login that changes
// neither records nothing; claims giving admin with another role are
// refused and write nothing.
func TestLoginChangesAreRecorded(t *testing.T) {
	t.Parallel()
	ab := setupAdmin(t)
	idp := workflow.AdminActor{Kind: workflow.AdminByLogin, Name: testIssuer}
	const scjg, kcj = "武汉市市场监督管理局", "武汉市科技创新局"
	login := func(dept string, roles ...workflow.Role) (*workflow.User, error) {
		return ab.db.UpsertOIDCUser(ab.ctx, storage.OIDCIdentity{Issuer: testIssuer, Subject: "zs", Name: "张三", DepartmentCode: dept, Roles: roles})
	}
	t0 := ab.tick()
	u, err := login("scjg", workflow.RoleDrafter, workflow.RoleReviewer)
	must(t, err)
	t1 := ab.tick()
	_, err = login("scjg", workflow.RoleDrafter, workflow.RoleReviewer)
	must(t, err)
	t2 := ab.tick()
	_, err = login("kcj", workflow.RoleApprover, workflow.RoleDrafter)
	must(t, err)
	ab.tick()
	before := ab.countEvents(t)
	_, err = login("kcj", workflow.RoleAdmin, workflow.RoleApprover)
	wantCode(t, err, workflow.ErrForbidden)
	if !strings.Contains(err.Error(), "系统管理员账号不能同时担任承办人、审核人、签发人或督办人员。") {
		t.Errorf("refusal %q", err)
	}
	if ab.countEvents(t) != before {
		t.Error("a refused login wrote records")
	}
	if _, err := ab.db.UpsertOIDCUser(ab.ctx, storage.OIDCIdentity{Issuer: testIssuer, Subject: "new", Name: "新人",
		DepartmentCode: "dcs", Roles: []workflow.Role{workflow.RoleLiaison, workflow.RoleAdmin}}); workflow.Code(err) != workflow.ErrForbidden {
		t.Errorf("first login with admin and liaison: %v, want forbidden", err)
	}
	if _, err := ab.db.UserByOIDC(ab.ctx, testIssuer, "new"); workflow.Code(err) != workflow.ErrNotFound {
		t.Errorf("a refused first login created the user: %v", err)
	}

	_ = t1 // the unchanged login at t1 records nothing
	wantEvents(t, "张三's history", ab.history(t, u.ID), []workflow.AdminEvent{
		{At: t2, Change: workflow.ChangeRoleGrant, Actor: idp, UserID: u.ID, UserName: "张三", Role: workflow.RoleApprover, DepartmentID: ab.unitB.ID, Department: kcj},
		{At: t2, Change: workflow.ChangeRoleRevoke, Actor: idp, UserID: u.ID, UserName: "张三", Role: workflow.RoleReviewer, DepartmentID: ab.unitB.ID, Department: kcj},
		{At: t2, Change: workflow.ChangeUserDepartment, Actor: idp, UserID: u.ID, UserName: "张三", DepartmentID: ab.unitB.ID, Department: kcj, PreviousDepartment: scjg},
		{At: t0, Change: workflow.ChangeRoleGrant, Actor: idp, UserID: u.ID, UserName: "张三", Role: workflow.RoleReviewer, DepartmentID: ab.unitA.ID, Department: scjg},
		{At: t0, Change: workflow.ChangeRoleGrant, Actor: idp, UserID: u.ID, UserName: "张三", Role: workflow.RoleDrafter, DepartmentID: ab.unitA.ID, Department: scjg},
		{At: t0, Change: workflow.ChangeUserCreate, Actor: idp, UserID: u.ID, UserName: "张三", DepartmentID: ab.unitA.ID, Department: scjg},
	})
}

// TestMigrationKeepsTheAdminRoleAlone: accounts that held admin with
// another role before migration 160 keep admin alone, each revocation
// recorded as banli's; other accounts keep their roles.
func TestMigrationKeepsTheAdminRoleAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sqlDB, err := sql.Open("pgx", testdb.New(t))
	must(t, err)
	defer sqlDB.Close()
	_, err = migrations.DownTo(ctx, sqlDB, 130)
	must(t, err)
	for _, q := range []string{
		`INSERT INTO departments (code, name) VALUES ('scjg', '武汉市市场监督管理局')`,
		`INSERT INTO users (name, department_id) VALUES ('两用', 1), ('承办', 1)`,
		`INSERT INTO user_roles (user_id, role) VALUES (1, 'admin'), (1, 'approver'), (1, 'drafter'), (2, 'drafter'), (2, 'reviewer')`,
	} {
		_, err := sqlDB.ExecContext(ctx, q)
		must(t, err)
	}
	_, err = migrations.Up(ctx, sqlDB, nil)
	must(t, err)

	roles := func(user int) string {
		var s string
		must(t, sqlDB.QueryRowContext(ctx, `SELECT string_agg(role, ',' ORDER BY role) FROM user_roles WHERE user_id = $1`, user).Scan(&s))
		return s
	}
	if got := roles(1); got != "admin" {
		t.Errorf("两用's roles after the migration: %s, want admin", got)
	}
	if got := roles(2); got != "drafter,reviewer" {
		t.Errorf("承办's roles after the migration: %s", got)
	}
	rows, err := sqlDB.QueryContext(ctx, `SELECT action, actor_kind, actor_name, user_name, role, department FROM admin_events ORDER BY id`)
	must(t, err)
	defer rows.Close()
	var got []string
	for rows.Next() {
		var a, k, n, u, r, d string
		must(t, rows.Scan(&a, &k, &n, &u, &r, &d))
		got = append(got, strings.Join([]string{a, k, n, u, r, d}, " "))
	}
	must(t, rows.Err())
	want := []string{
		"role_revoke system 系统 两用 approver 武汉市市场监督管理局",
		"role_revoke system 系统 两用 drafter 武汉市市场监督管理局",
	}
	if !slices.Equal(got, want) {
		t.Errorf("records of the migration:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
