package storage_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

const testIssuer = "https://idp.example.gov.cn"

func TestUpsertOIDCUserCreatesAndRefreshes(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	roles := []workflow.Role{workflow.RoleDrafter, workflow.RoleReviewer}
	u, err := bn.db.UpsertOIDCUser(bn.ctx, storage.OIDCIdentity{Issuer: testIssuer, Subject: "s-1", Name: "王小明",
		Email: "wxm@example.gov.cn", DepartmentCode: "scjg", Roles: roles})
	must(t, err)
	if u.ID == 0 || u.Name != "王小明" || u.Email != "wxm@example.gov.cn" || u.DepartmentID != bn.unitA.ID ||
		u.Issuer != testIssuer || u.Subject != "s-1" || u.Disabled || !slices.Equal(u.Roles, []workflow.Role{workflow.RoleDrafter, workflow.RoleReviewer}) {
		t.Fatalf("first login = %+v", u)
	}
	var lastLogin bool
	must(t, bn.db.Pool.QueryRow(bn.ctx, `SELECT last_login_at IS NOT NULL FROM users WHERE id = $1`, u.ID).Scan(&lastLogin))
	if !lastLogin {
		t.Error("last_login_at not set")
	}

	// Next login: same identity, new name and e-mail, no roles claim: the
	// roles stay.
	again, err := bn.db.UpsertOIDCUser(bn.ctx, storage.OIDCIdentity{Issuer: testIssuer, Subject: "s-1", Name: "王晓明",
		Email: "wangxm@example.gov.cn", DepartmentCode: "scjg"})
	must(t, err)
	if again.ID != u.ID || again.Name != "王晓明" || again.Email != "wangxm@example.gov.cn" || !slices.Equal(again.Roles, u.Roles) {
		t.Errorf("second login = %+v, want the same user refreshed with its roles", again)
	}

	// A roles claim replaces the roles; an empty one leaves none.
	again, err = bn.db.UpsertOIDCUser(bn.ctx, storage.OIDCIdentity{Issuer: testIssuer, Subject: "s-1", Name: "王晓明",
		DepartmentCode: "scjg", Roles: []workflow.Role{workflow.RoleApprover}})
	must(t, err)
	if !slices.Equal(again.Roles, []workflow.Role{workflow.RoleApprover}) {
		t.Errorf("roles after a claim of approver = %v", again.Roles)
	}
	again, err = bn.db.UpsertOIDCUser(bn.ctx, storage.OIDCIdentity{Issuer: testIssuer, Subject: "s-1", Name: "王晓明",
		DepartmentCode: "scjg", Roles: []workflow.Role{}})
	must(t, err)
	if len(again.Roles) != 0 {
		t.Errorf("roles after an empty claim = %v, want none (awaiting a role)", again.Roles)
	}

	// The same subject at another issuer is another user.
	other, err := bn.db.UpsertOIDCUser(bn.ctx, storage.OIDCIdentity{Issuer: "https://other.example", Subject: "s-1", Name: "另一人"})
	must(t, err)
	if other.ID == u.ID {
		t.Error("the same subject at another issuer found the same user")
	}

	found, err := bn.db.UserByOIDC(bn.ctx, testIssuer, "s-1")
	must(t, err)
	if found.ID != u.ID {
		t.Errorf("UserByOIDC = user %d, want %d", found.ID, u.ID)
	}
	_, err = bn.db.UserByOIDC(bn.ctx, testIssuer, "nobody")
	wantCode(t, err, workflow.ErrNotFound)
}

func TestUpsertOIDCUserDepartment(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	login := func(id storage.OIDCIdentity) (*workflow.User, error) {
		id.Issuer = testIssuer
		if id.Name == "" {
			id.Name = "用户 " + id.Subject
		}
		return bn.db.UpsertOIDCUser(bn.ctx, id)
	}

	// The provider's fixed department, when the token names none.
	u, err := login(storage.OIDCIdentity{Subject: "fixed", FixedDepartmentID: bn.unitB.ID})
	must(t, err)
	if u.DepartmentID != bn.unitB.ID {
		t.Errorf("department = %d, want the provider's %d", u.DepartmentID, bn.unitB.ID)
	}
	// A claim agreeing with the fixed department.
	u, err = login(storage.OIDCIdentity{Subject: "fixed", DepartmentCode: "kcj", FixedDepartmentID: bn.unitB.ID})
	must(t, err)
	if u.DepartmentID != bn.unitB.ID {
		t.Errorf("department = %d, want %d", u.DepartmentID, bn.unitB.ID)
	}
	// A claim naming another department than the provider's.
	_, err = login(storage.OIDCIdentity{Subject: "fixed", DepartmentCode: "scjg", FixedDepartmentID: bn.unitB.ID, Name: "改名"})
	wantCode(t, err, workflow.ErrForbidden)
	if !strings.Contains(err.Error(), `"scjg"`) {
		t.Errorf("error %q does not name the department", err)
	}
	u, err = bn.db.User(bn.ctx, u.ID)
	must(t, err)
	if u.Name == "改名" || u.DepartmentID != bn.unitB.ID {
		t.Errorf("a refused login changed the user: %+v", u)
	}
	// An unknown department code, also at the first login: no user.
	_, err = login(storage.OIDCIdentity{Subject: "lost", DepartmentCode: "nosuch"})
	wantCode(t, err, workflow.ErrForbidden)
	if !strings.Contains(err.Error(), `"nosuch"`) {
		t.Errorf("error %q does not name the department", err)
	}
	if _, err := bn.db.UserByOIDC(bn.ctx, testIssuer, "lost"); workflow.Code(err) != workflow.ErrNotFound {
		t.Errorf("a refused first login created a user (%v)", err)
	}

	// No department at all: the user exists, without one.
	u, err = login(storage.OIDCIdentity{Subject: "none"})
	must(t, err)
	if u.DepartmentID != 0 {
		t.Errorf("department = %d, want none", u.DepartmentID)
	}
	// An administrator's department stays when the provider says nothing.
	exec(t, bn, `UPDATE users SET department_id = $2 WHERE id = $1`, u.ID, bn.unitA.ID)
	u, err = login(storage.OIDCIdentity{Subject: "none"})
	must(t, err)
	if u.DepartmentID != bn.unitA.ID {
		t.Errorf("department = %d, want the administrator's %d", u.DepartmentID, bn.unitA.ID)
	}
}

func TestUpsertOIDCUserRoles(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	tests := []struct {
		name  string
		dept  string
		roles []workflow.Role
		ok    bool
	}{
		{"unit roles", "scjg", []workflow.Role{workflow.RoleDrafter, workflow.RoleApprover}, true},
		{"admin (the provider allowed it)", "scjg", []workflow.Role{workflow.RoleAdmin}, true},
		{"liaison in the liaison office", "dcs", []workflow.Role{workflow.RoleLiaison}, true},
		{"liaison in a unit", "scjg", []workflow.Role{workflow.RoleLiaison}, false},
		{"liaison without department", "", []workflow.Role{workflow.RoleLiaison}, false},
		{"deputy", "scjg", []workflow.Role{workflow.RoleDeputy}, false},
		{"unknown role", "scjg", []workflow.Role{"mayor"}, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := bn.db.UpsertOIDCUser(bn.ctx, storage.OIDCIdentity{Issuer: testIssuer, Subject: "r" + string(rune('a'+i)),
				Name: tt.name, DepartmentCode: tt.dept, Roles: tt.roles})
			if !tt.ok {
				wantCode(t, err, workflow.ErrForbidden)
				return
			}
			must(t, err)
			if !slices.Equal(u.Roles, slices.Sorted(slices.Values(tt.roles))) {
				t.Errorf("roles = %v, want %v", u.Roles, tt.roles)
			}
		})
	}
}

func TestUpsertOIDCUserDisabled(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	u, err := bn.db.UpsertOIDCUser(bn.ctx, storage.OIDCIdentity{Issuer: testIssuer, Subject: "gone", Name: "离职人员", DepartmentCode: "scjg"})
	must(t, err)
	exec(t, bn, `UPDATE users SET disabled_at = now() WHERE id = $1`, u.ID)
	_, err = bn.db.UpsertOIDCUser(bn.ctx, storage.OIDCIdentity{Issuer: testIssuer, Subject: "gone", Name: "改名", DepartmentCode: "scjg",
		Roles: []workflow.Role{workflow.RoleApprover}})
	wantCode(t, err, workflow.ErrForbidden)
	if !strings.Contains(err.Error(), "account disabled") {
		t.Errorf("error = %q, want it to say the account is disabled", err)
	}
	u, err = bn.db.User(bn.ctx, u.ID)
	must(t, err)
	if u.Name != "离职人员" || len(u.Roles) != 0 {
		t.Errorf("a disabled user's login changed them: %+v", u)
	}
}

func TestUpsertOIDCUserNameFallback(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	u, err := bn.db.UpsertOIDCUser(bn.ctx, storage.OIDCIdentity{Issuer: testIssuer, Subject: "svc-1", Email: "svc@example.gov.cn"})
	must(t, err)
	if u.Name != "svc@example.gov.cn" {
		t.Errorf("name = %q, want the e-mail when the token has no name", u.Name)
	}
	u, err = bn.db.UpsertOIDCUser(bn.ctx, storage.OIDCIdentity{Issuer: testIssuer, Subject: "svc-2"})
	must(t, err)
	if u.Name != "svc-2" {
		t.Errorf("name = %q, want the subject", u.Name)
	}
	_, err = bn.db.UpsertOIDCUser(bn.ctx, storage.OIDCIdentity{Subject: "no-issuer"})
	wantCode(t, err, workflow.ErrInvalid)
}

// exec runs a statement that moves the test's world, such as an
// administrator's change.
func exec(t testing.TB, bn *bundle, sql string, args ...any) {
	t.Helper()
	if _, err := bn.db.Pool.Exec(bn.ctx, sql, args...); err != nil {
		t.Fatal(err)
	}
}
