package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/banli-gov/banli/workflow"
)

// CaseSummary is a case with what a list or a case page shows beside it.
type CaseSummary struct {
	workflow.Case
	ProposalNumber string
	ProposalTitle  string
	SessionID      int64
	SessionShort   string
	DepartmentName string
	// LeadDepartmentID is the department of the proposal's live lead case, 0
	// when it has none.
	LeadDepartmentID int64
	// PublicationState is the state of the latest reply's publication, ""
	// before a reply is sent.
	PublicationState workflow.State
	// ExtensionCap is the latest date an extension may reach, computed on
	// reading with today's calendar (workflow.Calendar.ExtensionCap); zero
	// for a co-handling case, which never replies.
	ExtensionCap workflow.DueDate
}

// CaseFilter narrows a case list; zero fields do not filter.
type CaseFilter struct {
	States       []workflow.State
	Kinds        []workflow.CaseKind
	DepartmentID int64
	SessionID    int64
	ProposalID   int64
	// Before keeps the cases listed after case Before (keyset paging in
	// the list's order: assigned_at, then id, descending).
	Before int64
	Limit  int // default 500
}

const summaryColumns = `c.id, c.proposal_id, c.department_id, c.kind, c.state, c.round, c.version, c.assigned_at,
	c.reply_due, c.co_opinion_due, c.return_due, c.rehandle_due, c.co_opinions_waived, c.updated_at,
	c.reply_due_provisional, c.co_opinion_due_provisional, c.return_due_provisional, c.rehandle_due_provisional,
	p.number, p.title, s.id, s.short_name, d.name,
	coalesce((SELECT l.department_id FROM cases l WHERE l.proposal_id = c.proposal_id AND l.kind = 'lead' AND l.state <> 'returned'), 0),
	coalesce((SELECT pub.state FROM publications pub JOIN replies r ON r.id = pub.reply_id WHERE r.case_id = c.id ORDER BY r.round DESC LIMIT 1), '')`

const summaryFrom = ` FROM cases c
	JOIN proposals p ON p.id = c.proposal_id
	JOIN congress_sessions s ON s.id = p.session_id
	JOIN departments d ON d.id = c.department_id`

func scanSummary(row interface{ Scan(...any) error }) (*CaseSummary, error) {
	var cs CaseSummary
	var kind, state, pubState string
	var replyDue, coDue, returnDue, rehandleDue dateCol
	p := &cs.Provisional
	err := row.Scan(&cs.ID, &cs.ProposalID, &cs.DepartmentID, &kind, &state, &cs.Round, &cs.Version, &cs.AssignedAt,
		&replyDue, &coDue, &returnDue, &rehandleDue, &cs.CoOpinionsWaived, &cs.UpdatedAt,
		&p.Reply, &p.CoOpinion, &p.Return, &p.Rehandle,
		&cs.ProposalNumber, &cs.ProposalTitle, &cs.SessionID, &cs.SessionShort, &cs.DepartmentName, &cs.LeadDepartmentID, &pubState)
	if err != nil {
		return nil, err
	}
	cs.Kind, cs.State, cs.PublicationState = workflow.CaseKind(kind), workflow.State(state), workflow.State(pubState)
	cs.ReplyDue, cs.CoOpinionDue = replyDue.Date(), coDue.Date()
	cs.ReturnDue, cs.RehandleDue = returnDue.Date(), rehandleDue.Date()
	return &cs, nil
}

// CaseFor returns a case as actor may see it, with the actor's access. A
// case the actor may not see is not found, exactly like one that does not
// exist, so ids reveal nothing.
func (db *DB) CaseFor(ctx context.Context, actor workflow.Actor, id int64) (*CaseSummary, workflow.Access, error) {
	cs, err := scanSummary(db.Pool.QueryRow(ctx, `SELECT `+summaryColumns+summaryFrom+` WHERE c.id = $1`, id))
	if err != nil {
		return nil, workflow.AccessNone, dbError(err, fmt.Sprintf("case %d", id))
	}
	access := actor.AccessTo(&cs.Case, cs.LeadDepartmentID)
	if access == workflow.AccessNone {
		return nil, access, workflow.Errorf(workflow.ErrNotFound, "case %d not found", id)
	}
	if err := db.fillExtensionCaps(ctx, db.Pool, []*CaseSummary{cs}); err != nil {
		return nil, access, err
	}
	return cs, access, nil
}

// CasesVisibleTo lists the cases actor may see (see workflow.Actor.AccessTo;
// the SQL below is its mirror, and a test holds them together), newest
// assignment first.
func (db *DB) CasesVisibleTo(ctx context.Context, actor workflow.Actor, f CaseFilter) ([]*CaseSummary, error) {
	liaison := slices.Contains(actor.Roles, workflow.RoleLiaison)
	scoped := slices.ContainsFunc(actor.Roles, workflow.Role.DepartmentScoped)
	where := []string{visibleToSQL(actor, "$1", "$2", "$3")}
	args := []any{liaison, scoped, actor.DepartmentID}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if len(f.States) > 0 {
		add("c.state = ANY($%d)", enumStrings(f.States))
	}
	if len(f.Kinds) > 0 {
		add("c.kind = ANY($%d)", enumStrings(f.Kinds))
	}
	if f.DepartmentID != 0 {
		add("c.department_id = $%d", f.DepartmentID)
	}
	if f.SessionID != 0 {
		add("p.session_id = $%d", f.SessionID)
	}
	if f.ProposalID != 0 {
		add("c.proposal_id = $%d", f.ProposalID)
	}
	if f.Before != 0 {
		add("(c.assigned_at, c.id) < (SELECT b.assigned_at, b.id FROM cases b WHERE b.id = $%d)", f.Before)
	}
	limit := f.Limit
	if limit <= 0 || limit > 5000 {
		limit = 500
	}
	rows, err := db.Pool.Query(ctx, `SELECT `+summaryColumns+summaryFrom+` WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY c.assigned_at DESC, c.id DESC LIMIT %d`, limit), unitPlan(actor, args)...)
	if err != nil {
		return nil, fmt.Errorf("error listing cases: %w", err)
	}
	defer rows.Close()
	var out []*CaseSummary
	for rows.Next() {
		cs, err := scanSummary(rows)
		if err != nil {
			return nil, fmt.Errorf("error listing cases: %w", err)
		}
		out = append(out, cs)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := db.fillExtensionCaps(ctx, db.Pool, out); err != nil {
		return nil, err
	}
	return out, nil
}

// fillExtensionCaps computes the extension cap of each replying case with
// the calendar of now and its session's rules.
func (db *DB) fillExtensionCaps(ctx context.Context, q querier, cases []*CaseSummary) error {
	var cal *workflow.Calendar
	var rulesV int64
	rules := map[int64]workflow.RuleSet{}
	for _, cs := range cases {
		if !cs.Kind.RepliesToDeputy() {
			continue
		}
		if cal == nil {
			calV, rv, err := cacheVersions(ctx, q)
			if err != nil {
				return err
			}
			if cal, err = db.calendarAt(ctx, q, calV); err != nil {
				return err
			}
			rulesV = rv
		}
		rs, ok := rules[cs.SessionID]
		if !ok {
			s, err := db.session(ctx, q, cs.SessionID, rulesV)
			if err != nil {
				return err
			}
			rs = s.Rules
			rules[cs.SessionID] = rs
		}
		var err error
		if cs.ExtensionCap, err = cal.ExtensionCap(rs, &cs.Case); err != nil {
			return err
		}
	}
	return nil
}

// ExtensionCap returns the latest date an extension of c's reply may reach,
// computed now with the calendar and its session's rules.
func (db *DB) ExtensionCap(ctx context.Context, c *workflow.Case) (workflow.DueDate, error) {
	dl, err := db.loadCaseDeadlines(ctx, db.Pool, c.ProposalID)
	if err != nil {
		return workflow.DueDate{}, err
	}
	return dl.cal.ExtensionCap(dl.rules, c)
}

func enumStrings[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
