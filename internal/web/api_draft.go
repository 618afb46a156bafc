package web

import (
	"net/http"
	"time"

	"github.com/banli-gov/banli/workflow"
)

// draftView is one draft version as the JSON API shows it.
type draftView struct {
	Version   int                `json:"version"`
	Round     int                `json:"round"`
	AuthorID  int64              `json:"author_id"`
	CreatedAt time.Time          `json:"created_at"`
	Sections  []workflow.Section `json:"sections"`
}

// apiDraftList answers GET /api/cases/{id}/drafts: every version, oldest first.
func (s *server) apiDraftList(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, _, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	drafts, err := s.db.Drafts(r.Context(), cs.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]draftView, 0, len(drafts))
	for _, d := range drafts {
		out = append(out, draftView{Version: d.Version, Round: d.Round, AuthorID: d.AuthorID, CreatedAt: d.CreatedAt, Sections: d.Sections})
	}
	latest := 0
	if len(drafts) > 0 {
		latest = drafts[len(drafts)-1].Version
	}
	w.Header().Set("ETag", draftsETag(latest))
	writeJSON(w, http.StatusOK, draftListResponse{Drafts: out})
}

// draftListResponse lists a case's draft versions.
type draftListResponse struct {
	Drafts []draftView `json:"drafts"`
}

// draftResponse is one draft version.
type draftResponse struct {
	Draft draftView `json:"draft"`
}

// saveDraftRequest is the body of POST /api/cases/{id}/drafts.
type saveDraftRequest struct {
	// BaseVersion is the draft version the author edited (0 for the
	// first), unless If-Match names it.
	BaseVersion int                `json:"base_version,omitempty"`
	Sections    []workflow.Section `json:"sections" required:"true"`
}

// apiDraftSave answers POST /api/cases/{id}/drafts: a new version, or a
// conflict when someone else saved after base_version.
func (s *server) apiDraftSave(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, access, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req saveDraftRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if v, ok, err := ifMatchVersion(r, "draft-v"); err != nil {
		s.writeError(w, r, err)
		return
	} else if ok {
		if req.BaseVersion != 0 && req.BaseVersion != v {
			s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "base_version: %d is not the version If-Match names (%d)", req.BaseVersion, v))
			return
		}
		req.BaseVersion = v
	}
	d, err := s.saveDraft(r.Context(), p.Actor, cs, access, req.BaseVersion, req.Sections)
	if err != nil {
		s.writeError(w, r, preconditionFailed(r, err))
		return
	}
	w.Header().Set("ETag", draftsETag(d.Version))
	writeJSON(w, http.StatusCreated, draftResponse{Draft: draftView{Version: d.Version, Round: d.Round, AuthorID: d.AuthorID, CreatedAt: d.CreatedAt, Sections: d.Sections}})
}
