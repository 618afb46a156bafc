package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// The liaison's pages (督办: supervision_*.go, proposal_*.go,
// assignment_*.go) and the administrator's (admin_*.go) share what is
// here: their views, the notice a POST-redirect-GET leaves for the next
// page, the errors of a form that name their field, and the day they count
// on.

// svToday is the server clock's day in the business calendar.
func (s *server) svToday() workflow.Date { return s.clock.Today() }

// svMsg is the catalogue's text of key in the request's language.
func svMsg(r *http.Request, key string, args ...any) string {
	return ui.Message(ui.LangOf(r), key, args...)
}

// svFieldError is what is wrong with one control of a form: Field is the
// control's id (the error summary links to it), Message says what is wrong
// and names the field.
type svFieldError struct {
	Field   string
	Message string
}

// svErrors are the errors of a submitted form, in the order of its
// controls. A view shows them in a summary at the top (role="alert") and
// each beside its control (aria-describedby).
type svErrors []svFieldError

// add records an error of the control with id field.
func (e *svErrors) add(field, message string) {
	*e = append(*e, svFieldError{Field: field, Message: message})
}

// Of returns the error of the control with id field, or "".
func (e svErrors) Of(field string) string {
	for _, f := range e {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

// svStatus is the status of a page shown again with errors: that of the
// domain error behind them, else 422.
func svStatus(err error) int {
	if err != nil {
		if st := statusOf(workflow.Code(err)); st != http.StatusInternalServerError {
			return st
		}
	}
	return http.StatusUnprocessableEntity
}

// svID reads a positive id of a path.
func svID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// svTrim returns the trimmed form value of name.
func svTrim(r *http.Request, name string) string {
	return strings.TrimSpace(r.PostFormValue(name))
}

// svRunes counts the characters of s.
func svRunes(s string) int { return len([]rune(s)) }
