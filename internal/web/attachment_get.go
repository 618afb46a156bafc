package web

import (
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// attachmentGet serves GET /attachments/{id}: the file, to whoever may see
// what it belongs to (storage.AttachmentFor); to anyone else, and for a
// deleted file, the same 404 as for a file that never was.
func (s *server) attachmentGet(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "attachment %q not found", chi.URLParam(r, "id")))
		return
	}
	a, _, err := s.db.AttachmentFor(r.Context(), p.Actor, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.serveAttachment(w, r, a, "private, no-store")
}

// serveAttachment streams a's content as a download: its sniffed type,
// its length, Content-Disposition attachment with its name (RFC 6266 /
// 5987 for a Chinese one), nosniff (securityHeaders) and a CSP that lets
// the file run nothing should a browser show it anyway.
func (s *server) serveAttachment(w http.ResponseWriter, r *http.Request, a *storage.Attachment, cacheControl string) {
	rc, err := s.db.OpenAttachment(r.Context(), a)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("Content-Length", strconv.FormatInt(a.Size, 10))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename}))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", cacheControl)
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.Copy(w, rc); err != nil {
		// The status is sent: the client sees a short body.
		s.logger.WarnContext(r.Context(), "attachment download cut short", "attachment", a.ID, "error", err)
	}
}
