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
	f := readForm(r)
	days, tod := f.Value("days"), f.Value("time")
	var p workflow.ReminderPolicy
	seen := map[int]bool{}
	for _, d := range strings.FieldsFunc(days, func(c rune) bool { return c == ',' || c == '，' || c == '、' || c == ' ' }) {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > 60 || seen[n] {
			f.Add("reminder-days", message(r, "adm.session.err.days"))
			break
		}
		seen[n] = true
		p.DaysBefore = append(p.DaysBefore, n)
	}
	if t, err := time.Parse("15:04", tod); err != nil {
		f.Add("reminder-time", message(r, "adm.session.err.time"))
	} else {
		p.Hour, p.Minute = t.Hour(), t.Minute()
	}
	if f.OK() {
		if err := p.Validate(); err != nil {
			f.Add("reminder-days", message(r, "adm.session.err.days"))
		}
	}
	if !f.OK() {
		s.renderSession(w, r, http.StatusUnprocessableEntity, cs, svRuleRows(cs.Rules), days, tod, f.Errors)
		return
	}
	if err := s.db.UpdateReminderPolicy(r.Context(), cs.ID, p); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/admin/sessions/%d", cs.ID), flashReminders)
}
