package web

import (
	"fmt"
	"net/http"

	"github.com/banli-gov/banli/workflow"
)

// svMaxHolidayName bounds an override's name (workflow's limit).
const svMaxHolidayName = 100

// adminHolidaySet answers POST /admin/holidays (admin only): it adds the
// override of a day (date, YYYY-MM-DD), or replaces the one it has — kind
// holiday (放假) or workday (调休上班), and the festival's name — and comes
// back to that year's page (303). Overrides win over the built-in data at
// once: deadlines computed from now on use them, and the provisional due
// dates already stored (counted without the year's data) are recomputed,
// one case at a time; a case that fails to recompute is logged, not shown
// as an error — the day is saved, and the next save or start tries again.
func (s *server) adminHolidaySet(w http.ResponseWriter, r *http.Request) {
	f := readForm(r)
	var form svHolidayForm
	year := s.clock.Today().Year
	day, typed := f.Date(field{Name: "date", ID: "holiday-date", Label: "adm.holidays.date"}, true)
	form.Date = typed
	switch {
	case f.Errors.Of("holiday-date") != "":
	case day.Year < svFirstYear || day.Year > svLastYear:
		f.Add("holiday-date", message(r, "adm.holidays.err.dateRange", svFirstYear, svLastYear))
	default:
		year = day.Year
	}
	kind := choice(f, field{Name: "kind", ID: "holiday-kind", Label: "adm.holidays.kind", Invalid: "adm.holidays.err.kind"},
		workflow.AllDayKinds())
	form.Kind = string(kind)
	form.Name = f.Text(field{Name: "name", ID: "holiday-name", Label: "adm.holidays.name"}, svMaxHolidayName, true)
	if !f.OK() {
		s.renderHolidays(w, r, http.StatusUnprocessableEntity, year, form, f.Errors)
		return
	}
	if err := s.db.SetHolidayOverride(r.Context(), workflow.Override{Date: day, Kind: kind, Name: form.Name}); err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.db.RecomputeProvisionalDueDates(r.Context(), s.clock.Now())
	if err == nil && res.Err != nil {
		err = res.Err
	}
	if err != nil {
		s.logger.ErrorContext(r.Context(), "error recomputing provisional due dates", "err", err, "failed", res.Failed)
	}
	target := fmt.Sprintf("/admin/holidays?year=%d", day.Year)
	if res.Changed > 0 {
		s.redirect(w, r, target, flashRecomputed, res.Changed)
		return
	}
	s.redirect(w, r, target, flashHolidaySet)
}
