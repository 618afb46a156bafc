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
	writeJSON(w, http.StatusOK, map[string]any{"drafts": out})
}

// saveDraftRequest is the body of POST /api/cases/{id}/drafts.
type saveDraftRequest struct {
	// BaseVersion is the draft version the author edited (0 for the first).
	BaseVersion int                `json:"base_version"`
	Sections    []workflow.Section `json:"sections"`
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
	d, err := s.saveDraft(r.Context(), p.Actor, cs, access, req.BaseVersion, req.Sections)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"draft": draftView{Version: d.Version, Round: d.Round, AuthorID: d.AuthorID, CreatedAt: d.CreatedAt, Sections: d.Sections}})
}
