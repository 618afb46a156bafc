package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// attachmentView is a file (附件) as the JSON API shows it.
type attachmentView struct {
	ID          int64                    `json:"id"`
	CaseID      int64                    `json:"case_id" doc:"the case the file belongs to; 0 for a file of the suggestion"`
	Owner       workflow.AttachmentOwner `json:"owner"`
	OwnerID     int64                    `json:"owner_id" doc:"the contact record's, draft version's or reply's id; 0 for the suggestion's or the case's own file"`
	Filename    string                   `json:"filename"`
	ContentType string                   `json:"content_type" doc:"the type found in the content, not the one sent"`
	Size        int64                    `json:"size" doc:"bytes"`
	SHA256      string                   `json:"sha256"`
	Public      bool                     `json:"public" doc:"shown on the portal with the reply once it is published"`
	AddedBy     int64                    `json:"added_by"`
	AddedAt     time.Time                `json:"added_at"`
	DeletedBy   int64                    `json:"deleted_by,omitempty"`
	DeletedAt   *time.Time               `json:"deleted_at,omitempty" doc:"set when the file was deleted: it stays listed, its content is gone"`
	MayDelete   bool                     `json:"may_delete" doc:"the caller may delete it now"`
	Download    string                   `json:"download,omitempty" doc:"where the content is downloaded (GET), while the file is not deleted"`
}

func newAttachmentView(a *storage.Attachment, mayDelete bool) attachmentView {
	v := attachmentView{ID: a.ID, CaseID: a.CaseID, Owner: a.Owner, OwnerID: a.OwnerID, Filename: a.Filename,
		ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256, Public: a.Public, AddedBy: a.AddedBy, AddedAt: a.AddedAt}
	if a.Deleted() {
		at := a.DeletedAt
		v.DeletedBy, v.DeletedAt = a.DeletedBy, &at
	} else {
		v.MayDelete = mayDelete
		v.Download = fmt.Sprintf("%s/attachments/%d", apiBasePath, a.ID)
	}
	return v
}

// attachmentListResponse lists a case's files.
type attachmentListResponse struct {
	Attachments []attachmentView `json:"attachments"`
}

// attachmentResponse is one file.
type attachmentResponse struct {
	Attachment attachmentView `json:"attachment"`
}

// attachmentUploadRequest is the multipart body of POST
// /api/v1/cases/{id}/attachments, the case page's upload form's fields.
type attachmentUploadRequest struct {
	File  formFile `json:"file" required:"true" doc:"one file: PDF, JPEG, PNG, DOCX, XLSX (without macros) or OFD, recognised by its content"`
	Owner string   `json:"owner" required:"true" pattern:"^(proposal|case|(communication|draft|reply):[0-9]+)$" doc:"what the file belongs to: proposal (the suggestion; the supervision office), case, or communication:<id>, draft:<id>, reply:<id>"`
	// Public is read as the page's checkbox: "true" (or "1", "on").
	Public bool `json:"public,omitempty" doc:"a reply's file shown on the portal with the published reply"`
}

// attachmentTypes are the media types a file is downloaded as.
func attachmentTypes() []string {
	out := make([]string, 0, len(typeExt))
	for t := range typeExt {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// apiAttachmentList answers GET /api/v1/cases/{id}/attachments: the files
// of the case and of its suggestion, as the case page lists them, deleted
// ones included.
func (s *server) apiAttachmentList(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, access, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.db.CaseAttachments(r.Context(), cs.ProposalID, cs.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	may := mayAttach(p, cs, access)
	out := make([]attachmentView, 0, len(list))
	for _, a := range list {
		out = append(out, newAttachmentView(a, may(a.Owner)))
	}
	writeJSON(w, http.StatusOK, attachmentListResponse{Attachments: out})
}

// apiAttachmentAdd answers POST /api/v1/cases/{id}/attachments: the upload
// form of the case page (attachmentInput, storage.AddAttachment), answered
// with the file stored.
func (s *server) apiAttachmentAdd(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, _, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cmd, err := s.attachmentInput(r, cs.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	a, err := s.db.AddAttachment(r.Context(), p.Actor, cmd, s.clock.Now())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.logger.InfoContext(r.Context(), "attachment added", "case", cs.ID, "owner", cmd.Owner, "size", len(cmd.Content),
		"type", cmd.ContentType, "user", p.Actor.UserID)
	// Whoever added it may delete it, by the same rule (workflow.MayAttach).
	writeJSON(w, http.StatusCreated, attachmentResponse{Attachment: newAttachmentView(a, true)})
}

// apiAttachmentDelete answers DELETE /api/v1/cases/{id}/attachments/{aid}:
// as the case page's delete button (storage.DeleteAttachment), 204.
func (s *server) apiAttachmentDelete(w http.ResponseWriter, r *http.Request) {
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
		s.writeError(w, r, err)
		return
	}
	s.logger.InfoContext(r.Context(), "attachment deleted", "case", cs.ID, "attachment", id, "user", p.Actor.UserID)
	w.WriteHeader(http.StatusNoContent)
}
