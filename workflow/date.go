package workflow

import (
	"cmp"
	"fmt"
	"time"
)

// Date is a civil date (no time, no zone) in the business calendar
// (Asia/Shanghai). Deadlines are counted in whole days, so a case's due date
// is a Date, not a time.Time. The zero Date means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses a date written strictly as YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	bad := func() (Date, error) {
		return Date{}, Errorf(ErrInvalid, "invalid date %q: want YYYY-MM-DD", s)
	}
	if len(s) != len("2006-01-02") || s[4] != '-' || s[7] != '-' {
		return bad()
	}
	num := func(part string) (int, bool) {
		n := 0
		for _, c := range []byte(part) {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(s[0:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return bad()
	}
	date := Date{Year: y, Month: time.Month(m), Day: d}
	if !date.valid() {
		return bad()
	}
	return date, nil
}

// DateOf returns the date of t in the business calendar (Asia/Shanghai).
func DateOf(t time.Time) Date {
	y, m, d := t.In(Zone()).Date()
	return Date{Year: y, Month: m, Day: d}
}

// String returns the date as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Time returns midnight at the start of d in Asia/Shanghai.
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Zone())
}

// AddDays returns the date n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date {
	y, m, day := d.utc().AddDate(0, 0, n).Date()
	return Date{Year: y, Month: m, Day: day}
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return d.utc().Weekday()
}

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after o; it suits
// slices.SortFunc. Dates are comparable, so equality is ==.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmp.Compare(d.Year, o.Year)
	case d.Month != o.Month:
		return cmp.Compare(d.Month, o.Month)
	default:
		return cmp.Compare(d.Day, o.Day)
	}
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// MarshalText writes d as YYYY-MM-DD, and the zero Date as an empty string.
func (d Date) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText reads a date written as YYYY-MM-DD; an empty string is the
// zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	parsed, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// utc is d at noon UTC: a zone without daylight saving time for day
// arithmetic.
func (d Date) utc() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
}

// valid reports whether d names a real day of the years 1 to 9999.
func (d Date) valid() bool {
	return d.Year >= 1 && d.Year <= 9999 &&
		d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// addMonths returns the day with d's number n months later, or that month's
// last day when it has no such day (民法典 art. 202); clamped reports the
// second case.
func (d Date) addMonths(n int) (due Date, clamped bool) {
	months := d.Year*12 + int(d.Month-time.January) + n
	y, m := months/12, time.Month(months%12)+time.January
	day := d.Day
	if last := daysIn(y, m); day > last {
		day, clamped = last, true
	}
	return Date{Year: y, Month: m, Day: day}, clamped
}

// daysIn returns the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}
