package workflow

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// DayKind says what a special day of the calendar is.
type DayKind string

const (
	// DayHoliday is a statutory holiday (法定节假日, 放假): nobody works,
	// even when it falls on a weekday.
	DayHoliday DayKind = "holiday"
	// DayWorkday is an official make-up working day (调休上班): a working day
	// even when it falls on a Saturday or Sunday.
	DayWorkday DayKind = "workday"
)

// AllDayKinds returns every DayKind.
func AllDayKinds() []DayKind {
	return []DayKind{DayHoliday, DayWorkday}
}

// ParseDayKind returns the DayKind named s.
func ParseDayKind(s string) (DayKind, error) {
	for _, k := range AllDayKinds() {
		if string(k) == s {
			return k, nil
		}
	}
	return "", Errorf(ErrInvalid, "unknown day kind %q; valid kinds: %s", s, joinStrings(AllDayKinds()))
}

// Sources of a CalendarDay.
const (
	// SourceBuiltin marks a day from the State Council schedules shipped with
	// the binary (github.com/6tail/lunar-go).
	SourceBuiltin = "builtin"
	// SourceOverride marks a day an admin set in the database.
	SourceOverride = "override"
)

// CalendarDay is one special day: a holiday or a make-up working day.
type CalendarDay struct {
	Date Date
	Kind DayKind
	// Name is the festival the day belongs to, e.g. 国庆节; a make-up working
	// day carries the name of the holiday it makes up for.
	Name string
	// Source is SourceBuiltin or SourceOverride.
	Source string
}

// Override is a day an admin set in the database; it wins over the built-in
// data. Two kinds are enough to correct any built-in day: a holiday is off
// whatever the weekday, a workday is on whatever the weekday.
type Override struct {
	Date Date
	Kind DayKind
	Name string
}

// maxOverrideName bounds an override's name, which is shown in lists.
const maxOverrideName = 100

// Validate checks that o has a real date and a known kind.
func (o Override) Validate() error {
	if err := checkValid(o.Date); err != nil {
		return Errorf(ErrInvalid, "calendar override: %s", err)
	}
	if _, err := ParseDayKind(string(o.Kind)); err != nil {
		return Errorf(ErrInvalid, "calendar override %s: unknown day kind %q; valid kinds: %s",
			o.Date, o.Kind, joinStrings(AllDayKinds()))
	}
	if n := len([]rune(o.Name)); n > maxOverrideName {
		return Errorf(ErrInvalid, "calendar override %s: name is %d characters long; at most %d allowed",
			o.Date, n, maxOverrideName)
	}
	return nil
}

// Calendar knows which days are working days. It is immutable once built and
// safe for concurrent use.
type Calendar struct {
	days    map[Date]CalendarDay
	covered map[int]bool
	latest  int
}

// builtinRecord is one day of the built-in data and the year of the schedule
// it was announced in (the year of the festival it belongs to).
type builtinRecord struct {
	day          CalendarDay
	scheduleYear int
}

// Years searched in the built-in data; lunar-go v1.4.7 holds 2001–2027.
const (
	builtinFirstYear = 1990
	builtinLastYear  = 2200
)

// builtinData reads the lunar-go holiday data once, through its exported
// lookups only: HolidayUtil.Fix would rewrite the package's global data, so
// the calendar never calls it and copies what it needs instead.
var builtinData = sync.OnceValue(func() []builtinRecord {
	var records []builtinRecord
	for year := builtinFirstYear; year <= builtinLastYear; year++ {
		for e := HolidayUtil.GetHolidaysByYear(year).Front(); e != nil; e = e.Next() {
			h := e.Value.(*HolidayUtil.Holiday)
			day, err := ParseDate(h.GetDay())
			if err != nil {
				panic(fmt.Sprintf("workflow: lunar-go holiday data: bad day %q", h.GetDay()))
			}
			target, err := ParseDate(h.GetTarget())
			if err != nil {
				panic(fmt.Sprintf("workflow: lunar-go holiday data: bad target %q", h.GetTarget()))
			}
			kind := DayHoliday
			if h.IsWork() {
				kind = DayWorkday
			}
			records = append(records, builtinRecord{
				day:          CalendarDay{Date: day, Kind: kind, Name: h.GetName(), Source: SourceBuiltin},
				scheduleYear: target.Year,
			})
		}
	}
	return records
})

// NewCalendar returns a calendar of the built-in State Council schedules with
// the admins' overrides on top; an override wins over a built-in day of the
// same date. Overrides are validated when they are stored (Override.Validate);
// one that fails validation here is left out.
//
// A year is covered when a built-in schedule was announced for it or an
// override falls in it. The built-in data is counted by schedule year, so the
// last days of December that belong to the next year's New Year holiday (as
// 2001-12-29 does) do not make their own year look covered.
func NewCalendar(overrides []Override) *Calendar {
	c := &Calendar{days: make(map[Date]CalendarDay), covered: make(map[int]bool)}
	for _, r := range builtinData() {
		c.days[r.day.Date] = r.day
		c.covered[r.scheduleYear] = true
	}
	for _, o := range overrides {
		if o.Validate() != nil {
			continue
		}
		c.days[o.Date] = CalendarDay{Date: o.Date, Kind: o.Kind, Name: o.Name, Source: SourceOverride}
		c.covered[o.Date.Year] = true
	}
	for y := range c.covered {
		c.latest = max(c.latest, y)
	}
	return c
}

// Covers reports whether the calendar has holiday data for year.
func (c *Calendar) Covers(year int) bool {
	return c.covered[year]
}

// LatestCoveredYear returns the last year the calendar has holiday data for,
// or 0 when it has none. Admins are warned when it is before next year.
func (c *Calendar) LatestCoveredYear() int {
	return c.latest
}

// IsWorkday reports whether d is a working day: Monday to Friday unless it is
// a statutory holiday, plus every make-up working day. It fails when the
// calendar has no data for d's year, since any answer could be wrong; Workday
// answers such a year provisionally instead.
func (c *Calendar) IsWorkday(d Date) (bool, error) {
	if err := c.check(d); err != nil {
		return false, err
	}
	ok, _, err := c.Workday(d)
	return ok, err
}

// Workday reports whether d is a working day, like IsWorkday, and also
// answers for a year the calendar has no data for: there Monday to Friday
// are working days and no day is a holiday, and provisional is true. Work
// never stops for lack of next year's schedule (DESIGN.md §2); what is
// counted that way is marked provisional (暂定) and recomputed when the
// year's data arrives. It fails only for a date that does not exist.
func (c *Calendar) Workday(d Date) (working, provisional bool, err error) {
	if err := checkValid(d); err != nil {
		return false, false, err
	}
	if !c.Covers(d.Year) {
		wd := d.Weekday()
		return wd != time.Saturday && wd != time.Sunday, true, nil
	}
	if day, ok := c.days[d]; ok {
		return day.Kind == DayWorkday, false, nil
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday, false, nil
}

// MissingYears returns the years from a's to b's (in either order) that the
// calendar has no holiday data for, ascending: an answer of NextWorkday,
// WorkingDaysUntil or Notices that read days of those years is provisional.
func (c *Calendar) MissingYears(a, b Date) []int {
	if b.Before(a) {
		a, b = b, a
	}
	var out []int
	for y := a.Year; y <= b.Year; y++ {
		if !c.Covers(y) {
			out = append(out, y)
		}
	}
	return out
}

// NextYearMissing reports whether admins should be warned that next year's
// holiday schedule is missing on day today: from 1 October, while the
// calendar does not cover the year after today's. The State Council
// publishes the schedule in the autumn (usually November); year is that
// next year.
func (c *Calendar) NextYearMissing(today Date) (year int, missing bool) {
	year = today.Year + 1
	return year, today.Month >= time.October && !c.Covers(year)
}

// Year returns the special days of year, sorted by date.
func (c *Calendar) Year(year int) ([]CalendarDay, error) {
	if !c.Covers(year) {
		return nil, uncoveredError(year)
	}
	var days []CalendarDay
	for d, day := range c.days {
		if d.Year == year {
			days = append(days, day)
		}
	}
	slices.SortFunc(days, func(a, b CalendarDay) int { return a.Date.Compare(b.Date) })
	return days, nil
}

// maxNonWorkingRun bounds the search for the next working day, so that a
// calendar overridden into a year without working days fails instead of
// looping.
const maxNonWorkingRun = 366

// NextWorkday returns d itself if it is a working day, else the first working
// day after it. In a year without data it counts provisionally (see
// Workday); MissingYears(d, result) says whether it did.
func (c *Calendar) NextWorkday(d Date) (Date, error) {
	for range maxNonWorkingRun {
		ok, _, err := c.Workday(d)
		if err != nil {
			return Date{}, err
		}
		if ok {
			return d, nil
		}
		d = d.AddDays(1)
	}
	return Date{}, Errorf(ErrInvalid, "the calendar has no working day in the %d days from %s", maxNonWorkingRun, d.AddDays(-maxNonWorkingRun))
}

// WorkingDaysUntil returns the number of working days after from up to and
// including to: the working days left until a due date. When to is before
// from it returns minus the number of working days after to up to and
// including from: how many working days a case is overdue. In a year without
// data it counts Monday to Friday (see Workday): the count is provisional
// when MissingYears(from, to) is not empty.
func (c *Calendar) WorkingDaysUntil(from, to Date) (int, error) {
	if err := checkValid(from); err != nil {
		return 0, err
	}
	if err := checkValid(to); err != nil {
		return 0, err
	}
	sign := 1
	if to.Before(from) {
		from, to, sign = to, from, -1
	}
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		ok, _, err := c.Workday(d)
		if err != nil {
			return 0, err
		}
		if ok {
			n++
		}
	}
	return sign * n, nil
}

// day returns the special day at d, if there is one.
func (c *Calendar) day(d Date) (CalendarDay, bool) {
	day, ok := c.days[d]
	return day, ok
}

// check fails when d is not a real date or its year is not covered.
func (c *Calendar) check(d Date) error {
	if err := checkValid(d); err != nil {
		return err
	}
	if !c.Covers(d.Year) {
		return uncoveredError(d.Year)
	}
	return nil
}

// checkValid fails when d is not a real date, e.g. a zero Date or a Date
// built as February 30.
func checkValid(d Date) error {
	if !d.valid() {
		return Errorf(ErrInvalid, "invalid date %04d-%02d-%02d", d.Year, int(d.Month), d.Day)
	}
	return nil
}

func uncoveredError(year int) error {
	return Errorf(ErrInvalid, "the calendar has no holiday data for %d; an admin must add that year's schedule", year)
}

// joinStrings lists the values of a string enum, comma separated.
func joinStrings[T ~string](values []T) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
