package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode"

	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// refusalText is what a person reads when err refused their request, in
// the page's language (the one way banli words an error for people; the
// error page, a refused form's flash, an action's disabled reason and the
// API's problem detail all use it):
//
//   - a guard's or rule's refusal (workflow.RuleOf, and the error's
//     Reason) has its text in the catalogue, "refusal.<rule>[.<reason>]",
//     filled with the error's Args in the page's language (localArg);
//   - a thing not found, or an internal error, says so in general words
//     (never its id or its cause, which go to the logs);
//   - any other domain error shows its message: written in plain Chinese,
//     or in both languages ("中文 / English"); an English page shows a
//     Chinese-only message as the general words of its code.
func refusalText(lang string, err error) string {
	var e *workflow.Error
	if !errors.As(err, &e) || e.Code == workflow.ErrInternal {
		return ui.Message(lang, "refusal.code.internal")
	}
	if rule := workflow.RuleOf(err); rule != "" {
		key := "refusal." + rule
		if e.Reason != "" {
			key += "." + e.Reason
		}
		if ui.Message(lang, key) != key {
			args := make([]any, len(e.Args))
			for i, a := range e.Args {
				args[i] = localArg(lang, a)
			}
			return ui.Message(lang, key, args...)
		}
	}
	if e.Code == workflow.ErrNotFound {
		return ui.Message(lang, "refusal.code.not_found")
	}
	msg := e.Message
	if _, en, ok := strings.Cut(msg, " / "); ok && !hasHan(en) {
		return msg // written in both languages
	}
	if lang == ui.LangEN && hasHan(msg) {
		return ui.Message(lang, "refusal.code."+string(e.Code))
	}
	return msg
}

// errorText is refusalText in r's language.
func errorText(r *http.Request, err error) string { return refusalText(ui.LangOf(r), err) }

// localArg is a value a refusal names, as the page's language says it: a
// state, an action, a role or a disclosure by its name; the awaited
// co-opinions as a list of units with their due dates.
func localArg(lang string, v any) any {
	switch a := v.(type) {
	case workflow.State:
		return ui.Label(lang, a)
	case workflow.Action:
		return ui.Message(lang, "refusal.action."+string(a))
	case workflow.Disclosure:
		return ui.Message(lang, "refusal.disclosure."+string(a))
	case []workflow.Role:
		names := make([]string, len(a))
		for i, r := range a {
			names[i] = ui.Message(lang, "refusal.role."+string(r))
		}
		return strings.Join(names, ui.Message(lang, "refusal.or"))
	case []workflow.AwaitedCoOpinion:
		parts := make([]string, len(a))
		for i, c := range a {
			parts[i] = ui.Message(lang, "refusal.coUnit", c.Unit, c.Due.String())
			if c.Due.IsZero() {
				parts[i] = c.Unit
			}
		}
		return strings.Join(parts, ui.Message(lang, "refusal.and"))
	case workflow.Date:
		return a.String()
	}
	return fmt.Sprint(v)
}

// hasHan reports whether s has a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
