package web

import (
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/workflow"
)

// publicReplyByNumber answers GET /public/{session}/{number} (no login),
// e.g. /public/市十五届人大三次会议/20240294, the address a citizen can
// write from the reply's title: 301 to the stable URL of the published
// reply to that proposal, /public/replies/{id}; 404 when there is none.
// When a proposal was handled again (重办) and its new reply published,
// this address leads to the newest, while each /public/replies/{id} stays
// where it was; so the redirect may be cached for an hour only.
func (s *server) publicReplyByNumber(w http.ResponseWriter, r *http.Request) {
	id, err := s.db.PublicationIDByNumber(r.Context(), pathParam(r, "session"), pathParam(r, "number"))
	if err != nil {
		if workflow.Code(err) == workflow.ErrNotFound {
			err = workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "public.notFound"))
		}
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.Redirect(w, r, publicReplyPath(id), http.StatusMovedPermanently)
}

// pathParam returns the decoded route parameter name. chi matches the
// escaped path when the request's path has an unusual escaping (RawPath),
// so its parameter may still be escaped.
func pathParam(r *http.Request, name string) string {
	v := chi.URLParam(r, name)
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}
