package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// searchHitView is a case found by a search, in the API.
type searchHitView struct {
	caseView
	// TitleHit says the suggestion's title holds every word.
	TitleHit bool `json:"title_hit"`
}

// searchResponse is a page of search hits: Total counts them up to
// storage.SearchCountCap; More says there are more than that.
type searchResponse struct {
	Cases []searchHitView `json:"cases"`
	Total int             `json:"total"`
	More  bool            `json:"more"`
}

// apiSearch answers GET /api/search: the cases the caller may see whose
// suggestion (title, number, body, deputies' names) or reply holds every
// word of ?q= (Chinese: any two or more characters; see storage's
// search), title hits first, then the newest; filtered by ?session=ID,
// ?department=ID, ?state=, ?class=A–D, ?year=YYYY (of assignment); paged
// by ?limit= (1–100, default 20) and ?offset=. total counts the hits up to
// storage.SearchCountCap; more says there are more.
func (s *server) apiSearch(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	q := r.URL.Query()
	in := storage.CaseSearch{Query: strings.TrimSpace(q.Get("q")), State: workflow.State(q.Get("state")),
		Class: workflow.ReplyClass(q.Get("class"))}
	if len([]rune(in.Query)) > maxPublicQuery {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "q: longer than %d characters", maxPublicQuery))
		return
	}
	if in.State != "" && !in.State.Valid() {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "state: %q is not a case state", in.State))
		return
	}
	if in.Class != "" && !in.Class.Valid() {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "class: %q is not one of A, B, C, D", in.Class))
		return
	}
	for _, n := range []struct {
		name     string
		dst      *int
		min, max int
	}{{"year", &in.Year, 1990, 2200}, {"limit", &in.Limit, 1, 100}, {"offset", &in.Offset, 0, storage.SearchCountCap}} {
		if v := q.Get(n.name); v != "" {
			x, err := strconv.Atoi(v)
			if err != nil || x < n.min || x > n.max {
				s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s: %q is not between %d and %d", n.name, v, n.min, n.max))
				return
			}
			*n.dst = x
		}
	}
	for name, dst := range map[string]*int64{"session": &in.SessionID, "department": &in.DepartmentID} {
		if v := q.Get(name); v != "" {
			x, err := strconv.ParseInt(v, 10, 64)
			if err != nil || x <= 0 {
				s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s: %q is not an id", name, v))
				return
			}
			*dst = x
		}
	}
	res, err := s.db.SearchCases(r.Context(), p.Actor, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]searchHitView, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, searchHitView{caseView: newCaseView(h.CaseSummary, p.Actor.AccessTo(&h.Case, h.LeadDepartmentID)),
			TitleHit: h.TitleHit})
	}
	writeJSON(w, http.StatusOK, searchResponse{Cases: out, Total: res.Total, More: res.More})
}
