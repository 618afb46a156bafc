package web

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/banli-gov/banli/internal/imports"
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
	f := readForm(r)
	var form svProposalForm
	p := &workflow.Proposal{}

	session := field{Name: "session", ID: "proposal-session", Label: "sv.proposal.session", Invalid: "sv.proposal.err.session"}
	p.SessionID, form.Session = f.ID(session)
	sessionOK := f.OK()
	if sessionOK {
		if _, err := s.db.Session(ctx, p.SessionID); err != nil {
			if workflow.Code(err) != workflow.ErrNotFound {
				s.writeError(w, r, err)
				return
			}
			f.invalid(session, "")
			sessionOK = false
		}
	}
	form.Number = f.Text(field{Name: "number", ID: "proposal-number", Label: "sv.proposal.number"}, maxField, true)
	switch {
	case form.Number == "":
	case runeCount(form.Number) > svMaxNumber || !svNumberPattern.MatchString(form.Number):
		f.Add("proposal-number", message(r, "sv.proposal.err.numberFormat", svMaxNumber))
	case sessionOK:
		taken, err := s.db.ProposalNumberTaken(ctx, p.SessionID, form.Number)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if taken {
			f.Add("proposal-number", message(r, "sv.proposal.err.numberTaken", form.Number))
		}
	}
	p.Number = form.Number
	p.Kind = choice(f, field{Name: "kind", ID: "proposal-kind", Label: "sv.proposal.kind", Invalid: "sv.proposal.err.kind"},
		workflow.RegistrableProposalKinds())
	form.Kind = string(p.Kind)
	form.Title = f.Text(field{Name: "title", ID: "proposal-title", Label: "sv.proposal.title"}, svMaxTitle, true)
	form.Body = f.Text(field{Name: "body", ID: "proposal-body", Label: "sv.proposal.body"}, svMaxBody, false)
	p.Title, p.Body = form.Title, form.Body
	p.SubmittedOn, form.Submitted = f.Date(field{Name: "submitted_on", ID: "proposal-submitted", Label: "sv.proposal.submitted"}, true)
	if f.Errors.Of("proposal-submitted") == "" && p.SubmittedOn.After(s.clock.Today()) {
		f.Add("proposal-submitted", message(r, "sv.proposal.err.submittedFuture"))
	}

	form.LeadDeputy, form.LeadDeputyName = f.Value("lead_deputy"), f.typed("lead_deputy_name")
	form.LeadName, form.LeadDelegation, form.LeadPhone = f.typed("lead_name"), f.typed("lead_delegation"), f.typed("lead_phone")
	form.CoSigners, form.CosignerNames = f.Values("cosigner"), f.typed("cosigner_names")
	for i := 1; i <= svNewCoSigners; i++ {
		n := strconv.Itoa(i)
		form.NewCo = append(form.NewCo, svNewDeputy{N: i, Name: f.typed("co_name_" + n),
			Delegation: f.typed("co_delegation_" + n), Phone: f.typed("co_phone_" + n)})
	}
	leadNames, coNames := imports.SplitNames(form.LeadDeputyName), imports.SplitNames(form.CosignerNames)
	var ids []int64
	for _, v := range append([]string{form.LeadDeputy}, form.CoSigners...) {
		if id, ok := parseID(v); ok {
			ids = append(ids, id)
		}
	}
	var names []string
	for _, n := range append(slices.Clone(leadNames), coNames...) {
		name, _, _ := strings.Cut(strings.NewReplacer("(", "（").Replace(n), "（")
		names = append(names, strings.TrimSpace(name))
	}
	deputies, err := s.db.DeputiesNamed(ctx, names, ids)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	known := func(v string) (int64, bool) {
		id, ok := parseID(v)
		return id, ok && slices.ContainsFunc(deputies, func(d *workflow.Deputy) bool { return d.ID == id })
	}
	// find looks up a deputy written in a picker's field, recording why
	// not in the control id.
	find := func(id, written string) (int64, bool) {
		d, code := imports.FindDeputy(deputies, written)
		switch code {
		case "":
			return d.ID, true
		case "ambiguousDeputy":
			f.Add(id, message(r, "picker.ambiguous", written, "姓名（代表团）"))
		default:
			f.Add(id, message(r, "picker.unknown", written))
		}
		return 0, false
	}
	var refs []storage.DeputyRef
	var leadID int64
	existing := form.LeadDeputy != "" || form.LeadDeputyName != ""
	switch {
	case existing && (form.LeadName != "" || form.LeadDelegation != "" || form.LeadPhone != ""):
		f.Add("proposal-lead", message(r, "sv.proposal.err.leadBoth"))
	case form.LeadDeputy != "" && form.LeadDeputyName != "":
		f.Add("proposal-lead", message(r, "picker.oneLead"))
	case len(leadNames) > 1:
		f.Add("proposal-lead", message(r, "picker.oneLead"))
	case len(leadNames) == 1:
		if id, ok := find("proposal-lead", leadNames[0]); ok {
			leadID = id
			refs = append(refs, storage.DeputyRef{ID: id})
		}
	case form.LeadDeputy != "":
		id, ok := known(form.LeadDeputy)
		if !ok {
			f.Add("proposal-lead", message(r, "sv.proposal.err.deputyUnknown"))
		}
		leadID = id
		refs = append(refs, storage.DeputyRef{ID: id})
	case form.LeadName == "" && (form.LeadDelegation != "" || form.LeadPhone != ""):
		f.Add("proposal-lead-name", message(r, "sv.proposal.err.nameRequired"))
	case form.LeadName == "":
		f.Add("proposal-lead", message(r, "sv.proposal.err.leadRequired"))
	default:
		if d, ok := svNewDeputyOf(f, "proposal-lead", form.LeadName, form.LeadDelegation, form.LeadPhone); ok {
			refs = append(refs, storage.DeputyRef{New: d})
		}
	}
	seen := map[int64]bool{}
	for _, v := range form.CoSigners {
		id, ok := known(v)
		switch {
		case !ok:
			f.Add("proposal-cosigners", message(r, "sv.proposal.err.deputyUnknown"))
		case id == leadID:
			f.Add("proposal-cosigners", message(r, "sv.proposal.err.cosignerIsLead"))
		case !seen[id]:
			seen[id] = true
			refs = append(refs, storage.DeputyRef{ID: id})
		}
	}
	for _, n := range coNames {
		id, ok := find("proposal-cosigner-names", n)
		switch {
		case !ok:
		case id == leadID:
			f.Add("proposal-cosigner-names", message(r, "sv.proposal.err.cosignerIsLead"))
		case seen[id]:
			f.Add("proposal-cosigner-names", message(r, "picker.twice", n))
		default:
			seen[id] = true
			refs = append(refs, storage.DeputyRef{ID: id})
		}
	}
	for _, c := range form.NewCo {
		id := fmt.Sprintf("proposal-co-%d", c.N)
		switch {
		case c.Name == "" && (c.Delegation != "" || c.Phone != ""):
			f.Add(id+"-name", message(r, "sv.proposal.err.nameRequired"))
		case c.Name != "":
			if d, ok := svNewDeputyOf(f, id, c.Name, c.Delegation, c.Phone); ok {
				refs = append(refs, storage.DeputyRef{New: d})
			}
		}
	}
	if !f.OK() {
		s.renderProposalNew(w, r, http.StatusUnprocessableEntity, form, f.Errors)
		return
	}
	if err := s.db.RegisterProposal(ctx, p, refs); err != nil {
		if workflow.Code(err) != workflow.ErrConflict {
			s.writeError(w, r, err)
			return
		}
		// Registered by someone else since the check above.
		f.Add("proposal-number", message(r, "sv.proposal.err.numberTaken", form.Number))
		s.renderProposalNew(w, r, http.StatusConflict, form, f.Errors)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/proposals/%d", p.ID), flashProposal)
}

// svNewDeputyOf checks a new deputy's details typed in the controls
// id-name, id-delegation and id-phone, recording what is wrong.
func svNewDeputyOf(f *form, id, name, delegation, phone string) (*workflow.Deputy, bool) {
	n := len(f.Errors)
	if runeCount(name) > svMaxName {
		f.Add(id+"-name", message(f.r, "form.err.tooLong", message(f.r, "sv.deputy.name"), svMaxName))
	}
	if runeCount(delegation) > svMaxDelegation {
		f.Add(id+"-delegation", message(f.r, "form.err.tooLong", message(f.r, "sv.deputy.delegation"), svMaxDelegation))
	}
	if runeCount(phone) > svMaxPhone || !svPhonePattern.MatchString(phone) {
		f.Add(id+"-phone", message(f.r, "sv.proposal.err.phone"))
	}
	return &workflow.Deputy{Name: name, Delegation: delegation, Phone: phone}, len(f.Errors) == n
}
