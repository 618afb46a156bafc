package workflow

import "testing"

func TestAccessTo(t *testing.T) {
	t.Parallel()
	const unitA, unitB, office = 1, 2, 9
	lead := &Case{DepartmentID: unitA, Kind: KindLead}
	co := &Case{DepartmentID: unitB, Kind: KindCo}
	separate := &Case{DepartmentID: unitB, Kind: KindSeparate}
	tests := []struct {
		name  string
		actor Actor
		c     *Case
		want  Access
	}{
		{"own unit's lead case", Actor{DepartmentID: unitA, Roles: []Role{RoleDrafter}}, lead, AccessAct},
		{"other unit's lead case", Actor{DepartmentID: unitB, Roles: []Role{RoleApprover}}, lead, AccessNone},
		{"lead unit reads the co-opinion", Actor{DepartmentID: unitA, Roles: []Role{RoleReviewer}}, co, AccessRead},
		{"lead unit does not read a separate case", Actor{DepartmentID: unitA, Roles: []Role{RoleReviewer}}, separate, AccessNone},
		{"co unit acts on its own case", Actor{DepartmentID: unitB, Roles: []Role{RoleDrafter}}, co, AccessAct},
		{"liaison sees all", Actor{DepartmentID: office, Roles: []Role{RoleLiaison}}, separate, AccessAct},
		{"admin sees none", Actor{DepartmentID: unitA, Roles: []Role{RoleAdmin}}, lead, AccessNone},
		{"awaiting role", Actor{DepartmentID: unitA}, lead, AccessNone},
		{"no department", Actor{Roles: []Role{RoleDrafter}}, lead, AccessNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.actor.AccessTo(tt.c, unitA); got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}
