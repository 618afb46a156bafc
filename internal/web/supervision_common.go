package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

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

// svPage returns the page of a request with the title of the catalogue's
// key, and the notice the last POST left, if any (which it clears).
func (s *server) svPage(w http.ResponseWriter, r *http.Request, key string, data any) *ui.Page {
	p := s.page(r, svMsg(r, key), data)
	p.Flash = s.takeNotice(w, r)
	return p
}

// noticeCookie carries the notice of a POST-redirect-GET to the page the
// browser lands on, which shows it once. It holds a code of noticeCodes,
// with a number for some ("assigned.3"), never text: the message is the
// catalogue's ("notice.<code>"), so nothing written into the cookie reaches
// the page as it is.
const (
	noticeCookie = "banli_notice"
	noticeMaxAge = time.Minute
)

// noticeCodes are the notices of these pages; a code with a count takes
// it as the message's argument.
var noticeCodes = map[string]bool{
	"proposalCreated": false, "assigned": true,
	"departmentAdded": false, "roleGranted": false, "roleRevoked": false, "departmentSet": false,
	"userDisabled": false, "userEnabled": false,
	"sessionAdded": false, "rulesSaved": false, "remindersSaved": false,
	"holidaySet": false, "holidaySetRecomputed": true, "holidayRemoved": false,
}

// setNotice leaves the notice code (with its count n, for a code that
// takes one) for the next page.
func (s *server) setNotice(w http.ResponseWriter, code string, n ...int) {
	if len(n) > 0 {
		code += "." + strconv.Itoa(n[0])
	}
	s.setCookie(w, noticeCookie, code, noticeMaxAge)
}

// takeNotice returns the notice the last POST left, in the request's
// language, and clears it. An unknown code shows nothing.
func (s *server) takeNotice(w http.ResponseWriter, r *http.Request) *ui.Flash {
	c, err := r.Cookie(noticeCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	s.clearCookie(w, noticeCookie)
	code, num, hasNum := strings.Cut(c.Value, ".")
	counted, ok := noticeCodes[code]
	if !ok || counted != hasNum {
		return nil
	}
	if !counted {
		return &ui.Flash{Kind: ui.FlashOK, Message: svMsg(r, "notice."+code)}
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return nil
	}
	return &ui.Flash{Kind: ui.FlashOK, Message: svMsg(r, "notice."+code, n)}
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

// svRedirect answers a successful POST: 303 See Other to target.
func svRedirect(w http.ResponseWriter, r *http.Request, target string) {
	http.Redirect(w, r, target, http.StatusSeeOther)
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
