package web

import (
	"context"
	"net/http"

	"github.com/banli-gov/banli/workflow"
)

// adminUserDepartment answers POST /admin/users/{id}/department (admin
// only): it moves the user to the unit whose code is the field department.
func (s *server) adminUserDepartment(w http.ResponseWriter, r *http.Request) {
	s.adminUserChange(w, r, func(ctx context.Context, f *form, u *workflow.User, by workflow.AdminActor) (string, error) {
		code := f.Value("department")
		if code == "" {
			return "", workflow.Errorf(workflow.ErrInvalid, "%s", message(f.r, "adm.users.err.departmentRequired"))
		}
		if _, err := s.db.DepartmentByCode(ctx, code); err != nil {
			if workflow.Code(err) == workflow.ErrNotFound {
				err = workflow.Errorf(workflow.ErrInvalid, "%s", message(f.r, "adm.users.err.department", code))
			}
			return "", err
		}
		return flashDeptSet, s.db.SetUserDepartment(ctx, by, u.ID, code)
	})
}
