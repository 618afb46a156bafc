package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/banli-gov/banli/workflow"
)

// DeputyLinkIssue is the link to a deputy's own page (代表查询页) issued for
// a congress session: its expiry, which with the deputy and session makes
// its signed token, who issued it, and its revocation.
type DeputyLinkIssue struct {
	DeputyID      int64
	SessionID     int64
	ExpiresAt     time.Time
	CreatedBy     int64
	CreatedAt     time.Time
	Revoked       bool
	RevokedByName string
	RevokedAt     time.Time
}

// IssueDeputyLink returns the link of deputyID's page for sessionID: the
// one issued before while it is neither revoked nor expired at now, else a
// new one that expires at expires, issued by userID (recorded in
// deputy_link_events) — at least a second after the one it replaces, so
// that a revoked link's token never comes back.
func (db *DB) IssueDeputyLink(ctx context.Context, deputyID, sessionID, userID int64, now, expires time.Time) (*DeputyLinkIssue, error) {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	l := DeputyLinkIssue{DeputyID: deputyID, SessionID: sessionID}
	err = tx.QueryRow(ctx, `INSERT INTO deputy_links (deputy_id, session_id, expires_at, created_by, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (deputy_id, session_id) DO UPDATE SET
			expires_at = greatest(excluded.expires_at, deputy_links.expires_at + interval '1 second'), created_by = excluded.created_by,
			created_at = excluded.created_at, revoked_at = NULL, revoked_by = NULL
		WHERE deputy_links.revoked_at IS NOT NULL OR deputy_links.expires_at <= excluded.created_at
		RETURNING expires_at, created_by, created_at`, deputyID, sessionID, expires.Truncate(time.Second), userID, now).
		Scan(&l.ExpiresAt, &l.CreatedBy, &l.CreatedAt)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		// The link issued before is still good.
		err = tx.QueryRow(ctx, `SELECT expires_at, created_by, created_at FROM deputy_links WHERE deputy_id = $1 AND session_id = $2`,
			deputyID, sessionID).Scan(&l.ExpiresAt, &l.CreatedBy, &l.CreatedAt)
	case err == nil:
		_, err = tx.Exec(ctx, `INSERT INTO deputy_link_events (deputy_id, session_id, action, expires_at, actor_id, at)
			VALUES ($1, $2, 'issue', $3, $4, $5)`, deputyID, sessionID, l.ExpiresAt, userID, now)
	}
	if err != nil {
		return nil, dbError(err, "deputy link")
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("error committing deputy link: %w", err)
	}
	return &l, nil
}

// DeputyLinkOf returns the link issued for deputyID's page of sessionID,
// even revoked or expired; not found when none was.
func (db *DB) DeputyLinkOf(ctx context.Context, deputyID, sessionID int64) (*DeputyLinkIssue, error) {
	l := DeputyLinkIssue{DeputyID: deputyID, SessionID: sessionID}
	var revokedAt pgtype.Timestamptz
	err := db.Pool.QueryRow(ctx, `SELECT l.expires_at, l.created_by, l.created_at, l.revoked_at, coalesce(u.name, '')
		FROM deputy_links l LEFT JOIN users u ON u.id = l.revoked_by WHERE l.deputy_id = $1 AND l.session_id = $2`,
		deputyID, sessionID).Scan(&l.ExpiresAt, &l.CreatedBy, &l.CreatedAt, &revokedAt, &l.RevokedByName)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, workflow.Errorf(workflow.ErrNotFound, "no link issued for deputy %d in session %d", deputyID, sessionID)
	} else if err != nil {
		return nil, fmt.Errorf("error reading the link of deputy %d: %w", deputyID, err)
	}
	l.Revoked, l.RevokedAt = revokedAt.Valid, revokedAt.Time
	return &l, nil
}

// RevokeDeputyLink revokes the link of deputyID's page of sessionID, by
// userID at now, and records it: it stops working, and the next one issued
// is new. Revoking a link that is not live changes nothing.
func (db *DB) RevokeDeputyLink(ctx context.Context, deputyID, sessionID, userID int64, now time.Time) error {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	var expires time.Time
	err = tx.QueryRow(ctx, `UPDATE deputy_links SET revoked_at = $3, revoked_by = $4
		WHERE deputy_id = $1 AND session_id = $2 AND revoked_at IS NULL RETURNING expires_at`, deputyID, sessionID, now, userID).Scan(&expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err == nil {
		_, err = tx.Exec(ctx, `INSERT INTO deputy_link_events (deputy_id, session_id, action, expires_at, actor_id, at)
			VALUES ($1, $2, 'revoke', $3, $4, $5)`, deputyID, sessionID, expires, userID, now)
	}
	if err != nil {
		return fmt.Errorf("error revoking the link of deputy %d: %w", deputyID, err)
	}
	return tx.Commit(ctx)
}

// DeputyLinkEvent is an issue or revocation of a deputy's link.
type DeputyLinkEvent struct {
	Action    string // issue or revoke
	ExpiresAt time.Time
	ActorName string
	At        time.Time
}

// DeputyLinkEvents lists the issues and revocations of deputyID's link for
// sessionID, oldest first.
func (db *DB) DeputyLinkEvents(ctx context.Context, deputyID, sessionID int64) ([]DeputyLinkEvent, error) {
	rows, err := db.Pool.Query(ctx, `SELECT e.action, e.expires_at, u.name, e.at FROM deputy_link_events e JOIN users u ON u.id = e.actor_id
		WHERE e.deputy_id = $1 AND e.session_id = $2 ORDER BY e.at, e.id`, deputyID, sessionID)
	if err != nil {
		return nil, fmt.Errorf("error listing the link events of deputy %d: %w", deputyID, err)
	}
	evs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (DeputyLinkEvent, error) {
		var e DeputyLinkEvent
		return e, row.Scan(&e.Action, &e.ExpiresAt, &e.ActorName, &e.At)
	})
	if err != nil {
		return nil, fmt.Errorf("error listing the link events of deputy %d: %w", deputyID, err)
	}
	return evs, nil
}

// DeputyView is what a deputy's own page shows: their suggestions of one
// congress session, each unit handling it with its state and due date, the
// replies sent to them and whether feedback is awaited. It carries no other
// deputy's contact details and no staff names but the replies' contact
// persons.
type DeputyView struct {
	DeputyName   string
	SessionName  string
	SessionShort string
	Proposals    []*DeputyProposal
}

// DeputyProposal is a suggestion on a deputy's page.
type DeputyProposal struct {
	ID     int64
	Number string
	Title  string
	// Lead: the deputy is its lead deputy (领衔代表); else a co-signer.
	Lead       bool
	LeadDeputy string
	Cases      []*DeputyCase
}

// DeputyCase is a unit's handling of a suggestion on a deputy's page.
type DeputyCase struct {
	ID             int64
	DepartmentName string
	Kind           workflow.CaseKind
	State          workflow.State
	Round          int
	// Due is the reply's due date in force (extensions included), or a
	// co-handling unit's opinion's.
	Due workflow.Date
	// Replies are the replies sent to the deputy, first round first, with
	// their files.
	Replies []*DeputyReply
	// FeedbackRecorded: feedback on the current round is in.
	FeedbackRecorded bool
}

// DeputyReply is a sent reply on a deputy's page, with its files (the
// scanned letter) that are not deleted.
type DeputyReply struct {
	*CaseReply
	Files []*Attachment
}

// DeputyView returns deputyID's page for sessionID: every suggestion of the
// session they lead or co-signed, with its live cases. It does not check
// who asks: the signed link is the caller's permission.
func (db *DB) DeputyView(ctx context.Context, deputyID, sessionID int64) (*DeputyView, error) {
	var v DeputyView
	err := db.Pool.QueryRow(ctx, `SELECT d.name, s.name, s.short_name FROM deputies d, congress_sessions s WHERE d.id = $1 AND s.id = $2`,
		deputyID, sessionID).Scan(&v.DeputyName, &v.SessionName, &v.SessionShort)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("deputy %d in session %d", deputyID, sessionID))
	}
	rows, err := db.Pool.Query(ctx, `
		SELECT p.id, p.number, p.title, pd.lead,
		       coalesce((SELECT dep.name FROM proposal_deputies l JOIN deputies dep ON dep.id = l.deputy_id
		                 WHERE l.proposal_id = p.id ORDER BY l.lead DESC, l.position LIMIT 1), '')
		FROM proposal_deputies pd JOIN proposals p ON p.id = pd.proposal_id
		WHERE pd.deputy_id = $1 AND p.session_id = $2
		ORDER BY p.number, p.id`, deputyID, sessionID)
	if err != nil {
		return nil, fmt.Errorf("error listing the suggestions of deputy %d: %w", deputyID, err)
	}
	v.Proposals, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*DeputyProposal, error) {
		var p DeputyProposal
		return &p, row.Scan(&p.ID, &p.Number, &p.Title, &p.Lead, &p.LeadDeputy)
	})
	if err != nil {
		return nil, fmt.Errorf("error listing the suggestions of deputy %d: %w", deputyID, err)
	}
	for _, p := range v.Proposals {
		pcs, err := db.ProposalCases(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		for _, pc := range pcs {
			if !pc.State.Live() {
				continue
			}
			dc := &DeputyCase{ID: pc.ID, DepartmentName: pc.DepartmentName, Kind: pc.Kind, State: pc.State, Round: pc.Round, Due: pc.ReplyDue}
			if pc.Kind == workflow.KindCo {
				dc.Due = pc.CoOpinionDue
			}
			if err := db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM feedback WHERE case_id = $1 AND round = $2)`, pc.ID, pc.Round).
				Scan(&dc.FeedbackRecorded); err != nil {
				return nil, fmt.Errorf("error reading the feedback of case %d: %w", pc.ID, err)
			}
			if pc.Kind.RepliesToDeputy() {
				replies, err := db.CaseReplies(ctx, pc.ID)
				if err != nil {
					return nil, err
				}
				for _, r := range replies {
					if r.SentAt.IsZero() {
						continue
					}
					files, err := db.ReplyAttachments(ctx, r.ID)
					if err != nil {
						return nil, err
					}
					dc.Replies = append(dc.Replies, &DeputyReply{CaseReply: r, Files: files})
				}
			}
			p.Cases = append(p.Cases, dc)
		}
	}
	return &v, nil
}

// DeputyAttachment returns file id if deputyID's page of sessionID shows
// it: a file, not deleted, of a sent reply of a live case of one of their
// suggestions of the session; not found otherwise.
func (db *DB) DeputyAttachment(ctx context.Context, deputyID, sessionID, id int64) (*Attachment, error) {
	list, err := db.queryAttachments(ctx, fmt.Sprintf("deputy %d", deputyID), `a.id = $1 AND a.deleted_at IS NULL AND EXISTS (
		SELECT 1 FROM replies r JOIN cases c ON c.id = r.case_id JOIN proposals p ON p.id = c.proposal_id
		JOIN proposal_deputies pd ON pd.proposal_id = p.id
		WHERE r.id = a.reply_id AND r.sent_at IS NOT NULL AND c.state <> 'returned' AND pd.deputy_id = $2 AND p.session_id = $3)`,
		id, deputyID, sessionID)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, workflow.Errorf(workflow.ErrNotFound, "attachment %d of deputy %d not found", id, deputyID)
	}
	return list[0], nil
}

// DeputyCaseOf returns the case caseID if it is a live case of a suggestion
// deputyID leads in sessionID (whose feedback the deputy's page offers);
// not found otherwise.
func (db *DB) DeputyCaseOf(ctx context.Context, deputyID, sessionID, caseID int64) (*workflow.Case, error) {
	var ok bool
	err := db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM cases c JOIN proposals p ON p.id = c.proposal_id
		JOIN proposal_deputies pd ON pd.proposal_id = p.id AND pd.lead
		WHERE c.id = $1 AND c.state <> 'returned' AND pd.deputy_id = $2 AND p.session_id = $3)`, caseID, deputyID, sessionID).Scan(&ok)
	if err != nil {
		return nil, fmt.Errorf("error reading case %d of deputy %d: %w", caseID, deputyID, err)
	}
	if !ok {
		return nil, workflow.Errorf(workflow.ErrNotFound, "case %d of deputy %d not found", caseID, deputyID)
	}
	return db.Case(ctx, caseID)
}
