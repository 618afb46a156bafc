package web

import (
	"context"
	"net/http"

	"github.com/banli-gov/banli/workflow"
)

// adminUserGrant answers POST /admin/users/{id}/grant (admin only): it
// gives the user the role of the field role.
func (s *server) adminUserGrant(w http.ResponseWriter, r *http.Request) {
	s.adminUserChange(w, r, func(ctx context.Context, f *form, u *workflow.User, by workflow.AdminActor) (string, error) {
		role, err := svFormRole(f)
		if err != nil {
			return "", err
		}
		return flashRoleGranted, s.db.GrantRole(ctx, by, u.ID, role)
	})
}
