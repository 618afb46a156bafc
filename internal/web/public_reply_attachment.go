package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/workflow"
)

// publicReplyAttachment serves GET /public/replies/{id}/attachments/{aid}
// (no login): a file of a published reply that was marked public with it
// (storage.PublicAttachment). Any other file — not public, deleted, of a
// reply not (or no longer) published, of another reply — is 404.
func (s *server) publicReplyAttachment(w http.ResponseWriter, r *http.Request) {
	pub, err1 := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	id, err2 := strconv.ParseInt(chi.URLParam(r, "aid"), 10, 64)
	if err1 != nil || err2 != nil || pub <= 0 || id <= 0 {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "public.notFound")))
		return
	}
	a, err := s.db.PublicAttachment(r.Context(), pub, id)
	if err != nil {
		if workflow.Code(err) == workflow.ErrNotFound {
			err = workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "public.notFound"))
		}
		s.writeError(w, r, err)
		return
	}
	s.serveAttachment(w, r, a, publicCacheControl)
}
