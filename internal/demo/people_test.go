package demo_test

import (
	"slices"
	"testing"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/workflow"
)

// TestPeopleKeepTheAdminRoleAlone: the demo's administrator holds admin
// only, and nobody else holds it (workflow.CheckRoles), so the demo loads
// under the rule the database enforces too.
func TestPeopleKeepTheAdminRoleAlone(t *testing.T) {
	t.Parallel()
	admins := 0
	for _, p := range demo.People() {
		if err := workflow.CheckRoles(p.Roles); err != nil {
			t.Errorf("%s (%s): %v", p.Login, p.Name, err)
		}
		if slices.Contains(p.Roles, workflow.RoleAdmin) {
			admins++
		}
	}
	if admins != 1 {
		t.Errorf("%d administrators, want the one", admins)
	}
}
