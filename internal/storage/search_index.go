package storage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/banli-gov/banli/workflow"
)

// indexBatch is how many rows IndexSearch fills in one transaction.
const indexBatch = 500

// IndexSearch fills the search columns of the proposals and replies
// written before they existed (NULL; migration 00190), in batches, and
// returns how many rows it filled. Every write path fills them since, so
// after one run there is nothing left; banli serve runs it in the
// background when it starts. progress, when not nil, is told the rows done
// so far after each batch.
func (db *DB) IndexSearch(ctx context.Context, progress func(done int)) (int, error) {
	done := 0
	for {
		n, err := db.indexProposals(ctx)
		if err != nil {
			return done, err
		}
		m, err := db.indexReplies(ctx)
		if err != nil {
			return done, err
		}
		done += n + m
		if n+m == 0 {
			return done, nil
		}
		if progress != nil {
			progress(done)
		}
	}
}

func (db *DB) indexProposals(ctx context.Context) (int, error) {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	rows, err := tx.Query(ctx, `
		SELECT p.id, p.title, p.number, (SELECT s.short_name FROM congress_sessions s WHERE s.id = p.session_id), p.body,
			coalesce((SELECT array_agg(d.name) FROM proposal_deputies pd JOIN deputies d ON d.id = pd.deputy_id
				WHERE pd.proposal_id = p.id), '{}')
		FROM proposals p WHERE p.search_title IS NULL ORDER BY p.id LIMIT $1 FOR UPDATE SKIP LOCKED`, indexBatch)
	if err != nil {
		return 0, fmt.Errorf("error reading proposals to index: %w", err)
	}
	type doc struct {
		id                         int64
		title, number, short, body string
		names                      []string
	}
	docs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (doc, error) {
		var d doc
		err := r.Scan(&d.id, &d.title, &d.number, &d.short, &d.body, &d.names)
		return d, err
	})
	if err != nil {
		return 0, fmt.Errorf("error reading proposals to index: %w", err)
	}
	batch := &pgx.Batch{}
	for _, d := range docs {
		t, b := ProposalSearchVectors(d.title, d.number, d.short, d.body, d.names)
		batch.Queue(`UPDATE proposals SET search_title = $2, search_body = $3 WHERE id = $1`, d.id, t, b)
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return 0, fmt.Errorf("error indexing proposals: %w", err)
	}
	return len(docs), tx.Commit(ctx)
}

func (db *DB) indexReplies(ctx context.Context) (int, error) {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	// Replies signed before search_text (00190) or search_public (00220)
	// existed.
	rows, err := tx.Query(ctx, `
		SELECT r.id, dr.sections, r.disclosure, r.summary, r.withheld FROM replies r JOIN drafts dr ON dr.id = r.draft_id
		WHERE r.id IN (SELECT id FROM replies WHERE search_text IS NULL UNION SELECT id FROM replies WHERE search_public IS NULL)
		ORDER BY r.id LIMIT $1 FOR UPDATE OF r SKIP LOCKED`, indexBatch)
	if err != nil {
		return 0, fmt.Errorf("error reading replies to index: %w", err)
	}
	type doc struct {
		id int64
		workflow.SignedText
	}
	docs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (doc, error) {
		var d doc
		var disclosure string
		err := r.Scan(&d.id, &d.Sections, &disclosure, &d.Summary, &d.Withheld)
		d.Disclosure = workflow.Disclosure(disclosure)
		return d, err
	})
	if err != nil {
		return 0, fmt.Errorf("error reading replies to index: %w", err)
	}
	batch := &pgx.Batch{}
	for _, d := range docs {
		var v pgtype.TSVector = ReplySearchVector(d.Sections)
		batch.Queue(`UPDATE replies SET search_text = $2, search_public = $3 WHERE id = $1`, d.id, v, PublicSearchVector(d.SignedText))
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return 0, fmt.Errorf("error indexing replies: %w", err)
	}
	return len(docs), tx.Commit(ctx)
}
