package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// draftSave handles POST /cases/{id}/draft, the draft editor's form:
// fields base_version (the version edited), heading and body repeated per
// section in order, and op, the button pressed:
//
//   - save (or none): a new version (storage.SaveDraft); done, 303 back to
//     the editor with a flash. When someone saved after base_version, the
//     save is refused (409) and the editor comes back with the user's text
//     in the form, a message naming the newer version and a link to the
//     diff; saving again then saves their text over it, knowingly.
//   - add: the form again with an empty section at the end (nothing saved).
//   - remove:N: the form again without section N, counted from 0.
func (s *server) draftSave(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, access, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f := readForm(r)
	form := draftFormOf(f)
	op := f.Value("op")
	switch {
	case op == "add":
		if len(form.Sections) < workflow.MaxDraftSections {
			form.Sections = append(form.Sections, workflow.Section{})
		}
		s.renderDraft(w, r, p, cs, access, http.StatusOK, nil, form, nil)
		return
	case strings.HasPrefix(op, "remove:"):
		if i, err := strconv.Atoi(strings.TrimPrefix(op, "remove:")); err == nil && i >= 0 && i < len(form.Sections) {
			form.Sections = slices.Delete(form.Sections, i, i+1)
		}
		s.renderDraft(w, r, p, cs, access, http.StatusOK, nil, form, nil)
		return
	}
	d, err := s.saveDraft(r.Context(), p.Actor, cs, access, form.BaseVersion, form.Sections)
	if err == nil {
		s.redirect(w, r, fmt.Sprintf("/cases/%d/draft", cs.ID), flashDraftSaved, d.Version)
		return
	}
	s.refuse(w, r, err, func(status int) { s.draftRefused(w, r, p, cs.ID, status, err, form) })
}

// saveDraft saves sections as the next version of case cs's draft
// (storage.SaveDraft, which cleans and bounds them), edited from version
// base: the one service the draft editor and the JSON API call. A save
// after someone else's (base is not the latest) is a conflict.
func (s *server) saveDraft(ctx context.Context, actor workflow.Actor, cs *storage.CaseSummary, access workflow.Access,
	base int, sections []workflow.Section) (*workflow.Draft, error) {
	if access != workflow.AccessAct {
		return nil, workflow.Errorf(workflow.ErrForbidden, "协办单位的办件只能查看 (case %d: read only)", cs.ID)
	}
	d, err := s.db.SaveDraft(ctx, storage.SaveDraftCmd{CaseID: cs.ID, Actor: actor, BaseVersion: base, Sections: sections, At: s.clock.Now()})
	if err != nil {
		return nil, err
	}
	s.logger.InfoContext(ctx, "draft saved", "case", cs.ID, "version", d.Version, "user", actor.UserID)
	return d, nil
}

// draftRefused answers a refused save: the editor of the case as it is
// now, with the user's text, err's message and, when someone saved in
// between, the version to compare theirs with.
func (s *server) draftRefused(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64, status int, err error, form *draftForm) {
	code := workflow.Code(err)
	// The case as it is now: a conflict means something changed.
	cs, access, lerr := s.db.CaseFor(r.Context(), p.Actor, id)
	if lerr != nil {
		s.writeError(w, r, lerr)
		return
	}
	var conflict *draftConflict
	if code == workflow.ErrConflict {
		drafts, derr := s.db.Drafts(r.Context(), cs.ID)
		if derr != nil {
			s.writeError(w, r, derr)
			return
		}
		if n := len(drafts); n > 0 && drafts[n-1].Version != form.BaseVersion {
			latest := drafts[n-1]
			names, nerr := s.db.UserNames(r.Context(), []int64{latest.AuthorID})
			if nerr != nil {
				s.writeError(w, r, nerr)
				return
			}
			conflict = &draftConflict{Base: form.BaseVersion, DiffA: max(form.BaseVersion, 1), DiffB: latest.Version,
				Latest: draftVersion{Version: latest.Version, Round: latest.Round, Author: names[latest.AuthorID], CreatedAt: latest.CreatedAt}}
		}
	}
	s.renderDraft(w, r, p, cs, access, status, errorFlash(r, err), form, conflict)
}

// draftFormOf reads the editor's form: base_version and the sections,
// heading[i] with body[i], as typed: storage.SaveDraft cleans and bounds
// them (workflow.CleanSections), as it does those of the JSON API. It reads
// one section more than a draft may have, so that a form with too many is
// refused rather than cut short.
func draftFormOf(f *form) *draftForm {
	d := &draftForm{Sections: []workflow.Section{}}
	d.BaseVersion, _ = strconv.Atoi(f.Value("base_version"))
	headings, bodies := f.r.PostForm["heading"], f.r.PostForm["body"]
	for i := 0; i < max(len(headings), len(bodies)) && i <= workflow.MaxDraftSections; i++ {
		var sec workflow.Section
		if i < len(headings) {
			sec.Heading = strings.TrimSpace(headings[i])
		}
		if i < len(bodies) {
			sec.Body = strings.TrimSpace(strings.ReplaceAll(bodies[i], "\r\n", "\n"))
		}
		d.Sections = append(d.Sections, sec)
	}
	return d
}
