package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// svCasesPerPage is the length of a page of the liaison's case list.
const svCasesPerPage = 50

// svCaseList is the data of the view "supervision_cases".
type svCaseList struct {
	Session *workflow.CongressSession
	Year    int
	// Filters are the filters in force, in words.
	Filters     []string
	Cases       []storage.SupervisedCase
	Total       int
	Pager       ui.Pager
	Today       workflow.Date
	SoonUntil   workflow.Date
	CalendarGap bool
	// DashboardURL leads back to the dashboard of the same scope.
	DashboardURL string
	// Marks are the key and merge marks of the listed suggestions.
	Marks map[int64]storage.ProposalMark
	// ExportXLSX and ExportCSV download the whole list.
	ExportXLSX, ExportCSV string
}

// supervisionCases shows GET /supervision/cases (liaison only): the cases
// one figure of the dashboard counts, with their due dates. The query
// narrows it: session (an id) or year, unit (a unit's code), state,
// overdue=1, due_soon=1, measure (storage.AllMeasures), rating,
// work_rating and first_rating (satisfied, basically_satisfied,
// dissatisfied), class (A–D), page. An unknown value is refused (422)
// naming its parameter. The same list downloads (without page) from
// /supervision/cases/export (supervision_export.go).
func (s *server) supervisionCases(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f, d, err := s.svCaseFilter(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	scope := f.Scope
	q := r.URL.Query()
	invalid := func(param, value string) {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "sv.err.param", param, value)))
	}
	page := 1
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			invalid("page", v)
			return
		}
		page = n
	}
	f.Offset = (page - 1) * svCasesPerPage
	d.Cases, d.Total, err = s.db.SupervisionCases(ctx, f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d.Pager = ui.NewPager(page, svCasesPerPage, d.Total, func(n int) string {
		u := *r.URL
		v := u.Query()
		v.Set("page", strconv.Itoa(n))
		u.RawQuery = v.Encode()
		return u.RequestURI()
	})
	dash := url.Values{}
	switch {
	case scope.Year != 0:
		dash.Set("year", strconv.Itoa(scope.Year))
	case scope.SessionID != 0:
		dash.Set("session", strconv.FormatInt(scope.SessionID, 10))
	}
	d.ExportXLSX, d.ExportCSV = exportURL(r.URL, "/supervision/cases/export", "xlsx"), exportURL(r.URL, "/supervision/cases/export", "csv")
	d.DashboardURL = "/supervision"
	if len(dash) > 0 {
		d.DashboardURL += "?" + dash.Encode()
	}
	ids := make([]int64, len(d.Cases))
	for i, c := range d.Cases {
		ids[i] = c.ProposalID
	}
	if d.Marks, err = s.db.ProposalMarks(ctx, ids); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "supervision_cases", s.page(w, r, message(r, "sv.cases.title"), d))
}

// svIsCaseState reports whether st is a state of the case machine.
func svIsCaseState(st workflow.State) bool {
	for _, s := range workflow.CaseStates() {
		if s == st {
			return true
		}
	}
	return false
}

// svCaseFilter reads the liaison's case list's query (see
// supervisionCases) into its filter, with the page's data but the cases;
// an unknown value is refused naming its parameter. The list and its
// export (supervisionCasesExport) read it alike.
func (s *server) svCaseFilter(r *http.Request) (storage.SupervisionFilter, *svCaseList, error) {
	ctx := r.Context()
	sessions, err := s.db.Sessions(ctx)
	if err != nil {
		return storage.SupervisionFilter{}, nil, err
	}
	scope, session, err := svScope(r, sessions)
	if err != nil {
		return storage.SupervisionFilter{}, nil, err
	}
	today := s.clock.Today()
	soon, gap, err := s.svSoonUntil(r, today)
	if err != nil {
		return storage.SupervisionFilter{}, nil, err
	}
	f := storage.SupervisionFilter{Scope: scope, Today: today, SoonUntil: soon, Limit: svCasesPerPage}
	d := &svCaseList{Session: session, Year: scope.Year, Today: today, SoonUntil: soon, CalendarGap: gap}
	q := r.URL.Query()
	invalid := func(param, value string) error {
		return workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "sv.err.param", param, value))
	}
	if v := q.Get("unit"); v != "" {
		dept, err := s.db.DepartmentByCode(ctx, v)
		if err != nil || dept.LiaisonOffice {
			return f, nil, invalid("unit", v)
		}
		f.DepartmentID = dept.ID
		d.Filters = append(d.Filters, message(r, "sv.filter.unit", dept.Name))
	}
	if v := q.Get("state"); v != "" {
		st := workflow.State(v)
		if st.LabelZH() == "" || !svIsCaseState(st) {
			return f, nil, invalid("state", v)
		}
		f.State = st
		d.Filters = append(d.Filters, message(r, "sv.filter.state", labelOf(r, st)))
	}
	for _, b := range []struct {
		param string
		set   *bool
	}{{"overdue", &f.Overdue}, {"due_soon", &f.DueSoon}} {
		switch v := q.Get(b.param); v {
		case "":
		case "1":
			*b.set = true
			d.Filters = append(d.Filters, message(r, "sv.filter."+b.param))
		default:
			return f, nil, invalid(b.param, v)
		}
	}
	if v := q.Get("measure"); v != "" {
		m := storage.Measure(v)
		if !m.Valid() {
			return f, nil, invalid("measure", v)
		}
		f.Measure = m
		d.Filters = append(d.Filters, message(r, "sv.measure."+v))
	}
	for _, rp := range []struct {
		param, key string
		set        *workflow.Rating
	}{{"rating", "sv.filter.rating", &f.Rating}, {"work_rating", "sv.filter.workRating", &f.WorkRating},
		{"first_rating", "sv.filter.firstRating", &f.FirstRating}} {
		if v := q.Get(rp.param); v != "" {
			rt := workflow.Rating(v)
			if !rt.Valid() {
				return f, nil, invalid(rp.param, v)
			}
			*rp.set = rt
			d.Filters = append(d.Filters, message(r, rp.key, labelOf(r, rt)))
		}
	}
	if v := q.Get("class"); v != "" {
		c := workflow.ReplyClass(v)
		if !c.Valid() {
			return f, nil, invalid("class", v)
		}
		f.Class = c
		d.Filters = append(d.Filters, message(r, "sv.filter.class", v, labelOf(r, c)))
	}
	return f, d, nil
}
