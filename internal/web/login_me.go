package web

import (
	"net/http"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/workflow"
)

// meView is the JSON of GET /me.
type meView struct {
	ID         int64           `json:"id"`
	Name       string          `json:"name"`
	Email      string          `json:"email"`
	Department *departmentView `json:"department"`
	Roles      []workflow.Role `json:"roles"`
	Bearer     bool            `json:"bearer"`
}

// departmentView is a department in JSON.
type departmentView struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// me handles GET /me: the caller's user as JSON (id, name, email,
// department or null, roles), for API clients and tests.
func (s *server) me(w http.ResponseWriter, r *http.Request) {
	p, ok := auth.PrincipalFrom(r.Context())
	if !ok {
		s.writeError(w, r, workflow.Errorf(workflow.ErrUnauthorized, "请先登录 / login required"))
		return
	}
	v := meView{ID: p.User.ID, Name: p.User.Name, Email: p.User.Email, Roles: p.User.Roles, Bearer: p.Bearer}
	if v.Roles == nil {
		v.Roles = []workflow.Role{}
	}
	if p.User.DepartmentID != 0 {
		d, err := s.db.Department(r.Context(), p.User.DepartmentID)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		v.Department = &departmentView{ID: d.ID, Code: d.Code, Name: d.Name}
	}
	writeJSON(w, http.StatusOK, v)
}
