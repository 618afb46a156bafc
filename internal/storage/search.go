package storage

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/banli-gov/banli/workflow"
)

// SearchCountCap bounds how far a search or the public list counts its
// matches: beyond it, the count says "more than SearchCountCap" instead of
// counting every match of a common word.
const SearchCountCap = 1000

// CaseSearch is a staff search (检索) over the cases an actor may see: the
// words of Query (see search_text.go) in the suggestion's title, number,
// body and deputies' names, or in one of the case's replies; zero filters
// do not filter.
type CaseSearch struct {
	Query        string
	SessionID    int64
	DepartmentID int64
	State        workflow.State
	// Class keeps cases whose latest signed reply has that class.
	Class workflow.ReplyClass
	// Year keeps cases assigned in that year (Asia/Shanghai).
	Year int
	// Limit (default 20, at most 100) and Offset page the results.
	Limit, Offset int
}

// CaseHit is a case found by SearchCases.
type CaseHit struct {
	*CaseSummary
	// TitleHit says the suggestion's title (or number) holds every word.
	TitleHit bool
}

// CaseSearchResult is a page of hits and how many there are in all,
// counted up to SearchCountCap (More: there are more).
type CaseSearchResult struct {
	Hits  []CaseHit
	Total int
	More  bool
}

// SearchCases finds the cases actor may see (the mirror of
// workflow.Actor.AccessTo that CasesVisibleTo uses) whose suggestion — its
// title and number, body and deputies' names — holds every word of
// s.Query, or one of whose replies does: title hits first, then the
// newest assignment first. A query without a searchable character is
// refused.
func (db *DB) SearchCases(ctx context.Context, actor workflow.Actor, s CaseSearch) (*CaseSearchResult, error) {
	q := searchQuery(s.Query)
	if q == "" {
		return nil, workflow.Errorf(workflow.ErrInvalid, "检索词须含文字或数字 (q: %q has no searchable character)", s.Query)
	}
	liaison := slices.Contains(actor.Roles, workflow.RoleLiaison)
	scoped := slices.ContainsFunc(actor.Roles, workflow.Role.DepartmentScoped)
	args := []any{q, liaison, scoped, actor.DepartmentID}
	where := []string{visibleToSQL(actor, "$2", "$3", "$4")}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if s.SessionID != 0 {
		add("p.session_id = $%d", s.SessionID)
	}
	if s.DepartmentID != 0 {
		add("c.department_id = $%d", s.DepartmentID)
	}
	if s.State != "" {
		add("c.state = $%d", string(s.State))
	}
	if s.Class != "" {
		add("c.latest_class = $%d", string(s.Class))
	}
	if s.Year != 0 {
		add(`c.assigned_at >= make_timestamptz($%[1]d, 1, 1, 0, 0, 0, 'Asia/Shanghai')
			AND c.assigned_at < make_timestamptz($%[1]d + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai')`, s.Year)
	}
	limit := s.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 100)
	offset := max(s.Offset, 0)
	common := cmp.Or(db.SearchCommonAt, CommonQueryProposals)
	var probe int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM proposals WHERE search_body @@ $1::tsquery LIMIT $2) x`,
		q, common).Scan(&probe); err != nil {
		return nil, fmt.Errorf("error searching cases: %w", err)
	}
	if probe >= common {
		// A liaison's search without filters: more than SearchCountCap
		// suggestions hold the query, each with its cases.
		everything := liaison && len(where) == 1 && common > SearchCountCap
		return db.searchCommon(ctx, args, where, everything, limit, offset)
	}
	// The hits: cases of proposals that hold every word, and cases with a
	// reply that does; each once, a title hit if its title holds them.
	from := `
		FROM (SELECT id, bool_or(title_hit) AS title_hit FROM (
				SELECT c.id, p.search_title @@ $1::tsquery AS title_hit
				FROM proposals p JOIN cases c ON c.proposal_id = p.id
				WHERE p.search_body @@ $1::tsquery
				UNION ALL
				SELECT r.case_id, false FROM replies r WHERE r.search_text @@ $1::tsquery
			) m GROUP BY id) h
		JOIN cases c ON c.id = h.id
		JOIN proposals p ON p.id = c.proposal_id
		JOIN congress_sessions s ON s.id = p.session_id
		JOIN departments d ON d.id = c.department_id
		WHERE ` + strings.Join(where, " AND ")
	res := &CaseSearchResult{}
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 `+from+fmt.Sprintf(` LIMIT %d) x`, SearchCountCap+1), customPlan(args)...).
		Scan(&res.Total); err != nil {
		return nil, fmt.Errorf("error counting search hits: %w", err)
	}
	if res.Total > SearchCountCap {
		res.Total, res.More = SearchCountCap, true
	}
	hits, err := db.searchHits(ctx, `SELECT `+summaryColumns+`, h.title_hit`+from+fmt.Sprintf(`
		ORDER BY h.title_hit DESC, c.assigned_at DESC, c.id DESC LIMIT %d OFFSET %d`, limit, offset), args)
	if err != nil {
		return nil, err
	}
	res.Hits = hits
	return res, nil
}

// CommonQueryProposals is how many suggestions must hold a query for
// SearchCases to take it as common (监管 is in nine suggestions of ten):
// then gathering every match through the GIN indexes and sorting them
// costs more than walking the newest cases and keeping those that match.
const CommonQueryProposals = 5000

// searchCommon is SearchCases for a common query: the title hits first,
// newest first, then the other matches, walking cases newest first (the
// index on assigned_at) and stopping at the page's end; the count stops at
// SearchCountCap + 1 the same way, and is skipped when the actor sees
// every case and nothing filters (more suggestions than the cap hold the
// query).
func (db *DB) searchCommon(ctx context.Context, args []any, where []string, everything bool, limit, offset int) (*CaseSearchResult, error) {
	base := `
		FROM cases c
		JOIN proposals p ON p.id = c.proposal_id
		JOIN congress_sessions s ON s.id = p.session_id
		JOIN departments d ON d.id = c.department_id
		WHERE ` + strings.Join(where, " AND ")
	const title = ` AND coalesce(p.search_title @@ $1::tsquery, false)`
	const match = ` AND (p.search_body @@ $1::tsquery
		OR EXISTS (SELECT 1 FROM replies r WHERE r.case_id = c.id AND r.search_text @@ $1::tsquery))`
	const order = ` ORDER BY c.assigned_at DESC, c.id DESC`
	res := &CaseSearchResult{Total: SearchCountCap, More: true}
	if !everything {
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 `+base+match+fmt.Sprintf(` LIMIT %d) x`, SearchCountCap+1), customPlan(args)...).
			Scan(&res.Total); err != nil {
			return nil, fmt.Errorf("error counting search hits: %w", err)
		}
		if res.Total <= SearchCountCap {
			res.More = false
		} else {
			res.Total = SearchCountCap
		}
	}
	hits, err := db.searchHits(ctx, `SELECT `+summaryColumns+`, true`+base+title+order+fmt.Sprintf(` LIMIT %d OFFSET %d`, limit, offset), args)
	if err != nil {
		return nil, err
	}
	if len(hits) == limit {
		res.Hits = hits
		return res, nil
	}
	// Title hits before this page: all offset of them when the page has
	// some, else counted (at most offset).
	titles := offset + len(hits)
	if len(hits) == 0 && offset > 0 {
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 `+base+title+fmt.Sprintf(` LIMIT %d) x`, offset), customPlan(args)...).
			Scan(&titles); err != nil {
			return nil, fmt.Errorf("error counting search hits: %w", err)
		}
	}
	others, err := db.searchHits(ctx, `SELECT `+summaryColumns+`, false`+base+match+
		` AND NOT coalesce(p.search_title @@ $1::tsquery, false)`+order+
		fmt.Sprintf(` LIMIT %d OFFSET %d`, limit-len(hits), max(offset-titles, 0)), args)
	if err != nil {
		return nil, err
	}
	res.Hits = append(hits, others...)
	return res, nil
}

// searchHits runs a search's page query (summaryColumns and the title
// hit) and fills the extension caps of its cases.
func (db *DB) searchHits(ctx context.Context, sql string, args []any) ([]CaseHit, error) {
	rows, err := db.Pool.Query(ctx, sql, customPlan(args)...)
	if err != nil {
		return nil, fmt.Errorf("error searching cases: %w", err)
	}
	defer rows.Close()
	var hits []CaseHit
	var cases []*CaseSummary
	for rows.Next() {
		var h CaseHit
		cs, err := scanSummary(scanPlus{rows, &h.TitleHit})
		if err != nil {
			return nil, fmt.Errorf("error searching cases: %w", err)
		}
		h.CaseSummary = cs
		hits = append(hits, h)
		cases = append(cases, cs)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("error searching cases: %w", err)
	}
	rows.Close()
	if err := db.fillExtensionCaps(ctx, db.Pool, cases); err != nil {
		return nil, err
	}
	return hits, nil
}

// scanPlus scans a row into a scanner's destinations and then extra ones.
type scanPlus struct {
	row   interface{ Scan(...any) error }
	extra any
}

func (s scanPlus) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra)...) }

// visibleToSQL is the SQL mirror of workflow.Actor.AccessTo over the case
// c, written for actor; liaison, scoped and dept are the placeholders of
// its arguments (whether the actor is a liaison, holds a unit's role, and
// the unit), referenced whatever the actor so that their types are known.
// It is specialised in Go rather than left to parameters ("$1 OR …"), so
// that the planner meets a condition its indexes serve even in a cached
// generic plan: every case for the liaison office; for a unit's users the
// unit's cases and the co-handling cases of the suggestions it leads, one
// IN over both, each read by an index (an OR with a correlated EXISTS
// scanned every case of the database); nothing for anyone else. A test
// holds it to AccessTo for every demo user (TestVisibilityMirrorsAccessTo).
func visibleToSQL(actor workflow.Actor, liaison, scoped, dept string) string {
	return visibleToSQLWhere(actor, liaison, scoped, dept, nil)
}

// visibleToSQLWhere is visibleToSQL for a query that also keeps only the
// cases that meet also (a condition on the case of the alias it is given,
// which the query applies to c as well): for a unit's users, the set of
// visible cases gathered is narrowed to those inside.
func visibleToSQLWhere(actor workflow.Actor, liaison, scoped, dept string, also func(alias string) string) string {
	typed := fmt.Sprintf("%s::boolean IS NOT NULL AND %s::boolean IS NOT NULL AND %s::bigint IS NOT NULL", liaison, scoped, dept)
	switch {
	case slices.Contains(actor.Roles, workflow.RoleLiaison):
		return "(" + typed + ")"
	case !slices.ContainsFunc(actor.Roles, workflow.Role.DepartmentScoped) || actor.DepartmentID == 0:
		return "(false AND " + typed + ")"
	}
	own, co := "", ""
	if also != nil {
		own, co = " AND "+also("v"), " AND "+also("co")
	}
	return fmt.Sprintf(`(%[2]s AND c.id IN (
		SELECT v.id FROM cases v WHERE v.department_id = %[1]s%[3]s
		UNION ALL
		SELECT co.id FROM cases l JOIN cases co ON co.proposal_id = l.proposal_id AND co.kind = 'co'
		WHERE l.department_id = %[1]s AND l.kind = 'lead' AND l.state <> 'returned'%[4]s))`, dept, typed, own, co)
}
