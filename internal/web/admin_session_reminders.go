package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/banli-gov/banli/workflow"
)

// adminSessionReminders answers POST /admin/sessions/{id}/reminders (admin
// only): it sets when the session's reminders go out — days (working days
// before a due date, comma-separated, e.g. "15,7,3,1") and time (HH:MM,
// Asia/Shanghai) — and comes back to the session's page (303). Reminders
// already scheduled keep their times until their deadline changes.
func (s *server) adminSessionReminders(w http.ResponseWriter, r *http.Request) {
	cs, ok := s.svSessionOf(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, svMaxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s", svMsg(r, "sv.err.form")))
		return
	}
	days, tod := svTrim(r, "days"), svTrim(r, "time")
	var errs svErrors
	var p workflow.ReminderPolicy
	seen := map[int]bool{}
	for _, f := range strings.FieldsFunc(days, func(c rune) bool { return c == ',' || c == '，' || c == '、' || c == ' ' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > 60 || seen[n] {
			errs.add("reminder-days", svMsg(r, "adm.session.err.days"))
			break
		}
		seen[n] = true
		p.DaysBefore = append(p.DaysBefore, n)
	}
	if t, err := time.Parse("15:04", tod); err != nil {
		errs.add("reminder-time", svMsg(r, "adm.session.err.time"))
	} else {
		p.Hour, p.Minute = t.Hour(), t.Minute()
	}
	if len(errs) == 0 {
		if err := p.Validate(); err != nil {
			errs.add("reminder-days", svMsg(r, "adm.session.err.days"))
		}
	}
	if len(errs) > 0 {
		s.renderSession(w, r, http.StatusUnprocessableEntity, cs, svRuleRows(cs.Rules), days, tod, errs)
		return
	}
	if err := s.db.UpdateReminderPolicy(r.Context(), cs.ID, p); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/admin/sessions/%d", cs.ID), flashReminders)
}
