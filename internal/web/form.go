package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// How banli reads an HTML form, the one way every form handler does:
//
//	f := readForm(r)
//	title := f.Text(field{Name: "title", ID: "proposal-title", Label: "sv.proposal.title"}, 200, true)
//	day, typed := f.Date(field{Name: "submitted_on", …}, true)
//	kind := choice(f, field{Name: "kind", …}, workflow.AllProposalKinds())
//	if !f.OK() { re-render the form with what was typed and f.Errors }
//
// checkInput (input.go) has parsed and bounded the form and refused
// unreadable text before any handler runs. A field's value is trimmed and
// cut at maxField characters; each parse error is recorded under the
// control's id, in the page's language, naming the field by the label the
// page shows beside it — never by its name in the form. The handler keeps
// what was typed and shows the form again with the errors: beside each
// control and in a summary (views with a field list), or as the flash
// (f.Err, the case page's forms). Rules a value breaks once parsed are the
// domain's (workflow, storage) or the handler's, recorded with f.Add.

// maxField bounds one text field of a form, in characters; longer input is
// cut. The database bounds nothing, the forms do.
const maxField = 10000

// field is a control of a form: Name is the form field, ID the control's
// id (the error summary links to it; "" for a form without one), Label the
// catalogue key of the words the page shows beside it. Invalid, when set,
// is the catalogue key of the message for a value that does not parse,
// which takes the label as its first argument ("%s：请选择…"); else the
// message says what is wanted in general words.
type field struct {
	Name, ID, Label string
	Invalid         string
}

// form is a submitted HTML form being read, and the errors found.
type form struct {
	r      *http.Request
	Errors fieldErrors
}

// readForm reads the form r POSTed (checkInput parsed it).
func readForm(r *http.Request) *form { return &form{r: r} }

// message is the catalogue's text of key in the request's language.
func message(r *http.Request, key string, args ...any) string {
	return ui.Message(ui.LangOf(r), key, args...)
}

// messageN is the catalogue's plural message key for the count n, in the
// request's language (ui.MessageN).
func messageN(r *http.Request, key string, n int, args ...any) string {
	return ui.MessageN(ui.LangOf(r), key, n, args...)
}

// labelOf is a workflow value's label in the request's language (ui.Label).
func labelOf(r *http.Request, v any) string { return ui.Label(ui.LangOf(r), v) }

// label is fd's label in the request's language.
func (f *form) label(fd field) string { return message(f.r, fd.Label) }

// Value returns the field as typed: trimmed, cut at maxField characters.
func (f *form) Value(name string) string {
	return bounded(strings.TrimSpace(f.r.PostFormValue(name)), maxField)
}

// typed returns the field as typed, trimmed.
func (f *form) typed(name string) string { return strings.TrimSpace(f.r.PostFormValue(name)) }

// Values returns the distinct non-empty values of a repeated field (ticked
// boxes), trimmed, in the order sent.
func (f *form) Values(name string) []string {
	var out []string
	for _, v := range f.r.PostForm[name] {
		if v = bounded(strings.TrimSpace(v), maxField); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// Has reports whether the field was sent non-empty (a ticked box).
func (f *form) Has(name string) bool { return f.r.PostFormValue(name) != "" }

// Text returns the field as typed, trimmed, recording an error when it is
// required and empty, or longer than max characters (then kept whole, for
// the user to shorten).
func (f *form) Text(fd field, max int, required bool) string {
	v := f.typed(fd.Name)
	switch {
	case v == "" && required:
		f.Add(fd.ID, message(f.r, "form.err.required", f.label(fd)))
	case runeCount(v) > max:
		f.Add(fd.ID, message(f.r, "form.err.tooLong", f.label(fd), max))
	}
	return v
}

// Date returns the day of a date field (YYYY-MM-DD) and the text typed,
// recording an error for one that is not a day, or empty and required. An
// empty optional field is the zero Date.
func (f *form) Date(fd field, required bool) (workflow.Date, string) {
	v := f.Value(fd.Name)
	if v == "" && !required {
		return workflow.Date{}, v
	}
	d, err := workflow.ParseDate(v)
	if err != nil {
		f.invalid(fd, "form.err.date")
	}
	return d, v
}

// Int returns the whole number of a field and the text typed, recording an
// error for one that is not a number, or empty and required. An empty
// optional field is 0.
func (f *form) Int(fd field, required bool) (int, string) {
	v := f.Value(fd.Name)
	if v == "" && !required {
		return 0, v
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f.invalid(fd, "form.err.int")
	}
	return n, v
}

// ID returns the positive id of a field (a choice of a list, such as a
// session), recording an error for anything else.
func (f *form) ID(fd field) (int64, string) {
	v := f.Value(fd.Name)
	id, ok := parseID(v)
	if !ok {
		f.invalid(fd, "form.err.choice")
	}
	return id, v
}

// choice returns the value of a field that must be one of all (a closed
// set: workflow.AllDayKinds()…), recording an error for anything else.
func choice[T ~string](f *form, fd field, all []T) T {
	v := T(f.Value(fd.Name))
	if !slices.Contains(all, v) {
		f.invalid(fd, "form.err.choice")
	}
	return v
}

// invalid records that fd's value does not parse: fd.Invalid's message, or
// the general one of key.
func (f *form) invalid(fd field, key string) {
	if fd.Invalid != "" {
		key = fd.Invalid
	}
	f.Add(fd.ID, message(f.r, key, f.label(fd)))
}

// Add records an error of the control with that id: msg says what is wrong
// and names the field.
func (f *form) Add(id, msg string) {
	f.Errors = append(f.Errors, fieldError{Field: id, Message: msg})
}

// OK reports whether no error was recorded.
func (f *form) OK() bool { return len(f.Errors) == 0 }

// Err returns the errors as one domain error (invalid), for a page that
// shows a refused form's errors as its flash; nil when there are none.
func (f *form) Err() error {
	if f.OK() {
		return nil
	}
	msgs := make([]string, len(f.Errors))
	for i, e := range f.Errors {
		msgs[i] = e.Message
	}
	return workflow.Errorf(workflow.ErrInvalid, "%s", strings.Join(msgs, " "))
}

// fieldError is what is wrong with one control of a form: Field is the
// control's id (the error summary links to it), Message says what is wrong
// and names the field.
type fieldError struct {
	Field   string
	Message string
}

// fieldErrors are the errors of a submitted form, in the order of its
// controls. A view shows them in a summary at the top (role="alert") and
// each beside its control (aria-describedby).
type fieldErrors []fieldError

// Of returns the error of the control with id field, or "".
func (e fieldErrors) Of(field string) string {
	for _, f := range e {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

// parseID reads a positive id (of a path or a form).
func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// runeCount counts the characters of s.
func runeCount(s string) int { return len([]rune(s)) }

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
