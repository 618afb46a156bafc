package web

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// workbenchFilter is the workbench's query: ?q= (a suggestion's number or
// words of its title), ?state=, ?kind=, ?session= (a session's short name)
// and ?overdue=1.
type workbenchFilter struct {
	Q, State, Kind, Session string
	Overdue                 bool
}

// workbenchRow is a case in the workbench's table.
type workbenchRow struct {
	ID         int64
	Number     string
	Title      string
	Session    string
	Department string
	Kind       workflow.CaseKind
	State      workflow.State
	// Due is the case's current deadline; nil when nothing is due.
	Due *dueView
}

// workbenchData is the data of the view "workbench".
type workbenchData struct {
	Filter   workbenchFilter
	Filtered bool
	States   []workflow.State
	Kinds    []workflow.CaseKind
	Sessions []string
	Rows     []workbenchRow
	// Visible counts every case the user may see, before the filters.
	Visible int
	// Inbox is the newest unread notifications; Unread counts them all.
	Inbox  []*storage.Notification
	Unread int
	// Next is this page's path and query, where the inbox's forms return.
	Next string
}

// workbenchInboxSize is how many unread notifications the workbench
// shows; workbenchMaxCases bounds its table (CasesVisibleTo's maximum).
const (
	workbenchInboxSize = 10
	workbenchMaxCases  = 5000
)

// workbench shows GET / (工作台): the cases the user may see (their unit's;
// every unit's for a liaison), most urgent first, filtered by the query,
// each with its current deadline as working days left and a traffic light;
// and the newest unread notifications, to mark read.
func (s *server) workbench(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	ctx := r.Context()
	qs := r.URL.Query()
	f := workbenchFilter{Q: strings.TrimSpace(qs.Get("q")), State: qs.Get("state"), Kind: qs.Get("kind"),
		Session: qs.Get("session"), Overdue: qs.Get("overdue") == "1"}
	if len([]rune(f.Q)) > maxPublicQuery {
		f.Q = string([]rune(f.Q)[:maxPublicQuery])
	}
	// Unknown values filter nothing.
	if !workflow.State(f.State).Valid() {
		f.State = ""
	}
	if !workflow.CaseKind(f.Kind).Valid() {
		f.Kind = ""
	}
	// Every visible case, for the session choices and the count; the
	// filters apply below.
	all, err := s.db.CasesVisibleTo(ctx, p.Actor, storage.CaseFilter{Limit: workbenchMaxCases})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	data := workbenchData{Filter: f, States: workflow.CaseStates(), Kinds: workflow.AllCaseKinds(), Visible: len(all),
		Next: r.URL.RequestURI()}
	data.Filtered = f.Q != "" || f.State != "" || f.Kind != "" || f.Session != "" || f.Overdue
	var cases []*storage.CaseSummary
	ids := make([]int64, 0, len(all))
	for _, c := range all {
		if !slices.Contains(data.Sessions, c.SessionShort) {
			data.Sessions = append(data.Sessions, c.SessionShort)
		}
		if (f.State != "" && string(c.State) != f.State) || (f.Kind != "" && string(c.Kind) != f.Kind) ||
			(f.Session != "" && c.SessionShort != f.Session) ||
			(f.Q != "" && !strings.Contains(c.ProposalNumber, f.Q) && !strings.Contains(c.ProposalTitle, f.Q)) {
			continue
		}
		cases = append(cases, c)
		ids = append(ids, c.ID)
	}
	deadlines, err := s.db.ActiveDeadlinesOf(ctx, ids)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	today := s.clock.Today()
	liaison := isLiaison(p.Actor)
	for _, c := range cases {
		row := workbenchRow{ID: c.ID, Number: c.ProposalNumber, Title: c.ProposalTitle, Session: c.SessionShort,
			Department: c.DepartmentName, Kind: c.Kind, State: c.State}
		if d := currentDeadline(deadlines[c.ID], liaison); d != nil {
			row.Due = dueOf(cal, today, d.Kind, d.Due, d.Provisional)
		}
		if f.Overdue && (row.Due == nil || row.Due.Light != workflow.LightRed) {
			continue
		}
		data.Rows = append(data.Rows, row)
	}
	slices.SortStableFunc(data.Rows, compareUrgency)
	if data.Inbox, err = s.db.Inbox(ctx, p.Actor.UserID, storage.InboxFilter{UnreadOnly: true, Limit: workbenchInboxSize}); err != nil {
		s.writeError(w, r, err)
		return
	}
	if data.Unread, err = s.db.UnreadCount(ctx, p.Actor.UserID); err != nil {
		s.writeError(w, r, err)
		return
	}
	pg := s.page(w, r, ui.Message(ui.LangOf(r), "wb.title"), data)
	s.render(w, r, http.StatusOK, "workbench", pg)
}

// compareUrgency orders the workbench: cases with a counted deadline by
// working days left (most overdue first), then those whose days the
// calendar cannot count, then those with nothing due; by number within.
func compareUrgency(a, b workbenchRow) int {
	rank := func(r workbenchRow) int {
		switch {
		case r.Due == nil:
			return 2
		case !r.Due.Known:
			return 1
		}
		return 0
	}
	if c := cmp.Compare(rank(a), rank(b)); c != 0 {
		return c
	}
	if a.Due != nil && b.Due != nil {
		if c := cmp.Compare(a.Due.Days, b.Due.Days); c != 0 {
			return c
		}
		if c := a.Due.Due.Compare(b.Due.Due); c != 0 {
			return c
		}
	}
	return cmp.Compare(a.Number, b.Number)
}
