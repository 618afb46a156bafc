package web

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// Limits of the registration form's fields.
const (
	svMaxNumber     = 32
	svMaxTitle      = 200
	svMaxBody       = 20000
	svMaxName       = 50
	svMaxDelegation = 50
	svMaxPhone      = 30
	svMaxFormBytes  = maxRequestBody // checkInput enforces it before any handler
)

var (
	// svNumberPattern is what a proposal number may hold (the schema's check).
	svNumberPattern = regexp.MustCompile(`^[0-9A-Za-z-]+$`)
	// svPhonePattern is what a deputy's phone number may hold.
	svPhonePattern = regexp.MustCompile(`^[0-9+\-() ]*$`)
)

// proposalCreate answers POST /proposals/new (liaison only): it registers
// the proposal with its lead deputy and co-signers, existing or new, in one
// transaction (storage.RegisterProposal), and sends the browser to the
// proposal's page (303). A refused form comes back (422; 409 for a number
// the session already has) with each error beside its field, and nothing
// is written.
func (s *server) proposalCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, svMaxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s", svMsg(r, "sv.err.form")))
		return
	}
	f := svProposalForm{Session: svTrim(r, "session"), Number: svTrim(r, "number"), Kind: svTrim(r, "kind"),
		Title: svTrim(r, "title"), Body: svTrim(r, "body"), Submitted: svTrim(r, "submitted_on"),
		LeadDeputy: svTrim(r, "lead_deputy"), LeadName: svTrim(r, "lead_name"),
		LeadDelegation: svTrim(r, "lead_delegation"), LeadPhone: svTrim(r, "lead_phone")}
	for _, v := range r.PostForm["cosigner"] {
		if !slices.Contains(f.CoSigners, v) {
			f.CoSigners = append(f.CoSigners, v)
		}
	}
	for i := 1; i <= svNewCoSigners; i++ {
		n := strconv.Itoa(i)
		f.NewCo = append(f.NewCo, svNewDeputy{N: i, Name: svTrim(r, "co_name_"+n),
			Delegation: svTrim(r, "co_delegation_"+n), Phone: svTrim(r, "co_phone_"+n)})
	}

	var errs svErrors
	p := &workflow.Proposal{Number: f.Number, Title: f.Title, Body: f.Body, Kind: workflow.ProposalKind(f.Kind)}
	sessionID, ok := svID(f.Session)
	if ok {
		if _, err := s.db.Session(ctx, sessionID); err != nil {
			if workflow.Code(err) != workflow.ErrNotFound {
				s.writeError(w, r, err)
				return
			}
			ok = false
		}
	}
	if !ok {
		errs.add("proposal-session", svMsg(r, "sv.proposal.err.session"))
	}
	p.SessionID = sessionID
	switch {
	case f.Number == "":
		errs.add("proposal-number", svMsg(r, "sv.proposal.err.numberRequired"))
	case svRunes(f.Number) > svMaxNumber || !svNumberPattern.MatchString(f.Number):
		errs.add("proposal-number", svMsg(r, "sv.proposal.err.numberFormat", svMaxNumber))
	case ok:
		taken, err := s.db.ProposalNumberTaken(ctx, sessionID, f.Number)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if taken {
			errs.add("proposal-number", svMsg(r, "sv.proposal.err.numberTaken", f.Number))
		}
	}
	if !p.Kind.Valid() {
		errs.add("proposal-kind", svMsg(r, "sv.proposal.err.kind"))
	}
	switch {
	case f.Title == "":
		errs.add("proposal-title", svMsg(r, "sv.proposal.err.titleRequired"))
	case svRunes(f.Title) > svMaxTitle:
		errs.add("proposal-title", svMsg(r, "sv.proposal.err.tooLong", svMsg(r, "sv.proposal.title"), svMaxTitle))
	}
	if svRunes(f.Body) > svMaxBody {
		errs.add("proposal-body", svMsg(r, "sv.proposal.err.tooLong", svMsg(r, "sv.proposal.body"), svMaxBody))
	}
	if day, err := workflow.ParseDate(f.Submitted); err != nil {
		errs.add("proposal-submitted", svMsg(r, "sv.proposal.err.submitted"))
	} else if day.After(s.svToday()) {
		errs.add("proposal-submitted", svMsg(r, "sv.proposal.err.submittedFuture"))
	} else {
		p.SubmittedOn = day
	}

	deputies, err := s.db.Deputies(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	known := func(v string) (int64, bool) {
		id, ok := svID(v)
		return id, ok && slices.ContainsFunc(deputies, func(d *workflow.Deputy) bool { return d.ID == id })
	}
	var refs []storage.DeputyRef
	var leadID int64
	switch {
	case f.LeadDeputy != "" && (f.LeadName != "" || f.LeadDelegation != "" || f.LeadPhone != ""):
		errs.add("proposal-lead", svMsg(r, "sv.proposal.err.leadBoth"))
	case f.LeadDeputy != "":
		id, ok := known(f.LeadDeputy)
		if !ok {
			errs.add("proposal-lead", svMsg(r, "sv.proposal.err.deputyUnknown"))
		}
		leadID = id
		refs = append(refs, storage.DeputyRef{ID: id})
	case f.LeadName == "" && (f.LeadDelegation != "" || f.LeadPhone != ""):
		errs.add("proposal-lead-name", svMsg(r, "sv.proposal.err.nameRequired"))
	case f.LeadName == "":
		errs.add("proposal-lead", svMsg(r, "sv.proposal.err.leadRequired"))
	default:
		if d, ok := svNewDeputyOf(r, &errs, "proposal-lead", f.LeadName, f.LeadDelegation, f.LeadPhone); ok {
			refs = append(refs, storage.DeputyRef{New: d})
		}
	}
	for _, v := range f.CoSigners {
		id, ok := known(v)
		switch {
		case !ok:
			errs.add("proposal-cosigners", svMsg(r, "sv.proposal.err.deputyUnknown"))
		case id == leadID:
			errs.add(fmt.Sprintf("proposal-cosigner-%d", id), svMsg(r, "sv.proposal.err.cosignerIsLead"))
		default:
			refs = append(refs, storage.DeputyRef{ID: id})
		}
	}
	for _, c := range f.NewCo {
		field := fmt.Sprintf("proposal-co-%d", c.N)
		switch {
		case c.Name == "" && (c.Delegation != "" || c.Phone != ""):
			errs.add(field+"-name", svMsg(r, "sv.proposal.err.nameRequired"))
		case c.Name != "":
			if d, ok := svNewDeputyOf(r, &errs, field, c.Name, c.Delegation, c.Phone); ok {
				refs = append(refs, storage.DeputyRef{New: d})
			}
		}
	}
	if len(errs) > 0 {
		s.renderProposalNew(w, r, http.StatusUnprocessableEntity, f, errs)
		return
	}
	if err := s.db.RegisterProposal(ctx, p, refs); err != nil {
		if workflow.Code(err) != workflow.ErrConflict {
			s.writeError(w, r, err)
			return
		}
		// Registered by someone else since the check above.
		errs.add("proposal-number", svMsg(r, "sv.proposal.err.numberTaken", f.Number))
		s.renderProposalNew(w, r, http.StatusConflict, f, errs)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/proposals/%d", p.ID), flashProposal)
}

// svNewDeputyOf checks a new deputy's details typed in the controls
// field-name, field-delegation and field-phone, recording what is wrong.
func svNewDeputyOf(r *http.Request, errs *svErrors, field, name, delegation, phone string) (*workflow.Deputy, bool) {
	ok := true
	if svRunes(name) > svMaxName {
		errs.add(field+"-name", svMsg(r, "sv.proposal.err.tooLong", svMsg(r, "sv.deputy.name"), svMaxName))
		ok = false
	}
	if svRunes(delegation) > svMaxDelegation {
		errs.add(field+"-delegation", svMsg(r, "sv.proposal.err.tooLong", svMsg(r, "sv.deputy.delegation"), svMaxDelegation))
		ok = false
	}
	if svRunes(phone) > svMaxPhone || !svPhonePattern.MatchString(phone) {
		errs.add(field+"-phone", svMsg(r, "sv.proposal.err.phone"))
		ok = false
	}
	return &workflow.Deputy{Name: name, Delegation: delegation, Phone: phone}, ok
}
