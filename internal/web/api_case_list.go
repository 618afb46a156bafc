package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// apiCaseList answers GET /api/cases: the cases the caller may see, filtered
// by ?state=a,b, ?kind=, ?department=ID, ?proposal=ID, ?limit=.
func (s *server) apiCaseList(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	q := r.URL.Query()
	var f storage.CaseFilter
	for _, st := range splitList(q.Get("state")) {
		state := workflow.State(st)
		if !state.Valid() {
			s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "state: %q is not a case state", st))
			return
		}
		f.States = append(f.States, state)
	}
	for _, k := range splitList(q.Get("kind")) {
		kind := workflow.CaseKind(k)
		if !kind.Valid() {
			s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "kind: %q is not one of lead, co, separate", k))
			return
		}
		f.Kinds = append(f.Kinds, kind)
	}
	for name, dst := range map[string]*int64{"department": &f.DepartmentID, "proposal": &f.ProposalID} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s: %q is not an id", name, v))
				return
			}
			*dst = n
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > 5000 {
			s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "limit: %q is not between 1 and 5000", v))
			return
		}
		f.Limit = n
	}
	cases, err := s.db.CasesVisibleTo(r.Context(), p.Actor, f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]caseView, 0, len(cases))
	for _, cs := range cases {
		v, err := s.caseView(r, cs, p.Actor, p.Actor.AccessTo(&cs.Case, cs.LeadDepartmentID))
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": out})
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
