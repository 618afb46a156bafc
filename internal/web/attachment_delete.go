package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/workflow"
)

// attachmentDelete handles POST /cases/{id}/attachments/{aid}/delete: who
// may add such a file to the case now (workflow.MayAttach) deletes it.
// Nothing is erased: the file stays listed as deleted, by whom and when,
// the case's timeline records it, and its content can no longer be
// downloaded.
func (s *server) attachmentDelete(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, _, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "aid"), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "attachment %q not found", chi.URLParam(r, "aid")))
		return
	}
	if err := s.db.DeleteAttachment(r.Context(), p.Actor, cs.ID, id, s.clock.Now()); err != nil {
		s.caseRefused(w, r, cs.ID, err, caseForm{})
		return
	}
	s.logger.InfoContext(r.Context(), "attachment deleted", "case", cs.ID, "attachment", id, "user", p.Actor.UserID)
	s.redirect(w, r, fmt.Sprintf("/cases/%d#attachments", cs.ID), flashAttachmentDeleted)
}
