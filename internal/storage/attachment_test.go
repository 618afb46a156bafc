package storage_test

import (
	"bytes"
	"crypto/rand"
	"io"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// TestAttachmentKept: a file's content streams back whole across the blob
// store's chunks, the same content is stored once, the record can be
// marked deleted once and never changed or removed otherwise, and the
// case's audit chain still verifies.
func TestAttachmentKept(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	c := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-07-01"))
	drafter := bn.a[workflow.RoleDrafter]
	content := make([]byte, 700<<10) // three chunks
	_, _ = rand.Read(content)
	copy(content, "%PDF-1.7\n")
	add := func(name string) *storage.Attachment {
		a, err := bn.db.AddAttachment(bn.ctx, drafter, storage.AddAttachmentCmd{CaseID: c.ID, Owner: workflow.AttachToCase,
			Filename: name, ContentType: "application/pdf", Content: content}, on(t, "2024-07-02"))
		must(t, err)
		return a
	}
	a, b := add("一.pdf"), add("二.pdf")
	if a.SHA256 != b.SHA256 || a.AddedByName == "" || a.Size != int64(len(content)) {
		t.Errorf("added: %+v", a)
	}
	var blobs int
	must(t, bn.db.Pool.QueryRow(bn.ctx, `SELECT count(*) FROM attachment_blobs`).Scan(&blobs))
	if blobs != 1 {
		t.Errorf("%d blobs for one content", blobs)
	}
	rc, err := bn.db.OpenAttachment(bn.ctx, a)
	must(t, err)
	got, err := io.ReadAll(rc)
	must(t, err)
	if !bytes.Equal(got, content) {
		t.Errorf("read back %d bytes, differing from the %d stored", len(got), len(content))
	}

	// Another unit's drafter may not attach to the case: not found.
	_, err = bn.db.AddAttachment(bn.ctx, bn.b[workflow.RoleDrafter], storage.AddAttachmentCmd{CaseID: c.ID, Owner: workflow.AttachToCase,
		Filename: "x.pdf", ContentType: "application/pdf", Content: content}, time.Time{})
	wantCode(t, err, workflow.ErrNotFound)

	for _, sql := range []string{`DELETE FROM attachments WHERE id = $1`, `UPDATE attachments SET filename = 'x' WHERE id = $1`} {
		if _, err := bn.db.Pool.Exec(bn.ctx, sql, a.ID); err == nil {
			t.Errorf("%s: allowed", sql)
		}
	}
	must(t, bn.db.DeleteAttachment(bn.ctx, drafter, c.ID, a.ID, on(t, "2024-07-03")))
	wantCode(t, bn.db.DeleteAttachment(bn.ctx, drafter, c.ID, a.ID, on(t, "2024-07-03")), workflow.ErrConflict)
	if _, err := bn.db.Pool.Exec(bn.ctx, `UPDATE attachments SET deleted_at = now() WHERE id = $1`, a.ID); err == nil {
		t.Error("a deletion was rewritten")
	}
	list, err := bn.db.CaseAttachments(bn.ctx, c.ProposalID, c.ID)
	must(t, err)
	if len(list) != 2 || !list[0].Deleted() || list[0].DeletedByName == "" || list[1].Deleted() {
		t.Errorf("listed: %+v", list)
	}
	_, err = bn.db.OpenAttachment(bn.ctx, list[0])
	wantCode(t, err, workflow.ErrNotFound)
	if rep := bn.verify(t); len(rep.Breaks) > 0 {
		t.Errorf("audit breaks: %+v", rep.Breaks)
	}
}
