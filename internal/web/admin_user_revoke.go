package web

import (
	"context"
	"net/http"

	"github.com/banli-gov/banli/workflow"
)

// adminUserRevoke answers POST /admin/users/{id}/revoke (admin only): it
// takes the role of the field role from the user. Administrators cannot
// take their own admin role, so that someone always administers banli.
func (s *server) adminUserRevoke(w http.ResponseWriter, r *http.Request) {
	s.adminUserChange(w, r, func(ctx context.Context, r *http.Request, u *workflow.User, self bool) (string, error) {
		role, err := svFormRole(r)
		if err != nil {
			return "", err
		}
		if self && role == workflow.RoleAdmin {
			return "", workflow.Errorf(workflow.ErrConflict, "%s", svMsg(r, "adm.users.err.selfAdmin"))
		}
		return "roleRevoked", s.db.RevokeRole(ctx, u.ID, role)
	})
}
