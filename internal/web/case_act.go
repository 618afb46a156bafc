package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// caseAct handles POST /cases/{id}/actions/{action}, an action form of the
// case page: one transition (storage.Transition) at the version the form
// was rendered with (field version), with the comment and the action's
// input. Done, it redirects (303) to the case page with a flash; refused —
// a guard, a stale version, a role — it answers with the case page as it
// is now, the refusal's message and status, and the form's input kept.
func (s *server) caseAct(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, access, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	action := workflow.Action(chi.URLParam(r, "action"))
	if !action.Valid() || action == workflow.ActionAssign {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "unknown action %q", action))
		return
	}
	if access != workflow.AccessAct {
		s.writeError(w, r, workflow.Errorf(workflow.ErrForbidden,
			"协办单位的案件只能查看 (case %d belongs to a co-handling unit: read only)", cs.ID))
		return
	}
	in := actionInputOf(r)
	cmd := storage.TransitionCmd{CaseID: cs.ID, Action: action, Actor: p.Actor, At: s.clock.Now(),
		Input: workflow.Input{Comment: in.Comment, Class: workflow.ReplyClass(in.Class), Disclosure: workflow.Disclosure(in.Disclosure),
			DisclosureReason: in.DisclosureReason, DocumentNumber: in.DocumentNumber,
			WorkRating: workflow.Rating(in.WorkRating), ResultRating: workflow.Rating(in.ResultRating)},
		ContactPerson: in.ContactPerson, ContactPhone: in.ContactPhone,
		ContactMethod: workflow.ContactMethod(in.ContactMethod), MetBy: in.MetBy, Remarks: in.Remarks}
	cmd.ExpectedVersion, err = strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		err = workflow.Errorf(workflow.ErrInvalid, "version: 表单缺少案件版本，请刷新页面后重试 (the form lacks the case version: reload the page)")
	}
	if err == nil && in.Due != "" {
		cmd.Input.Due, err = workflow.ParseDate(in.Due)
	}
	var c *workflow.Case
	if err == nil {
		c, err = s.db.Transition(r.Context(), cmd)
	}
	if err != nil {
		s.caseRefused(w, r, cs.ID, err, caseForm{Action: action, Input: in})
		return
	}
	s.logger.InfoContext(r.Context(), "case action", "case", c.ID, "action", action, "user", p.Actor.UserID, "state", c.State)
	s.redirect(w, r, fmt.Sprintf("/cases/%d", c.ID), flashActed, action, c.State)
}

// caseRefused answers a refused form of the case page: the page of the
// case as it is now (re-read: a conflict means it changed), with err's
// message as the flash, form's input kept, and err's status. An internal
// error is the error page.
func (s *server) caseRefused(w http.ResponseWriter, r *http.Request, id int64, err error, form caseForm) {
	code := workflow.Code(err)
	if code == workflow.ErrInternal {
		s.writeError(w, r, err)
		return
	}
	p := mustPrincipal(r)
	cs, access, lerr := s.db.CaseFor(r.Context(), p.Actor, id)
	if lerr != nil {
		s.writeError(w, r, lerr)
		return
	}
	if code == workflow.ErrForbidden {
		s.logger.WarnContext(r.Context(), "refused", "method", r.Method, "path", r.URL.Path, "reason", workflow.Message(err))
	}
	form.Flash = errorFlash(err)
	s.renderCase(w, r, p, cs, access, statusOf(code), form)
}

// maxField bounds one text field of a form, in characters; longer input is
// cut. The database bounds nothing, the forms do.
const maxField = 10000

// formValue returns a form field, trimmed and bounded.
func formValue(r *http.Request, name string) string {
	return bounded(strings.TrimSpace(r.PostFormValue(name)), maxField)
}

// bounded cuts s to at most n characters.
func bounded(s string, n int) string {
	if len(s) <= n {
		return s // n bytes are at most n characters
	}
	if rs := []rune(s); len(rs) > n {
		return string(rs[:n])
	}
	return s
}

// actionInputOf reads an action form's fields. Their names are the JSON
// API's: comment, class, disclosure, disclosure_reason, document_number,
// contact_person, contact_phone, due, work_rating, result_rating,
// contact_method, met_by, remarks.
func actionInputOf(r *http.Request) actionInput {
	return actionInput{
		Comment: formValue(r, "comment"), Class: formValue(r, "class"), Disclosure: formValue(r, "disclosure"),
		DisclosureReason: formValue(r, "disclosure_reason"), DocumentNumber: formValue(r, "document_number"),
		ContactPerson: formValue(r, "contact_person"), ContactPhone: formValue(r, "contact_phone"), Due: formValue(r, "due"),
		WorkRating: formValue(r, "work_rating"), ResultRating: formValue(r, "result_rating"),
		ContactMethod: formValue(r, "contact_method"), MetBy: formValue(r, "met_by"), Remarks: formValue(r, "remarks"),
	}
}
