package web

import (
	"net/http"

	"github.com/banli-gov/banli/workflow"
)

// svSessionForm is the form that adds a congress session, as typed.
type svSessionForm struct {
	Name, ShortName, OpenedOn string
}

// svAdminSessions is the data of the view "admin_sessions".
type svAdminSessions struct {
	Sessions []*workflow.CongressSession
	Form     svSessionForm
	Errors   fieldErrors
}

// adminSessions shows GET /admin/sessions (admin only): the congress
// sessions, each with a link to its rules, and the form that adds one.
func (s *server) adminSessions(w http.ResponseWriter, r *http.Request) {
	s.renderSessions(w, r, http.StatusOK, svSessionForm{}, nil)
}

func (s *server) renderSessions(w http.ResponseWriter, r *http.Request, status int, f svSessionForm, errs fieldErrors) {
	sessions, err := s.db.Sessions(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d := &svAdminSessions{Sessions: sessions, Form: f, Errors: errs}
	s.render(w, r, status, "admin_sessions", s.page(w, r, message(r, "adm.sessions.title"), d))
}
