package web

import (
	"fmt"
	"net/http"

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
	f := readForm(r)
	var rows []svRuleRow
	rules := workflow.RuleSet{}
	for _, name := range workflow.AllRuleNames() {
		label := "adm.rule." + string(name)
		amountField := field{Name: "amount_" + string(name), ID: fmt.Sprintf("rule-%s-amount", name), Label: label,
			Invalid: "adm.session.err.amount"}
		unitField := field{Name: "unit_" + string(name), ID: fmt.Sprintf("rule-%s-unit", name), Label: label,
			Invalid: "adm.session.err.unit"}
		row := svRuleRow{Name: name, Unit: f.Value(unitField.Name)}
		amount, typed := f.Int(amountField, true)
		row.Amount = typed
		rows = append(rows, row)
		if f.Errors.Of(amountField.ID) != "" {
			continue
		}
		unit := choice(f, unitField, workflow.AllPeriodUnits())
		if f.Errors.Of(unitField.ID) != "" {
			continue
		}
		rule := workflow.Rule{Name: name, Amount: amount, Unit: unit}
		if err := rule.Validate(); err != nil {
			limit := 1000
			if unit == workflow.UnitMonths {
				limit = 24
			}
			f.Add(amountField.ID, message(r, "adm.session.err.range", message(r, label), limit))
			continue
		}
		rules[name] = rule
	}
	if f.OK() {
		if err := rules.Validate(); err != nil {
			f.Add("rule-reply-extended-amount", message(r, "adm.session.err.extended", workflow.Message(err)))
		}
	}
	if !f.OK() {
		s.renderSession(w, r, http.StatusUnprocessableEntity, cs, rows, svDays(cs.Reminders),
			fmt.Sprintf("%02d:%02d", cs.Reminders.Hour, cs.Reminders.Minute), f.Errors)
		return
	}
	if err := s.db.UpdateSessionRules(r.Context(), cs.ID, rules); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/admin/sessions/%d", cs.ID), flashRulesSaved)
}
