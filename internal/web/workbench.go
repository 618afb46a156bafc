package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// workbenchFilter is the case list's query: ?q= (a suggestion's number or
// words of its title), ?session= (a session's id), ?unit= (a unit's code;
// the liaison office's list), ?state=, ?kind=, ?overdue=1, ?due_soon=1,
// ?class=, ?past=1 (finished suggestions of past sessions too), ?sort=
// (assigned, number; urgency when empty) and ?page=. The queue pages with
// ?qpage=, the returned cases awaiting reassignment with ?rpage=. Unknown values filter nothing.
type workbenchFilter struct {
	Q, State, Kind, Unit, Class, Sort string
	Session                           int64
	Overdue, DueSoon, Past            bool
}

// workbenchRow is a case in the queue or the case list.
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
	// Task names what the case awaits from the user (the queue only): an
	// action, or TaskKey's text.
	Task    workflow.Action
	TaskKey string
}

// workbenchData is the data of the view "workbench".
type workbenchData struct {
	// Queue is the page of the user's queue (待我办理), QueueTotal its size.
	Queue      []workbenchRow
	QueueTotal int
	QueuePager ui.Pager
	// Reassign are the returned cases awaiting reassignment (liaison).
	Reassign      []*storage.CaseSummary
	ReassignTotal int
	ReassignPager ui.Pager
	ShowReassign  bool
	Filter        workbenchFilter
	Filtered      bool
	Liaison       bool
	States        []workflow.State
	Kinds         []workflow.CaseKind
	Classes       []workflow.ReplyClass
	Sorts         []storage.CaseListSort
	Sessions      []*workflow.CongressSession
	Units         []*workflow.Department
	Rows          []workbenchRow
	// Total counts the list up to storage.SearchCountCap; More says there
	// are more than that.
	Total int
	More  bool
	Pager ui.Pager
	// Inbox is the newest unread notifications; Unread counts them all.
	Inbox  []*storage.Notification
	Unread int
	// Next is this page's path and query, where the inbox's forms return.
	Next string
	// ExportXLSX and ExportCSV download the whole case list as filtered;
	// QueueExportXLSX and QueueExportCSV the whole queue.
	ExportXLSX, ExportCSV, QueueExportXLSX, QueueExportCSV string
}

// Page lengths of the home page's lists.
const (
	workbenchInboxSize = 10
	queuePerPage       = 20
	reassignPerPage    = 20
	casesPerPage       = 50
)

// workbench shows GET / (待我办理): the user's queue — the cases on which
// they can take an action now, most urgent first, each with its task
// (storage.Queue, from the transition table); for the liaison office the
// returned cases awaiting reassignment; beside them the cases the user may
// see (their unit's; every unit's for the liaison office), filtered,
// sorted and paged in SQL (storage.CaseList), each with its current
// deadline as working days left and a traffic light; and the newest unread
// notifications, to mark read.
func (s *server) workbench(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	ctx := r.Context()
	qs := r.URL.Query()
	today := s.clock.Today()
	f, lf, err := s.workbenchListFilter(r, today)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	liaison := isLiaison(p.Actor)
	data := workbenchData{Filter: f, Liaison: liaison, States: workflow.CaseStates(), Kinds: workflow.AllCaseKinds(),
		Classes: workflow.AllReplyClasses(), Sorts: storage.AllCaseListSorts(), Next: r.URL.RequestURI(), ShowReassign: liaison}
	data.Filtered = f.Q != "" || f.State != "" || f.Kind != "" || f.Session != 0 || f.Unit != "" || f.Class != "" ||
		f.Overdue || f.DueSoon || f.Past || f.Sort != ""
	data.ExportXLSX, data.ExportCSV = exportURL(r.URL, "/cases/export", "xlsx"), exportURL(r.URL, "/cases/export", "csv")
	if data.Sessions, err = s.db.Sessions(ctx); err != nil {
		s.writeError(w, r, err)
		return
	}
	if liaison {
		if data.Units, err = s.db.Departments(ctx); err != nil {
			s.writeError(w, r, err)
			return
		}
		rpage := pageParam(qs.Get("rpage"))
		if data.Reassign, data.ReassignTotal, err = s.db.AwaitingReassignment(ctx, reassignPerPage, (rpage-1)*reassignPerPage); err != nil {
			s.writeError(w, r, err)
			return
		}
		data.ReassignPager = ui.NewPager(rpage, reassignPerPage, data.ReassignTotal, func(n int) string { return withParam(r.URL, "rpage", n) })
	}
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page := pageParam(qs.Get("page"))
	lf.Offset = (page - 1) * casesPerPage
	list, total, more, err := s.db.CaseList(ctx, p.Actor, lf)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	qpage := pageParam(qs.Get("qpage"))
	queue, queueTotal, err := s.db.Queue(ctx, p.Actor, queuePerPage, (qpage-1)*queuePerPage)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cases := make([]*storage.CaseSummary, 0, len(list)+len(queue))
	for _, it := range queue {
		cases = append(cases, it.CaseSummary)
	}
	rows, err := s.wbRows(r, cal, today, liaison, append(cases, list...))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for i, it := range queue {
		wr := rows[i]
		wr.Task = workflow.Task(it.Kind, it.State, it.PublicationState, it.Actions)
		if wr.Task == workflow.ActionSubmit && !it.HasDraft {
			wr.TaskKey = "queue.task.has_draft"
		}
		data.Queue = append(data.Queue, wr)
	}
	data.Rows = rows[len(queue):]
	data.QueueTotal, data.Total, data.More = queueTotal, total, more
	data.QueueExportXLSX, data.QueueExportCSV = exportURL(r.URL, "/queue/export", "xlsx"), exportURL(r.URL, "/queue/export", "csv")
	data.QueuePager = ui.NewPager(qpage, queuePerPage, queueTotal, func(n int) string { return withParam(r.URL, "qpage", n) })
	data.Pager = ui.NewPager(page, casesPerPage, total, func(n int) string { return withParam(r.URL, "page", n) })
	if data.Inbox, err = s.db.Inbox(ctx, p.Actor.UserID, storage.InboxFilter{UnreadOnly: true, Limit: workbenchInboxSize}); err != nil {
		s.writeError(w, r, err)
		return
	}
	// The layout counts the unread notifications; the queue is counted.
	pg := s.pageCounted(w, r, ui.Message(ui.LangOf(r), "queue.title"), &data, queueTotal)
	data.Unread = pg.Unread
	s.render(w, r, http.StatusOK, "workbench", pg)
}

// wbRows are cases as rows of the home page's lists, with their current
// deadlines.
func (s *server) wbRows(r *http.Request, cal *workflow.Calendar, today workflow.Date, liaison bool, cases []*storage.CaseSummary) ([]workbenchRow, error) {
	ids := make([]int64, len(cases))
	for i, c := range cases {
		ids[i] = c.ID
	}
	deadlines, err := s.db.ActiveDeadlinesOf(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	out := make([]workbenchRow, len(cases))
	for i, c := range cases {
		out[i] = workbenchRow{ID: c.ID, Number: c.ProposalNumber, Title: c.ProposalTitle, Session: c.SessionShort,
			Department: c.DepartmentName, Kind: c.Kind, State: c.State}
		if d := currentDeadline(deadlines[c.ID], liaison); d != nil {
			out[i].Due = dueOf(cal, today, d.Kind, d.Due, d.Provisional)
		}
	}
	return out, nil
}

// workbenchListFilter reads the case list's query (workbenchFilter) into
// the filter of storage.CaseList for the caller on day today, the list
// and its export (workbench_export.go) alike: unknown values filter
// nothing; ?unit= only narrows the liaison office's list.
func (s *server) workbenchListFilter(r *http.Request, today workflow.Date) (workbenchFilter, storage.CaseListFilter, error) {
	p := mustPrincipal(r)
	ctx := r.Context()
	qs := r.URL.Query()
	f := workbenchFilter{Q: strings.TrimSpace(qs.Get("q")), State: qs.Get("state"), Kind: qs.Get("kind"), Unit: qs.Get("unit"),
		Class: qs.Get("class"), Sort: qs.Get("sort"), Overdue: qs.Get("overdue") == "1", DueSoon: qs.Get("due_soon") == "1",
		Past: qs.Get("past") == "1"}
	f.Session, _ = strconv.ParseInt(qs.Get("session"), 10, 64)
	if len([]rune(f.Q)) > maxPublicQuery {
		f.Q = string([]rune(f.Q)[:maxPublicQuery])
	}
	if !workflow.State(f.State).Valid() {
		f.State = ""
	}
	if !workflow.CaseKind(f.Kind).Valid() {
		f.Kind = ""
	}
	if !workflow.ReplyClass(f.Class).Valid() {
		f.Class = ""
	}
	sort := storage.CaseListSort(f.Sort)
	if !slices.Contains(storage.AllCaseListSorts(), sort) {
		sort, f.Sort = storage.SortUrgency, ""
	}
	lf := storage.CaseListFilter{SessionID: f.Session, State: workflow.State(f.State), Kind: workflow.CaseKind(f.Kind),
		Q: f.Q, Overdue: f.Overdue, DueSoon: f.DueSoon, Class: workflow.ReplyClass(f.Class), Past: f.Past, Sort: sort,
		Today: today, Limit: casesPerPage}
	if isLiaison(p.Actor) && f.Unit != "" {
		d, err := s.db.DepartmentByCode(ctx, f.Unit)
		if err != nil && workflow.Code(err) != workflow.ErrNotFound {
			return f, lf, err
		}
		if err == nil && !d.LiaisonOffice {
			lf.DepartmentID = d.ID
		}
	}
	if lf.DepartmentID == 0 {
		f.Unit = ""
	}
	if f.DueSoon {
		cal, err := s.db.Calendar(ctx)
		if err != nil {
			return f, lf, err
		}
		lf.SoonUntil, _ = workflow.SoonUntil(cal, today)
	}
	return f, lf, nil
}

// pageParam reads a page number (from 1); anything else is page 1.
func pageParam(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 100000 {
		return 1
	}
	return n
}

// withParam is u's path and query with param set to n.
func withParam(u *url.URL, param string, n int) string {
	c := *u
	v := c.Query()
	v.Set(param, strconv.Itoa(n))
	c.RawQuery = v.Encode()
	return c.RequestURI()
}
