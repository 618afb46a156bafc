package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// apiCaseList answers GET /api/cases: the cases the caller may see, newest
// assignment first, filtered by ?state=a,b, ?kind=, ?department=ID,
// ?proposal=ID, paged by ?limit= (1–500, default 100) and ?before=ID (the
// cases after case ID in that order); next_before, present when there are
// more, is the before of the next page.
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
	for name, dst := range map[string]*int64{"department": &f.DepartmentID, "proposal": &f.ProposalID, "before": &f.Before} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s: %q is not an id", name, v))
				return
			}
			*dst = n
		}
	}
	limit := apiCasesDefault
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > apiCasesMax {
			s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "limit: %q is not between 1 and %d", v, apiCasesMax))
			return
		}
		limit = n
	}
	f.Limit = limit + 1 // one more says whether there is a next page
	cases, err := s.db.CasesVisibleTo(r.Context(), p.Actor, f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	more := len(cases) > limit
	cases = cases[:min(len(cases), limit)]
	out := make([]caseView, 0, len(cases))
	for _, cs := range cases {
		v, err := s.caseView(r, cs, p.Actor, p.Actor.AccessTo(&cs.Case, cs.LeadDepartmentID))
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		out = append(out, v)
	}
	res := caseListResponse{Cases: out}
	if more {
		res.NextBefore = cases[len(cases)-1].ID
	}
	writeJSON(w, http.StatusOK, res)
}

// caseListResponse is a page of cases; NextBefore, when set, is the
// before of the next page.
type caseListResponse struct {
	Cases      []caseView `json:"cases"`
	NextBefore int64      `json:"next_before,omitempty"`
}

// The page sizes of GET /api/cases.
const (
	apiCasesDefault = 100
	apiCasesMax     = 500
)

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
