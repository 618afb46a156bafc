package web

import (
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// svAssignForm is the assignment form of a proposal (交办), as ticked:
// a lead unit and co-handling units, or separate units (unit codes).
type svAssignForm struct {
	Lead     string
	Co       []string
	Separate []string
}

// HasCo reports whether the unit with that code is ticked as co-handling.
func (f svAssignForm) HasCo(code string) bool { return slices.Contains(f.Co, code) }

// HasSeparate reports whether the unit with that code is ticked as
// handling separately.
func (f svAssignForm) HasSeparate(code string) bool { return slices.Contains(f.Separate, code) }

// svUnitChoice is a unit the proposal can still be assigned to.
type svUnitChoice struct {
	Code, Name string
}

// svProposalShow is the data of the view "proposal_show".
type svProposalShow struct {
	Proposal *workflow.Proposal
	Session  *workflow.CongressSession
	Deputies []storage.ProposalDeputy
	// Cases are the proposal's cases, returned ones included.
	Cases []*storage.CaseSummary
	// Lead is the live lead case's unit name ("" when none); Separate says
	// the proposal is handled separately (分办), so a lead cannot join.
	Lead     string
	Separate bool
	// Units are the units without a live case of the proposal.
	Units  []svUnitChoice
	Form   svAssignForm
	Errors fieldErrors
	// Key is the key mark (重点建议) when IsKey; Merge how the suggestion
	// takes part in merged handling (并案).
	Key   workflow.KeyMark
	IsKey bool
	Merge storage.ProposalMerge
	// DeputyLinks are the deputies with the links to their own pages
	// (deputy_link.go).
	DeputyLinks []deputyLinkRow
	// Files are the suggestion's own files, deleted ones included, which
	// the liaison adds and deletes here (proposal_attachment.go);
	// AttachMax the size limit, in words.
	Files     []attachmentRow
	AttachMax string
}

// proposalShow shows GET /proposals/{id} (liaison only): the proposal, its
// deputies and its cases, and the form that assigns it to units.
func (s *server) proposalShow(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(chi.URLParam(r, "id"))
	if !ok {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "sv.err.proposal", chi.URLParam(r, "id"))))
		return
	}
	s.renderProposal(w, r, http.StatusOK, id, svAssignForm{}, nil)
}

// renderProposal answers with the page of proposal id, its assignment form
// f and the form's errors.
func (s *server) renderProposal(w http.ResponseWriter, r *http.Request, status int, id int64, f svAssignForm, errs fieldErrors) {
	s.renderProposalWith(w, r, status, id, f, errs, nil)
}

// renderProposalWith is renderProposal with a flash (a refused key mark or
// merge; nil for none).
func (s *server) renderProposalWith(w http.ResponseWriter, r *http.Request, status int, id int64, f svAssignForm, errs fieldErrors, flash *ui.Flash) {
	ctx := r.Context()
	p, err := s.db.Proposal(ctx, id)
	if err != nil {
		if workflow.Code(err) == workflow.ErrNotFound {
			err = workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "sv.err.proposal", id))
		}
		s.writeError(w, r, err)
		return
	}
	d := &svProposalShow{Proposal: p, Form: f, Errors: errs}
	if d.Session, err = s.db.Session(ctx, p.SessionID); err != nil {
		s.writeError(w, r, err)
		return
	}
	if d.Deputies, err = s.db.ProposalDeputies(ctx, id); err != nil {
		s.writeError(w, r, err)
		return
	}
	if d.DeputyLinks, err = s.deputyLinks(ctx, p.SessionID, d.Deputies); err != nil {
		s.writeError(w, r, err)
		return
	}
	files, err := s.db.ProposalAttachments(ctx, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, a := range files {
		d.Files = append(d.Files, attachmentRow{Attachment: a, CanDelete: !a.Deleted()})
	}
	d.AttachMax = sizeText(s.attachmentMax())
	pr, _ := auth.PrincipalFrom(ctx)
	if d.Cases, err = s.db.CasesVisibleTo(ctx, pr.Actor, storage.CaseFilter{ProposalID: id}); err != nil {
		s.writeError(w, r, err)
		return
	}
	live := map[int64]bool{}
	for _, c := range d.Cases {
		if !c.State.Live() {
			continue
		}
		live[c.DepartmentID] = true
		switch c.Kind {
		case workflow.KindLead:
			d.Lead = c.DepartmentName
		case workflow.KindSeparate:
			d.Separate = true
		}
	}
	depts, err := s.db.Departments(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, dep := range depts {
		if !dep.LiaisonOffice && !live[dep.ID] {
			d.Units = append(d.Units, svUnitChoice{Code: dep.Code, Name: dep.Name})
		}
	}
	if d.Key, d.IsKey, err = s.db.KeyMarkOf(ctx, id); err != nil {
		s.writeError(w, r, err)
		return
	}
	if d.Merge, err = s.db.MergeOf(ctx, id); err != nil {
		s.writeError(w, r, err)
		return
	}
	pg := s.page(w, r, message(r, "sv.proposal.pageTitle"), d)
	pg.Title = message(r, "sv.proposal.pageTitle", d.Session.ShortName, p.Number)
	if flash != nil {
		pg.Flash = flash
	}
	s.render(w, r, status, "proposal_show", pg)
}
