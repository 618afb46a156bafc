package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/banli-gov/banli/workflow"
)

// Attachment is a file (附件) on a suggestion, a case, a contact with the
// deputy, a draft version or a signed reply. It is never removed: a
// deleted one keeps its record, with who deleted it and when, and its
// content can no longer be fetched.
type Attachment struct {
	ID         int64
	ProposalID int64
	// CaseID is the case the file belongs to; 0 for the suggestion's own.
	CaseID int64
	Owner  workflow.AttachmentOwner
	// OwnerID is the contact record's, draft version's or reply's id; 0
	// for a suggestion's or a case's file.
	OwnerID int64
	// What the owner is, in the case page's words: the draft's version,
	// the reply's round, the contact's date.
	DraftVersion    int
	ReplyRound      int
	CommunicationOn workflow.Date
	Filename        string
	ContentType     string
	Size            int64
	SHA256          string
	// Public: shown on the portal with the reply once it is published.
	Public        bool
	AddedBy       int64
	AddedByName   string
	AddedAt       time.Time
	DeletedBy     int64
	DeletedByName string
	// DeletedAt is zero while the file is not deleted.
	DeletedAt time.Time
}

// Deleted reports whether the file was deleted.
func (a *Attachment) Deleted() bool { return !a.DeletedAt.IsZero() }

// AddAttachmentCmd attaches a file. CaseID is the case it is attached
// through, whose audit chain records it: the file's own case, or for a
// suggestion's file any case of the suggestion. A suggestion's file may
// also be attached on the suggestion itself (the liaison's proposal page,
// before it is assigned, say): CaseID 0 and ProposalID; its record is then
// the attachment's row alone.
type AddAttachmentCmd struct {
	CaseID      int64
	ProposalID  int64
	Owner       workflow.AttachmentOwner
	OwnerID     int64
	Filename    string
	ContentType string
	Content     []byte
	Public      bool
}

const attachmentColumns = `a.id, a.proposal_id, coalesce(a.case_id, 0), a.owner,
	coalesce(a.communication_id, a.draft_id, a.reply_id, 0), coalesce(dr.version, 0), coalesce(rp.round, 0), cm.happened_on,
	a.filename, a.content_type, a.size, a.sha256, a.public, a.added_by, ua.name, a.added_at,
	coalesce(a.deleted_by, 0), coalesce(ud.name, ''), a.deleted_at`

const attachmentFrom = ` FROM attachments a
	JOIN users ua ON ua.id = a.added_by
	LEFT JOIN users ud ON ud.id = a.deleted_by
	LEFT JOIN drafts dr ON dr.id = a.draft_id
	LEFT JOIN replies rp ON rp.id = a.reply_id
	LEFT JOIN communications cm ON cm.id = a.communication_id`

func scanAttachment(row pgx.Row) (*Attachment, error) {
	var a Attachment
	var owner string
	var on dateCol
	var deleted pgtype.Timestamptz
	if err := row.Scan(&a.ID, &a.ProposalID, &a.CaseID, &owner, &a.OwnerID, &a.DraftVersion, &a.ReplyRound, &on,
		&a.Filename, &a.ContentType, &a.Size, &a.SHA256, &a.Public, &a.AddedBy, &a.AddedByName, &a.AddedAt,
		&a.DeletedBy, &a.DeletedByName, &deleted); err != nil {
		return nil, err
	}
	a.Owner, a.CommunicationOn = workflow.AttachmentOwner(owner), on.Date()
	if deleted.Valid {
		a.DeletedAt = deleted.Time
	}
	return &a, nil
}

func (db *DB) queryAttachments(ctx context.Context, what, where string, args ...any) ([]*Attachment, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+attachmentColumns+attachmentFrom+` WHERE `+where+` ORDER BY a.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("error listing attachments of %s: %w", what, err)
	}
	defer rows.Close()
	var out []*Attachment
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, fmt.Errorf("error listing attachments of %s: %w", what, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CaseAttachments lists the files of a case page, deleted ones included,
// in the order they were added: the suggestion's own, then the case's and
// its records'. Like the rest of the case page it checks no visibility:
// the caller loads the case with CaseFor first.
func (db *DB) CaseAttachments(ctx context.Context, proposalID, caseID int64) ([]*Attachment, error) {
	return db.queryAttachments(ctx, fmt.Sprintf("case %d", caseID),
		`(a.proposal_id = $1 AND a.case_id IS NULL) OR a.case_id = $2`, proposalID, caseID)
}

// ProposalAttachments lists the suggestion's own files, deleted ones
// included (the liaison's proposal page).
func (db *DB) ProposalAttachments(ctx context.Context, proposalID int64) ([]*Attachment, error) {
	return db.queryAttachments(ctx, fmt.Sprintf("proposal %d", proposalID), `a.proposal_id = $1 AND a.case_id IS NULL`, proposalID)
}

// ReplyAttachments lists the files of a reply that are not deleted.
func (db *DB) ReplyAttachments(ctx context.Context, replyID int64) ([]*Attachment, error) {
	return db.queryAttachments(ctx, fmt.Sprintf("reply %d", replyID), `a.reply_id = $1 AND a.deleted_at IS NULL`, replyID)
}

// PublicAttachments lists the files shown on the portal with publication
// publicationID: marked public, not deleted, and only while the
// publication is published.
func (db *DB) PublicAttachments(ctx context.Context, publicationID int64) ([]*Attachment, error) {
	return db.queryAttachments(ctx, fmt.Sprintf("publication %d", publicationID), `a.public AND a.deleted_at IS NULL AND a.reply_id = (
		SELECT reply_id FROM publications WHERE id = $1 AND state = 'published')`, publicationID)
}

// PublicAttachment returns file id of publication publicationID if the
// portal shows it (PublicAttachments); not found otherwise.
func (db *DB) PublicAttachment(ctx context.Context, publicationID, id int64) (*Attachment, error) {
	list, err := db.PublicAttachments(ctx, publicationID)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		if a.ID == id {
			return a, nil
		}
	}
	return nil, workflow.Errorf(workflow.ErrNotFound, "attachment %d of publication %d not found", id, publicationID)
}

// attachment reads file id as it is, deleted or not, without checking
// who asks.
func (db *DB) attachment(ctx context.Context, q pgx.Row, id int64) (*Attachment, error) {
	a, err := scanAttachment(q)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("attachment %d", id))
	}
	return a, nil
}

// AttachmentFor returns file id if actor may see what it belongs to — a
// case's file: whoever sees the case (CaseFor); the suggestion's own: the
// liaison and whoever sees a case of it (workflow.Actor.AccessToProposal)
// — with that access; not found otherwise, so that its existence does not
// leak. A deleted file is returned too (its record stays listed); the
// caller refuses its content.
func (db *DB) AttachmentFor(ctx context.Context, actor workflow.Actor, id int64) (*Attachment, workflow.Access, error) {
	a, err := db.attachment(ctx, db.Pool.QueryRow(ctx, `SELECT `+attachmentColumns+attachmentFrom+` WHERE a.id = $1`, id), id)
	if err != nil {
		return nil, workflow.AccessNone, err
	}
	access, err := db.proposalAccess(ctx, actor, a)
	if err != nil {
		return nil, access, err
	}
	if access == workflow.AccessNone {
		return nil, access, workflow.Errorf(workflow.ErrNotFound, "attachment %d not found", id)
	}
	return a, access, nil
}

// proposalAccess is what actor may do with a's owner.
func (db *DB) proposalAccess(ctx context.Context, actor workflow.Actor, a *Attachment) (workflow.Access, error) {
	if a.CaseID != 0 {
		_, access, err := db.CaseFor(ctx, actor, a.CaseID)
		if workflow.Code(err) == workflow.ErrNotFound {
			return workflow.AccessNone, nil
		}
		return access, err
	}
	pcs, err := db.ProposalCases(ctx, a.ProposalID)
	if err != nil {
		return workflow.AccessNone, err
	}
	var lead int64
	cases := make([]*workflow.Case, 0, len(pcs))
	for _, pc := range pcs {
		cases = append(cases, &workflow.Case{ID: pc.ID, DepartmentID: pc.DepartmentID, Kind: pc.Kind, State: pc.State})
		if pc.Kind == workflow.KindLead && pc.State.Live() {
			lead = pc.DepartmentID
		}
	}
	return actor.AccessToProposal(cases, lead), nil
}

// OpenAttachment returns a reader of a's content from the blob store.
func (db *DB) OpenAttachment(ctx context.Context, a *Attachment) (io.ReadCloser, error) {
	if a.Deleted() {
		return nil, workflow.Errorf(workflow.ErrNotFound, "attachment %d was deleted", a.ID)
	}
	return db.Blobs.Open(ctx, a.SHA256)
}

// AddAttachment attaches a file, checked by the caller for its type and
// size, in one transaction: the case it is attached through is locked, the
// actor's right to attach checked (workflow.MayAttach on the case's state),
// the owner checked to be that case's (or its suggestion), the content
// stored (Blobs.Put), the file recorded, and the case's audit chain
// extended (RecordAddAttachment).
func (db *DB) AddAttachment(ctx context.Context, actor workflow.Actor, cmd AddAttachmentCmd, at time.Time) (*Attachment, error) {
	if !cmd.Owner.Valid() {
		return nil, workflow.Errorf(workflow.ErrInvalid, "owner: %q is not a kind of attachment owner", cmd.Owner)
	}
	if cmd.Public && !cmd.Owner.MayPublish() {
		return nil, workflow.Errorf(workflow.ErrInvalid, "public: only a reply's file can be public")
	}
	if len(cmd.Content) == 0 {
		return nil, workflow.Errorf(workflow.ErrInvalid, "file: empty")
	}
	if at.IsZero() {
		at = db.Clock.Now()
	}
	at = at.Truncate(time.Microsecond)
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	var c *workflow.Case
	var role workflow.Role
	if cmd.CaseID == 0 {
		c, role, err = lockAttachableProposal(ctx, tx, actor, cmd.ProposalID, cmd.Owner)
	} else {
		c, role, err = lockAttachableCase(ctx, tx, actor, cmd.CaseID, cmd.Owner)
	}
	if err != nil {
		return nil, err
	}
	caseID := &c.ID
	var commID, draftID, replyID *int64
	switch cmd.Owner {
	case workflow.AttachToProposal:
		caseID = nil
	case workflow.AttachToCommunication:
		commID = &cmd.OwnerID
	case workflow.AttachToDraft:
		draftID = &cmd.OwnerID
	case workflow.AttachToReply:
		replyID = &cmd.OwnerID
	}
	if table := ownerTable[cmd.Owner]; table != "" {
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+table+` WHERE id = $1 AND case_id = $2)`, cmd.OwnerID, c.ID).
			Scan(&ok); err != nil {
			return nil, fmt.Errorf("error checking the owner of an attachment: %w", err)
		}
		if !ok {
			return nil, workflow.Errorf(workflow.ErrNotFound, "%s %d of case %d not found", cmd.Owner, cmd.OwnerID, c.ID)
		}
	}
	sum := sha256Hex(cmd.Content)
	if err := db.Blobs.Put(ctx, tx, sum, cmd.Content, at); err != nil {
		return nil, err
	}
	var id int64
	err = tx.QueryRow(ctx, `
		INSERT INTO attachments (proposal_id, case_id, owner, communication_id, draft_id, reply_id, filename, content_type, size,
		                         sha256, public, added_by, added_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		c.ProposalID, caseID, string(cmd.Owner), commID, draftID, replyID, cmd.Filename, cmd.ContentType, len(cmd.Content),
		sum, cmd.Public, actor.UserID, at).Scan(&id)
	if err != nil {
		return nil, dbError(err, "attachment")
	}
	if c.ID != 0 {
		ev := &workflow.Event{CaseID: c.ID, Machine: "record", Action: string(workflow.RecordAddAttachment), From: c.State, To: c.State,
			ActorID: actor.UserID, ActorRole: string(role), At: at,
			Payload: map[string]any{"attachment_id": id, "attachment_owner": string(cmd.Owner), "filename": cmd.Filename,
				"size": len(cmd.Content), "sha256": sum, "public": cmd.Public}}
		if err := appendEvent(ctx, tx, ev); err != nil {
			return nil, err
		}
	}
	a, err := db.attachment(ctx, tx.QueryRow(ctx, `SELECT `+attachmentColumns+attachmentFrom+` WHERE a.id = $1`, id), id)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("error committing attachment: %w", err)
	}
	return a, nil
}

// ownerTable is the table of an owner that is a record of the case.
var ownerTable = map[workflow.AttachmentOwner]string{
	workflow.AttachToCommunication: "communications",
	workflow.AttachToDraft:         "drafts",
	workflow.AttachToReply:         "replies",
}

// lockAttachableCase locks case caseID and checks that actor sees it and
// may add or delete a file of owner there; it returns the case and the
// role the actor acts in.
func lockAttachableCase(ctx context.Context, tx pgx.Tx, actor workflow.Actor, caseID int64, owner workflow.AttachmentOwner) (*workflow.Case, workflow.Role, error) {
	c, err := lockVisibleCase(ctx, tx, actor, caseID)
	if err != nil {
		return nil, "", err
	}
	role, err := workflow.MayAttach(owner, c.State, actor.RolesOn(c.DepartmentID))
	if err != nil {
		return nil, "", err
	}
	return c, role, nil
}

// lockAttachableProposal locks proposal proposalID and checks that actor
// may add or delete a file of owner on the suggestion itself (only its own
// files, only the liaison: workflow.MayAttach); it returns a case value
// with the proposal's id alone (no case to record the change on) and the
// actor's role.
func lockAttachableProposal(ctx context.Context, tx pgx.Tx, actor workflow.Actor, proposalID int64, owner workflow.AttachmentOwner) (*workflow.Case, workflow.Role, error) {
	if owner != workflow.AttachToProposal {
		return nil, "", workflow.Errorf(workflow.ErrInvalid, "owner: only the suggestion's own files attach to it outside a case")
	}
	role, err := workflow.MayAttach(owner, workflow.StateNone, actor.Roles)
	if err != nil {
		return nil, "", err
	}
	var id int64
	if err := tx.QueryRow(ctx, `SELECT id FROM proposals WHERE id = $1 FOR UPDATE`, proposalID).Scan(&id); err != nil {
		return nil, "", dbError(err, fmt.Sprintf("proposal %d", proposalID))
	}
	return &workflow.Case{ProposalID: id}, role, nil
}

// lockVisibleCase locks case caseID if actor sees it; not found otherwise.
func lockVisibleCase(ctx context.Context, tx pgx.Tx, actor workflow.Actor, caseID int64) (*workflow.Case, error) {
	c, err := scanCase(tx.QueryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = $1 FOR UPDATE`, caseID))
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("case %d", caseID))
	}
	var lead int64
	err = tx.QueryRow(ctx, `SELECT department_id FROM cases WHERE proposal_id = $1 AND kind = 'lead' AND state <> 'returned' LIMIT 1`,
		c.ProposalID).Scan(&lead)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("error reading the lead unit of case %d: %w", caseID, err)
	}
	if actor.AccessTo(c, lead) == workflow.AccessNone {
		return nil, workflow.Errorf(workflow.ErrNotFound, "case %d not found", caseID)
	}
	return c, nil
}

// DeleteAttachment marks file id deleted by actor at at, through case
// caseID (the file's own, or for a suggestion's file a case of the
// suggestion), which must allow the actor to add such a file now
// (workflow.MayAttach). The record stays, listed as deleted, and the
// case's audit chain records it (RecordDeleteAttachment). Deleting a file
// already deleted is a conflict.
//
// With caseID 0, proposalID names the suggestion whose own file it is
// (the liaison's proposal page); the record is then the attachment's row.
func (db *DB) DeleteAttachment(ctx context.Context, actor workflow.Actor, caseID, id int64, at time.Time) error {
	return db.deleteAttachment(ctx, actor, caseID, 0, id, at)
}

// DeleteProposalAttachment marks the suggestion proposalID's own file id
// deleted by actor (the liaison) at at: the record stays, listed as
// deleted, by whom and when.
func (db *DB) DeleteProposalAttachment(ctx context.Context, actor workflow.Actor, proposalID, id int64, at time.Time) error {
	return db.deleteAttachment(ctx, actor, 0, proposalID, id, at)
}

func (db *DB) deleteAttachment(ctx context.Context, actor workflow.Actor, caseID, proposalID, id int64, at time.Time) error {
	if at.IsZero() {
		at = db.Clock.Now()
	}
	at = at.Truncate(time.Microsecond)
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	var c *workflow.Case
	if caseID != 0 {
		c, err = lockVisibleCase(ctx, tx, actor, caseID)
	} else {
		c, _, err = lockAttachableProposal(ctx, tx, actor, proposalID, workflow.AttachToProposal)
	}
	if err != nil {
		return err
	}
	a, aerr := db.attachment(ctx, tx.QueryRow(ctx, `SELECT `+attachmentColumns+attachmentFrom+` WHERE a.id = $1 FOR UPDATE OF a`, id), id)
	if aerr != nil {
		return aerr
	}
	// The file's own case, or for the suggestion's own file the
	// suggestion or any case of it.
	belongs := (caseID != 0 && a.CaseID == caseID) || (a.CaseID == 0 && a.ProposalID == c.ProposalID)
	if !belongs {
		return workflow.Errorf(workflow.ErrNotFound, "attachment %d of case %d not found", id, caseID)
	}
	role, err := workflow.MayAttach(a.Owner, c.State, actor.RolesOn(c.DepartmentID))
	if err != nil {
		return err
	}
	if a.Deleted() {
		return workflow.Errorf(workflow.ErrConflict, "attachment %d was already deleted", id)
	}
	if _, err := tx.Exec(ctx, `UPDATE attachments SET deleted_by = $2, deleted_at = $3 WHERE id = $1`, id, actor.UserID, at); err != nil {
		return dbError(err, "attachment")
	}
	if c.ID != 0 {
		ev := &workflow.Event{CaseID: c.ID, Machine: "record", Action: string(workflow.RecordDeleteAttachment), From: c.State, To: c.State,
			ActorID: actor.UserID, ActorRole: string(role), At: at,
			Payload: map[string]any{"attachment_id": id, "attachment_owner": string(a.Owner), "filename": a.Filename, "sha256": a.SHA256}}
		if err := appendEvent(ctx, tx, ev); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}
