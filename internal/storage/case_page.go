package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/banli-gov/banli/workflow"
)

// This file holds the reads of the case page (办件页) beside the case
// itself (the proposal's deputies are ProposalDeputies): the contacts with the deputy, the other
// cases of the proposal with their latest drafts (the co-opinions), the
// signed replies, the feedback, the extension requests and the names of the
// people in its timeline. None of them checks visibility: the caller loads
// the case with CaseFor first, and passes what it may show.

// Communications lists a case's contacts with the deputy (面商), in the
// order they happened.
func (db *DB) Communications(ctx context.Context, caseID int64) ([]*Communication, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT id, case_id, method, happened_on, participants, summary, recorded_by
		FROM communications WHERE case_id = $1 ORDER BY happened_on, id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("error listing communications of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []*Communication
	for rows.Next() {
		var m Communication
		var method string
		var on dateCol
		if err := rows.Scan(&m.ID, &m.CaseID, &method, &on, &m.Participants, &m.Summary, &m.RecordedBy); err != nil {
			return nil, fmt.Errorf("error listing communications of case %d: %w", caseID, err)
		}
		m.Method, m.HappenedOn = workflow.ContactMethod(method), on.Date()
		out = append(out, &m)
	}
	return out, rows.Err()
}

// ProposalCase is one case of a proposal as the case page's assignment
// lists it, with its latest draft: for a co-handling unit, its opinion
// (协办意见).
type ProposalCase struct {
	ID             int64
	DepartmentID   int64
	DepartmentName string
	Kind           workflow.CaseKind
	State          workflow.State
	Round          int
	AssignedAt     time.Time
	ReplyDue       workflow.Date
	CoOpinionDue   workflow.Date
	// Provisional marks the dates above counted without a year's holiday
	// data.
	Provisional workflow.ProvisionalDues
	// LatestDraft is the case's newest draft version; nil before the first.
	LatestDraft *workflow.Draft
}

// ProposalCases lists every case of a proposal, returned ones included: the
// lead unit first, then the co-handling and separate units, oldest
// assignment first.
func (db *DB) ProposalCases(ctx context.Context, proposalID int64) ([]*ProposalCase, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT c.id, c.department_id, d.name, c.kind, c.state, c.round, c.assigned_at, c.reply_due, c.co_opinion_due,
		       c.reply_due_provisional, c.co_opinion_due_provisional,
		       dr.id, dr.round, dr.version, dr.author_id, dr.sections, dr.created_at
		FROM cases c JOIN departments d ON d.id = c.department_id
		LEFT JOIN LATERAL (SELECT * FROM drafts WHERE case_id = c.id ORDER BY version DESC LIMIT 1) dr ON true
		WHERE c.proposal_id = $1
		ORDER BY c.kind = 'lead' DESC, c.assigned_at, c.id`, proposalID)
	if err != nil {
		return nil, fmt.Errorf("error listing cases of proposal %d: %w", proposalID, err)
	}
	defer rows.Close()
	var out []*ProposalCase
	for rows.Next() {
		var pc ProposalCase
		var kind, state string
		var replyDue, coDue dateCol
		var draftID, authorID pgtype.Int8
		var draftRound, draftVersion pgtype.Int4
		var sections []byte
		var created pgtype.Timestamptz
		if err := rows.Scan(&pc.ID, &pc.DepartmentID, &pc.DepartmentName, &kind, &state, &pc.Round, &pc.AssignedAt, &replyDue, &coDue,
			&pc.Provisional.Reply, &pc.Provisional.CoOpinion, &draftID, &draftRound, &draftVersion, &authorID, &sections, &created); err != nil {
			return nil, fmt.Errorf("error listing cases of proposal %d: %w", proposalID, err)
		}
		pc.Kind, pc.State, pc.ReplyDue, pc.CoOpinionDue = workflow.CaseKind(kind), workflow.State(state), replyDue.Date(), coDue.Date()
		if draftID.Valid {
			d := &workflow.Draft{ID: draftID.Int64, CaseID: pc.ID, Round: int(draftRound.Int32), Version: int(draftVersion.Int32),
				AuthorID: authorID.Int64, CreatedAt: created.Time}
			if err := json.Unmarshal(sections, &d.Sections); err != nil {
				return nil, fmt.Errorf("error decoding draft %d: %w", d.ID, err)
			}
			pc.LatestDraft = d
		}
		out = append(out, &pc)
	}
	return out, rows.Err()
}

// CaseReply is the signed reply of one round of a case (答复): the draft
// version the approver signed, the class and disclosure set at sign-off,
// when it was sent, and its publication.
type CaseReply struct {
	ID               int64
	CaseID           int64
	Round            int
	DraftVersion     int
	Sections         []workflow.Section
	Class            workflow.ReplyClass
	Disclosure       workflow.Disclosure
	DisclosureReason string
	// DocumentNumber is the reply's 文号, e.g. 武市监建〔2024〕294号.
	DocumentNumber string
	ContactPerson  string
	ContactPhone   string
	SignedBy       int64
	SignedByName   string
	SignedAt       time.Time
	// SentAt is when the reply went to the deputy; zero before. SentDue
	// is the reply due date in force at that moment (zero before, and for
	// later rounds sent before migration 00190).
	SentAt  time.Time
	SentDue workflow.Date
	// PublicationState is "" before the reply is sent.
	PublicationState workflow.State
	PublicationTitle string
	PublicationDue   workflow.Date
	// PublicationDueProvisional marks a publication date counted without a
	// year's holiday data.
	PublicationDueProvisional bool
	PublishedAt               time.Time
	WithheldReason            string
	// Summary is the summary published for 摘要公开; Withheld the passages
	// left out of the public text (区分处理). Staff pages show them marked.
	Summary  string
	Withheld []workflow.Passage
}

// Signed is what disclosure looks at of the reply (workflow.SignedText):
// its Public text is what the portal shows.
func (r *CaseReply) Signed() workflow.SignedText {
	return workflow.SignedText{Sections: r.Sections, Disclosure: r.Disclosure, Summary: r.Summary, Withheld: r.Withheld}
}

const caseReplyQuery = `
	SELECT r.id, r.case_id, r.round, dr.version, dr.sections, r.class, r.disclosure, r.disclosure_reason, r.document_number,
	       r.contact_person, r.contact_phone, r.signed_by, u.name, r.signed_at, r.sent_at, r.sent_due,
	       coalesce(pub.state, ''), coalesce(pub.title, ''), pub.due_on, coalesce(pub.due_provisional, false), pub.published_at, coalesce(pub.withheld_reason, ''),
	       r.summary, r.withheld
	FROM replies r
	JOIN drafts dr ON dr.id = r.draft_id
	JOIN users u ON u.id = r.signed_by
	LEFT JOIN publications pub ON pub.reply_id = r.id`

func scanCaseReply(row interface{ Scan(...any) error }) (*CaseReply, error) {
	var r CaseReply
	var sections []byte
	var class, disclosure, pubState string
	var sent, published pgtype.Timestamptz
	var pubDue, sentDue dateCol
	err := row.Scan(&r.ID, &r.CaseID, &r.Round, &r.DraftVersion, &sections, &class, &disclosure, &r.DisclosureReason, &r.DocumentNumber,
		&r.ContactPerson, &r.ContactPhone, &r.SignedBy, &r.SignedByName, &r.SignedAt, &sent, &sentDue,
		&pubState, &r.PublicationTitle, &pubDue, &r.PublicationDueProvisional, &published, &r.WithheldReason,
		&r.Summary, &r.Withheld)
	if err != nil {
		return nil, err
	}
	r.Class, r.Disclosure, r.PublicationState = workflow.ReplyClass(class), workflow.Disclosure(disclosure), workflow.State(pubState)
	r.SentAt, r.PublishedAt, r.PublicationDue, r.SentDue = sent.Time, published.Time, pubDue.Date(), sentDue.Date()
	if err := json.Unmarshal(sections, &r.Sections); err != nil {
		return nil, fmt.Errorf("error decoding reply %d: %w", r.ID, err)
	}
	return &r, nil
}

// CaseReplies lists the signed replies of a case, one per round, the first
// round first.
func (db *DB) CaseReplies(ctx context.Context, caseID int64) ([]*CaseReply, error) {
	rows, err := db.Pool.Query(ctx, caseReplyQuery+` WHERE r.case_id = $1 ORDER BY r.round`, caseID)
	if err != nil {
		return nil, fmt.Errorf("error listing replies of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []*CaseReply
	for rows.Next() {
		r, err := scanCaseReply(rows)
		if err != nil {
			return nil, fmt.Errorf("error listing replies of case %d: %w", caseID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Feedback is the deputy's feedback on one round's reply (征询意见表).
type Feedback struct {
	CaseID        int64
	Round         int
	WorkRating    workflow.Rating
	ResultRating  workflow.Rating
	ContactMethod workflow.ContactMethod
	MetBy         string
	Remarks       string
	// RecordedBy is the liaison who entered the form; 0 when the deputy
	// gave it through the signed link.
	RecordedBy     int64
	RecordedByName string
	ReceivedAt     time.Time
}

// CaseFeedback lists the feedback on a case's replies, the first round first.
func (db *DB) CaseFeedback(ctx context.Context, caseID int64) ([]*Feedback, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT f.case_id, f.round, f.work_rating, f.result_rating, f.contact_method, f.met_by, f.remarks,
		       coalesce(f.recorded_by, 0), coalesce(u.name, ''), f.received_at
		FROM feedback f LEFT JOIN users u ON u.id = f.recorded_by
		WHERE f.case_id = $1 ORDER BY f.round`, caseID)
	if err != nil {
		return nil, fmt.Errorf("error listing feedback of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []*Feedback
	for rows.Next() {
		var f Feedback
		var work, result, method string
		if err := rows.Scan(&f.CaseID, &f.Round, &work, &result, &method, &f.MetBy, &f.Remarks, &f.RecordedBy, &f.RecordedByName, &f.ReceivedAt); err != nil {
			return nil, fmt.Errorf("error listing feedback of case %d: %w", caseID, err)
		}
		f.WorkRating, f.ResultRating, f.ContactMethod = workflow.Rating(work), workflow.Rating(result), workflow.ContactMethod(method)
		out = append(out, &f)
	}
	return out, rows.Err()
}

// Extension is a unit's request for a later reply due date (延期申请) and
// the liaison's decision on it.
type Extension struct {
	ID          int64
	CaseID      int64
	State       workflow.ExtensionState
	Reason      string
	PreviousDue workflow.Date
	WantedDue   workflow.Date
	GrantedDue  workflow.Date // zero unless granted
	DecideDue   workflow.Date // when the liaison should decide
	// DecideDueProvisional marks a decision date counted without a year's
	// holiday data.
	DecideDueProvisional bool
	DecisionComment      string
	RequestedBy          int64
	RequestedByName      string
	RequestedAt          time.Time
	DecidedBy            int64 // 0 while requested
	DecidedByName        string
	DecidedAt            time.Time // zero while requested
}

// CaseExtensions lists a case's extension requests, oldest first.
func (db *DB) CaseExtensions(ctx context.Context, caseID int64) ([]*Extension, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT e.id, e.case_id, e.state, e.reason, e.previous_due, e.wanted_due, e.granted_due, e.decide_due, e.decide_due_provisional, e.decision_comment,
		       e.requested_by, ru.name, e.requested_at, coalesce(e.decided_by, 0), coalesce(du.name, ''), e.decided_at
		FROM extensions e JOIN users ru ON ru.id = e.requested_by LEFT JOIN users du ON du.id = e.decided_by
		WHERE e.case_id = $1 ORDER BY e.requested_at, e.id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("error listing extensions of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []*Extension
	for rows.Next() {
		var e Extension
		var state string
		var prev, wanted, granted, decide dateCol
		var decided pgtype.Timestamptz
		if err := rows.Scan(&e.ID, &e.CaseID, &state, &e.Reason, &prev, &wanted, &granted, &decide, &e.DecideDueProvisional, &e.DecisionComment,
			&e.RequestedBy, &e.RequestedByName, &e.RequestedAt, &e.DecidedBy, &e.DecidedByName, &decided); err != nil {
			return nil, fmt.Errorf("error listing extensions of case %d: %w", caseID, err)
		}
		e.State = workflow.ExtensionState(state)
		e.PreviousDue, e.WantedDue, e.GrantedDue, e.DecideDue = prev.Date(), wanted.Date(), granted.Date(), decide.Date()
		e.DecidedAt = decided.Time
		out = append(out, &e)
	}
	return out, rows.Err()
}

// UserNames returns the names of the users with the given ids; ids of no
// user are left out.
func (db *DB) UserNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.Pool.Query(ctx, `SELECT id, name FROM users WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("error reading user names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("error reading user names: %w", err)
		}
		out[id] = name
	}
	return out, rows.Err()
}

// ActiveDeadlinesOf returns the active deadlines of the given cases, by
// case id, each case's in the order they started: one query for a list.
func (db *DB) ActiveDeadlinesOf(ctx context.Context, caseIDs []int64) (map[int64][]*StoredDeadline, error) {
	out := make(map[int64][]*StoredDeadline, len(caseIDs))
	if len(caseIDs) == 0 {
		return out, nil
	}
	rows, err := db.Pool.Query(ctx, `SELECT `+deadlineColumns+` FROM deadlines
		WHERE case_id = ANY($1) AND ended_at IS NULL ORDER BY case_id, id`, caseIDs)
	if err != nil {
		return nil, fmt.Errorf("error listing deadlines: %w", err)
	}
	list, err := collectDeadlines(rows)
	if err != nil {
		return nil, err
	}
	for _, d := range list {
		out[d.CaseID] = append(out[d.CaseID], d)
	}
	return out, nil
}
