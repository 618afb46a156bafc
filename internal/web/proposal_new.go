package web

import (
	"net/http"
	"strconv"

	"github.com/banli-gov/banli/workflow"
)

// svNewCoSigners is how many new co-signers (联名代表) the registration
// form takes at once, beside the existing deputies it lists.
const svNewCoSigners = 3

// svProposalForm is the registration form of a proposal (登记), as typed.
type svProposalForm struct {
	Session, Number, Kind, Title, Body, Submitted string
	// LeadDeputyName is an existing deputy as typed or picked (姓名 or
	// 姓名（代表团）), LeadDeputy one's id (a client's pick); LeadName,
	// LeadDelegation and LeadPhone a new deputy's details. One of them is
	// the lead deputy.
	LeadDeputyName, LeadDeputy          string
	LeadName, LeadDelegation, LeadPhone string
	// CosignerNames are existing deputies as typed or picked, separated by
	// 、 (the deputy picker); CoSigners existing deputies' ids; NewCo new
	// ones.
	CosignerNames string
	CoSigners     []string
	NewCo         []svNewDeputy
}

// svNewDeputy is a new deputy's row of the form; N numbers it from 1.
type svNewDeputy struct {
	N                       int
	Name, Delegation, Phone string
}

// svProposalNew is the data of the view "proposal_new".
type svProposalNew struct {
	Form     svProposalForm
	Errors   fieldErrors
	Sessions []*workflow.CongressSession
	Kinds    []workflow.ProposalKind
}

// proposalNew shows GET /proposals/new (liaison only): the form that
// registers a proposal, for the latest session, submitted today.
func (s *server) proposalNew(w http.ResponseWriter, r *http.Request) {
	f := svProposalForm{Kind: string(workflow.ProposalSuggestion), Submitted: s.clock.Today().String()}
	s.renderProposalNew(w, r, http.StatusOK, f, nil)
}

// renderProposalNew answers with the registration form f and its errors.
func (s *server) renderProposalNew(w http.ResponseWriter, r *http.Request, status int, f svProposalForm, errs fieldErrors) {
	ctx := r.Context()
	sessions, err := s.db.Sessions(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if f.Session == "" && len(sessions) > 0 {
		f.Session = strconv.FormatInt(sessions[0].ID, 10)
	}
	for len(f.NewCo) < svNewCoSigners {
		f.NewCo = append(f.NewCo, svNewDeputy{N: len(f.NewCo) + 1})
	}
	d := &svProposalNew{Form: f, Errors: errs, Sessions: sessions, Kinds: workflow.RegistrableProposalKinds()}
	s.render(w, r, status, "proposal_new", s.page(w, r, message(r, "sv.proposalNew.title"), d))
}
