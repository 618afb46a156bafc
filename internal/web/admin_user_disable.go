package web

import (
	"context"
	"net/http"

	"github.com/banli-gov/banli/workflow"
)

// adminUserDisable answers POST /admin/users/{id}/disable (admin only): the
// user can no longer log in, and every session of theirs ends at once
// (storage.DisableUser). Administrators cannot disable themselves.
func (s *server) adminUserDisable(w http.ResponseWriter, r *http.Request) {
	s.adminUserChange(w, r, func(ctx context.Context, r *http.Request, u *workflow.User, self bool) (string, error) {
		if self {
			return "", workflow.Errorf(workflow.ErrConflict, "%s", svMsg(r, "adm.users.err.selfDisable"))
		}
		return "userDisabled", s.db.DisableUser(ctx, u.ID)
	})
}
