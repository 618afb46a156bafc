package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/banli-gov/banli/workflow"
)

// CaseListSort is an order of the case list.
type CaseListSort string

const (
	// SortUrgency is the queue's order (workflow.CompareUrgency): overdue
	// first, then open cases by due date.
	SortUrgency CaseListSort = ""
	// SortAssigned is the newest assignment first.
	SortAssigned CaseListSort = "assigned"
	// SortNumber is by the suggestion's number.
	SortNumber CaseListSort = "number"
)

// AllCaseListSorts lists the orders of the case list.
func AllCaseListSorts() []CaseListSort { return []CaseListSort{SortUrgency, SortAssigned, SortNumber} }

// CaseListFilter narrows the case list beside the queue: the cases the
// actor may see (their unit's, every unit's for the liaison office).
// Zero fields do not filter.
type CaseListFilter struct {
	SessionID    int64
	DepartmentID int64
	State        workflow.State
	Kind         workflow.CaseKind
	// Q is a suggestion's number or words of its title.
	Q string
	// Overdue and DueSoon keep the cases whose list light is red (a
	// deadline the viewer's side owes has passed on Today) or amber (the
	// earliest is due from Today through SoonUntil), as workflow.UrgencyOf
	// colours the earliest of them.
	Overdue, DueSoon bool
	Today, SoonUntil workflow.Date
	// Class keeps cases whose latest signed reply is of that class.
	Class workflow.ReplyClass
	// Past includes the finished cases (terminal states) of past sessions
	// — every session but the latest opened — which the list leaves out
	// unless asked.
	Past bool
	Sort CaseListSort
	// Limit (default 50, at most 500) and Offset page the list. After,
	// when set (by CaseListEach), starts the page after that row instead.
	Limit, Offset int
	after         []string
}

// caseListKey is one expression of a sort order's key, with its SQL type:
// the list's keyset pages compare the tuple of them with the last row's.
type caseListKey struct{ expr, typ string }

// CaseListEach calls fn with every case f selects among those actor may
// see, in f's order, page by page (Limit rows each, read by keyset, not
// offset: the export of a long list), until fn returns an error or stop.
func (db *DB) CaseListEach(ctx context.Context, actor workflow.Actor, f CaseListFilter, fn func([]*CaseSummary) (stop bool, err error)) error {
	f.Offset, f.after = 0, nil
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	for {
		page, keys, _, err := db.caseList(ctx, actor, f)
		if err != nil {
			return err
		}
		if len(page) > 0 {
			stop, err := fn(page)
			if err != nil || stop {
				return err
			}
		}
		if len(page) < limit {
			return nil
		}
		f.after = keys
	}
}

// CaseList lists the cases f selects among those actor may see, in f's
// order, with the number of all it selects, counted up to SearchCountCap
// (more: there are more than that).
func (db *DB) CaseList(ctx context.Context, actor workflow.Actor, f CaseListFilter) (list []*CaseSummary, total int, more bool, err error) {
	f.after = nil
	list, _, total, err = db.caseList(ctx, actor, f)
	if total > SearchCountCap {
		total, more = SearchCountCap, true
	}
	return list, total, more, err
}

// caseList is CaseList, also returning the sort key of the page's last row
// (as text, for f.after).
func (db *DB) caseList(ctx context.Context, actor workflow.Actor, f CaseListFilter) ([]*CaseSummary, []string, int, error) {
	liaison := slices.Contains(actor.Roles, workflow.RoleLiaison)
	scoped := slices.ContainsFunc(actor.Roles, workflow.Role.DepartmentScoped)
	today := f.Today
	if today.IsZero() {
		today = db.Clock.Today()
	}
	args := []any{liaison, scoped, actor.DepartmentID, sqlDate(today)}
	// current, unless f.Past, keeps the cases of the latest sessions and
	// the unfinished ones of the others, by the case's own session (kept
	// by a trigger, indexed): the proposals are joined only for the cases
	// kept (3.0 s → 0.8 s for a liaison at 100,000 proposals). Both sides
	// of the OR are in a form an index serves. The latest sessions are read
	// first, so that the plan is made for them (as an InitPlan, their cases
	// were guessed to be many and every co-handling case scanned).
	var current func(alias string) string
	if !f.Past {
		var unfinished []string
		for _, s := range workflow.CaseStates() {
			if !s.Terminal() {
				unfinished = append(unfinished, string(s))
			}
		}
		var latest []int64
		if err := db.Pool.QueryRow(ctx, `SELECT coalesce(array_agg(id), '{}') FROM congress_sessions
			WHERE opened_on = (SELECT max(opened_on) FROM congress_sessions)`).Scan(&latest); err != nil {
			return nil, nil, 0, fmt.Errorf("error reading the latest session: %w", err)
		}
		args = append(args, latest)
		latestArg := fmt.Sprintf("$%d::bigint[]", len(args))
		current = func(alias string) string {
			return `(` + alias + `.state IN (` + sqlList(unfinished) + `) OR ` + alias + `.session_id = ANY (` + latestArg + `))`
		}
	}
	// A unit's visible cases are gathered by an IN over its own and its
	// co-handled cases: current inside it keeps the set to those kept
	// (6,400 → 1,300 cases for the busiest unit at 100,000 suggestions;
	// its count 54 ms → 24 ms).
	where := []string{visibleToSQLWhere(actor, "$1", "$2", "$3", current)}
	if current != nil {
		where = append(where, current("c"))
	}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	due := "(CASE WHEN c.kind = 'co' THEN c.co_opinion_due ELSE c.reply_due END)"
	if f.SessionID != 0 {
		add("c.session_id = $%d", f.SessionID)
	}
	if f.DepartmentID != 0 {
		add("c.department_id = $%d", f.DepartmentID)
	}
	if f.State != "" {
		add("c.state = $%d", string(f.State))
	}
	if f.Kind != "" {
		add("c.kind = $%d", string(f.Kind))
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		add("(strpos(p.number, $%[1]d) > 0 OR strpos(p.title, $%[1]d) > 0)", q)
	}
	// Overdue and due soon as the list's traffic light says: by the
	// earliest active deadline the viewer's side owes (the unit's duties;
	// for the liaison office its own deadlines too).
	var kinds []string
	for _, k := range workflow.AllDeadlineKinds() {
		if k.UnitDuty() || (liaison && k.ForLiaison()) {
			kinds = append(kinds, string(k))
		}
	}
	owed := `EXISTS (SELECT 1 FROM deadlines dl WHERE dl.case_id = c.id AND dl.ended_at IS NULL AND dl.kind IN (` + sqlList(kinds) + `) AND `
	if f.Overdue {
		where = append(where, owed+`dl.due_on < $4::date)`)
	}
	if f.DueSoon {
		where = append(where, `NOT `+owed+`dl.due_on < $4::date)`)
		add(owed+`dl.due_on <= $%d::date)`, sqlDate(f.SoonUntil))
	}
	if f.Class != "" {
		add("(SELECT r.class FROM replies r WHERE r.case_id = c.id ORDER BY r.round DESC LIMIT 1) = $%d", string(f.Class))
	}
	// Urgency: overdue first, then the other open cases, each by due date,
	// then the rest — the same order as open cases first, all by due date,
	// since an overdue case's date precedes every other open case's and a
	// case's due date is never null (TestCaseListUrgencyOrder). In that form
	// the index cases_urgency_idx (migration 00296) serves it, so a page
	// reads its rows instead of sorting every case. A unit sees a few
	// hundred cases, found faster by its own index and sorted than by
	// walking everyone's in order: its key is the same order in a form the
	// index does not serve.
	closed := caseListKey{"(c.state NOT IN (" + sqlList(openStates()) + "))", "boolean"}
	if !liaison {
		closed = caseListKey{"(CASE WHEN c.state IN (" + sqlList(openStates()) + ") THEN 0 ELSE 1 END)", "int"}
	}
	order := closed.expr + `, ` + due + `, c.number, c.id`
	// The same orders as keys that ascend (or, cmp "<", descend) together.
	keys := []caseListKey{closed, {due, "date"}, {"c.number", "text"}, {"c.id", "bigint"}}
	// The count reads the cases alone (and their proposals when searching
	// them).
	countFrom := " FROM cases c"
	if f.Q != "" {
		countFrom += " JOIN proposals p ON p.id = c.proposal_id"
	}
	cmp := ">"
	switch f.Sort {
	case SortAssigned:
		order = "c.assigned_at DESC, c.id DESC"
		keys, cmp = []caseListKey{{"c.assigned_at", "timestamptz"}, {"c.id", "bigint"}}, "<"
	case SortNumber:
		order = "s.opened_on DESC, p.number, c.id"
		keys = []caseListKey{{"('9999-12-31'::date - s.opened_on)", "int"}, {"p.number", "text"}, {"c.id", "bigint"}}
	case SortUrgency:
	default:
		return nil, nil, 0, workflow.Errorf(workflow.ErrInvalid, "请从列表中选择排序方式。")
	}
	var keyCols, keyExprs, keyArgs []string
	for _, k := range keys {
		keyCols = append(keyCols, "("+k.expr+")::text")
		keyExprs = append(keyExprs, k.expr)
	}
	if f.after != nil {
		for i, k := range keys {
			args = append(args, f.after[i])
			keyArgs = append(keyArgs, fmt.Sprintf("$%d::text::%s", len(args), k.typ))
		}
		where = append(where, "("+strings.Join(keyExprs, ", ")+") "+cmp+" ("+strings.Join(keyArgs, ", ")+")")
		f.Offset = 0
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := db.Pool.Query(ctx, `SELECT `+summaryColumns+`, `+strings.Join(keyCols, ", ")+summaryFrom+`
		WHERE `+strings.Join(where, " AND ")+` AND $4::date IS NOT NULL
		ORDER BY `+order+fmt.Sprintf(` LIMIT %d OFFSET %d`, limit, max(f.Offset, 0)), unitPlan(actor, args)...)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("error listing cases: %w", err)
	}
	defer rows.Close()
	var out []*CaseSummary
	last := make([]string, len(keys))
	var extra []any
	for i := range last {
		extra = append(extra, &last[i])
	}
	for rows.Next() {
		cs, err := scanSummary(rowWith{rows, extra})
		if err != nil {
			return nil, nil, 0, fmt.Errorf("error listing cases: %w", err)
		}
		out = append(out, cs)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, 0, err
	}
	rows.Close()
	count := max(f.Offset, 0) + len(out)
	if f.after == nil && (len(out) == limit || (len(out) == 0 && f.Offset > 0)) {
		// A full page, or past the last: count what the filter selects, up
		// to SearchCountCap + 1 (then "more than SearchCountCap"), not
		// every case.
		err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1`+countFrom+` WHERE `+strings.Join(where, " AND ")+
			` AND $4::date IS NOT NULL`+fmt.Sprintf(` LIMIT %d) x`, SearchCountCap+1), unitPlan(actor, args)...).Scan(&count)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("error counting cases: %w", err)
		}
	}
	return out, last, count, nil
}
