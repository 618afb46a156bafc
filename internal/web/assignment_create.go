package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// assignmentCreate answers POST /proposals/{id}/assign (liaison only): it
// assigns the proposal (交办) to a lead unit (field lead) and co-handling
// units (co, repeated), or to several units that reply separately
// (separate, repeated) — unit codes — all in one transaction (s.assign):
// if one assignment fails, none stays, and the page comes back with the
// error beside that unit's control. On success it sends the browser back
// to the proposal's page (303).
func (s *server) assignmentCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := parseID(chi.URLParam(r, "id"))
	if !ok {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "sv.err.proposal", chi.URLParam(r, "id"))))
		return
	}
	if _, err := s.db.Proposal(ctx, id); err != nil {
		if workflow.Code(err) == workflow.ErrNotFound {
			err = workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "sv.err.proposal", id))
		}
		s.writeError(w, r, err)
		return
	}
	f := readForm(r)
	form := svAssignForm{Lead: f.Value("lead"), Co: f.Values("co"), Separate: f.Values("separate")}
	var picks []unitPick
	var fields []string // the control of each pick
	if form.Lead != "" {
		picks, fields = append(picks, unitPick{form.Lead, workflow.KindLead}), append(fields, "assign-lead")
	}
	for _, c := range form.Co {
		if c == form.Lead {
			f.Add("assign-co-"+c, message(r, "sv.assign.err.leadAndCo"))
			continue
		}
		picks, fields = append(picks, unitPick{c, workflow.KindCo}), append(fields, "assign-co-"+c)
	}
	for _, c := range form.Separate {
		picks, fields = append(picks, unitPick{c, workflow.KindSeparate}), append(fields, "assign-separate-"+c)
	}
	switch {
	case len(picks) == 0 && f.OK():
		f.Add("assign-units", message(r, "sv.assign.err.none"))
	case len(form.Separate) > 0 && (form.Lead != "" || len(form.Co) > 0):
		f.Add("assign-separate-"+form.Separate[0], message(r, "sv.assign.err.mixed"))
	}
	if !f.OK() {
		s.renderProposal(w, r, http.StatusUnprocessableEntity, id, form, f.Errors)
		return
	}
	p := mustPrincipal(r)
	cases, err := s.assign(ctx, p.Actor, id, picks)
	if err != nil {
		failed := failedAssignments(err)
		if len(failed) == 0 {
			s.writeError(w, r, err)
			return
		}
		s.refuse(w, r, err, func(status int) {
			for _, ae := range failed {
				pk := picks[ae.Index]
				if ae.Cmd.DepartmentID == 0 {
					f.Add(fields[ae.Index], message(r, "sv.assign.err.unknownUnit", pk.Code))
					continue
				}
				unit := pk.Code
				if d, err := s.db.Department(ctx, ae.Cmd.DepartmentID); err == nil {
					unit = d.Name
				}
				f.Add(fields[ae.Index], svAssignError(r, unit, pk.Kind, ae.Err))
			}
			s.renderProposal(w, r, status, id, form, f.Errors)
		})
		return
	}
	s.redirect(w, r, fmt.Sprintf("/proposals/%d", id), flashAssigned, len(cases))
}

// unitPick is a unit a proposal is to be assigned to: its code and the
// kind of its case.
type unitPick struct {
	Code string
	Kind workflow.CaseKind
}

// assign assigns proposal proposalID to the units of picks (交办), all in
// one transaction (storage.AssignAll): the one service the assignment form
// and the JSON API call. A code that names no unit (or names the liaison
// office) is refused as invalid before anything is written; each refusal
// is a storage.AssignmentError whose Index is the pick's, and every
// unknown code is reported (failedAssignments).
func (s *server) assign(ctx context.Context, actor workflow.Actor, proposalID int64, picks []unitPick) ([]*workflow.Case, error) {
	at := s.clock.Now()
	var cmds []storage.AssignCmd
	var unknown []error
	for i, pk := range picks {
		d, err := s.db.DepartmentByCode(ctx, pk.Code)
		switch {
		case workflow.Code(err) == workflow.ErrNotFound || err == nil && d.LiaisonOffice:
			unknown = append(unknown, &storage.AssignmentError{Index: i,
				Err: workflow.Errorf(workflow.ErrInvalid, "department: %q is not a department code", pk.Code)})
			continue
		case err != nil:
			return nil, err
		}
		cmds = append(cmds, storage.AssignCmd{ProposalID: proposalID, DepartmentID: d.ID, Kind: pk.Kind, Actor: actor, At: at})
	}
	if len(unknown) > 0 {
		return nil, errors.Join(unknown...)
	}
	return s.db.AssignAll(ctx, cmds)
}

// failedAssignments returns the assignments err refuses, in order.
func failedAssignments(err error) []*storage.AssignmentError {
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	var out []*storage.AssignmentError
	for _, e := range errs {
		if ae, ok := storage.FailedAssignment(e); ok {
			out = append(out, ae)
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
		return message(r, "sv.assign.err.leadExists", unit)
	case strings.Contains(m, "cases_one_per_unit_idx"):
		return message(r, "sv.assign.err.unitHasCase", unit)
	case workflow.GuardOf(err) == workflow.AssignKindMix:
		return message(r, "sv.assign.err.mixed")
	}
	return message(r, "sv.assign.err.other", unit, labelOf(r, kind), m)
}
