package web

import (
	"net/http"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// autosaveView is the JSON answer of an autosave.
type autosaveView struct {
	// SavedAt is when the text was stored, YYYY-MM-DD HH:MM.
	SavedAt string `json:"saved_at"`
	// Session is when the login ends now, this request counted.
	Session *ui.SessionTimes `json:"session,omitempty"`
}

// draftAutosave handles POST /cases/{id}/draft/autosave, the editor
// script's autosave (ui/static/editor.js), sent as the user types: the
// editor's form as typed (base_version, heading and body per section)
// stored as the user's working copy of the case (storage.WorkingCopy) —
// no version, no audit event. Only who may save a version now may keep a
// working copy. It answers JSON (autosaveView); refusals are
// problem+json, as the script asks for JSON (a login that has ended: 401).
func (s *server) draftAutosave(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, access, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if access != workflow.AccessAct {
		s.writeError(w, r, workflow.Errorf(workflow.ErrForbidden, "%s", message(r, "case.readOnly")))
		return
	}
	if _, err := workflow.MayRecord(workflow.RecordSaveDraft, cs.State, p.Actor.RolesOn(cs.DepartmentID)); err != nil {
		s.writeError(w, r, err)
		return
	}
	form := draftFormOf(readForm(r))
	now := s.clock.Now()
	err = s.db.SaveWorkingCopy(r.Context(), storage.WorkingCopy{CaseID: cs.ID, UserID: p.User.ID, BaseVersion: form.BaseVersion,
		Sections: form.Sections, SavedAt: now})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, autosaveView{SavedAt: ui.FormatDateTime(now), Session: sessionTimes(r.Context())})
}
