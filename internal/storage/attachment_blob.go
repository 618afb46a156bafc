package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/banli-gov/banli/workflow"
)

// BlobStore keeps the content of attachments (附件), addressed by its
// SHA-256 in lower-case hex: the same file attached twice is stored once.
// PostgreSQL's (PGBlobStore, the default) stores it in the transaction of
// the attachment. Another store — S3-compatible object storage, say — would
// ignore tx; should that transaction then roll back, it keeps a blob nobody
// names, which is harmless. No such store exists yet.
type BlobStore interface {
	// Put stores content under its sum; storing a sum again is a no-op.
	Put(ctx context.Context, tx pgx.Tx, sum string, content []byte, at time.Time) error
	// Open returns a reader of the content stored under sum, read as it is
	// consumed; not found when nothing is.
	Open(ctx context.Context, sum string) (io.ReadCloser, error)
}

// PGBlobStore is the BlobStore in PostgreSQL's table attachment_blobs.
type PGBlobStore struct {
	Pool *pgxpool.Pool
}

// blobChunk is how much of a blob one query reads on download: the
// download streams, and memory per download stays this, whatever the
// file's size.
const blobChunk = 256 << 10

// Put implements BlobStore.
func (s PGBlobStore) Put(ctx context.Context, tx pgx.Tx, sum string, content []byte, at time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO attachment_blobs (sha256, size, content, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (sha256) DO NOTHING`, sum, len(content), content, at)
	return dbError(err, "attachment content")
}

// Open implements BlobStore.
func (s PGBlobStore) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	var size int64
	err := s.Pool.QueryRow(ctx, `SELECT size FROM attachment_blobs WHERE sha256 = $1`, sum).Scan(&size)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, workflow.Errorf(workflow.ErrNotFound, "attachment content %s not found", sum)
	} else if err != nil {
		return nil, fmt.Errorf("error reading attachment content %s: %w", sum, err)
	}
	return &pgBlobReader{ctx: ctx, pool: s.Pool, sum: sum, size: size}, nil
}

// pgBlobReader reads a blob chunk by chunk (substring of the bytea, which
// its EXTERNAL storage serves without reading the rest).
type pgBlobReader struct {
	ctx  context.Context
	pool *pgxpool.Pool
	sum  string
	size int64
	off  int64
	buf  []byte
}

func (r *pgBlobReader) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		if r.off >= r.size {
			return 0, io.EOF
		}
		n := min(int64(blobChunk), r.size-r.off)
		// substring counts from 1.
		if err := r.pool.QueryRow(r.ctx, `SELECT substring(content FROM $2 FOR $3) FROM attachment_blobs WHERE sha256 = $1`,
			r.sum, r.off+1, n).Scan(&r.buf); err != nil {
			return 0, fmt.Errorf("error reading attachment content %s at %d: %w", r.sum, r.off, err)
		}
		if len(r.buf) == 0 {
			return 0, io.ErrUnexpectedEOF
		}
		r.off += int64(len(r.buf))
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func (r *pgBlobReader) Close() error { return nil }
