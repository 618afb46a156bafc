package web

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/workflow"
)

// proposalAttachmentAdd handles POST /proposals/{id}/attachments (the
// liaison's proposal page, multipart with the CSRF token): a file of the
// suggestion itself — the deputy's original, say — even before it is
// assigned. Checked as on the case page (attachmentInput); its record is
// the file's row (who added it, when), there being no case yet to record
// it on. Done: 303 to the proposal page's files; refused: the error page,
// in words naming the file.
func (s *server) proposalAttachmentAdd(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	id, ok := parseID(chi.URLParam(r, "id"))
	if !ok {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "sv.err.proposal", chi.URLParam(r, "id"))))
		return
	}
	cmd, err := s.attachmentInput(r, 0)
	if err == nil {
		cmd.ProposalID, cmd.Owner = id, workflow.AttachToProposal
		_, err = s.db.AddAttachment(r.Context(), p.Actor, cmd, s.clock.Now())
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.logger.InfoContext(r.Context(), "attachment added", "proposal", id, "size", len(cmd.Content), "type", cmd.ContentType,
		"user", p.Actor.UserID)
	s.redirect(w, r, fmt.Sprintf("/proposals/%d#proposal-files", id), flashAttached)
}

// proposalAttachmentDelete handles POST /proposals/{id}/attachments/{aid}/delete:
// the liaison deletes a file of the suggestion itself; it stays listed as
// deleted, by whom and when.
func (s *server) proposalAttachmentDelete(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	id, ok1 := parseID(chi.URLParam(r, "id"))
	aid, ok2 := parseID(chi.URLParam(r, "aid"))
	if !ok1 || !ok2 {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "sv.err.proposal", chi.URLParam(r, "id"))))
		return
	}
	if err := s.db.DeleteProposalAttachment(r.Context(), p.Actor, id, aid, s.clock.Now()); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.logger.InfoContext(r.Context(), "attachment deleted", "proposal", id, "attachment", aid, "user", p.Actor.UserID)
	s.redirect(w, r, fmt.Sprintf("/proposals/%d#proposal-files", id), flashAttachmentDeleted)
}
