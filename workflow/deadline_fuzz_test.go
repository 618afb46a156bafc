package workflow

import (
	"testing"
	"time"
)

// FuzzDue checks the deadline rules (DESIGN.md §2) on any start day and
// period, with holiday data or without (2028 on, provisional):
//   - the due day is a working day and is after the start day (the start
//     day is never counted);
//   - N working days end exactly N working days after the start;
//   - months and calendar days end on the counted day, or on the first
//     working day after it, with nothing but days off between them;
//   - the due date is provisional exactly when a day the count read is in
//     a year the calendar lacks.
//
// The seeds run in the normal suite; `go test -fuzz FuzzDue ./workflow`
// explores further.
func FuzzDue(f *testing.F) {
	for _, s := range []struct {
		unit           uint8
		amount         uint16
		year, month, d uint16
	}{
		{0, 3, 2024, 7, 1},     // reply: 2024-10-01 is 国庆节 → 2024-10-08
		{0, 6, 2024, 8, 31},    // months from the 31st: the month's last day
		{1, 20, 2024, 9, 13},   // working days across Mid-Autumn and National Day
		{1, 5, 2027, 12, 27},   // working days into 2028, provisional
		{0, 3, 2027, 11, 15},   // the bar: 2028-02-15, provisional
		{2, 15, 2026, 1, 1},    // calendar days
		{1, 1, 2024, 9, 28},    // the day before a Sunday make-up day
		{0, 24, 2001, 2, 28},   // the longest month period
		{2, 1000, 2025, 6, 30}, // the longest day period, into 2028
	} {
		f.Add(s.unit, s.amount, s.year, s.month, s.d)
	}
	cal := NewCalendar(nil)
	f.Fuzz(func(t *testing.T, unit uint8, amount uint16, year, month, day uint16) {
		units := AllPeriodUnits()
		r := Rule{Name: RuleReply, Unit: units[int(unit)%len(units)], Amount: int(amount)}
		if r.Validate() != nil {
			return
		}
		from := Date{Year: 2001 + int(year)%40, Month: time.Month(1 + int(month)%12), Day: 1 + int(day)%31}
		if !from.valid() {
			return
		}
		due, err := cal.Due(r, from)
		if err != nil {
			t.Fatalf("%s from %s: %v", r, from, err)
		}
		if !due.Date.After(from) {
			t.Fatalf("%s from %s: due %s is not after the start", r, from, due.Date)
		}
		working, _, err := cal.Workday(due.Date)
		if err != nil || !working {
			t.Fatalf("%s from %s: due %s is not a working day (%v)", r, from, due.Date, err)
		}
		// The days the count reads: every day after the start for working
		// days, the counted day on for months and calendar days.
		read := from.AddDays(1)
		if r.Unit != UnitWorkingDays {
			read = from.AddDays(r.Amount)
			if r.Unit == UnitMonths {
				read, _ = from.addMonths(r.Amount)
			}
		}
		if want := len(cal.MissingYears(read, due.Date)) > 0; due.Provisional != want {
			t.Fatalf("%s from %s: due %s provisional %v, want %v", r, from, due.Date, due.Provisional, want)
		}
		if r.Unit == UnitWorkingDays {
			n, err := cal.WorkingDaysUntil(from, due.Date)
			if err != nil || n != r.Amount {
				t.Fatalf("%s from %s: due %s is %d working days after the start (%v)", r, from, due.Date, n, err)
			}
			return
		}
		counted := read
		if due.Date.Before(counted) {
			t.Fatalf("%s from %s: due %s is before the counted day %s", r, from, due.Date, counted)
		}
		for d := counted; d.Before(due.Date); d = d.AddDays(1) {
			if working, _, _ := cal.Workday(d); working {
				t.Fatalf("%s from %s: due %s, but %s between the counted day %s and it is a working day", r, from, due.Date, d, counted)
			}
		}
	})
}
