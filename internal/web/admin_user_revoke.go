package web

import (
	"context"
	"net/http"

	"github.com/banli-gov/banli/workflow"
)

// adminUserRevoke answers POST /admin/users/{id}/revoke (admin only): it
// takes the role of the field role from the user. Administrators change no
// role of their own (workflow.CheckUserChange), so someone always
// administers banli.
func (s *server) adminUserRevoke(w http.ResponseWriter, r *http.Request) {
	s.adminUserChange(w, r, func(ctx context.Context, f *form, u *workflow.User, by workflow.AdminActor) (string, error) {
		role, err := svFormRole(f)
		if err != nil {
			return "", err
		}
		return flashRoleRevoked, s.db.RevokeRole(ctx, by, u.ID, role)
	})
}
