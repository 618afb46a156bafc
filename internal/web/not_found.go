package web

import (
	"net/http"

	"github.com/banli-gov/banli/workflow"
)

// notFound answers a URL (or a method on it) that banli does not serve:
// the error page in the layout (404), with the caller when logged in, or
// problem+json under /api/ — through writeError, like every other error.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, &workflow.Error{Code: workflow.ErrNotFound, Message: "没有找到您要的页面。",
		Detail: "no route for " + r.Method + " " + r.URL.Path})
}
