package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// WorkingCopy is the draft editor's unsaved text (未保存的内容) of one user
// on one case: saved as they type (autosave), shown again when they come
// back, gone when they save a version (SaveDraft) or discard it. It is not
// a version: no number, no audit event.
type WorkingCopy struct {
	CaseID int64
	UserID int64
	// BaseVersion is the version the text was edited from (0 before the
	// first): saving it as a version is a conflict if another came since.
	BaseVersion int
	// Sections are as typed: empty ones kept, not cleaned, but bounded by
	// the limits of a draft (workflow.MaxDraftSections and the others).
	Sections []workflow.Section
	SavedAt  time.Time
}

// SaveWorkingCopy stores w as its user's working copy of its case,
// replacing the one before. Text over a draft's limits is refused
// (ErrInvalid), naming the limit: the editor's script refuses it before.
func (db *DB) SaveWorkingCopy(ctx context.Context, w WorkingCopy) error {
	if err := boundWorkingCopy(w.Sections); err != nil {
		return err
	}
	body, err := json.Marshal(w.Sections)
	if err != nil {
		return fmt.Errorf("error encoding working copy: %w", err)
	}
	at := w.SavedAt
	if at.IsZero() {
		at = db.Clock.Now()
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	_, err = tx.Exec(ctx, `INSERT INTO draft_working_copies (case_id, user_id, base_version, sections, saved_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (case_id, user_id) DO UPDATE SET base_version = excluded.base_version, sections = excluded.sections,
			saved_at = excluded.saved_at`, w.CaseID, w.UserID, w.BaseVersion, body, at.Truncate(time.Microsecond))
	if err != nil {
		return dbError(err, "working copy")
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("error committing working copy: %w", err)
	}
	return nil
}

// WorkingCopyOf returns user's working copy of case caseID; not found
// when there is none.
func (db *DB) WorkingCopyOf(ctx context.Context, caseID, userID int64) (*WorkingCopy, error) {
	w := WorkingCopy{CaseID: caseID, UserID: userID}
	var body []byte
	err := db.Pool.QueryRow(ctx, `SELECT base_version, sections, saved_at FROM draft_working_copies
		WHERE case_id = $1 AND user_id = $2`, caseID, userID).Scan(&w.BaseVersion, &body, &w.SavedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, workflow.Errorf(workflow.ErrNotFound, "没有未保存的内容 (no working copy of case %d for user %d)", caseID, userID)
	} else if err != nil {
		return nil, fmt.Errorf("error reading the working copy of case %d: %w", caseID, err)
	}
	if err := json.Unmarshal(body, &w.Sections); err != nil {
		return nil, fmt.Errorf("error decoding the working copy of case %d: %w", caseID, err)
	}
	return &w, nil
}

// DiscardWorkingCopy deletes user's working copy of case caseID, if any.
func (db *DB) DiscardWorkingCopy(ctx context.Context, caseID, userID int64) error {
	if _, err := db.Pool.Exec(ctx, `DELETE FROM draft_working_copies WHERE case_id = $1 AND user_id = $2`, caseID, userID); err != nil {
		return fmt.Errorf("error discarding the working copy of case %d: %w", caseID, err)
	}
	return nil
}

// boundWorkingCopy refuses sections beyond a draft's limits. Unlike
// workflow.CleanSections it keeps empty sections and bodies: a working
// copy is work in progress.
func boundWorkingCopy(sections []workflow.Section) error {
	if len(sections) > workflow.MaxDraftSections {
		return workflow.Errorf(workflow.ErrInvalid, "答复稿最多 %d 节 / a draft has at most %d sections",
			workflow.MaxDraftSections, workflow.MaxDraftSections)
	}
	for i, s := range sections {
		if c := utf8.RuneCountInString(strings.TrimSpace(s.Heading)); c > workflow.MaxSectionHeading {
			return workflow.Errorf(workflow.ErrInvalid, "第%d节的标题超过上限 %d 字 / the heading of section %d is longer than %d characters",
				i+1, workflow.MaxSectionHeading, i+1, workflow.MaxSectionHeading)
		}
		if c := utf8.RuneCountInString(strings.TrimSpace(s.Body)); c > workflow.MaxSectionBody {
			return workflow.Errorf(workflow.ErrInvalid, "第%d节的正文超过上限 %d 字 / the body of section %d is longer than %d characters",
				i+1, workflow.MaxSectionBody, i+1, workflow.MaxSectionBody)
		}
	}
	return nil
}
