package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/banli-gov/banli/workflow"
)

// The liaison office's statistics (督办统计), as DESIGN.md §2 names them.
// The figures are defined once, in package workflow (figures.go): the
// facts each case contributes (workflow.CaseRecord.Facts), when a
// suggestion counts as replied (workflow.SuggestionFacts) and each rate of
// the counted facts (workflow.Figure.Of). Statistics counts the cases by
// their tally (cases.tally, statistics_tally.go) and weighs each tally
// with workflow.CaseTally.Facts; the filtered case list behind each
// number (SupervisionCases) selects its cases in SQL from per-case facts
// (statisticsCTE). TestStatisticsFiguresMirrorWorkflow and
// TestStatisticsMirrorWorkflow prove the two equal to workflow's facts,
// case by case, and the dashboard's counts equal to the lists', on the
// demo data.
//
// The facts of each case (first send and the due date then in force, 面商
// recorded by the unit or reported on the feedback form, latest class,
// first and latest ratings) are kept on the case row by triggers on
// replies, feedback and communications (migrations 00190, 00215), so that
// the statistics are one scan of cases.
//   - A replying case is a lead (主办) or separate (分办) case neither
//     returned nor ended without a reply: its suggestion withdrawn (撤回)
//     or not handled as a suggestion (不作为建议处理) (workflow.Replying).
//     Withdrawn and Converted count those suggestions apart, each once.
//   - A case is open while its unit still owes its answer, its due date,
//     overdue and due soon are workflow's (Case.Owes, Case.Due,
//     Case.Overdue, Case.DueSoon with workflow.SoonUntil): any state but
//     returned, replied, closed and opinion_submitted; the co-opinion due
//     date of a co-handling case, else the reply due date in force; overdue
//     when it is before today, due soon from today through SoonUntil. The
//     SQL below mirrors them for speed; TestStatisticsMirrorWorkflow proves
//     the two equal on the demo data.

// StatisticsScope chooses the cases the statistics count: those of the
// proposals of one congress session, or those assigned (交办) in one
// calendar year (Asia/Shanghai). A zero field does not restrict.
type StatisticsScope struct {
	SessionID int64
	Year      int
}

// statisticsCTE defines "measured": one row per case in scope ($1 session,
// $2 year; 0 for any) with the facts the statistics count, given today ($3)
// and the last day that is "due soon" ($4). The definitions are those of
// the package comment above; keep the two together.
const statisticsCTE = `
WITH facts AS (
	SELECT c.id, c.proposal_id, c.department_id, c.kind, c.state, c.round, c.assigned_at,
		CASE WHEN c.kind = 'co' THEN c.co_opinion_due ELSE c.reply_due END AS due,
		CASE WHEN c.kind = 'co' THEN c.co_opinion_due_provisional ELSE c.reply_due_provisional END AS due_provisional,
		c.state NOT IN ('returned', 'replied', 'closed', 'opinion_submitted', 'withdrawn', 'converted') AS open,
		c.kind <> 'co' AND c.state NOT IN ('returned', 'withdrawn', 'converted') AS replying,
		c.first_sent_at,
		(c.first_sent_at AT TIME ZONE 'Asia/Shanghai')::date <= c.first_sent_due AS sent_on_time,
		c.met AS face_to_face,
		c.latest_result_rating AS result_rating, c.latest_work_rating AS work_rating, c.latest_class AS class,
		c.first_result_rating AS first_rating
	FROM cases c
	WHERE ($1::bigint = 0 OR c.session_id = $1::bigint)
	  AND ($2::int = 0 OR (c.assigned_at >= make_timestamptz($2::int, 1, 1, 0, 0, 0, 'Asia/Shanghai')
	                   AND c.assigned_at < make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai')))
), measured AS (
	SELECT facts.*,
		replying AND first_sent_at IS NOT NULL AS replied,
		replying AND first_sent_at IS NOT NULL AND coalesce(sent_on_time, false) AS on_time,
		replying AND first_sent_at IS NOT NULL AND face_to_face AS met,
		replying AND result_rating IS NOT NULL AS with_feedback,
		replying AND first_rating IS NOT NULL AS with_first_feedback,
		replying AND class IS NOT NULL AS signed,
		coalesce(open AND due < $3::date, false) AS overdue,
		coalesce(open AND due >= $3::date AND due <= $4::date, false) AS due_soon
	FROM facts
), suggestions AS (
	-- workflow.SuggestionFacts: a suggestion counts when it has a replying
	-- case (rep: the first of them, the suggestion's row in lists) and is
	-- replied when all of them replied.
	SELECT proposal_id, min(id) FILTER (WHERE replying) AS rep,
		coalesce(bool_and(replied) FILTER (WHERE replying), false) AS replied
	FROM measured GROUP BY proposal_id
)
`

// Rate is a ratio of two counts (workflow.Rate).
type Rate = workflow.Rate

// Figures are the statistics of a set of cases: a unit's, or the scope's
// totals: the counted facts of workflow (Counts) and the cases by state
// and due date.
type Figures struct {
	// Cases counts every case in scope, of any kind and state.
	Cases int
	// States counts the cases by state.
	States map[workflow.State]int
	// DueSoon and Overdue count open cases by their due date.
	DueSoon, Overdue int
	// Signed counts live replying cases with a signed reply.
	Signed int
	workflow.Counts
	// Withdrawn and Converted count the suggestions (件, not cases) among
	// these cases withdrawn by the deputy (撤回) or not handled as a
	// suggestion (不作为建议处理); they are in no rate's denominator.
	Withdrawn, Converted int
}

// Rate is the figure fig of f (workflow.Figure.Of).
func (f Figures) Rate(fig workflow.Figure) Rate { return fig.Of(f.Counts) }

// ReplyRate is 办复率（按件次）.
func (f Figures) ReplyRate() Rate { return f.Rate(workflow.FigureReplyRate) }

// OnTimeRate is 按时办复率.
func (f Figures) OnTimeRate() Rate { return f.Rate(workflow.FigureOnTimeRate) }

// MeetingRate is 面商率.
func (f Figures) MeetingRate() Rate { return f.Rate(workflow.FigureMeetingRate) }

// RatingRate is 满意率, 基本满意率 or 不满意率 of the final feedback's result
// rating (办理结果).
func (f Figures) RatingRate(r workflow.Rating) Rate { return Rate{Num: f.Ratings[r], Den: f.Feedback} }

// WorkRatingRate is RatingRate of the work rating (办理工作).
func (f Figures) WorkRatingRate(r workflow.Rating) Rate {
	return Rate{Num: f.WorkRatings[r], Den: f.Feedback}
}

// ClassShare is the share of class c over replied cases.
func (f Figures) ClassShare(c workflow.ReplyClass) Rate { return f.Rate(workflow.ClassFigure(c)) }

// UnitFigures are the figures of one handling unit.
type UnitFigures struct {
	Department *workflow.Department
	Figures
}

// Statistics are the liaison's figures for a scope: every handling unit's
// (units without cases too) and the totals.
type Statistics struct {
	Scope StatisticsScope
	// Today and SoonUntil are the days DueSoon and Overdue were counted on.
	Today, SoonUntil workflow.Date
	Units            []UnitFigures
	Total            Figures
}

func newFigures() Figures {
	return Figures{States: map[workflow.State]int{}, Counts: workflow.NewCounts()}
}

// Statistics counts the figures of scope, per handling unit and in total,
// on day today; open cases due from today through soonUntil are due soon.
func (db *DB) Statistics(ctx context.Context, scope StatisticsScope, today, soonUntil workflow.Date) (*Statistics, error) {
	depts, err := db.Departments(ctx)
	if err != nil {
		return nil, err
	}
	st := &Statistics{Scope: scope, Today: today, SoonUntil: soonUntil, Total: newFigures()}
	byDept := map[int64]*Figures{}
	for _, d := range depts {
		if d.LiaisonOffice {
			continue
		}
		st.Units = append(st.Units, UnitFigures{Department: d, Figures: newFigures()})
	}
	for i := range st.Units {
		byDept[st.Units[i].Department.ID] = &st.Units[i].Figures
	}
	where, args := statisticsScopeSQL(scope)
	// The suggestions in total are the slowest part (a group per
	// suggestion): counted on another connection while the cases are.
	suggestions := make(chan suggestionTotals, 1)
	go func() { suggestions <- db.suggestionTotals(ctx, where, args) }()
	// Each unit's cases by their tally (an index-only read of
	// cases_tally_idx for a session), each tally weighed by workflow.
	rows, err := db.Pool.Query(ctx, `SELECT c.department_id, c.tally, count(*) FROM cases c WHERE `+where+`
		GROUP BY c.department_id, c.tally`, customPlan(args)...)
	if err != nil {
		return nil, fmt.Errorf("error counting statistics: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var dept int64
		var t int32
		var n int
		if err := rows.Scan(&dept, &t, &n); err != nil {
			return nil, fmt.Errorf("error counting statistics: %w", err)
		}
		tally, err := caseTally(t).unpack()
		if err != nil {
			return nil, err
		}
		facts := tally.Facts()
		unit := byDept[dept]
		for _, f := range []*Figures{&st.Total, unit} {
			if f == nil {
				continue // a case of a department that is no unit (none should be)
			}
			f.Cases += n
			f.States[tally.State] += n
			if facts.Replying && tally.Class != "" {
				f.Signed += n
			}
			f.AddN(facts, n)
		}
		if unit == nil {
			continue
		}
		// A unit holds at most one case of a suggestion but returned ones
		// (cases_one_per_unit_idx), and a returned case neither replies nor
		// ends its suggestion: its suggestions (件) are its cases, each the
		// only one SuggestionFacts weighs for the unit.
		unit.AddSuggestions([]workflow.CaseFacts{facts}, n)
		switch tally.State {
		case workflow.StateWithdrawn:
			unit.Withdrawn += n
		case workflow.StateConverted:
			unit.Converted += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("error counting statistics: %w", err)
	}
	rows.Close()

	// Overdue and due soon: the open cases (cases_state_due_idx) by their
	// due dates, each weighed by workflow (Case.Overdue, Case.DueSoon).
	rows, err = db.Pool.Query(ctx, `SELECT c.department_id, c.kind, c.state, c.reply_due, c.co_opinion_due, count(*)
		FROM cases c WHERE c.state IN (`+sqlList(openStates())+`) AND `+where+`
		GROUP BY 1, 2, 3, 4, 5`, customPlan(args)...)
	if err != nil {
		return nil, fmt.Errorf("error counting due cases: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var dept int64
		var kind, state string
		var replyDue, coDue dateCol
		var n int
		if err := rows.Scan(&dept, &kind, &state, &replyDue, &coDue, &n); err != nil {
			return nil, fmt.Errorf("error counting due cases: %w", err)
		}
		c := workflow.Case{Kind: workflow.CaseKind(kind), State: workflow.State(state), ReplyDue: replyDue.Date(), CoOpinionDue: coDue.Date()}
		for _, f := range []*Figures{&st.Total, byDept[dept]} {
			if f == nil {
				continue
			}
			if c.Overdue(today) {
				f.Overdue += n
			}
			if c.DueSoon(today, soonUntil) {
				f.DueSoon += n
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("error counting due cases: %w", err)
	}
	rows.Close()

	// The suggestions in total, counted meanwhile.
	sug := <-suggestions
	if sug.err != nil {
		return nil, sug.err
	}
	st.Total.Suggestions, st.Total.SuggestionsReplied = sug.counts.Suggestions, sug.counts.SuggestionsReplied
	st.Total.Withdrawn, st.Total.Converted = sug.withdrawn, sug.converted
	return st, nil
}

// suggestionTotals are the suggestions (件) in a scope of the statistics.
type suggestionTotals struct {
	counts               workflow.Counts
	withdrawn, converted int
	err                  error
}

// suggestionTotals counts the suggestions of the cases where selects
// (statisticsScopeSQL): grouped by what SuggestionFacts reads of their
// cases (state, kind, first send), each group weighed once by workflow.
func (db *DB) suggestionTotals(ctx context.Context, where string, args []any) (out suggestionTotals) {
	out.counts = workflow.NewCounts()
	// The keys of a suggestion come in no particular order (sorting them in
	// SQL costs more than the rest of the query): groups that differ only
	// in order are merged here.
	rows, err := db.Pool.Query(ctx, `SELECT keys, count(*) FROM (
			SELECT array_agg(c.tally % `+fmt.Sprint(tallyReplyMod)+`) AS keys
			FROM cases c WHERE `+where+` GROUP BY c.proposal_id) s
		GROUP BY keys`, customPlan(args)...)
	if err != nil {
		out.err = fmt.Errorf("error counting suggestions: %w", err)
		return out
	}
	defer rows.Close()
	type group struct {
		keys []int32
		n    int
	}
	groups := map[string]*group{}
	for rows.Next() {
		var keys []int32
		var n int
		if err := rows.Scan(&keys, &n); err != nil {
			out.err = fmt.Errorf("error counting suggestions: %w", err)
			return out
		}
		slices.Sort(keys)
		id := fmt.Sprint(keys)
		if g, ok := groups[id]; ok {
			g.n += n
		} else {
			groups[id] = &group{keys, n}
		}
	}
	if err := rows.Err(); err != nil {
		out.err = fmt.Errorf("error counting suggestions: %w", err)
		return out
	}
	for _, g := range groups {
		keys, n := g.keys, g.n
		facts := make([]workflow.CaseFacts, len(keys))
		var withdrawn, converted bool
		for i, k := range keys {
			tally, err := caseTally(k).unpack()
			if err != nil {
				out.err = err
				return out
			}
			facts[i] = tally.Facts()
			withdrawn = withdrawn || tally.State == workflow.StateWithdrawn
			converted = converted || tally.State == workflow.StateConverted
		}
		out.counts.AddSuggestions(facts, n)
		if withdrawn {
			out.withdrawn += n
		}
		if converted {
			out.converted += n
		}
	}
	return out
}

// statisticsScopeSQL is the condition on case c of scope, with its
// arguments ($1…).
func statisticsScopeSQL(scope StatisticsScope) (string, []any) {
	where, args := []string{"true"}, []any{}
	if scope.SessionID != 0 {
		args = append(args, scope.SessionID)
		where = append(where, fmt.Sprintf("c.session_id = $%d", len(args)))
	}
	if scope.Year != 0 {
		args = append(args, scope.Year)
		where = append(where, fmt.Sprintf(`c.assigned_at >= make_timestamptz($%[1]d, 1, 1, 0, 0, 0, 'Asia/Shanghai')
			AND c.assigned_at < make_timestamptz($%[1]d + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai')`, len(args)))
	}
	return strings.Join(where, " AND "), args
}

// Measure selects the cases one figure of the statistics counts, for the
// filtered case list behind it.
type Measure string

const (
	// MeasureAll is every case in scope (no measure).
	MeasureAll Measure = ""
	// MeasureReplying is the live lead and separate cases (办复率's
	// denominator).
	MeasureReplying Measure = "replying"
	// MeasureReplied is the replying cases sent at least once.
	MeasureReplied Measure = "replied"
	// MeasureOnTime is the replied cases whose first reply met its due date.
	MeasureOnTime Measure = "on_time"
	// MeasureLate is the replied cases whose first reply was late.
	MeasureLate Measure = "late"
	// MeasureMet is the replied cases with a meeting or visit (面商).
	MeasureMet Measure = "met"
	// MeasureFeedback is the replying cases with feedback.
	MeasureFeedback Measure = "feedback"
	// MeasureSigned is the replying cases with a signed reply.
	MeasureSigned Measure = "signed"
	// MeasureOpen is the cases whose unit still owes its answer.
	MeasureOpen Measure = "open"
	// MeasureSuggestions is one case per suggestion counted by 办复率（按件）
	// (its first replying case).
	MeasureSuggestions Measure = "suggestions"
	// MeasureSuggestionsReplied is MeasureSuggestions' replied suggestions.
	MeasureSuggestionsReplied Measure = "suggestions_replied"
	// MeasureFirstFeedback is the replying cases with a first round's
	// feedback.
	MeasureFirstFeedback Measure = "first_feedback"
	// MeasureSatisfiedInclBasic is the replying cases whose latest
	// feedback rates the result 满意 or 基本满意.
	MeasureSatisfiedInclBasic Measure = "satisfied_incl_basic"
	// MeasureFirstSatisfiedInclBasic is the same of the first round's
	// feedback.
	MeasureFirstSatisfiedInclBasic Measure = "first_satisfied_incl_basic"
)

// AllMeasures lists every measure.
func AllMeasures() []Measure {
	return []Measure{MeasureAll, MeasureReplying, MeasureReplied, MeasureOnTime, MeasureLate, MeasureMet,
		MeasureFeedback, MeasureSigned, MeasureOpen, MeasureSuggestions, MeasureSuggestionsReplied, MeasureFirstFeedback,
		MeasureSatisfiedInclBasic, MeasureFirstSatisfiedInclBasic}
}

// Valid reports whether m is a known measure.
func (m Measure) Valid() bool {
	for _, v := range AllMeasures() {
		if v == m {
			return true
		}
	}
	return false
}

// condition is m's condition on a row of measured.
func (m Measure) condition() string {
	switch m {
	case MeasureReplying:
		return "replying"
	case MeasureReplied:
		return "replied"
	case MeasureOnTime:
		return "on_time"
	case MeasureLate:
		return "replied AND NOT on_time"
	case MeasureMet:
		return "met"
	case MeasureFeedback:
		return "with_feedback"
	case MeasureSigned:
		return "signed"
	case MeasureOpen:
		return "open"
	case MeasureSuggestions:
		return "m.id IN (SELECT rep FROM suggestions)"
	case MeasureSuggestionsReplied:
		return "m.id IN (SELECT rep FROM suggestions WHERE replied)"
	case MeasureFirstFeedback:
		return "with_first_feedback"
	case MeasureSatisfiedInclBasic:
		return "with_feedback AND result_rating IN ('satisfied', 'basically_satisfied')"
	case MeasureFirstSatisfiedInclBasic:
		return "with_first_feedback AND first_rating IN ('satisfied', 'basically_satisfied')"
	}
	return "true"
}

// SupervisionFilter narrows the liaison's case list to the cases one
// figure of Statistics counts; zero fields do not filter.
type SupervisionFilter struct {
	Scope StatisticsScope
	// Today and SoonUntil are as for Statistics.
	Today, SoonUntil workflow.Date
	DepartmentID     int64
	State            workflow.State
	Measure          Measure
	// Overdue and DueSoon keep open cases past or near their due date.
	Overdue, DueSoon bool
	// Rating keeps cases whose latest feedback rates the result so;
	// WorkRating the same of the work rating; FirstRating the same of the
	// first round's feedback.
	Rating, WorkRating, FirstRating workflow.Rating
	// Class keeps replied cases whose latest signed reply is of that class.
	Class workflow.ReplyClass
	// Limit (default 50, at most 500) and Offset page the list; After,
	// when set, starts the page after that row instead (keyset paging, for
	// exports), and the total is then not counted.
	Limit, Offset int
	After         *SupervisedCase
	// Keyset marks the first page of a keyset walk: Limit may then reach
	// 5,000 and the total is not counted.
	Keyset bool
}

// SupervisedCase is a case of the liaison's list: where it stands and
// when it is due.
type SupervisedCase struct {
	ID             int64
	ProposalID     int64
	Number         string
	Title          string
	SessionShort   string
	DepartmentID   int64
	DepartmentName string
	Kind           workflow.CaseKind
	State          workflow.State
	Round          int
	AssignedAt     time.Time
	// Due is the case's due date (see the definitions); Open whether its
	// unit still owes its answer, and then Overdue or DueSoon.
	Due workflow.Date
	// DueProvisional marks a due date counted without a year's holiday
	// data (暂定).
	DueProvisional         bool
	Open, Overdue, DueSoon bool
	// FirstSentAt is when its first reply was sent (nil before); OnTime
	// whether that met the due date in force.
	FirstSentAt *time.Time
	OnTime      bool
	// Rating is the result rating of its latest feedback, Class the class
	// of its latest signed reply ("" when none).
	Rating workflow.Rating
	Class  workflow.ReplyClass
	// The facts the figures count of it (workflow.CaseFacts, as counted
	// in SQL): Replying, Replied and Met, and its first round's and latest
	// work ratings.
	Replying, Replied, Met  bool
	FirstRating, WorkRating workflow.Rating
}

// SupervisionCases lists the cases f selects, overdue and earliest due
// first, with the number of all the cases it selects.
func (db *DB) SupervisionCases(ctx context.Context, f SupervisionFilter) ([]SupervisedCase, int, error) {
	if !f.Measure.Valid() {
		return nil, 0, workflow.Errorf(workflow.ErrInvalid, "measure: %q is not one of %v", f.Measure, AllMeasures())
	}
	args := []any{f.Scope.SessionID, f.Scope.Year, sqlDate(f.Today), sqlDate(f.SoonUntil)}
	where := []string{f.Measure.condition()}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.DepartmentID != 0 {
		add("m.department_id = $%d", f.DepartmentID)
	}
	if f.State != "" {
		add("m.state = $%d", string(f.State))
	}
	if f.Overdue {
		where = append(where, "overdue")
	}
	if f.DueSoon {
		where = append(where, "due_soon")
	}
	if f.Rating != "" {
		add("with_feedback AND m.result_rating = $%d", string(f.Rating))
	}
	if f.WorkRating != "" {
		add("with_feedback AND m.work_rating = $%d", string(f.WorkRating))
	}
	if f.FirstRating != "" {
		add("with_first_feedback AND m.first_rating = $%d", string(f.FirstRating))
	}
	if f.Class != "" {
		add("replied AND m.class = $%d", string(f.Class))
	}
	cond := strings.Join(where, " AND ")
	if a := f.After; a != nil {
		due := "infinity"
		if !a.Due.IsZero() {
			due = a.Due.String()
		}
		args = append(args, !a.Overdue, !a.Open, due, a.Number, a.ID)
		n := len(args)
		cond += fmt.Sprintf(" AND (NOT m.overdue, NOT m.open, coalesce(m.due, 'infinity'::date), n.number, m.id) > ($%d::boolean, $%d::boolean, $%d::text::date, $%d::text, $%d::bigint)",
			n-4, n-3, n-2, n-1, n)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	offset, total := max(f.Offset, 0), "count(*) OVER ()"
	if f.After != nil || f.Keyset {
		// Keyset pages (exports) may be longer: each page evaluates the
		// facts of the whole scope once.
		limit = min(max(f.Limit, 1), 5000)
	}
	if f.After != nil || f.Keyset {
		offset, total = 0, "0"
	}
	// One pass: the page and, beside each row, the number of all rows.
	rows, err := db.Pool.Query(ctx, statisticsCTE+`
		SELECT m.id, m.proposal_id, m.number, p.title, s.short_name, m.department_id, d.name, m.kind, m.state, m.round,
			m.assigned_at, m.due, m.due_provisional, m.open, m.overdue, m.due_soon, m.first_sent_at, m.on_time,
			coalesce(m.result_rating, ''), coalesce(m.class, ''), m.total,
			m.replying, m.replied, m.met, coalesce(m.first_rating, ''), coalesce(m.work_rating, '')
		FROM (SELECT m.*, n.number, `+total+` AS total
			FROM measured m JOIN proposals n ON n.id = m.proposal_id WHERE `+cond+fmt.Sprintf(`
			ORDER BY m.overdue DESC, m.open DESC, m.due, n.number, m.id LIMIT %d OFFSET %d) m`, limit, offset)+`
		JOIN proposals p ON p.id = m.proposal_id
		JOIN congress_sessions s ON s.id = p.session_id
		JOIN departments d ON d.id = m.department_id
		ORDER BY m.overdue DESC, m.open DESC, m.due, m.number, m.id`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("error listing supervised cases: %w", err)
	}
	defer rows.Close()
	var out []SupervisedCase
	count := 0
	for rows.Next() {
		var c SupervisedCase
		var kind, state, rating, class, first, work string
		var due dateCol
		if err := rows.Scan(&c.ID, &c.ProposalID, &c.Number, &c.Title, &c.SessionShort, &c.DepartmentID, &c.DepartmentName,
			&kind, &state, &c.Round, &c.AssignedAt, &due, &c.DueProvisional, &c.Open, &c.Overdue, &c.DueSoon, &c.FirstSentAt, &c.OnTime,
			&rating, &class, &count, &c.Replying, &c.Replied, &c.Met, &first, &work); err != nil {
			return nil, 0, fmt.Errorf("error listing supervised cases: %w", err)
		}
		c.Kind, c.State, c.Due = workflow.CaseKind(kind), workflow.State(state), due.Date()
		c.Rating, c.Class = workflow.Rating(rating), workflow.ReplyClass(class)
		c.FirstRating, c.WorkRating = workflow.Rating(first), workflow.Rating(work)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("error listing supervised cases: %w", err)
	}
	if len(out) == 0 && f.Offset > 0 && f.After == nil {
		// Past the last page the window counted nothing: count alone.
		if err := db.Pool.QueryRow(ctx, statisticsCTE+`SELECT count(*) FROM measured m WHERE `+cond, args...).Scan(&count); err != nil {
			return nil, 0, fmt.Errorf("error counting supervised cases: %w", err)
		}
	}
	return out, count, nil
}

// AssignmentYears lists the years (Asia/Shanghai) in which cases were
// assigned, the latest first: the choices of the dashboard's year. It
// skips from year to year along the index on assigned_at (a probe a year,
// not a pass over every case).
func (db *DB) AssignmentYears(ctx context.Context) ([]int, error) {
	rows, err := db.Pool.Query(ctx, `
		WITH RECURSIVE years AS (
			SELECT extract(year FROM min(assigned_at) AT TIME ZONE 'Asia/Shanghai')::int AS y FROM cases
			UNION ALL
			SELECT (SELECT extract(year FROM min(c.assigned_at) AT TIME ZONE 'Asia/Shanghai')::int FROM cases c
				WHERE c.assigned_at >= make_timestamptz(years.y + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai'))
			FROM years WHERE years.y IS NOT NULL
		)
		SELECT y FROM years WHERE y IS NOT NULL ORDER BY y DESC`)
	if err != nil {
		return nil, fmt.Errorf("error listing assignment years: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, fmt.Errorf("error listing assignment years: %w", err)
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// States are the states some case in scope is in, in the order of the
// process: the columns of the dashboard's progress table and its export.
func (st *Statistics) States() []workflow.State {
	var out []workflow.State
	for _, s := range workflow.CaseStates() {
		if st.Total.States[s] > 0 {
			out = append(out, s)
		}
	}
	return out
}
