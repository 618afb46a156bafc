package web

import (
	"net/http"
	"strings"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/workflow"
)

// adminSupervisorLabelSet answers POST /admin/supervisor-label (admin
// only): it sets the name the supervising role goes by in this deployment
// (e.g. 人大代表工作机构, 政府督查室), recorded in the administration log,
// and comes back to the administrator's page (303). A name the rules refuse
// (workflow.CheckSupervisorLabel) is said in plain words.
func (s *server) adminSupervisorLabelSet(w http.ResponseWriter, r *http.Request) {
	pr, _ := auth.PrincipalFrom(r.Context())
	label := strings.TrimSpace(readForm(r).Value("label"))
	if err := s.db.SetSupervisorLabel(r.Context(), workflow.AdminUser(pr.User), label); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.redirect(w, r, "/admin", flashSupervisor)
}
