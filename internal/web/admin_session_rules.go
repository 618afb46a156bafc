package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/banli-gov/banli/workflow"
)

// adminSessionRules answers POST /admin/sessions/{id}/rules (admin only):
// it replaces the session's deadline rules with those of the form — for
// each rule, its amount (amount_<rule>) and unit (unit_<rule>: months,
// working_days, days) — and comes back to the session's page (303). Due
// dates already set on cases stay as they were computed. A refused form
// comes back with each error beside its rule.
func (s *server) adminSessionRules(w http.ResponseWriter, r *http.Request) {
	cs, ok := s.svSessionOf(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, svMaxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s", svMsg(r, "sv.err.form")))
		return
	}
	var errs svErrors
	var rows []svRuleRow
	rules := workflow.RuleSet{}
	for _, name := range workflow.AllRuleNames() {
		row := svRuleRow{Name: name, Amount: svTrim(r, "amount_"+string(name)), Unit: svTrim(r, "unit_"+string(name))}
		rows = append(rows, row)
		field := fmt.Sprintf("rule-%s-amount", name)
		label := svMsg(r, "adm.rule."+string(name))
		amount, err := strconv.Atoi(row.Amount)
		if err != nil {
			errs.add(field, svMsg(r, "adm.session.err.amount", label))
			continue
		}
		unit, err := workflow.ParsePeriodUnit(row.Unit)
		if err != nil {
			errs.add(fmt.Sprintf("rule-%s-unit", name), svMsg(r, "adm.session.err.unit", label))
			continue
		}
		rule := workflow.Rule{Name: name, Amount: amount, Unit: unit}
		if err := rule.Validate(); err != nil {
			limit := 1000
			if unit == workflow.UnitMonths {
				limit = 24
			}
			errs.add(field, svMsg(r, "adm.session.err.range", label, limit))
			continue
		}
		rules[name] = rule
	}
	if len(errs) == 0 {
		if err := rules.Validate(); err != nil {
			errs.add("rule-reply-extended-amount", svMsg(r, "adm.session.err.extended", workflow.Message(err)))
		}
	}
	if len(errs) > 0 {
		s.renderSession(w, r, http.StatusUnprocessableEntity, cs, rows, svDays(cs.Reminders),
			fmt.Sprintf("%02d:%02d", cs.Reminders.Hour, cs.Reminders.Minute), errs)
		return
	}
	if err := s.db.UpdateSessionRules(r.Context(), cs.ID, rules); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/admin/sessions/%d", cs.ID), flashRulesSaved)
}
