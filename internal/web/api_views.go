package web

import (
	"context"
	"net/http"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// caseView is a case as the JSON API shows it.
type caseView struct {
	ID           int64          `json:"id"`
	ProposalID   int64          `json:"proposal_id"`
	Number       string         `json:"number"`
	Title        string         `json:"title"`
	Session      string         `json:"session"`
	DepartmentID int64          `json:"department_id"`
	Department   string         `json:"department"`
	Kind         string         `json:"kind"`
	State        string         `json:"state"`
	StateLabel   string         `json:"state_label"`
	Publication  string         `json:"publication_state,omitempty"`
	Round        int            `json:"round"`
	Version      int            `json:"version"`
	AssignedAt   time.Time      `json:"assigned_at"`
	ReplyDue     workflow.Date  `json:"reply_due"`
	ExtensionCap workflow.Date  `json:"extension_cap"`
	CoOpinionDue *workflow.Date `json:"co_opinion_due,omitempty"`
	ReturnDue    workflow.Date  `json:"return_due"`
	RehandleDue  *workflow.Date `json:"rehandle_due,omitempty"`
	// Provisional names the due dates above counted without a year's
	// holiday data (暂定): reply_due, co_opinion_due, return_due,
	// rehandle_due, extension_cap. They are recomputed when it arrives.
	Provisional      []string     `json:"provisional,omitempty"`
	CoOpinionsWaived bool         `json:"co_opinions_waived"`
	Access           string       `json:"access"`
	Actions          []actionView `json:"actions"`
}

// actionView is an action offered to the caller, as a button or API call
// (workflow.Offers): Enabled when it can succeed given good input; else
// Reason says why not, in words for people, and Rule names the guard that
// stands in the way. Actions with nothing to decide are not listed.
type actionView struct {
	Action  string   `json:"action"`
	Label   string   `json:"label"`
	To      string   `json:"to"`
	Guards  []string `json:"guards,omitempty"`
	Enabled bool     `json:"enabled"`
	Reason  string   `json:"reason,omitempty"`
	Rule    string   `json:"rule,omitempty"`
}

// caseView is cs as the JSON API shows it to actor, with the actions
// offered on it now (s.offers), their reasons in r's language.
func (s *server) caseView(r *http.Request, cs *storage.CaseSummary, actor workflow.Actor, access workflow.Access) (caseView, error) {
	v := newCaseView(cs, access)
	if access != workflow.AccessAct {
		return v, nil
	}
	offers, err := s.offers(r.Context(), cs, actor)
	if err != nil {
		return v, err
	}
	for _, o := range offers {
		av := actionView{Action: string(o.Action), Label: o.Action.LabelZH(), To: string(o.To), Guards: o.GuardNames(), Enabled: o.Enabled()}
		if !o.Enabled() {
			av.Reason, av.Rule = errorText(r, o.Refusal), o.Refusal.Guard
		}
		v.Actions = append(v.Actions, av)
	}
	return v, nil
}

// offers returns the actions workflow offers actor on cs now: those its
// roles on the case allow (workflow.ActionsFor), with the guards on the
// case's facts evaluated (storage.CaseFacts, workflow.Offers).
func (s *server) offers(ctx context.Context, cs *storage.CaseSummary, actor workflow.Actor) ([]workflow.Offer, error) {
	roles := actor.RolesOn(cs.DepartmentID)
	if len(workflow.ActionsFor(&cs.Case, cs.PublicationState, roles)) == 0 {
		return nil, nil
	}
	facts, pub, err := s.db.CaseFacts(ctx, &cs.Case)
	if err != nil {
		return nil, err
	}
	facts.ExtensionCap = cs.ExtensionCap.Date
	facts.SignerPrincipal = actor.PrincipalLeader
	return workflow.Offers(&cs.Case, pub, roles, facts), nil
}

func newCaseView(cs *storage.CaseSummary, access workflow.Access) caseView {
	v := caseView{ID: cs.ID, ProposalID: cs.ProposalID, Number: cs.ProposalNumber, Title: cs.ProposalTitle,
		Session: cs.SessionShort, DepartmentID: cs.DepartmentID, Department: cs.DepartmentName, Kind: string(cs.Kind),
		State: string(cs.State), StateLabel: cs.State.LabelZH(), Publication: string(cs.PublicationState),
		Round: cs.Round, Version: cs.Version, AssignedAt: cs.AssignedAt, ReplyDue: cs.ReplyDue, ExtensionCap: cs.ExtensionCap.Date,
		ReturnDue: cs.ReturnDue, CoOpinionsWaived: cs.CoOpinionsWaived, Access: string(access), Actions: []actionView{}}
	if !cs.CoOpinionDue.IsZero() {
		d := cs.CoOpinionDue
		v.CoOpinionDue = &d
	}
	if !cs.RehandleDue.IsZero() {
		d := cs.RehandleDue
		v.RehandleDue = &d
	}
	for _, p := range []struct {
		key  string
		flag bool
	}{{"reply_due", cs.Provisional.Reply}, {"co_opinion_due", cs.Provisional.CoOpinion}, {"return_due", cs.Provisional.Return},
		{"rehandle_due", cs.Provisional.Rehandle}, {"extension_cap", cs.ExtensionCap.Provisional}} {
		if p.flag {
			v.Provisional = append(v.Provisional, p.key)
		}
	}
	return v
}

// eventView is one audit event as the JSON API shows it.
type eventView struct {
	Seq       int            `json:"seq"`
	Action    string         `json:"action"`
	From      string         `json:"from"`
	To        string         `json:"to"`
	ActorID   int64          `json:"actor_id,omitempty"`
	ActorRole string         `json:"actor_role"`
	At        time.Time      `json:"at"`
	Payload   map[string]any `json:"payload"`
}
