package workflow

import "testing"

func TestCheckRoles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		roles []Role
		guard string // "" when allowed
	}{
		{"none", nil, ""},
		{"admin alone", []Role{RoleAdmin}, ""},
		{"unit roles together", []Role{RoleDrafter, RoleReviewer, RoleApprover}, ""},
		{"liaison and drafter", []Role{RoleLiaison, RoleDrafter}, ""},
		{"admin and approver", []Role{RoleAdmin, RoleApprover}, RuleAdminAlone},
		{"drafter and admin", []Role{RoleDrafter, RoleAdmin}, RuleAdminAlone},
		{"admin and reviewer", []Role{RoleReviewer, RoleAdmin}, RuleAdminAlone},
		{"admin and liaison", []Role{RoleLiaison, RoleAdmin}, RuleAdminAlone},
		{"admin twice", []Role{RoleAdmin, RoleAdmin}, ""},
		{"deputy", []Role{RoleDeputy}, RuleGrantableRole},
		{"unknown", []Role{"mayor"}, RuleGrantableRole},
	}
	for _, tt := range tests {
		err := CheckRoles(tt.roles)
		if got := guardOf(err); got != tt.guard {
			t.Errorf("%s: CheckRoles(%v) = %v, want guard %q", tt.name, tt.roles, err, tt.guard)
		}
	}
	err := CheckRoles([]Role{RoleAdmin, RoleApprover})
	if err.Code != ErrConflict || err.Message != "系统管理员账号不能同时担任承办人、审核人、签发人或督办人员。" {
		t.Errorf("admin and approver: %s %q", err.Code, err.Message)
	}
}

func TestCheckUserChange(t *testing.T) {
	t.Parallel()
	admin := &User{ID: 1, Name: "王某", Roles: []Role{RoleAdmin}}
	other := AdminUser(&User{ID: 2, Name: "李某"})
	drafter := &User{ID: 3, Name: "张三", Roles: []Role{RoleDrafter}}
	newcomer := &User{ID: 4, Name: "新人"}
	adminRoles := []Role{RoleAdmin}
	self := AdminUser(admin)
	tests := []struct {
		name   string
		change UserChange
		code   ErrorCode
		guard  string
	}{
		{"admin grants a drafter approver", UserChange{By: other, ByRoles: adminRoles, Target: drafter, Change: ChangeRoleGrant, Role: RoleApprover}, "", ""},
		{"admin grants a newcomer admin", UserChange{By: other, ByRoles: adminRoles, Target: newcomer, Change: ChangeRoleGrant, Role: RoleAdmin}, "", ""},
		{"admin grants themselves approver", UserChange{By: self, ByRoles: adminRoles, Target: admin, Change: ChangeRoleGrant, Role: RoleApprover}, ErrForbidden, RuleNoSelfChange},
		{"admin revokes their own admin", UserChange{By: self, ByRoles: adminRoles, Target: admin, Change: ChangeRoleRevoke, Role: RoleAdmin}, ErrForbidden, RuleNoSelfChange},
		{"admin moves themselves", UserChange{By: self, ByRoles: adminRoles, Target: admin, Change: ChangeUserDepartment}, ErrForbidden, RuleNoSelfChange},
		{"admin disables themselves", UserChange{By: self, ByRoles: adminRoles, Target: admin, Change: ChangeUserDisable}, ErrForbidden, RuleNoSelfDisable},
		{"another admin grants the admin approver", UserChange{By: other, ByRoles: adminRoles, Target: admin, Change: ChangeRoleGrant, Role: RoleApprover}, ErrConflict, RuleAdminAlone},
		{"another admin grants the drafter admin", UserChange{By: other, ByRoles: adminRoles, Target: drafter, Change: ChangeRoleGrant, Role: RoleAdmin}, ErrConflict, RuleAdminAlone},
		{"another admin moves the admin", UserChange{By: other, ByRoles: adminRoles, Target: admin, Change: ChangeUserDepartment}, "", ""},
		{"another admin disables the admin", UserChange{By: other, ByRoles: adminRoles, Target: admin, Change: ChangeUserDisable}, "", ""},
		{"a former admin grants", UserChange{By: other, ByRoles: []Role{RoleDrafter}, Target: drafter, Change: ChangeRoleGrant, Role: RoleReviewer}, ErrForbidden, RuleAdminOnly},
		{"deputy is not granted", UserChange{By: other, ByRoles: adminRoles, Target: drafter, Change: ChangeRoleGrant, Role: RoleDeputy}, ErrInvalid, RuleGrantableRole},
		{"the command line changes an admin's department", UserChange{By: CommandLine("root"), Target: admin, Change: ChangeUserDepartment}, "", ""},
		{"the command line grants the admin approver", UserChange{By: CommandLine("root"), Target: admin, Change: ChangeRoleGrant, Role: RoleApprover}, ErrConflict, RuleAdminAlone},
		{"the command line revokes an admin's admin", UserChange{By: CommandLine("root"), Target: admin, Change: ChangeRoleRevoke, Role: RoleAdmin}, "", ""},
		{"a login grants a drafter admin", UserChange{By: LoginSync("https://idp"), Target: drafter, Change: ChangeRoleGrant, Role: RoleAdmin}, ErrConflict, RuleAdminAlone},
		{"a department change is no user change", UserChange{By: other, ByRoles: adminRoles, Target: drafter, Change: ChangeDepartmentCreate}, ErrInvalid, ""},
		{"no actor kind", UserChange{Target: drafter, Change: ChangeUserEnable}, ErrInvalid, ""},
	}
	for _, tt := range tests {
		err := CheckUserChange(tt.change)
		var code ErrorCode
		if err != nil {
			code = err.Code
		}
		if code != tt.code || guardOf(err) != tt.guard {
			t.Errorf("%s: %v (guard %q), want %q (guard %q)", tt.name, err, guardOf(err), tt.code, tt.guard)
		}
	}
	err := CheckUserChange(UserChange{By: self, ByRoles: adminRoles, Target: admin, Change: ChangeRoleGrant, Role: RoleApprover})
	if err.Message != "不能修改自己的角色或所属单位，请由其他管理员办理。" {
		t.Errorf("self grant: %q", err.Message)
	}
}

func guardOf(err *Error) string {
	if err == nil {
		return ""
	}
	return err.Guard
}
