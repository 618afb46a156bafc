package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// newDraftSections are the sections a first draft starts from: those of
// the demo's reply to No. 20240294 (../shared/fixtures), the usual outline
// of a reply, with empty bodies.
func newDraftSections() []workflow.Section {
	return []workflow.Section{{Heading: "一、工作开展情况"}, {Heading: "二、下一步工作打算"}}
}

// draftData is the data of the view "draft_edit".
type draftData struct {
	Case *storage.CaseSummary
	// CanEdit: the user may save a version now (workflow.MayRecord); else
	// the page shows the latest version and Why.
	CanEdit bool
	Why     string
	// BaseVersion is the version the form edits (0 before the first).
	BaseVersion int
	Sections    []workflow.Section
	Versions    []draftVersion
	Latest      *draftVersion
	// Comments are the review comments: those of every return for
	// revision (退回修改), newest first.
	Comments []reviewComment
	// Conflict is set when a save found a newer version than the one the
	// user edited: their text is in the form, unsaved.
	Conflict *draftConflict
	// Restored is set when the form shows the user's working copy (their
	// unsaved text, storage.WorkingCopy) rather than the latest version.
	Restored *restoredCopy
	// Limits are a draft's limits, for the editor's script to refuse text
	// beyond them before sending it.
	Limits draftLimits
	// UserID keys the script's copy of the text in the browser.
	UserID int64
}

// restoredCopy tells the user that the form holds their unsaved text.
type restoredCopy struct {
	SavedAt time.Time
	// Base is the version the text was edited from; Latest the newest
	// version, when another came since (saving is then a conflict).
	Base, Latest int
}

// draftLimits are a draft's limits (workflow's, and the request body's).
type draftLimits struct {
	Sections, Heading, Body, Request int
	RequestText                      string
}

// theDraftLimits are the limits the editor's script checks.
var theDraftLimits = draftLimits{Sections: workflow.MaxDraftSections, Heading: workflow.MaxSectionHeading,
	Body: workflow.MaxSectionBody, Request: maxRequestBody, RequestText: maxRequestBodyText}

// draftVersion is a saved version in the list.
type draftVersion struct {
	Version   int
	Round     int
	Author    string
	CreatedAt time.Time
}

// reviewComment is the comment of a return for revision.
type reviewComment struct {
	At      time.Time
	Actor   string
	Role    string
	From    workflow.State
	Comment string
}

// draftConflict tells the user that someone saved in between.
type draftConflict struct {
	Base   int // the version they edited
	Latest draftVersion
	// DiffA and DiffB are the versions to compare: theirs and the newest.
	DiffA, DiffB int
}

// draftEdit shows GET /cases/{id}/draft, the draft editor: the reply (or
// co-opinion) as headed sections, from the latest version (a first draft
// from 一、工作开展情况 and 二、下一步工作打算), with buttons to add and
// remove sections and to save a new version; the versions with author and
// time, each comparable with the one before; and the review comments
// beside it. Who may not save now sees the latest version.
func (s *server) draftEdit(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, access, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.renderDraft(w, r, p, cs, access, http.StatusOK, nil, nil, nil)
}

// draftForm is the user's unsaved text: the sections as typed and the
// version they edit.
type draftForm struct {
	Sections    []workflow.Section
	BaseVersion int
}

// renderDraft answers with the draft editor of cs. form, when not nil, is
// the user's unsaved text, shown instead of the latest version (after an
// added or removed section, a refused save), still based on the version
// they edited; conflict, when not nil, says that a save found a newer
// version, which then becomes the form's base: saving again is a
// deliberate choice of their text over it.
func (s *server) renderDraft(w http.ResponseWriter, r *http.Request, p *auth.Principal, cs *storage.CaseSummary,
	access workflow.Access, status int, flash *ui.Flash, form *draftForm, conflict *draftConflict) {
	ctx := r.Context()
	lang := ui.LangOf(r)
	d := &draftData{Case: cs, Conflict: conflict}
	if access == workflow.AccessAct {
		_, err := workflow.MayRecord(workflow.RecordSaveDraft, cs.State, p.Actor.RolesOn(cs.DepartmentID))
		d.CanEdit = err == nil
		switch {
		case err == nil:
		case workflow.Code(err) == workflow.ErrConflict:
			d.Why = ui.Message(lang, "draft.readOnlyState", ui.Label(lang, cs.State))
		default:
			d.Why = ui.Message(lang, "draft.readOnlyRole")
		}
	} else {
		d.Why = ui.Message(lang, "case.readOnly")
	}
	drafts, err := s.db.Drafts(ctx, cs.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	events, err := s.db.CaseEvents(ctx, cs.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ids := eventActors(events)
	for _, dr := range drafts {
		ids = append(ids, dr.AuthorID)
	}
	names, err := s.db.UserNames(ctx, ids)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, dr := range drafts {
		d.Versions = append(d.Versions, draftVersion{Version: dr.Version, Round: dr.Round, Author: names[dr.AuthorID], CreatedAt: dr.CreatedAt})
	}
	if n := len(d.Versions); n > 0 {
		d.Latest = &d.Versions[n-1]
		d.BaseVersion = d.Latest.Version
	}
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		if e.Action != string(workflow.ActionReturnForRevision) {
			continue
		}
		c, _ := e.Payload["comment"].(string)
		d.Comments = append(d.Comments, reviewComment{At: e.At, Actor: names[e.ActorID], Role: labelOf(r, workflow.Role(e.ActorRole)),
			From: e.From, Comment: c})
	}
	d.Limits, d.UserID = theDraftLimits, p.User.ID
	if form == nil && d.CanEdit {
		wc, err := s.db.WorkingCopyOf(ctx, cs.ID, p.User.ID)
		switch {
		case err == nil && !sameText(wc.Sections, shownSections(drafts)):
			form = &draftForm{Sections: wc.Sections, BaseVersion: wc.BaseVersion}
			d.Restored = &restoredCopy{SavedAt: wc.SavedAt, Base: wc.BaseVersion}
			if wc.BaseVersion != d.BaseVersion {
				d.Restored.Latest = d.BaseVersion
			}
		case err != nil && workflow.Code(err) != workflow.ErrNotFound:
			s.writeError(w, r, err)
			return
		}
	}
	switch {
	case form != nil:
		d.Sections = form.Sections
		if conflict == nil {
			d.BaseVersion = form.BaseVersion
		}
	default:
		d.Sections = shownSections(drafts)
	}
	pg := s.page(w, r, ui.Message(lang, "draft.title")+" · "+cs.ProposalNumber, d)
	if flash != nil {
		pg.Flash = flash
	}
	s.render(w, r, status, "draft_edit", pg)
}

// shownSections are the sections the editor starts from: the latest
// version's, or a first draft's.
func shownSections(drafts []*workflow.Draft) []workflow.Section {
	if n := len(drafts); n > 0 {
		return drafts[n-1].Sections
	}
	return newDraftSections()
}

// sameText reports whether two drafts hold the same text, white space at
// the ends of headings and bodies and empty sections aside.
func sameText(a, b []workflow.Section) bool {
	norm := func(in []workflow.Section) []workflow.Section {
		var out []workflow.Section
		for _, s := range in {
			s.Heading = strings.TrimSpace(s.Heading)
			s.Body = strings.Join(ui.Paragraphs(s.Body), "\n")
			if s.Heading != "" || s.Body != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return slices.Equal(norm(a), norm(b))
}
