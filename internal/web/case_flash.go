package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// The flash of a POST-redirect-GET: after a successful form the handler
// sets flashCookie to a short code and redirects (303); the page the
// browser lands on shows its message once and clears the cookie. The
// cookie carries a code, never text: the message is built from the
// catalogue, in the page's language, from values checked against the
// workflow's closed sets, so nothing written into the cookie reaches the
// page as it is. Failures are not redirected: the handler answers with the
// page itself, its error status, the message and the user's input.
const (
	flashCookie = "banli_flash"
	flashMaxAge = time.Minute
)

// Flash codes.
const (
	flashActed      = "acted"   // acted.<action>.<state>
	flashDraftSaved = "draft"   // draft.<version>
	flashCommAdded  = "comm"    // a contact with the deputy was recorded
	flashInboxRead  = "read"    // a notification was marked read
	flashInboxAll   = "readall" // readall.<n>: n notifications were marked read
)

// setFlash sets the flash code for the next page.
func (s *server) setFlash(w http.ResponseWriter, code string) {
	s.setCookie(w, flashCookie, code, flashMaxAge)
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
	lang := ui.LangOf(r)
	parts := strings.Split(c.Value, ".")
	switch {
	case parts[0] == flashActed && len(parts) == 3:
		a, st := workflow.Action(parts[1]), workflow.State(parts[2])
		if !a.Valid() || (st.LabelZH() == "" && st != workflow.StateNone) {
			return nil
		}
		return &ui.Flash{Kind: ui.FlashOK, Message: ui.Message(lang, "flash.acted", a.LabelZH(), st.LabelZH())}
	case parts[0] == flashDraftSaved && len(parts) == 2:
		n, err := strconv.Atoi(parts[1])
		if err != nil || n < 1 {
			return nil
		}
		return &ui.Flash{Kind: ui.FlashOK, Message: ui.Message(lang, "flash.draftSaved", n)}
	case c.Value == flashCommAdded:
		return &ui.Flash{Kind: ui.FlashOK, Message: ui.Message(lang, "flash.commAdded")}
	case c.Value == flashInboxRead:
		return &ui.Flash{Kind: ui.FlashOK, Message: ui.Message(lang, "flash.inboxRead")}
	case parts[0] == flashInboxAll && len(parts) == 2:
		n, err := strconv.Atoi(parts[1])
		if err != nil || n < 0 {
			return nil
		}
		return &ui.Flash{Kind: ui.FlashOK, Message: ui.Message(lang, "flash.inboxReadAll", n)}
	}
	return nil
}

// errorFlash is the flash of a refused form: the domain error's message
// (safe to show; an internal error is "Internal error" and was logged).
func errorFlash(err error) *ui.Flash {
	return &ui.Flash{Kind: ui.FlashError, Message: workflow.Message(err)}
}
