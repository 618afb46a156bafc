package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// 并案: merging duplicate suggestions into one handling. The rules are
// workflow's (CheckMerge, CheckUnmerge, MergeFollows); Transition moves the
// merged cases with their main case.

// mergeSideTx reads, under the proposal's lock, what the merge rules look
// at of one proposal, and locks its live cases.
func mergeSideTx(ctx context.Context, tx pgx.Tx, proposalID int64) (workflow.MergeSide, error) {
	s := workflow.MergeSide{ProposalID: proposalID}
	err := tx.QueryRow(ctx, `
		SELECT p.number, p.session_id,
			coalesce((SELECT mp.number FROM proposal_merges m JOIN proposals mp ON mp.id = m.main_proposal_id WHERE m.proposal_id = p.id), ''),
			EXISTS (SELECT 1 FROM proposal_merges m WHERE m.main_proposal_id = p.id)
		FROM proposals p WHERE p.id = $1 FOR NO KEY UPDATE OF p`, proposalID).Scan(&s.Number, &s.SessionID, &s.MergedInto, &s.HasMerged)
	if err != nil {
		return s, dbError(err, fmt.Sprintf("proposal %d", proposalID))
	}
	rows, err := tx.Query(ctx, `SELECT `+caseColumns+` FROM cases WHERE proposal_id = $1 AND state <> 'returned' ORDER BY id FOR UPDATE`, proposalID)
	if err != nil {
		return s, fmt.Errorf("error locking the cases of proposal %d: %w", proposalID, err)
	}
	s.Cases, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*workflow.Case, error) { return scanCase(row) })
	return s, err
}

// lockMergeSides reads both sides of a merge, locking the proposals in id
// order so that two merges of the same pair cannot deadlock.
func lockMergeSides(ctx context.Context, tx pgx.Tx, mainID, otherID int64) (workflow.MergeSide, workflow.MergeSide, error) {
	first, second := mainID, otherID
	if second < first {
		first, second = second, first
	}
	a, err := mergeSideTx(ctx, tx, first)
	if err != nil {
		return a, a, err
	}
	b, err := mergeSideTx(ctx, tx, second)
	if err != nil {
		return a, b, err
	}
	if a.ProposalID == mainID {
		return a, b, nil
	}
	return b, a, nil
}

// Merge merges the suggestion otherID into mainID (并案), as the liaison
// actor: the rules of workflow.CheckMerge decide, the merge is recorded in
// the audit chain of both suggestions' cases, in one transaction. From
// then on the unit handles the main suggestion's case, and the merged
// one's case follows it.
func (db *DB) Merge(ctx context.Context, actor workflow.Actor, mainID, otherID int64, at time.Time) error {
	at = db.at(at)
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	if mainID == otherID {
		return workflow.CheckMerge(workflow.MergeSide{ProposalID: mainID}, workflow.MergeSide{ProposalID: otherID})
	}
	main, other, err := lockMergeSides(ctx, tx, mainID, otherID)
	if err != nil {
		return err
	}
	if err := workflow.CheckMerge(main, other); err != nil {
		return err
	}
	if err := recordOnCases(ctx, tx, actor, main.Cases, workflow.RecordMerge, map[string]any{"merged": other.Number}, at); err != nil {
		return err
	}
	if err := recordOnCases(ctx, tx, actor, other.Cases, workflow.RecordMerge, map[string]any{"merged_into": main.Number}, at); err != nil {
		return err
	}
	var by *int64
	if actor.UserID != 0 {
		by = &actor.UserID
	}
	_, err = tx.Exec(ctx, `INSERT INTO proposal_merges (proposal_id, main_proposal_id, merged_by, merged_at) VALUES ($1, $2, $3, $4)`,
		otherID, mainID, by, at)
	if err != nil {
		return dbError(err, "merge")
	}
	return tx.Commit(ctx)
}

// Unmerge undoes the merge of the suggestion proposalID into its main
// suggestion, as the liaison actor, while workflow.CheckUnmerge allows it
// (before the unit accepts the main case): recorded on both suggestions'
// cases. A zero at is now.
func (db *DB) Unmerge(ctx context.Context, actor workflow.Actor, proposalID int64, at time.Time) error {
	at = db.at(at)
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	var mainID int64
	err = tx.QueryRow(ctx, `SELECT main_proposal_id FROM proposal_merges WHERE proposal_id = $1`, proposalID).Scan(&mainID)
	if err == pgx.ErrNoRows {
		return &workflow.Error{Code: workflow.ErrConflict, Rule: "unmerge", Reason: "not_merged",
			Message: "这件建议没有与其他建议并案。", Detail: fmt.Sprintf("proposal %d is not merged", proposalID)}
	}
	if err != nil {
		return fmt.Errorf("error reading the merge of proposal %d: %w", proposalID, err)
	}
	main, other, err := lockMergeSides(ctx, tx, mainID, proposalID)
	if err != nil {
		return err
	}
	var mainCase *workflow.Case
	for _, c := range main.Cases {
		if c.Kind.RepliesToDeputy() {
			mainCase = c
		}
	}
	if err := workflow.CheckUnmerge(mainCase); err != nil {
		return err
	}
	if err := recordOnCases(ctx, tx, actor, main.Cases, workflow.RecordUnmerge, map[string]any{"merged": other.Number}, at); err != nil {
		return err
	}
	if err := recordOnCases(ctx, tx, actor, other.Cases, workflow.RecordUnmerge, map[string]any{"merged_into": main.Number}, at); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM proposal_merges WHERE proposal_id = $1`, proposalID); err != nil {
		return fmt.Errorf("error unmerging proposal %d: %w", proposalID, err)
	}
	return tx.Commit(ctx)
}

// MergeLink is a suggestion another is merged with: its id and number.
type MergeLink struct {
	ProposalID int64
	Number     string
}

// ProposalMerge says how a proposal takes part in merged handling: the main
// suggestion it is merged into (zero when none) and the suggestions merged
// into it, by number.
type ProposalMerge struct {
	Into   MergeLink
	Merged []MergeLink
}

// Any reports whether the proposal takes part in a merge.
func (m ProposalMerge) Any() bool { return m.Into.ProposalID != 0 || len(m.Merged) > 0 }

// MergeOf returns how a proposal takes part in merged handling.
func (db *DB) MergeOf(ctx context.Context, proposalID int64) (ProposalMerge, error) {
	var out ProposalMerge
	rows, err := db.Pool.Query(ctx, `
		SELECT m.main_proposal_id, mp.number, m.proposal_id, p.number
		FROM proposal_merges m JOIN proposals mp ON mp.id = m.main_proposal_id JOIN proposals p ON p.id = m.proposal_id
		WHERE m.proposal_id = $1 OR m.main_proposal_id = $1 ORDER BY p.number`, proposalID)
	if err != nil {
		return out, fmt.Errorf("error reading the merges of proposal %d: %w", proposalID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var main, merged MergeLink
		if err := rows.Scan(&main.ProposalID, &main.Number, &merged.ProposalID, &merged.Number); err != nil {
			return out, fmt.Errorf("error reading the merges of proposal %d: %w", proposalID, err)
		}
		if merged.ProposalID == proposalID {
			out.Into = main
		} else {
			out.Merged = append(out.Merged, merged)
		}
	}
	return out, rows.Err()
}

// ProposalIDByNumber returns the id of the suggestion numbered number in a
// session; a number the session does not have is refused in plain words.
func (db *DB) ProposalIDByNumber(ctx context.Context, sessionID int64, number string) (int64, error) {
	var id int64
	err := db.Pool.QueryRow(ctx, `SELECT id FROM proposals WHERE session_id = $1 AND number = $2`, sessionID, number).Scan(&id)
	if err == pgx.ErrNoRows {
		return 0, &workflow.Error{Code: workflow.ErrNotFound, Rule: "merge", Reason: "number", Args: []any{number},
			Message: fmt.Sprintf("本次会议没有第%s号建议，请核对编号。", number), Detail: fmt.Sprintf("no proposal %q in session %d", number, sessionID)}
	}
	if err != nil {
		return 0, fmt.Errorf("error finding proposal %q: %w", number, err)
	}
	return id, nil
}

// ProposalMark is what a list shows beside a suggestion's number: whether
// it is a key suggestion (重点建议), the number of the suggestion it is
// merged into, and whether others are merged into it (并案).
type ProposalMark struct {
	Key        bool
	MergedInto string
	HasMerged  bool
}

// ProposalMarks returns the marks of the proposals ids that have one.
func (db *DB) ProposalMarks(ctx context.Context, ids []int64) (map[int64]ProposalMark, error) {
	out := map[int64]ProposalMark{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.Pool.Query(ctx, `
		SELECT p.id, EXISTS (SELECT 1 FROM key_suggestions k WHERE k.proposal_id = p.id),
			coalesce((SELECT mp.number FROM proposal_merges m JOIN proposals mp ON mp.id = m.main_proposal_id WHERE m.proposal_id = p.id), ''),
			EXISTS (SELECT 1 FROM proposal_merges m WHERE m.main_proposal_id = p.id)
		FROM proposals p WHERE p.id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("error reading the marks of proposals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var m ProposalMark
		if err := rows.Scan(&id, &m.Key, &m.MergedInto, &m.HasMerged); err != nil {
			return nil, fmt.Errorf("error reading the marks of proposals: %w", err)
		}
		if m.Key || m.MergedInto != "" || m.HasMerged {
			out[id] = m
		}
	}
	return out, rows.Err()
}
