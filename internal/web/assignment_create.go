package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// assignmentCreate answers POST /proposals/{id}/assign (liaison only): it
// assigns the proposal (交办) to a lead unit (field lead) and co-handling
// units (co, repeated), or to several units that reply separately
// (separate, repeated) — unit codes — all in one transaction
// (storage.AssignAll): if one assignment fails, none stays, and the page
// comes back with the error beside that unit's control. On success it
// sends the browser back to the proposal's page (303).
func (s *server) assignmentCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := svID(chi.URLParam(r, "id"))
	if !ok {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "%s", svMsg(r, "sv.err.proposal", chi.URLParam(r, "id"))))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, svMaxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s", svMsg(r, "sv.err.form")))
		return
	}
	if _, err := s.db.Proposal(ctx, id); err != nil {
		if workflow.Code(err) == workflow.ErrNotFound {
			err = workflow.Errorf(workflow.ErrNotFound, "%s", svMsg(r, "sv.err.proposal", id))
		}
		s.writeError(w, r, err)
		return
	}
	f := svAssignForm{Lead: svTrim(r, "lead"), Co: svCodes(r.PostForm["co"]), Separate: svCodes(r.PostForm["separate"])}

	var errs svErrors
	units := map[string]*workflow.Department{}
	unit := func(code, field string) *workflow.Department {
		d, err := s.db.DepartmentByCode(ctx, code)
		if err != nil || d.LiaisonOffice {
			errs.add(field, svMsg(r, "sv.assign.err.unknownUnit", code))
			return nil
		}
		units[code] = d
		return d
	}
	type pick struct {
		code, field string
		kind        workflow.CaseKind
	}
	var picks []pick
	if f.Lead != "" {
		picks = append(picks, pick{f.Lead, "assign-lead", workflow.KindLead})
	}
	for _, c := range f.Co {
		field := "assign-co-" + c
		if c == f.Lead {
			errs.add(field, svMsg(r, "sv.assign.err.leadAndCo"))
			continue
		}
		picks = append(picks, pick{c, field, workflow.KindCo})
	}
	for _, c := range f.Separate {
		picks = append(picks, pick{c, "assign-separate-" + c, workflow.KindSeparate})
	}
	switch {
	case len(picks) == 0 && len(errs) == 0:
		errs.add("assign-units", svMsg(r, "sv.assign.err.none"))
	case len(f.Separate) > 0 && (f.Lead != "" || len(f.Co) > 0):
		errs.add("assign-separate-"+f.Separate[0], svMsg(r, "sv.assign.err.mixed"))
	}
	p, _ := auth.PrincipalFrom(ctx)
	at := s.clock.Now()
	var cmds []storage.AssignCmd
	for _, pk := range picks {
		if d := unit(pk.code, pk.field); d != nil {
			cmds = append(cmds, storage.AssignCmd{ProposalID: id, DepartmentID: d.ID, Kind: pk.kind, Actor: p.Actor, At: at})
		}
	}
	if len(errs) > 0 {
		s.renderProposal(w, r, http.StatusUnprocessableEntity, id, f, errs)
		return
	}
	cases, err := s.db.AssignAll(ctx, cmds)
	if err != nil {
		ae, ok := storage.FailedAssignment(err)
		if !ok || workflow.Code(err) == workflow.ErrInternal {
			s.writeError(w, r, err)
			return
		}
		pk := picks[ae.Index]
		errs.add(pk.field, svAssignError(r, units[pk.code].Name, pk.kind, err))
		s.renderProposal(w, r, svStatus(err), id, f, errs)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/proposals/%d", id), flashAssigned, len(cases))
}

// svCodes returns the non-empty, distinct codes of a repeated field.
func svCodes(values []string) []string {
	var out []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// svAssignError says, in the page's language, why assigning unit (its
// name) as kind failed.
func svAssignError(r *http.Request, unit string, kind workflow.CaseKind, err error) string {
	m := workflow.Message(err)
	switch {
	case workflow.GuardOf(err) == workflow.AssignOneLead || strings.Contains(m, "cases_one_lead_idx"):
		return svMsg(r, "sv.assign.err.leadExists", unit)
	case strings.Contains(m, "cases_one_per_unit_idx"):
		return svMsg(r, "sv.assign.err.unitHasCase", unit)
	case workflow.GuardOf(err) == workflow.AssignKindMix:
		return svMsg(r, "sv.assign.err.mixed")
	}
	return svMsg(r, "sv.assign.err.other", unit, svMsg(r, "sv.kind."+string(kind)), m)
}
