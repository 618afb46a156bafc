package workflow

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// schedule is a year's special days as the State Council notice gives them:
// each entry is "YYYY-MM-DD kind name" or "YYYY-MM-DD..YYYY-MM-DD kind name".
func schedule(entries ...string) []string {
	var out []string
	for _, e := range entries {
		span, rest, _ := strings.Cut(e, " ")
		first, last, isRange := strings.Cut(span, "..")
		if !isRange {
			last = first
		}
		for d := testDate(first); !d.After(testDate(last)); d = d.AddDays(1) {
			out = append(out, d.String()+" "+rest)
		}
	}
	slices.Sort(out)
	return out
}

// TestBuiltinSchedules checks the built-in data against the State Council
// notices on holiday arrangements (国务院办公厅关于…部分节假日安排的通知).
func TestBuiltinSchedules(t *testing.T) {
	t.Parallel()

	tests := []struct {
		year int
		want []string
	}{
		{2024, schedule(
			"2024-01-01 holiday 元旦节",
			"2024-02-04 workday 春节",
			"2024-02-10..2024-02-17 holiday 春节",
			"2024-02-18 workday 春节",
			"2024-04-04..2024-04-06 holiday 清明节",
			"2024-04-07 workday 清明节",
			"2024-04-28 workday 劳动节",
			"2024-05-01..2024-05-05 holiday 劳动节",
			"2024-05-11 workday 劳动节",
			"2024-06-08..2024-06-10 holiday 端午节",
			"2024-09-14 workday 中秋节",
			"2024-09-15..2024-09-17 holiday 中秋节",
			"2024-09-29 workday 国庆节",
			"2024-10-01..2024-10-07 holiday 国庆节",
			"2024-10-12 workday 国庆节",
		)},
		{2025, schedule(
			"2025-01-01 holiday 元旦节",
			"2025-01-26 workday 春节",
			"2025-01-28..2025-02-04 holiday 春节",
			"2025-02-08 workday 春节",
			"2025-04-04..2025-04-06 holiday 清明节",
			"2025-04-27 workday 劳动节",
			"2025-05-01..2025-05-05 holiday 劳动节",
			"2025-05-31..2025-06-02 holiday 端午节",
			"2025-09-28 workday 国庆中秋",
			"2025-10-01..2025-10-08 holiday 国庆中秋",
			"2025-10-11 workday 国庆中秋",
		)},
		{2026, schedule(
			"2026-01-01..2026-01-03 holiday 元旦节",
			"2026-01-04 workday 元旦节",
			"2026-02-14 workday 春节",
			"2026-02-15..2026-02-23 holiday 春节",
			"2026-02-28 workday 春节",
			"2026-04-04..2026-04-06 holiday 清明节",
			"2026-05-01..2026-05-05 holiday 劳动节",
			"2026-05-09 workday 劳动节",
			"2026-06-19..2026-06-21 holiday 端午节",
			"2026-09-20 workday 国庆节",
			"2026-09-25..2026-09-27 holiday 中秋节",
			"2026-10-01..2026-10-07 holiday 国庆节",
			"2026-10-10 workday 国庆节",
		)},
	}
	c := NewCalendar(nil)
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.year), func(t *testing.T) {
			t.Parallel()
			days, err := c.Year(tc.year)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range days {
				if d.Source != SourceBuiltin {
					t.Errorf("%s: source %q, want %q", d.Date, d.Source, SourceBuiltin)
				}
				got = append(got, fmt.Sprintf("%s %s %s", d.Date, d.Kind, d.Name))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Year(%d):\n got %q\nwant %q", tc.year, got, tc.want)
			}
		})
	}
}

// TestBuiltinDataComplete checks the year-by-year read of the lunar-go data
// against a read of every record at once (every day in it begins with "2").
func TestBuiltinDataComplete(t *testing.T) {
	t.Parallel()

	all := HolidayUtil.GetHolidays("2")
	records := builtinData()
	if len(records) != all.Len() || len(records) < 800 {
		t.Fatalf("read %d records year by year, %d at once", len(records), all.Len())
	}
	seen := make(map[Date]bool)
	i := 0
	for e := all.Front(); e != nil; e = e.Next() {
		h := e.Value.(*HolidayUtil.Holiday)
		r := records[i]
		if r.day.Date.String() != h.GetDay() || r.day.Name != h.GetName() || (r.day.Kind == DayWorkday) != h.IsWork() {
			t.Errorf("record %d: %+v, want %s", i, r.day, h)
		}
		if seen[r.day.Date] {
			t.Errorf("%s appears twice in the built-in data", r.day.Date)
		}
		seen[r.day.Date] = true
		i++
	}
	c := NewCalendar(nil)
	for y := 2002; y <= 2027; y++ {
		if !c.Covers(y) {
			t.Errorf("the built-in data does not cover %d", y)
		}
	}
}

func TestCalendarCoverage(t *testing.T) {
	t.Parallel()

	c := NewCalendar(nil)
	tests := []struct {
		year int
		want bool
	}{
		{2000, false},
		// The data begins with 2001-12-29, part of the 2002 New Year holiday:
		// 2001's own schedule is not in it.
		{2001, false},
		{2002, true},
		{2024, true},
		{2025, true},
		{2026, true},
		{2027, true},
		{2028, false},
		{2031, false},
	}
	for _, tc := range tests {
		if got := c.Covers(tc.year); got != tc.want {
			t.Errorf("Covers(%d) = %t, want %t", tc.year, got, tc.want)
		}
	}
	if got := c.LatestCoveredYear(); got != 2027 {
		t.Errorf("LatestCoveredYear() = %d, want 2027", got)
	}
	if days, err := c.Year(2023); err != nil || len(days) == 0 {
		t.Errorf("Year(2023) = %d days, %v; want the 2023 schedule", len(days), err)
	}
}

func TestIsWorkday(t *testing.T) {
	t.Parallel()

	c := NewCalendar(nil)
	tests := []struct {
		date string
		want bool
	}{
		{"2024-07-01", true},  // Monday
		{"2024-06-29", false}, // Saturday
		{"2024-06-30", false}, // Sunday
		{"2024-10-01", false}, // 国庆节, Tuesday
		{"2024-10-07", false}, // 国庆节, Monday
		{"2024-10-08", true},  // first day back
		{"2024-09-29", true},  // make-up Sunday
		{"2024-10-12", true},  // make-up Saturday
		{"2024-10-13", false}, // plain Sunday after a make-up Saturday
		{"2024-09-16", false}, // 中秋节, Monday
		{"2024-02-29", true},  // leap day, Thursday
		{"2025-01-26", true},  // 春节 make-up Sunday
		{"2025-01-31", false}, // 春节, Friday
		{"2025-02-08", true},  // 春节 make-up Saturday
		{"2025-10-08", false}, // 国庆中秋, Wednesday
		{"2026-01-02", false}, // 元旦节, Friday
		{"2026-01-04", true},  // 元旦节 make-up Sunday
		{"2026-02-23", false}, // 春节, Monday
		{"2026-02-28", true},  // 春节 make-up Saturday
		{"2026-05-09", true},  // 劳动节 make-up Saturday
		{"2026-09-20", true},  // 国庆节 make-up Sunday
		{"2026-10-10", true},  // 国庆节 make-up Saturday
		{"2027-10-09", true},  // 国庆节 make-up Saturday
	}
	for _, tc := range tests {
		got, err := c.IsWorkday(testDate(tc.date))
		if err != nil {
			t.Errorf("IsWorkday(%s): %v", tc.date, err)
			continue
		}
		if got != tc.want {
			t.Errorf("IsWorkday(%s) = %t, want %t", tc.date, got, tc.want)
		}
	}
}

func TestCalendarErrors(t *testing.T) {
	t.Parallel()

	c := NewCalendar(nil)
	uncovered := "the calendar has no holiday data for 2031; an admin must add that year's schedule"
	check := func(t *testing.T, what string, err error, want string) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s: no error, want %q", what, want)
		}
		if Code(err) != ErrInvalid {
			t.Errorf("%s: code %q, want %q", what, Code(err), ErrInvalid)
		}
		if err.Error() != want {
			t.Errorf("%s: message %q, want %q", what, err.Error(), want)
		}
	}

	_, err := c.IsWorkday(testDate("2031-03-03"))
	check(t, "IsWorkday(2031-03-03)", err, uncovered)
	_, err = c.Year(2031)
	check(t, "Year(2031)", err, uncovered)
	_, err = c.IsWorkday(Date{})
	check(t, "IsWorkday(zero)", err, "invalid date 0000-00-00")
	_, err = c.IsWorkday(Date{Year: 2024, Month: 2, Day: 30})
	check(t, "IsWorkday(2024-02-30)", err, "invalid date 2024-02-30")
	_, err = c.WorkingDaysUntil(Date{}, testDate("2024-01-01"))
	check(t, "WorkingDaysUntil(zero, 2024-01-01)", err, "invalid date 0000-00-00")
}

func TestNextWorkday(t *testing.T) {
	t.Parallel()

	c := NewCalendar(nil)
	tests := []struct{ in, want string }{
		{"2024-07-01", "2024-07-01"}, // a working day stays
		{"2024-06-29", "2024-07-01"}, // weekend
		{"2024-10-01", "2024-10-08"}, // 国庆节
		{"2024-09-28", "2024-09-29"}, // Saturday before a make-up Sunday
		{"2024-10-12", "2024-10-12"}, // make-up Saturday stays
		{"2025-01-27", "2025-01-27"}, // 除夕 eve is a Monday at work
		{"2025-01-28", "2025-02-05"}, // 春节
		{"2026-02-15", "2026-02-24"}, // 春节
		{"2022-12-31", "2023-01-03"}, // 元旦节 2023 from the Saturday
		{"2027-12-31", "2027-12-31"}, // Friday, last covered year
	}
	for _, tc := range tests {
		got, err := c.NextWorkday(testDate(tc.in))
		if err != nil {
			t.Errorf("NextWorkday(%s): %v", tc.in, err)
			continue
		}
		if got.String() != tc.want {
			t.Errorf("NextWorkday(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}

	// With the last day of the last covered year off, the next working day
	// is in a year without data: provisionally the next Monday to Friday.
	overridden := NewCalendar([]Override{{Date: testDate("2027-12-31"), Kind: DayHoliday}})
	got, err := overridden.NextWorkday(testDate("2027-12-31"))
	if err != nil || got != testDate("2028-01-03") {
		t.Errorf("NextWorkday(2027-12-31) with the day off = %s, %v; want 2028-01-03 (Monday, provisional)", got, err)
	}
	if m := overridden.MissingYears(testDate("2027-12-31"), got); !slices.Equal(m, []int{2028}) {
		t.Errorf("MissingYears(2027-12-31, %s) = %v, want [2028]", got, m)
	}
}

// TestProvisionalCounts: in a year without holiday data, Monday to Friday
// are working days and no day is a holiday; Workday says so, and
// MissingYears names the years a span reads without data.
func TestProvisionalCounts(t *testing.T) {
	t.Parallel()

	c := NewCalendar(nil) // built-in data up to 2027
	workdays := []struct {
		date              string
		want, provisional bool
	}{
		{"2027-10-01", false, false}, // 国庆节 2027: exact
		{"2027-10-09", true, false},  // its make-up Saturday
		{"2028-01-01", false, true},  // a Saturday: provisional
		{"2028-01-03", true, true},   // a Monday: provisional, maybe a holiday once known
		{"2028-10-02", true, true},   // a Monday in what will be 国庆节
	}
	for _, tc := range workdays {
		got, prov, err := c.Workday(testDate(tc.date))
		if err != nil || got != tc.want || prov != tc.provisional {
			t.Errorf("Workday(%s) = %t, %t, %v; want %t, %t", tc.date, got, prov, err, tc.want, tc.provisional)
		}
	}
	if _, _, err := c.Workday(Date{Year: 2028, Month: 2, Day: 30}); Code(err) != ErrInvalid {
		t.Errorf("Workday(2028-02-30): err = %v, want invalid", err)
	}

	spans := []struct {
		from, to string
		want     int
		missing  []int
	}{
		// December 2027 after the 1st: 22 weekdays, no special days; then
		// 2028-01-03..05, Monday to Wednesday.
		{"2027-12-01", "2028-01-05", 25, []int{2028}},
		{"2028-01-05", "2027-12-01", -25, []int{2028}},
		{"2028-02-11", "2028-02-15", 2, []int{2028}}, // Friday to Tuesday
		{"2027-09-30", "2027-10-08", 1, nil},         // exact, across 国庆节 2027
	}
	for _, tc := range spans {
		got, err := c.WorkingDaysUntil(testDate(tc.from), testDate(tc.to))
		if err != nil || got != tc.want {
			t.Errorf("WorkingDaysUntil(%s, %s) = %d, %v; want %d", tc.from, tc.to, got, err, tc.want)
		}
		if m := c.MissingYears(testDate(tc.from), testDate(tc.to)); !slices.Equal(m, tc.missing) {
			t.Errorf("MissingYears(%s, %s) = %v, want %v", tc.from, tc.to, m, tc.missing)
		}
	}
	if m := c.MissingYears(testDate("2027-06-01"), testDate("2030-01-01")); !slices.Equal(m, []int{2028, 2029, 2030}) {
		t.Errorf("MissingYears(2027-06-01, 2030-01-01) = %v", m)
	}
}

// TestNextYearMissing: admins are warned from 1 October while the calendar
// lacks the next year's schedule.
func TestNextYearMissing(t *testing.T) {
	t.Parallel()

	builtin := NewCalendar(nil) // up to 2027
	with2028 := NewCalendar([]Override{{Date: testDate("2028-01-01"), Kind: DayHoliday, Name: "元旦节"}})
	tests := []struct {
		c     *Calendar
		today string
		year  int
		warn  bool
	}{
		{builtin, "2027-09-30", 2028, false}, // not yet October
		{builtin, "2027-10-01", 2028, true},
		{builtin, "2027-12-31", 2028, true},
		{with2028, "2027-10-01", 2028, false}, // an admin added 2028
		{builtin, "2026-10-01", 2027, false},  // 2027 is built in
		{builtin, "2028-01-15", 2029, false},  // January: too early for 2029
		{builtin, "2028-11-20", 2029, true},
	}
	for _, tc := range tests {
		year, warn := tc.c.NextYearMissing(testDate(tc.today))
		if year != tc.year || warn != tc.warn {
			t.Errorf("NextYearMissing(%s) = %d, %t; want %d, %t", tc.today, year, warn, tc.year, tc.warn)
		}
	}
}

func TestNextWorkdayGivesUp(t *testing.T) {
	t.Parallel()

	var all []Override
	for d := testDate("2030-01-01"); d.Year < 2032; d = d.AddDays(1) {
		all = append(all, Override{Date: d, Kind: DayHoliday, Name: "test"})
	}
	c := NewCalendar(all)
	_, err := c.NextWorkday(testDate("2030-01-01"))
	if Code(err) != ErrInvalid || !strings.Contains(err.Error(), "no working day") {
		t.Errorf("NextWorkday in a year of holidays: err = %v, want no working day", err)
	}
}

func TestWorkingDaysUntil(t *testing.T) {
	t.Parallel()

	c := NewCalendar(nil)
	tests := []struct {
		from, to string
		want     int
	}{
		{"2024-07-01", "2024-07-01", 0},
		{"2024-06-29", "2024-06-30", 0},  // a weekend
		{"2024-07-01", "2024-07-02", 1},  // the next day
		{"2024-07-02", "2024-07-01", -1}, // one day overdue
		{"2024-07-01", "2024-07-08", 5},
		{"2024-09-30", "2024-10-08", 1},  // across 国庆节
		{"2024-10-08", "2024-09-30", -1}, // overdue across 国庆节
		{"2024-09-27", "2024-10-12", 7},  // counting both make-up days
		{"2024-10-12", "2024-09-27", -7}, // the same span, overdue
		{"2024-10-01", "2024-10-07", 0},  // all holiday
		{"2025-01-24", "2025-02-10", 7},  // 春节 2025 with both make-up days
		{"2024-12-31", "2025-01-02", 1},  // 元旦节
		{"2025-12-31", "2026-01-05", 2},  // 元旦节 2026 with its make-up Sunday
		// All of 2024: 262 weekdays − 19 holidays on weekdays + 8 make-up
		// days (2024-01-01 itself is a holiday, and is not counted anyway).
		{"2024-01-01", "2024-12-31", 251},
	}
	for _, tc := range tests {
		got, err := c.WorkingDaysUntil(testDate(tc.from), testDate(tc.to))
		if err != nil {
			t.Errorf("WorkingDaysUntil(%s, %s): %v", tc.from, tc.to, err)
			continue
		}
		if got != tc.want {
			t.Errorf("WorkingDaysUntil(%s, %s) = %d, want %d", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestOverrides(t *testing.T) {
	t.Parallel()

	overrides := []Override{
		{Date: testDate("2024-03-05"), Kind: DayHoliday, Name: "停电"},      // a Tuesday off
		{Date: testDate("2024-03-10"), Kind: DayWorkday, Name: "补班"},      // a Sunday on
		{Date: testDate("2024-10-07"), Kind: DayWorkday, Name: "国庆节"},     // a built-in holiday on
		{Date: testDate("2031-01-01"), Kind: DayHoliday, Name: "元旦节"},     // a new year
		{Date: testDate("2031-01-04"), Kind: DayWorkday, Name: "元旦节"},     // its make-up Saturday
		{Date: testDate("2024-03-06"), Kind: DayKind("bogus"), Name: "x"}, // invalid: left out
		{Date: Date{2024, 2, 30}, Kind: DayHoliday},                       // invalid: left out
	}
	c := NewCalendar(overrides)
	plain := NewCalendar(nil)

	tests := []struct {
		date      string
		want      bool
		wantPlain bool
	}{
		{"2024-03-05", false, true},
		{"2024-03-06", true, true},
		{"2024-03-10", true, false},
		{"2024-10-07", true, false},
		{"2024-10-06", false, false},
		{"2031-01-01", false, false},
		{"2031-01-02", true, false},
		{"2031-01-04", true, false},
	}
	for _, tc := range tests {
		got, err := c.IsWorkday(testDate(tc.date))
		if err != nil || got != tc.want {
			t.Errorf("with overrides: IsWorkday(%s) = %t, %v; want %t", tc.date, got, err, tc.want)
		}
		if testDate(tc.date).Year == 2031 {
			continue
		}
		// Overrides stay in their calendar: the built-in data is shared.
		got, err = plain.IsWorkday(testDate(tc.date))
		if err != nil || got != tc.wantPlain {
			t.Errorf("without overrides: IsWorkday(%s) = %t, %v; want %t", tc.date, got, err, tc.wantPlain)
		}
	}

	if !c.Covers(2031) || plain.Covers(2031) {
		t.Errorf("Covers(2031) = %t with overrides, %t without; want true, false", c.Covers(2031), plain.Covers(2031))
	}
	if c.LatestCoveredYear() != 2031 {
		t.Errorf("LatestCoveredYear() = %d, want 2031", c.LatestCoveredYear())
	}

	days, err := c.Year(2031)
	if err != nil {
		t.Fatal(err)
	}
	want := []CalendarDay{
		{testDate("2031-01-01"), DayHoliday, "元旦节", SourceOverride},
		{testDate("2031-01-04"), DayWorkday, "元旦节", SourceOverride},
	}
	if !slices.Equal(days, want) {
		t.Errorf("Year(2031) = %+v, want %+v", days, want)
	}

	days, err = c.Year(2024)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(days, func(d CalendarDay) bool { return d.Date == testDate("2024-10-07") })
	if want := (CalendarDay{testDate("2024-10-07"), DayWorkday, "国庆节", SourceOverride}); i < 0 || days[i] != want {
		t.Errorf("Year(2024) does not list the override %+v", want)
	}
	if slices.ContainsFunc(days, func(d CalendarDay) bool { return d.Date == testDate("2024-03-06") }) {
		t.Error("Year(2024) lists the invalid override of 2024-03-06")
	}

	due, err := c.Due(DefaultRuleSet()[RuleCoOpinion], testDate("2024-02-05"))
	if err != nil || due.String() != "2024-03-06" {
		t.Errorf("co-opinion from 2024-02-05 with 2024-03-05 off = %s, %v; want 2024-03-06", due, err)
	}
	due, err = c.Due(DefaultRuleSet()[RuleReply], testDate("2024-07-07"))
	if err != nil || due.String() != "2024-10-07" {
		t.Errorf("reply from 2024-07-07 with 2024-10-07 on = %s, %v; want 2024-10-07", due, err)
	}
	due, err = c.Due(DefaultRuleSet()[RuleReply], testDate("2030-10-01"))
	if err != nil || due.String() != "2031-01-02" {
		t.Errorf("reply from 2030-10-01 with 2031 covered = %s, %v; want 2031-01-02", due, err)
	}
}

func TestOverrideValidate(t *testing.T) {
	t.Parallel()

	tests := []struct {
		o    Override
		want string // "" for valid
	}{
		{Override{testDate("2031-01-01"), DayHoliday, "元旦节"}, ""},
		{Override{testDate("2031-01-04"), DayWorkday, ""}, ""},
		{Override{Date{}, DayHoliday, "x"}, "calendar override: invalid date 0000-00-00"},
		{Override{Date{2031, 2, 29}, DayHoliday, "x"}, "calendar override: invalid date 2031-02-29"},
		{Override{testDate("2031-01-01"), "", "x"}, `calendar override 2031-01-01: unknown day kind ""; valid kinds: holiday, workday`},
		{Override{testDate("2031-01-01"), DayHoliday, strings.Repeat("节", 101)}, "calendar override 2031-01-01: name is 101 characters long; at most 100 allowed"},
	}
	for _, tc := range tests {
		err := tc.o.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v", tc.o, err)
		case tc.want != "" && (err == nil || err.Error() != tc.want || Code(err) != ErrInvalid):
			t.Errorf("%+v: err = %v, want %q", tc.o, err, tc.want)
		}
	}
}

func TestDayKinds(t *testing.T) {
	t.Parallel()

	for _, k := range AllDayKinds() {
		got, err := ParseDayKind(string(k))
		if err != nil || got != k {
			t.Errorf("ParseDayKind(%q) = %q, %v", k, got, err)
		}
	}
	if _, err := ParseDayKind("weekend"); Code(err) != ErrInvalid {
		t.Errorf("ParseDayKind(weekend): err = %v, want invalid", err)
	}
}
