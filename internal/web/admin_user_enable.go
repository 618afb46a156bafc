package web

import (
	"context"
	"net/http"

	"github.com/banli-gov/banli/workflow"
)

// adminUserEnable answers POST /admin/users/{id}/enable (admin only): a
// disabled user may log in again.
func (s *server) adminUserEnable(w http.ResponseWriter, r *http.Request) {
	s.adminUserChange(w, r, func(ctx context.Context, f *form, u *workflow.User, by workflow.AdminActor) (string, error) {
		return flashUserEnabled, s.db.EnableUser(ctx, by, u.ID)
	})
}
