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
	r.Body = http.MaxBytesReader(w, r.Body, svMaxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s", svMsg(r, "sv.err.form")))
		return
	}
	f := svHolidayForm{Date: svTrim(r, "date"), Kind: svTrim(r, "kind"), Name: svTrim(r, "name")}
	var errs svErrors
	year := s.svToday().Year
	day, err := workflow.ParseDate(f.Date)
	switch {
	case err != nil:
		errs.add("holiday-date", svMsg(r, "adm.holidays.err.date"))
	case day.Year < svFirstYear || day.Year > svLastYear:
		errs.add("holiday-date", svMsg(r, "adm.holidays.err.dateRange", svFirstYear, svLastYear))
	default:
		year = day.Year
	}
	kind, err := workflow.ParseDayKind(f.Kind)
	if err != nil {
		errs.add("holiday-kind", svMsg(r, "adm.holidays.err.kind"))
	}
	switch {
	case f.Name == "":
		errs.add("holiday-name", svMsg(r, "adm.holidays.err.nameRequired"))
	case svRunes(f.Name) > svMaxHolidayName:
		errs.add("holiday-name", svMsg(r, "adm.err.tooLong", svMsg(r, "adm.holidays.name"), svMaxHolidayName))
	}
	if len(errs) > 0 {
		s.renderHolidays(w, r, http.StatusUnprocessableEntity, year, f, errs)
		return
	}
	if err := s.db.SetHolidayOverride(r.Context(), workflow.Override{Date: day, Kind: kind, Name: f.Name}); err != nil {
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
