package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/banli-gov/banli/workflow"
)

// RequestCase is the case a pending request is about, as the liaison's
// list of requests shows it.
type RequestCase struct {
	CaseID         int64
	ProposalID     int64
	Number         string
	Title          string
	SessionShort   string
	DepartmentName string
	Kind           workflow.CaseKind
	State          workflow.State
}

// ReturnRequest is a unit's pending request to return a case (申请退回),
// on which the liaison rules.
type ReturnRequest struct {
	RequestCase
	RequestedAt time.Time
	// Reason is the unit's comment on the request.
	Reason string
	// ReturnDue is the last day of the return window.
	ReturnDue workflow.Date
}

// ExtensionRequest is a unit's pending request for a later reply due
// date (延期申请), on which the liaison rules.
type ExtensionRequest struct {
	RequestCase
	ID          int64
	Reason      string
	PreviousDue workflow.Date
	WantedDue   workflow.Date
	// DecideDue is when the liaison's decision is due.
	DecideDue   workflow.Date
	RequestedAt time.Time
	// Cap is the case's extension cap (reply-extended), computed with
	// today's calendar; it may be provisional.
	Cap workflow.DueDate
}

const requestCaseColumns = `c.id, c.proposal_id, p.number, p.title, s.short_name, d.name, c.kind, c.state`

const requestCaseFrom = ` FROM cases c
	JOIN proposals p ON p.id = c.proposal_id
	JOIN congress_sessions s ON s.id = p.session_id
	JOIN departments d ON d.id = c.department_id`

// PendingReturnRequests lists the cases awaiting the liaison's ruling on a
// return request, across all units, the oldest request first.
func (db *DB) PendingReturnRequests(ctx context.Context) ([]ReturnRequest, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+requestCaseColumns+`, ev.at, coalesce(ev.payload->>'comment', ''), c.return_due`+
		requestCaseFrom+`
		JOIN LATERAL (SELECT e.at, e.payload FROM case_events e WHERE e.case_id = c.id AND e.action = 'request_return'
			ORDER BY e.seq DESC LIMIT 1) ev ON true
		WHERE c.state = 'return_requested'
		ORDER BY ev.at, c.id`)
	if err != nil {
		return nil, fmt.Errorf("error listing return requests: %w", err)
	}
	defer rows.Close()
	var out []ReturnRequest
	for rows.Next() {
		var r ReturnRequest
		var kind, state string
		var due dateCol
		if err := rows.Scan(&r.CaseID, &r.ProposalID, &r.Number, &r.Title, &r.SessionShort, &r.DepartmentName, &kind, &state,
			&r.RequestedAt, &r.Reason, &due); err != nil {
			return nil, fmt.Errorf("error listing return requests: %w", err)
		}
		r.Kind, r.State, r.ReturnDue = workflow.CaseKind(kind), workflow.State(state), due.Date()
		out = append(out, r)
	}
	return out, rows.Err()
}

// PendingExtensionRequests lists the extension requests awaiting the
// liaison's decision, across all units, the earliest decision due first.
func (db *DB) PendingExtensionRequests(ctx context.Context) ([]ExtensionRequest, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+requestCaseColumns+`, e.id, e.reason, e.previous_due, e.wanted_due, e.decide_due,
			e.requested_at, c.assigned_at, c.round, c.rehandle_due, c.rehandle_due_provisional, p.session_id`+requestCaseFrom+`
		JOIN extensions e ON e.case_id = c.id
		WHERE e.state = 'requested'
		ORDER BY e.decide_due NULLS LAST, e.requested_at, e.id`)
	if err != nil {
		return nil, fmt.Errorf("error listing extension requests: %w", err)
	}
	defer rows.Close()
	var out []ExtensionRequest
	var cases []*CaseSummary
	for rows.Next() {
		var r ExtensionRequest
		var kind, state string
		var prev, wanted, decide, rehandleDue dateCol
		cs := &CaseSummary{}
		if err := rows.Scan(&r.CaseID, &r.ProposalID, &r.Number, &r.Title, &r.SessionShort, &r.DepartmentName, &kind, &state,
			&r.ID, &r.Reason, &prev, &wanted, &decide, &r.RequestedAt,
			&cs.AssignedAt, &cs.Round, &rehandleDue, &cs.Provisional.Rehandle, &cs.SessionID); err != nil {
			return nil, fmt.Errorf("error listing extension requests: %w", err)
		}
		r.Kind, r.State = workflow.CaseKind(kind), workflow.State(state)
		r.PreviousDue, r.WantedDue, r.DecideDue = prev.Date(), wanted.Date(), decide.Date()
		cs.Kind, cs.RehandleDue = r.Kind, rehandleDue.Date()
		out, cases = append(out, r), append(cases, cs)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := db.fillExtensionCaps(ctx, db.Pool, cases); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Cap = cases[i].ExtensionCap
	}
	return out, nil
}
