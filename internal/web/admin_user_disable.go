package web

import (
	"context"
	"net/http"

	"github.com/banli-gov/banli/workflow"
)

// adminUserDisable answers POST /admin/users/{id}/disable (admin only): the
// user can no longer log in, and every session of theirs ends at once
// (storage.DisableUser). Administrators cannot disable themselves
// (workflow.CheckUserChange).
func (s *server) adminUserDisable(w http.ResponseWriter, r *http.Request) {
	s.adminUserChange(w, r, func(ctx context.Context, f *form, u *workflow.User, by workflow.AdminActor) (string, error) {
		return flashUserDisabled, s.db.DisableUser(ctx, by, u.ID)
	})
}
