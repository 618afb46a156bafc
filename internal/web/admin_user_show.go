package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// svAdminUser is the data of the view "admin_user".
type svAdminUser struct {
	User       *workflow.User
	Department string // the unit's name, "" when none
	// History is the user's records of the administration log, newest
	// first, one page of Total.
	History []admLogLine
	Total   int
	Pager   ui.Pager
}

// userOf reads the user of the path; one that is not there is not found.
func (s *server) userOf(r *http.Request) (*workflow.User, error) {
	raw := chi.URLParam(r, "id")
	id, ok := parseID(raw)
	if !ok {
		return nil, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "adm.users.err.notFound", raw))
	}
	u, err := s.db.User(r.Context(), id)
	if workflow.Code(err) == workflow.ErrNotFound {
		err = workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "adm.users.err.notFound", id))
	}
	return u, err
}

// adminUser shows GET /admin/users/{id} (admin only): the user, their unit,
// roles and status, and their history — every administrative change made
// to them, by whom and when.
func (s *server) adminUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, err := s.userOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d := &svAdminUser{User: u}
	if u.DepartmentID != 0 {
		dep, err := s.db.Department(ctx, u.DepartmentID)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		d.Department = dep.Name
	}
	var ok bool
	if d.History, d.Total, d.Pager, ok = s.admLogPage(w, r, u.ID); !ok {
		return
	}
	p := s.page(w, r, message(r, "adm.user.title", u.Name), d)
	s.render(w, r, http.StatusOK, "admin_user", p)
}
