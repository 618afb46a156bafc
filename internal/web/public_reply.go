package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// publicReply shows GET /public/replies/{id} (no login): a published reply
// as citizens know it from government sites — its title
// 关于{session}第{number}号建议的答复, 发布时间 and 来源, and its text section by
// section, and the files marked public with it (storage.PublicAttachments,
// publicReplyAttachment). The page shows what those carry and nothing else:
// no contact details of the deputy, no drafts, comments or names of staff.
// A publication that is not published (pending, withheld) or does not
// exist is 404. This is the reply's stable URL, the id of its feed
// entry; /public/{session}/{number} redirects here.
func (s *server) publicReply(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "public.notFound")))
		return
	}
	rep, err := s.db.PublishedReply(r.Context(), id)
	if err != nil {
		if workflow.Code(err) == workflow.ErrNotFound {
			err = workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "public.notFound"))
		}
		s.writeError(w, r, err)
		return
	}
	files, err := s.db.PublicAttachments(r.Context(), rep.PublicationID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	data := struct {
		Reply       *storage.PublishedReply
		Canonical   string
		Attachments []*storage.Attachment
	}{rep, s.cfg.BaseURL + publicReplyPath(rep.PublicationID), files}
	w.Header().Set("Cache-Control", publicCacheControl)
	w.Header().Add("Vary", "Cookie")
	s.render(w, r, http.StatusOK, "public_reply", &ui.Page{Title: rep.Title, Data: data})
}
