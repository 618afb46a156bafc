package web

import (
	"context"
	"net/http"

	"github.com/banli-gov/banli/workflow"
)

// adminUserPrincipal answers POST /admin/users/{id}/principal (admin only):
// principal=1 marks the user as their unit's principal leader (主要负责人),
// who signs key suggestions off; principal=0 takes the mark off
// (storage.SetPrincipalLeader, recorded in the administration log).
func (s *server) adminUserPrincipal(w http.ResponseWriter, r *http.Request) {
	s.adminUserChange(w, r, func(ctx context.Context, f *form, u *workflow.User, by workflow.AdminActor) (string, error) {
		on := f.Value("principal") == "1"
		code := flashPrincipalUnset
		if on {
			code = flashPrincipalSet
		}
		return code, s.db.SetPrincipalLeader(ctx, by, u.ID, on)
	})
}
