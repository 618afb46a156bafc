package web

import (
	"net/http"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// home shows GET /: who is logged in, and the cases they may see counted by
// state (view "home"). The workbench of the UI work replaces it.
func (s *server) home(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	var data struct {
		Roles  []string
		States []stateCount
		Total  int
	}
	for _, role := range p.User.Roles {
		data.Roles = append(data.Roles, role.LabelZH())
	}
	cases, err := s.db.CasesVisibleTo(r.Context(), p.Actor, storage.CaseFilter{Limit: 5000})
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	counts := map[workflow.State]int{}
	for _, c := range cases {
		counts[c.State]++
	}
	for _, st := range workflow.CaseStates() {
		if counts[st] > 0 {
			data.States = append(data.States, stateCount{st.LabelZH(), string(st), counts[st]})
		}
	}
	data.Total = len(cases)
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "home", s.page(r, "工作台", data))
}

type stateCount struct {
	Label, State string
	N            int
}
