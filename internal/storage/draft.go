package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/banli-gov/banli/workflow"
)

// SaveDraftCmd saves a new version of a case's draft. BaseVersion is the
// version the author started from (0 for the first): when someone else saved
// in between, the save is a conflict and nothing is written.
type SaveDraftCmd struct {
	CaseID      int64
	Actor       workflow.Actor
	BaseVersion int
	Sections    []workflow.Section
	At          time.Time
}

// SaveDraft stores a new draft version in one transaction with its audit
// event, and ends the author's working copy (WorkingCopy). Its sections are cleaned and bounded by workflow.CleanSections,
// whichever way they came (the editor's form, the JSON API).
func (db *DB) SaveDraft(ctx context.Context, cmd SaveDraftCmd) (*workflow.Draft, error) {
	sections, err := workflow.CleanSections(cmd.Sections)
	if err != nil {
		return nil, err
	}
	at := cmd.At
	if at.IsZero() {
		at = db.Clock.Now()
	}
	at = at.Truncate(time.Microsecond)
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	c, err := scanCase(tx.QueryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = $1 FOR UPDATE`, cmd.CaseID))
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("case %d", cmd.CaseID))
	}
	role, err := workflow.MayRecord(workflow.RecordSaveDraft, c.State, cmd.Actor.RolesOn(c.DepartmentID))
	if err != nil {
		return nil, err
	}
	var latest int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM drafts WHERE case_id = $1`, c.ID).Scan(&latest); err != nil {
		return nil, fmt.Errorf("error reading drafts of case %d: %w", c.ID, err)
	}
	if latest != cmd.BaseVersion {
		return nil, &workflow.Error{Code: workflow.ErrConflict, Rule: "stale_draft",
			Message: fmt.Sprintf("答复稿已被他人保存为第%d版，请查看差异后重试。", latest),
			Detail:  fmt.Sprintf("draft version %d was saved after version %d the author edited", latest, cmd.BaseVersion)}
	}
	d := &workflow.Draft{CaseID: c.ID, Round: c.Round, Version: latest + 1, AuthorID: cmd.Actor.UserID, Sections: sections, CreatedAt: at}
	body, err := json.Marshal(sections)
	if err != nil {
		return nil, fmt.Errorf("error encoding draft: %w", err)
	}
	err = tx.QueryRow(ctx, `
		INSERT INTO drafts (case_id, round, version, author_id, sections, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		d.CaseID, d.Round, d.Version, d.AuthorID, body, at).Scan(&d.ID)
	if err != nil {
		return nil, dbError(err, "draft")
	}
	ev := &workflow.Event{CaseID: c.ID, Machine: "record", Action: string(workflow.RecordSaveDraft), From: c.State, To: c.State,
		ActorID: cmd.Actor.UserID, ActorRole: string(role), At: at,
		Payload: map[string]any{"draft_version": d.Version, "round": d.Round, "sha256": sha256Hex(body)}}
	if err := appendEvent(ctx, tx, ev); err != nil {
		return nil, err
	}
	// The author's unsaved text is this version now.
	if _, err := tx.Exec(ctx, `DELETE FROM draft_working_copies WHERE case_id = $1 AND user_id = $2`, c.ID, cmd.Actor.UserID); err != nil {
		return nil, fmt.Errorf("error discarding the working copy of case %d: %w", c.ID, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("error committing draft: %w", err)
	}
	return d, nil
}

// Drafts lists every version of a case's draft, oldest first.
func (db *DB) Drafts(ctx context.Context, caseID int64) ([]*workflow.Draft, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id, case_id, round, version, author_id, sections, created_at
		FROM drafts WHERE case_id = $1 ORDER BY version`, caseID)
	if err != nil {
		return nil, fmt.Errorf("error listing drafts of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []*workflow.Draft
	for rows.Next() {
		var d workflow.Draft
		var body []byte
		if err := rows.Scan(&d.ID, &d.CaseID, &d.Round, &d.Version, &d.AuthorID, &body, &d.CreatedAt); err != nil {
			return nil, fmt.Errorf("error listing drafts of case %d: %w", caseID, err)
		}
		if err := json.Unmarshal(body, &d.Sections); err != nil {
			return nil, fmt.Errorf("error decoding draft %d: %w", d.ID, err)
		}
		out = append(out, &d)
	}
	return out, rows.Err()
}
