package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// caseAct handles POST /cases/{id}/actions/{action}, an action form of the
// case page: one transition (s.takeAction) at the version the form was
// rendered with (field version), with the comment and the action's input.
// Done, it redirects (303) to the case page with a flash; refused — input
// that does not parse, a guard, a stale version, a role — it answers with
// the case page as it is now, the refusal's message and status, and the
// form's input kept.
func (s *server) caseAct(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, action, err := s.actionTarget(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f := readForm(r)
	in := actionInputOf(f)
	act := caseAction{Input: workflow.Input{Comment: in.Comment, Class: workflow.ReplyClass(in.Class),
		Disclosure: workflow.Disclosure(in.Disclosure), DisclosureReason: in.DisclosureReason, DocumentNumber: in.DocumentNumber,
		WorkRating: workflow.Rating(in.WorkRating), ResultRating: workflow.Rating(in.ResultRating),
		Summary: in.Summary, Destination: in.Destination},
		ContactPerson: in.ContactPerson, ContactPhone: in.ContactPhone,
		ContactMethod: workflow.ContactMethod(in.ContactMethod), MetBy: in.MetBy, Remarks: in.Remarks}
	if act.Version, err = strconv.Atoi(f.Value("version")); err != nil {
		f.Add("", message(r, "case.err.version"))
	}
	due := field{Name: "due", ID: string(action) + "-due", Label: "act.wantedDue"}
	if action == workflow.ActionGrantExtension {
		due.Label = "act.grantedDue"
	}
	act.Input.Due, _ = f.Date(due, false)
	for _, v := range in.Withheld {
		p, ok := workflow.ParsePassage(v)
		if !ok {
			f.Add("", message(r, "disclose.err.passage"))
			continue
		}
		act.Input.Withheld = append(act.Input.Withheld, p)
	}
	var c *workflow.Case
	if err = f.Err(); err == nil {
		c, err = s.takeAction(r.Context(), p.Actor, cs.ID, action, act)
	}
	if err != nil {
		s.caseRefused(w, r, cs.ID, err, caseForm{Action: action, Input: in})
		return
	}
	s.redirect(w, r, fmt.Sprintf("/cases/%d", c.ID), flashActed, action, c.State)
}

// actionTarget returns the case of the path, as p may see it, and the
// action of the path: an action a user takes on a case (not assign),
// refused on a case the user may only read (a co-handling unit's case the
// lead unit sees).
func (s *server) actionTarget(r *http.Request, p *auth.Principal) (*storage.CaseSummary, workflow.Action, error) {
	cs, access, err := s.caseFromURL(r, p)
	if err != nil {
		return nil, "", err
	}
	action := workflow.Action(chi.URLParam(r, "action"))
	if !action.Valid() || action == workflow.ActionAssign {
		return nil, "", &workflow.Error{Code: workflow.ErrNotFound, Rule: "unknown_action",
			Message: "没有这项操作，请刷新页面后从页面上的按钮办理。", Detail: fmt.Sprintf("unknown action %q", action)}
	}
	if access != workflow.AccessAct {
		return nil, "", &workflow.Error{Code: workflow.ErrForbidden, Rule: "read_only",
			Message: "这是协办单位的办件，您只能查看，不能办理。", Detail: fmt.Sprintf("case %d belongs to a co-handling unit: read only", cs.ID)}
	}
	return cs, action, nil
}

// caseAction is the input of an action on a case, whatever it came in: the
// case version the user saw, and what the action's guards check.
type caseAction struct {
	Version                     int
	Input                       workflow.Input
	ContactPerson, ContactPhone string
	ContactMethod               workflow.ContactMethod
	MetBy, Remarks              string
}

// takeAction is one transition of case caseID by actor (storage.Transition:
// the transition table decides, the guards check in): the one service the
// case page's forms, the deputy's feedback form and the JSON API call. It
// returns the case as it is after, or a domain error.
func (s *server) takeAction(ctx context.Context, actor workflow.Actor, caseID int64, action workflow.Action, in caseAction) (*workflow.Case, error) {
	c, err := s.db.Transition(ctx, storage.TransitionCmd{CaseID: caseID, Action: action, Actor: actor,
		ExpectedVersion: in.Version, At: s.clock.Now(), Input: in.Input,
		ContactPerson: in.ContactPerson, ContactPhone: in.ContactPhone,
		ContactMethod: in.ContactMethod, MetBy: in.MetBy, Remarks: in.Remarks})
	s.metrics.ObserveTransition(action, err)
	if err != nil {
		return nil, err
	}
	s.logger.InfoContext(ctx, "case action", "case", c.ID, "action", action, "user", actor.UserID, "state", c.State)
	return c, nil
}

// caseRefused answers a refused form of the case page (s.refuse): the page
// of the case as it is now (re-read: a conflict means it changed), with
// err's message as the flash, form's input kept, and err's status.
func (s *server) caseRefused(w http.ResponseWriter, r *http.Request, id int64, err error, form caseForm) {
	s.refuse(w, r, err, func(status int) {
		p := mustPrincipal(r)
		cs, access, lerr := s.db.CaseFor(r.Context(), p.Actor, id)
		if lerr != nil {
			s.writeError(w, r, lerr)
			return
		}
		form.Flash = errorFlash(r, err)
		s.renderCase(w, r, p, cs, access, status, form)
	})
}

// actionInputOf reads an action form's fields, as typed. Their names are
// the JSON API's: comment, class, disclosure, disclosure_reason,
// document_number, contact_person, contact_phone, due, work_rating,
// result_rating, contact_method, met_by, remarks, summary, destination;
// withhold (the form's name for the API's withheld) is repeated, one per
// passage ticked.
func actionInputOf(f *form) actionInput {
	return actionInput{
		Comment: f.Value("comment"), Class: f.Value("class"), Disclosure: f.Value("disclosure"),
		DisclosureReason: f.Value("disclosure_reason"), DocumentNumber: f.Value("document_number"),
		ContactPerson: f.Value("contact_person"), ContactPhone: f.Value("contact_phone"), Due: f.Value("due"),
		WorkRating: f.Value("work_rating"), ResultRating: f.Value("result_rating"),
		ContactMethod: f.Value("contact_method"), MetBy: f.Value("met_by"), Remarks: f.Value("remarks"),
		Summary: f.Value("summary"), Withheld: f.Values("withhold"), Destination: f.Value("destination"),
	}
}
