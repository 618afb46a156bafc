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
	s.adminUserChange(w, r, func(ctx context.Context, r *http.Request, u *workflow.User, by workflow.AdminActor) (string, error) {
		role, err := svFormRole(r)
		if err != nil {
			return "", err
		}
		return "roleRevoked", s.db.RevokeRole(ctx, by, u.ID, role)
	})
}
