package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// The flash of a POST-redirect-GET, the one way a page tells what the last
// form did: after a successful POST the handler calls s.redirect with a
// flash code (flashes), which sets flashCookie and answers 303; the next
// page the browser GETs (s.page) shows the message once and clears the
// cookie — whichever area that page belongs to. The cookie carries a code
// and its arguments ("draftSaved.3"), never text: the message is the
// catalogue's, in the page's language, built from arguments checked
// against the workflow's closed sets, so nothing written into the cookie
// reaches the page as it is. A refused form is not redirected: the handler
// answers with the form itself (form.go, s.refuse).
const (
	flashCookie = "banli_flash"
	flashMaxAge = time.Minute
)

// Flash codes: the keys of flashes.
const (
	flashActed      = "acted"      // acted.<action>.<state>
	flashDraftSaved = "draftSaved" // draftSaved.<version>
	// flashWorkingCopyDiscarded: the editor's unsaved text was discarded.
	flashWorkingCopyDiscarded = "workingCopyDiscarded"
	// flashLinkRevoked: the deputy's feedback link was revoked.
	flashLinkRevoked   = "feedbackLinkRevoked"
	flashCommAdded     = "commAdded"    // a contact with the deputy was recorded
	flashInboxRead     = "inboxRead"    // a notification was marked read
	flashInboxReadAll  = "inboxReadAll" // inboxReadAll.<n>
	flashProposal      = "proposalCreated"
	flashAssigned      = "assigned" // assigned.<n units>
	flashDeptAdded     = "departmentAdded"
	flashRoleGranted   = "roleGranted"
	flashRoleRevoked   = "roleRevoked"
	flashDeptSet       = "departmentSet"
	flashUserDisabled  = "userDisabled"
	flashUserEnabled   = "userEnabled"
	flashSessionAdded  = "sessionAdded"
	flashRulesSaved    = "rulesSaved"
	flashReminders     = "remindersSaved"
	flashLetterSaved   = "letterSaved"
	flashHolidaySet    = "holidaySet"
	flashRecomputed    = "holidaySetRecomputed" // holidaySetRecomputed.<n cases>
	flashHolidayGone   = "holidayRemoved"
	flashSettingsSaved = "settingsSaved"
	flashSupervisor    = "supervisorLabelSet"
	// flashImported: imported.<created>.<assigned>.<updated>.<skipped>.
	flashImported = "imported"
	// 重点建议 and 并案 (proposal_key.go, proposal_merge.go, progress_add.go,
	// admin_user_principal.go).
	flashKeyMarked      = "keyMarked"
	flashKeyUnmarked    = "keyUnmarked"
	flashProgressAdded  = "progressAdded"
	flashMerged         = "merged"
	flashUnmerged       = "unmerged"
	flashPrincipalSet   = "principalSet"
	flashPrincipalUnset = "principalUnset"
	// flashAttached: a file was attached; flashAttachmentDeleted: one was
	// deleted.
	flashAttached          = "attached"
	flashAttachmentDeleted = "attachmentDeleted"
	// flashDeputyLinkMade / flashDeputyLinkRevoked: the link to a deputy's
	// own page was made / revoked.
	flashDeputyLinkMade    = "deputyLinkMade"
	flashDeputyLinkRevoked = "deputyLinkRevoked"
)

// flashArg reads one argument of a flash code: the value the message
// shows, or false for a value the code cannot carry.
type flashArg func(string) (any, bool)

// flashMessage is a flash code's message: its catalogue key and the
// arguments the code carries, in order. A plural message (ui.IsPlural)
// takes its form from its first argument, a count.
type flashMessage struct {
	key  string
	args []flashArg
}

// flashes are the flash codes and their messages.
var flashes = map[string]flashMessage{
	flashActed:                {"flash.acted", []flashArg{actionArg, stateArg}},
	flashDraftSaved:           {"flash.draftSaved", []flashArg{versionArg}},
	flashWorkingCopyDiscarded: {"flash.workingCopyDiscarded", nil},
	flashLinkRevoked:          {"flash.feedbackLinkRevoked", nil},
	flashCommAdded:            {"flash.commAdded", nil},
	flashKeyMarked:            {"flash.keyMarked", nil},
	flashKeyUnmarked:          {"flash.keyUnmarked", nil},
	flashProgressAdded:        {"flash.progressAdded", nil},
	flashMerged:               {"flash.merged", nil},
	flashUnmerged:             {"flash.unmerged", nil},
	flashPrincipalSet:         {"flash.principalSet", nil},
	flashPrincipalUnset:       {"flash.principalUnset", nil},
	flashInboxRead:            {"flash.inboxRead", nil},
	flashInboxReadAll:         {"flash.inboxReadAll", []flashArg{countArg}},
	flashProposal:             {"notice.proposalCreated", nil},
	flashAssigned:             {"notice.assigned", []flashArg{countArg}},
	flashDeptAdded:            {"notice.departmentAdded", nil},
	flashRoleGranted:          {"notice.roleGranted", nil},
	flashRoleRevoked:          {"notice.roleRevoked", nil},
	flashDeptSet:              {"notice.departmentSet", nil},
	flashUserDisabled:         {"notice.userDisabled", nil},
	flashUserEnabled:          {"notice.userEnabled", nil},
	flashSessionAdded:         {"notice.sessionAdded", nil},
	flashRulesSaved:           {"notice.rulesSaved", nil},
	flashReminders:            {"notice.remindersSaved", nil},
	flashLetterSaved:          {"notice.letterSaved", nil},
	flashHolidaySet:           {"notice.holidaySet", nil},
	flashRecomputed:           {"notice.holidaySetRecomputed", []flashArg{countArg}},
	flashHolidayGone:          {"notice.holidayRemoved", nil},
	flashSettingsSaved:        {"settings.notify.saved", nil},
	flashSupervisor:           {"notice.supervisorLabelSet", nil},
	flashImported:             {"notice.imported", []flashArg{countArg, countArg, countArg, countArg}},
	flashAttached:             {"flash.attached", nil},
	flashAttachmentDeleted:    {"flash.attachmentDeleted", nil},
	flashDeputyLinkMade:       {"flash.deputyLinkMade", nil},
	flashDeputyLinkRevoked:    {"flash.deputyLinkRevoked", nil},
}

// countArg is a count, 0 or more; versionArg a draft version, 1 or more.
func countArg(v string) (any, bool) {
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 0
}

func versionArg(v string) (any, bool) {
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 1
}

// actionArg is an action, stateArg a state (or none): each shown by its
// label in the page's language.
func actionArg(v string) (any, bool) {
	a := workflow.Action(v)
	return a, a.Valid()
}

func stateArg(v string) (any, bool) {
	st := workflow.State(v)
	return st, st.LabelZH() != "" || st == workflow.StateNone
}

// redirect answers a successful POST: the flash code with its arguments
// for the next page, and 303 See Other to target.
func (s *server) redirect(w http.ResponseWriter, r *http.Request, target, code string, args ...any) {
	v := code
	for _, a := range args {
		v += "." + fmt.Sprint(a)
	}
	s.setCookie(w, flashCookie, v, flashMaxAge)
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// takeFlash returns the message of the flash cookie, if any, in the
// request's language, and clears the cookie. An unknown or malformed code
// shows nothing.
func (s *server) takeFlash(w http.ResponseWriter, r *http.Request) *ui.Flash {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	s.clearCookie(w, flashCookie)
	parts := strings.Split(c.Value, ".")
	m, ok := flashes[parts[0]]
	if !ok || len(parts)-1 != len(m.args) {
		return nil
	}
	lang := ui.LangOf(r)
	var args []any
	for i, read := range m.args {
		v, ok := read(parts[i+1])
		if !ok {
			return nil
		}
		switch v := v.(type) {
		case workflow.Action, workflow.State:
			args = append(args, ui.Label(lang, v))
		default:
			args = append(args, v)
		}
	}
	if n, ok := firstInt(args); ok && ui.IsPlural(m.key) {
		return &ui.Flash{Kind: ui.FlashOK, Message: ui.MessageN(lang, m.key, n, args[1:]...)}
	}
	return &ui.Flash{Kind: ui.FlashOK, Message: ui.Message(lang, m.key, args...)}
}

// firstInt returns the first of args when it is an int.
func firstInt(args []any) (int, bool) {
	if len(args) == 0 {
		return 0, false
	}
	n, ok := args[0].(int)
	return n, ok
}

// errorFlash is the flash of a refused form: what refused it, in words
// for people in r's language (errorText; an internal error was logged).
func errorFlash(r *http.Request, err error) *ui.Flash {
	return &ui.Flash{Kind: ui.FlashError, Message: errorText(r, err)}
}
