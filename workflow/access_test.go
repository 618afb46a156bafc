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

// TestMayAttach: who may add (and so delete) a file of each kind in which
// state, from the rules in MayAttach's doc.
func TestMayAttach(t *testing.T) {
	t.Parallel()
	unit := []Role{RoleDrafter}
	liaison := []Role{RoleLiaison}
	tests := []struct {
		owner AttachmentOwner
		state State
		roles []Role
		ok    bool
	}{
		{AttachToProposal, StateAssigned, liaison, true},
		{AttachToProposal, StateAssigned, unit, false},
		{AttachToCase, StateDrafting, unit, true},
		{AttachToCase, StateClosed, unit, true},
		{AttachToCase, StateReturned, unit, false},
		{AttachToCase, StateReturned, liaison, true},
		{AttachToCommunication, StateReplied, unit, true},
		{AttachToCommunication, StateClosed, unit, false},
		{AttachToDraft, StateDrafting, unit, true},
		{AttachToDraft, StateInReview, unit, false},
		{AttachToDraft, StateInReview, []Role{RoleReviewer}, true},
		{AttachToReply, StateReplied, []Role{RoleApprover}, true},
		{AttachToReply, StateClosed, unit, true},
		{AttachToReply, StateAssigned, unit, false},
		{AttachToReply, StateReplied, liaison, false},
	}
	for _, tt := range tests {
		_, err := MayAttach(tt.owner, tt.state, tt.roles)
		if (err == nil) != tt.ok {
			t.Errorf("MayAttach(%s, %s, %v) = %v, want ok %v", tt.owner, tt.state, tt.roles, err, tt.ok)
		}
	}
}

// TestAccessToProposal: a suggestion's own files are seen by the liaison
// and by any unit that sees one of its cases, the lead unit reading
// through a co-handling case as it does.
func TestAccessToProposal(t *testing.T) {
	t.Parallel()
	cases := []*Case{{DepartmentID: 1, Kind: KindLead}, {DepartmentID: 2, Kind: KindCo}}
	for _, tt := range []struct {
		actor Actor
		want  Access
	}{
		{Actor{Roles: []Role{RoleLiaison}}, AccessAct},
		{Actor{DepartmentID: 1, Roles: []Role{RoleDrafter}}, AccessAct},
		{Actor{DepartmentID: 2, Roles: []Role{RoleDrafter}}, AccessAct},
		{Actor{DepartmentID: 3, Roles: []Role{RoleDrafter}}, AccessNone},
		{Actor{DepartmentID: 1, Roles: []Role{RoleAdmin}}, AccessNone},
	} {
		if got := tt.actor.AccessToProposal(cases, 1); got != tt.want {
			t.Errorf("%+v: %s, want %s", tt.actor, got, tt.want)
		}
	}
}
