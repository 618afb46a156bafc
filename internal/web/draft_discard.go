package web

import (
	"fmt"
	"net/http"
)

// draftDiscard handles POST /cases/{id}/draft/discard, the editor's
// "discard" button of a restored working copy: the user's working copy of
// the case is deleted (storage.DiscardWorkingCopy), and the editor shows
// the latest version again, with a flash.
func (s *server) draftDiscard(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, _, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.db.DiscardWorkingCopy(r.Context(), cs.ID, p.User.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/cases/%d/draft", cs.ID), flashWorkingCopyDiscarded)
}
