package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/banli-gov/banli/workflow"
)

// svHolidayForm is the form that adds or replaces an override, as typed.
type svHolidayForm struct {
	Date, Kind, Name string
}

// svHolidayRow is a special day of the built-in schedule.
type svHolidayRow struct {
	Date workflow.Date
	Kind workflow.DayKind
	Name string
	// Overridden says an override of the database replaces it.
	Overridden bool
}

// svAdminHolidays is the data of the view "admin_holidays".
type svAdminHolidays struct {
	Year int
	Gap  svCalendarGap
	// Covered says the calendar, overrides included, has data for Year;
	// BuiltinCovered says the built-in schedules have.
	Covered, BuiltinCovered bool
	Builtin                 []svHolidayRow
	Overrides               []workflow.Override
	Kinds                   []workflow.DayKind
	Form                    svHolidayForm
	Errors                  fieldErrors
}

// Years the holidays page shows.
const (
	svFirstYear = 2001
	svLastYear  = 2200
)

// adminHolidays shows GET /admin/holidays?year=YYYY (admin only; this
// year by default): the year's days of the built-in State Council
// schedule, the overrides of the database (which win) with a form that
// removes each, and the form that adds or replaces one; and a warning when
// the calendar lacks next year.
func (s *server) adminHolidays(w http.ResponseWriter, r *http.Request) {
	year := s.clock.Today().Year
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < svFirstYear || y > svLastYear {
			s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "sv.err.year", v)))
			return
		}
		year = y
	}
	s.renderHolidays(w, r, http.StatusOK, year, svHolidayForm{Kind: string(workflow.DayHoliday)}, nil)
}

func (s *server) renderHolidays(w http.ResponseWriter, r *http.Request, status, year int, f svHolidayForm, errs fieldErrors) {
	ctx := r.Context()
	gap, err := s.calendarGap(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	overrides, err := s.db.HolidayOverrides(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d := &svAdminHolidays{Year: year, Gap: gap, Covered: cal.Covers(year), Kinds: workflow.AllDayKinds(), Form: f, Errors: errs}
	for _, o := range overrides {
		if o.Date.Year == year {
			d.Overrides = append(d.Overrides, o)
		}
	}
	if days, err := workflow.NewCalendar(nil).Year(year); err == nil {
		d.BuiltinCovered = true
		for _, day := range days {
			d.Builtin = append(d.Builtin, svHolidayRow{Date: day.Date, Kind: day.Kind, Name: day.Name,
				Overridden: slices.ContainsFunc(d.Overrides, func(o workflow.Override) bool { return o.Date == day.Date })})
		}
	}
	p := s.page(w, r, message(r, "adm.holidays.title"), d)
	s.render(w, r, status, "admin_holidays", p)
}
