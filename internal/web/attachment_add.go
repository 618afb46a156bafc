package web

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// attachmentAdd handles POST /cases/{id}/attachments, the case page's
// upload form (multipart, with the CSRF token): one file ("file") for
// what "owner" names — "proposal" (the suggestion; the liaison),
// "case", "communication:<id>", "draft:<id>" or "reply:<id>" — public
// ("public" set) only for a reply's file. The file is checked by its
// content (sniffAttachment) and size (config AttachmentMaxBytes; the body
// itself is bounded before (input.go bodyLimit)), and refused in words
// naming it; storage.AddAttachment checks who may attach what in which
// state, stores and records it. Done: 303 to the case page's files.
func (s *server) attachmentAdd(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, _, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cmd, err := s.attachmentInput(r, cs.ID)
	if err == nil {
		_, err = s.db.AddAttachment(r.Context(), p.Actor, cmd, s.clock.Now())
	}
	if err != nil {
		s.caseRefused(w, r, cs.ID, err, caseForm{})
		return
	}
	s.logger.InfoContext(r.Context(), "attachment added", "case", cs.ID, "owner", cmd.Owner, "size", len(cmd.Content),
		"type", cmd.ContentType, "user", p.Actor.UserID)
	s.redirect(w, r, fmt.Sprintf("/cases/%d#attachments", cs.ID), flashAttached)
}

// attachmentInput reads the upload form into the command, or refuses it in
// plain words.
func (s *server) attachmentInput(r *http.Request, caseID int64) (storage.AddAttachmentCmd, error) {
	cmd := storage.AddAttachmentCmd{CaseID: caseID}
	owner, idText, _ := strings.Cut(readForm(r).Value("owner"), ":")
	cmd.Owner = workflow.AttachmentOwner(owner)
	if !cmd.Owner.Valid() {
		return cmd, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "attach.refused.owner"))
	}
	if idText != "" {
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil || id <= 0 {
			return cmd, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "attach.refused.owner"))
		}
		cmd.OwnerID = id
	}
	// A checkbox's "1" or "on", the API's "true"; "false" or "0" is not public.
	public := readForm(r).Value("public")
	cmd.Public = readForm(r).Has("public") && public != "false" && public != "0"
	if cmd.Public && !cmd.Owner.MayPublish() {
		return cmd, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "attach.refused.public"))
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return cmd, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "attach.refused.none"))
	}
	if len(r.MultipartForm.File["file"]) > 1 {
		return cmd, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "attach.refused.many"))
	}
	fh := r.MultipartForm.File["file"][0]
	sent := attachmentName(fh.Filename, "")
	max := s.attachmentMax()
	if fh.Size > max {
		return cmd, workflow.Errorf(workflow.ErrTooLarge, "%s", message(r, "attach.refused.size", sent, sizeText(fh.Size), sizeText(max)))
	}
	if fh.Size == 0 {
		return cmd, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "attach.refused.empty", sent))
	}
	f, err := fh.Open()
	if err != nil {
		return cmd, fmt.Errorf("error opening an uploaded file: %w", err)
	}
	defer f.Close()
	if cmd.Content, err = io.ReadAll(io.LimitReader(f, max+1)); err != nil {
		return cmd, fmt.Errorf("error reading an uploaded file: %w", err)
	}
	ct, refusal := sniffAttachment(cmd.Content)
	switch refusal {
	case sniffMacros:
		return cmd, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "attach.refused.macros", sent))
	case sniffUnknown:
		return cmd, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "attach.refused.type", sent))
	}
	cmd.ContentType, cmd.Filename = ct, attachmentName(fh.Filename, ct)
	return cmd, nil
}

// attachmentMax is the size limit of one attachment.
func (s *server) attachmentMax() int64 {
	if s.cfg.AttachmentMaxBytes > 0 {
		return s.cfg.AttachmentMaxBytes
	}
	return config.DefaultAttachmentMaxMB << 20
}

// sizeText says a number of bytes as people read it: 20 MB, 350 KB, 12 B
// (binary units, as file managers on Windows count them).
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		mb := float64(n) / (1 << 20)
		if n%(1<<20) == 0 || mb >= 100 {
			return fmt.Sprintf("%.0f MB", mb)
		}
		return fmt.Sprintf("%.1f MB", mb)
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
