package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/banli-gov/banli/workflow"
)

// The queue (待我办理): the cases on which a user can take an action now.
// Which cases those are is the transition table's to say: the SQL condition
// is generated from workflow.QueueEntries (the awaited rows, each with its
// guards on the case's facts), with one SQL mirror per guard (guardSQL);
// TestQueueMirrorsWorkflow proves the SQL queue equal to workflow.Offers
// and workflow.Awaited on the demo data for every demo user. The order is
// workflow.CompareUrgency's: overdue first, then open cases, by due date.
//
// Parameters of every condition: $1 today, $2 the actor's department, $3
// whether the actor is their unit's principal leader (主要负责人).
// Cheap enough for every page: the count is one query on cases, by
// cases_department_state_idx for a unit's users, cases_state_due_idx for
// the liaison office, with EXISTS probes on the guards' unique indexes.

// guardSQL mirrors each guard on the case's facts (workflow.GuardOnState)
// as a condition on case c. A guard the queue needs without a mirror here
// makes the queue refuse to build (queueCondition).
var guardSQL = map[string]string{
	workflow.GuardHasDraft.Name: `EXISTS (SELECT 1 FROM drafts dr WHERE dr.case_id = c.id AND dr.round = c.round)`,
	workflow.GuardCoOpinionsIn.Name: `(c.co_opinions_waived OR NOT EXISTS (SELECT 1 FROM cases co WHERE co.proposal_id = c.proposal_id
		AND co.kind = 'co' AND co.state IN (` + sqlList(coPendingStates()) + `)))`,
	workflow.GuardCoOpinionsPending.Name: `(NOT c.co_opinions_waived AND EXISTS (SELECT 1 FROM cases co WHERE co.proposal_id = c.proposal_id
		AND co.kind = 'co' AND co.state IN (` + sqlList(coPendingStates()) + `)))`,
	workflow.GuardExtensionPending.Name:   `EXISTS (SELECT 1 FROM extensions e WHERE e.case_id = c.id AND e.state = 'requested')`,
	workflow.GuardNoExtensionPending.Name: `NOT EXISTS (SELECT 1 FROM extensions e WHERE e.case_id = c.id AND e.state = 'requested')`,
	workflow.GuardWithinReturnWindow.Name: `c.return_due >= $1::date`,
	workflow.GuardPrincipalLeader.Name:    `($3::boolean OR NOT EXISTS (SELECT 1 FROM key_suggestions k WHERE k.proposal_id = c.proposal_id))`,
	workflow.GuardPublishable.Name: `(SELECT r.disclosure FROM publications pub JOIN replies r ON r.id = pub.reply_id
		WHERE r.case_id = c.id ORDER BY r.round DESC LIMIT 1) IN (` + sqlList(publishable()) + `)`,
}

// publicationStateSQL is the state of case c's latest publication (NULL
// before a reply is sent), as CaseSummary.PublicationState reads it.
const publicationStateSQL = `(SELECT pub.state FROM publications pub JOIN replies r ON r.id = pub.reply_id
	WHERE r.case_id = c.id ORDER BY r.round DESC LIMIT 1)`

func coPendingStates() []string {
	var out []string
	for _, s := range workflow.CaseStates() {
		if workflow.CoOpinionPending(workflow.KindCo, s) {
			out = append(out, string(s))
		}
	}
	return out
}

func publishable() []string {
	var out []string
	for _, d := range workflow.AllDisclosures() {
		if d.Publishable() {
			out = append(out, string(d))
		}
	}
	return out
}

func openStates() []string {
	var out []string
	for _, s := range workflow.CaseStates() {
		if s.Open() {
			out = append(out, string(s))
		}
	}
	return out
}

// sqlList quotes values known to be identifiers of workflow's closed sets.
func sqlList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	return strings.Join(q, ", ")
}

// queueAction is the condition under which case c waits for action from
// one of roles (each with its scope: a unit's roles their department's
// cases only).
type queueAction struct {
	action workflow.Action
	cond   string
	// scoped: the condition holds only for the actor's unit's cases;
	// states, when the action is on the case machine, the case states it
	// holds in (a publication's state is the publication's own).
	scoped bool
	states []string
}

// queueConditions returns, for an actor holding roles, one condition per
// awaited action (in table order) under which case c waits for it from
// the actor, generated from workflow.QueueEntries.
func queueConditions(roles []workflow.Role) ([]queueAction, error) {
	type group struct {
		action  workflow.Action
		machine workflow.Machine
		scoped  bool
		guards  string
	}
	var order []group
	pairs, states := map[group][]string{}, map[group][]string{}
	for _, e := range workflow.QueueEntries() {
		if !slices.Contains(roles, e.Role) {
			continue
		}
		var gs []string
		for _, g := range e.Guards {
			sql, ok := guardSQL[g]
			if !ok {
				return nil, fmt.Errorf("error building the queue: guard %s has no SQL mirror", g)
			}
			gs = append(gs, sql)
		}
		g := group{action: e.Action, machine: e.Machine, scoped: e.Role.DepartmentScoped(), guards: strings.Join(gs, " AND ")}
		if _, ok := pairs[g]; !ok {
			order = append(order, g)
		}
		pair := fmt.Sprintf("('%s', '%s')", e.State, e.Kind)
		if e.Machine == workflow.MachinePublication {
			pair = fmt.Sprintf("'%s'", e.State)
		}
		if !slices.Contains(pairs[g], pair) {
			pairs[g] = append(pairs[g], pair)
		}
		if e.Machine == workflow.MachineCase && !slices.Contains(states[g], string(e.State)) {
			states[g] = append(states[g], string(e.State))
		}
	}
	var out []queueAction
	for _, g := range order {
		var cond []string
		if g.scoped {
			cond = append(cond, "c.department_id = $2")
		}
		if g.machine == workflow.MachinePublication {
			// The latest publication's state, and first what it implies,
			// that the case has a publication in that state: a hashed set
			// of the few unpublished ones (publications_unpublished_idx),
			// looked up before the latest is read for each case.
			cond = append(cond, "c.id IN (SELECT r.case_id FROM publications pub JOIN replies r ON r.id = pub.reply_id WHERE pub.state IN ("+
				strings.Join(pairs[g], ", ")+"))", publicationStateSQL+" IN ("+strings.Join(pairs[g], ", ")+")")
		} else {
			cond = append(cond, "(c.state, c.kind) IN ("+strings.Join(pairs[g], ", ")+")")
		}
		if g.guards != "" {
			cond = append(cond, g.guards)
		}
		if workflow.Follows(g.action) && g.machine == workflow.MachineCase {
			// A merged suggestion's case takes it only with its main case.
			cond = append(cond, "NOT EXISTS (SELECT 1 FROM proposal_merges m WHERE m.proposal_id = c.proposal_id)")
		}
		out = append(out, queueAction{action: g.action, cond: "(" + strings.Join(cond, " AND ") + ")", scoped: g.scoped, states: states[g]})
	}
	return out, nil
}

// queueWhere joins the conditions: a case is in the queue when it waits
// for any of them; "false" when the actor awaits nothing (an admin).
func queueWhere(qa []queueAction) string {
	if len(qa) == 0 {
		return "false"
	}
	conds := make([]string, len(qa))
	scoped, states := true, []string{}
	for i, a := range qa {
		conds[i] = a.cond
		scoped = scoped && a.scoped
		if states != nil && a.states == nil {
			states = nil // a publication's action: any case state
		}
		if states != nil {
			for _, st := range a.states {
				if !slices.Contains(states, st) {
					states = append(states, st)
				}
			}
		}
	}
	// What every condition implies, said once where an index can serve it
	// (cases_department_state_idx, cases_state_due_idx), so that the cases
	// tested are those of the unit, or in the states awaiting the actor —
	// a few thousand at 100,000 suggestions — not every case: the OR of
	// the conditions alone is read by scanning them all.
	var prefilter string
	if scoped {
		prefilter += " AND c.department_id = $2"
	}
	if states != nil {
		prefilter += " AND c.state IN (" + sqlList(states) + ")"
	}
	// The parameters are typed here, whichever conditions use them.
	return "($1::date IS NOT NULL AND $2::bigint IS NOT NULL AND $3::boolean IS NOT NULL" + prefilter + " AND (" + strings.Join(conds, "\n OR ") + "))"
}

// QueueCount counts the cases in actor's queue today (db.Clock): one COUNT
// query, for the navigation's badge.
func (db *DB) QueueCount(ctx context.Context, actor workflow.Actor) (int, error) {
	qa, err := queueConditions(actor.Roles)
	if err != nil {
		return 0, err
	}
	if len(qa) == 0 {
		return 0, nil
	}
	var n int
	err = db.Pool.QueryRow(ctx, `SELECT count(*) FROM cases c WHERE `+queueWhere(qa),
		unitPlan(actor, []any{sqlDate(db.Clock.Today()), actor.DepartmentID, actor.PrincipalLeader})...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("error counting the queue of user %d: %w", actor.UserID, err)
	}
	return n, nil
}

// QueueItem is a case in a user's queue and the actions it waits for from
// them, in table order.
type QueueItem struct {
	*CaseSummary
	Actions []workflow.Action
	// HasDraft reports whether the case's round has a saved draft.
	HasDraft bool
}

// Queue lists the cases in actor's queue today (db.Clock), most urgent
// first (workflow.CompareUrgency; then by number), limit of them from
// offset, with the number of all of them.
func (db *DB) Queue(ctx context.Context, actor workflow.Actor, limit, offset int) ([]QueueItem, int, error) {
	qa, err := queueConditions(actor.Roles)
	if err != nil {
		return nil, 0, err
	}
	if len(qa) == 0 {
		return nil, 0, nil
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	cases := make([]string, len(qa))
	for i, a := range qa {
		cases[i] = fmt.Sprintf("CASE WHEN %s THEN '%s' END", a.cond, a.action)
	}
	open := "c.state IN (" + sqlList(openStates()) + ")"
	due := "CASE WHEN c.kind = 'co' THEN c.co_opinion_due ELSE c.reply_due END"
	// The page's cases are chosen first (by the number copied onto the
	// case), and only they are read whole with the actions they await:
	// the liaison office awaits some 1,400 cases at 100,000 suggestions.
	rows, err := db.Pool.Query(ctx, `SELECT `+summaryColumns+`,
			array_remove(ARRAY[`+strings.Join(cases, ",\n")+`]::text[], NULL),
			`+guardSQL[workflow.GuardHasDraft.Name]+`,
			page.total`+summaryFrom+`
		JOIN (SELECT c.id, count(*) OVER () AS total, row_number() OVER (
				ORDER BY CASE WHEN `+open+` AND `+due+` < $1::date THEN 0 WHEN `+open+` THEN 1 ELSE 2 END,
				`+due+` NULLS LAST, c.number, c.id) AS ord
			FROM cases c WHERE `+queueWhere(qa)+`
			ORDER BY ord LIMIT `+fmt.Sprint(limit)+` OFFSET `+fmt.Sprint(max(offset, 0))+`) page ON page.id = c.id
		ORDER BY page.ord`,
		unitPlan(actor, []any{sqlDate(db.Clock.Today()), actor.DepartmentID, actor.PrincipalLeader})...)
	if err != nil {
		return nil, 0, fmt.Errorf("error listing the queue of user %d: %w", actor.UserID, err)
	}
	defer rows.Close()
	var out []QueueItem
	total := 0
	for rows.Next() {
		var actions []string
		var hasDraft bool
		cs, err := scanSummary(rowWith{rows, []any{&actions, &hasDraft, &total}})
		if err != nil {
			return nil, 0, fmt.Errorf("error listing the queue of user %d: %w", actor.UserID, err)
		}
		it := QueueItem{CaseSummary: cs, HasDraft: hasDraft}
		for _, a := range actions {
			if act := workflow.Action(a); !slices.Contains(it.Actions, act) {
				it.Actions = append(it.Actions, act)
			}
		}
		out = append(out, it)
	}
	return out, total, rows.Err()
}

// rowWith scans a row into a summary's columns and then extra.
type rowWith struct {
	row   interface{ Scan(...any) error }
	extra []any
}

func (r rowWith) Scan(dest ...any) error { return r.row.Scan(append(dest, r.extra...)...) }

// AwaitingReassignment lists the returned cases (已退回) the liaison office
// has not assigned again (待重新交办): those of proposals without a live
// case assigned since the return, the earliest return first, limit of them
// from offset, with the number of all of them. Each returned case probes
// its suggestion's cases by index (the OFFSET 0 keeps the probe a probe:
// joined instead, the planner hashed every case of the database, 74 ms at
// 100,000 suggestions against 15 ms).
func (db *DB) AwaitingReassignment(ctx context.Context, limit, offset int) ([]*CaseSummary, int, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	// The page's cases are chosen first, and only they are read whole.
	rows, err := db.Pool.Query(ctx, `SELECT `+summaryColumns+`, page.total`+summaryFrom+`
		JOIN (SELECT c.id, count(*) OVER () AS total FROM cases c
			WHERE c.state = $1 AND NOT EXISTS (SELECT 1 FROM cases o WHERE o.proposal_id = c.proposal_id
				AND o.state <> $1 AND o.assigned_at >= c.updated_at OFFSET 0)
			ORDER BY c.updated_at, c.id LIMIT `+fmt.Sprint(limit)+` OFFSET `+fmt.Sprint(max(offset, 0))+`) page ON page.id = c.id
		ORDER BY c.updated_at, c.id`, string(workflow.StateReturned))
	if err != nil {
		return nil, 0, fmt.Errorf("error listing returned cases: %w", err)
	}
	defer rows.Close()
	var out []*CaseSummary
	total := 0
	for rows.Next() {
		cs, err := scanSummary(rowWith{rows, []any{&total}})
		if err != nil {
			return nil, 0, fmt.Errorf("error listing returned cases: %w", err)
		}
		out = append(out, cs)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("error listing returned cases: %w", err)
	}
	if len(out) == 0 && offset > 0 {
		// Past the last page: count them for the pager.
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM cases c WHERE c.state = $1 AND NOT EXISTS (
			SELECT 1 FROM cases o WHERE o.proposal_id = c.proposal_id AND o.state <> $1 AND o.assigned_at >= c.updated_at OFFSET 0)`,
			string(workflow.StateReturned)).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("error counting returned cases: %w", err)
		}
	}
	return out, total, nil
}
