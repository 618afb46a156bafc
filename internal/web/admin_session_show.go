package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/workflow"
)

// svRuleRow is one deadline rule of the rules form, as shown or typed.
type svRuleRow struct {
	Name         workflow.RuleName
	Amount, Unit string
}

// svAdminSession is the data of the view "admin_session".
type svAdminSession struct {
	Session *workflow.CongressSession
	Rules   []svRuleRow
	Units   []workflow.PeriodUnit
	// Days and Time are the reminder policy, as shown or typed: working
	// days before a due date ("15,7,3,1") and the time of day ("09:00").
	Days, Time string
	// Letter is the letter settings form, as shown or typed.
	Letter svLetterForm
	Errors fieldErrors
}

// adminSession shows GET /admin/sessions/{id} (admin only): the session's
// deadline rules (each rule's amount and unit) and its reminder policy,
// each in a form that changes it.
func (s *server) adminSession(w http.ResponseWriter, r *http.Request) {
	cs, ok := s.svSessionOf(w, r)
	if !ok {
		return
	}
	s.renderSession(w, r, http.StatusOK, cs, svRuleRows(cs.Rules), svDays(cs.Reminders),
		fmt.Sprintf("%02d:%02d", cs.Reminders.Hour, cs.Reminders.Minute), nil)
}

// svSessionOf reads the session of the path; it answers 404 itself.
func (s *server) svSessionOf(w http.ResponseWriter, r *http.Request) (*workflow.CongressSession, bool) {
	raw := chi.URLParam(r, "id")
	id, ok := parseID(raw)
	var cs *workflow.CongressSession
	var err error
	if ok {
		cs, err = s.db.Session(r.Context(), id)
	}
	if !ok || workflow.Code(err) == workflow.ErrNotFound {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "sv.err.session", raw)))
		return nil, false
	}
	if err != nil {
		s.writeError(w, r, err)
		return nil, false
	}
	return cs, true
}

func (s *server) renderSession(w http.ResponseWriter, r *http.Request, status int, cs *workflow.CongressSession,
	rules []svRuleRow, days, tod string, errs fieldErrors) {
	s.renderSessionData(w, r, status, &svAdminSession{Session: cs, Rules: rules, Units: workflow.AllPeriodUnits(), Days: days, Time: tod,
		Letter: svLetterOf(cs.Letter), Errors: errs})
}

// renderSessionData answers with the session page of d.
func (s *server) renderSessionData(w http.ResponseWriter, r *http.Request, status int, d *svAdminSession) {
	cs := d.Session
	p := s.page(w, r, message(r, "adm.session.title"), d)
	p.Title = message(r, "adm.session.title", cs.ShortName)
	s.render(w, r, status, "admin_session", p)
}

// svRuleRows lists a rule set in the order of the process.
func svRuleRows(rs workflow.RuleSet) []svRuleRow {
	var out []svRuleRow
	for _, name := range workflow.AllRuleNames() {
		rule := rs[name]
		out = append(out, svRuleRow{Name: name, Amount: strconv.Itoa(rule.Amount), Unit: string(rule.Unit)})
	}
	return out
}

// svDays writes a policy's days before as the form shows them.
func svDays(p workflow.ReminderPolicy) string {
	var parts []string
	for _, d := range p.DaysBefore {
		parts = append(parts, strconv.Itoa(d))
	}
	return strings.Join(parts, ",")
}
