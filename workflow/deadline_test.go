package workflow

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDue(t *testing.T) {
	t.Parallel()

	defaults := DefaultRuleSet()
	rehandle15 := Rule{Name: RuleRehandle, Amount: 15, Unit: UnitDays}
	reply24 := Rule{Name: RuleReply, Amount: 24, Unit: UnitMonths}

	tests := []struct {
		name string
		rule Rule
		from string
		want string
	}{
		// reply: 3 calendar months.
		{"the DESIGN.md example: due on 国庆节", defaults[RuleReply], "2024-07-01", "2024-10-08"},
		{"end of month clamped", defaults[RuleReply], "2024-11-30", "2025-02-28"},
		{"due in 春节 2025", defaults[RuleReply], "2024-10-31", "2025-02-05"},
		{"clamped onto a make-up Saturday", defaults[RuleReply], "2025-11-30", "2026-02-28"},
		{"due on a Sunday", defaults[RuleReply], "2024-03-30", "2024-07-01"},
		{"due on a make-up Sunday", defaults[RuleReply], "2024-06-29", "2024-09-29"},
		{"due in the 8-day 国庆中秋 2025", defaults[RuleReply], "2025-07-01", "2025-10-09"},
		{"due on a Sunday in 春节 2026", defaults[RuleReply], "2025-11-15", "2026-02-24"},
		{"due in 2027", defaults[RuleReply], "2026-11-03", "2027-02-03"},
		{"start day not counted", defaults[RuleReply], "2024-07-02", "2024-10-08"},

		// reply-extended: 6 calendar months.
		{"cap clamped, non-leap February", defaults[RuleReplyExtended], "2024-08-31", "2025-02-28"},
		{"cap clamped onto a make-up Saturday", defaults[RuleReplyExtended], "2025-08-31", "2026-02-28"},
		{"cap on a leap day", defaults[RuleReplyExtended], "2023-08-29", "2024-02-29"},
		{"cap on 国庆节", defaults[RuleReplyExtended], "2024-04-01", "2024-10-08"},
		{"cap in 春节 2026", defaults[RuleReplyExtended], "2025-08-15", "2026-02-24"},

		// co-opinion: 1 calendar month.
		{"leap year clamp", defaults[RuleCoOpinion], "2024-01-31", "2024-02-29"},
		{"non-leap clamp", defaults[RuleCoOpinion], "2025-01-31", "2025-02-28"},
		{"30-day month clamp", defaults[RuleCoOpinion], "2026-03-31", "2026-04-30"},
		{"make-up Saturday stays", defaults[RuleCoOpinion], "2024-09-12", "2024-10-12"},
		{"make-up Sunday stays", defaults[RuleCoOpinion], "2025-12-04", "2026-01-04"},
		{"make-up Saturday after 劳动节 stays", defaults[RuleCoOpinion], "2026-04-09", "2026-05-09"},
		{"中秋节 on a Monday", defaults[RuleCoOpinion], "2024-08-16", "2024-09-18"},
		{"劳动节 2026", defaults[RuleCoOpinion], "2026-04-01", "2026-05-06"},
		{"Sunday in 春节 2026", defaults[RuleCoOpinion], "2026-01-15", "2026-02-24"},
		{"make-up Sunday of 春节 2027", defaults[RuleCoOpinion], "2026-12-31", "2027-01-31"},

		// return-window: 5 working days.
		{"across 国庆节 with a make-up Sunday", defaults[RuleReturnWindow], "2024-09-27", "2024-10-10"},
		{"across the make-up Saturday after 国庆节", defaults[RuleReturnWindow], "2024-10-08", "2024-10-14"},
		{"from a Friday onto a make-up Saturday", defaults[RuleReturnWindow], "2024-10-11", "2024-10-17"},
		{"from a holiday", defaults[RuleReturnWindow], "2024-10-03", "2024-10-12"},
		{"across 春节 2025", defaults[RuleReturnWindow], "2025-01-24", "2025-02-07"},
		{"after 春节 2025 with a make-up Saturday", defaults[RuleReturnWindow], "2025-02-05", "2025-02-11"},
		{"across 春节 2026", defaults[RuleReturnWindow], "2026-02-12", "2026-02-26"},
		{"across New Year", defaults[RuleReturnWindow], "2024-12-30", "2025-01-07"},

		// publication: 20 working days.
		{"across 国庆节 2024 and both make-up days", defaults[RulePublication], "2024-09-20", "2024-10-23"},
		{"across 春节 2025 and both make-up days", defaults[RulePublication], "2025-01-10", "2025-02-13"},
		{"across 国庆中秋 2025", defaults[RulePublication], "2025-09-22", "2025-10-24"},
		{"across 春节 2026 and both make-up Saturdays", defaults[RulePublication], "2026-02-10", "2026-03-16"},

		// rehandle: 1 calendar month, or 15 calendar days in some places.
		{"rehandle onto a Saturday", defaults[RuleRehandle], "2025-12-31", "2026-02-02"},
		{"rehandle onto 国庆节", defaults[RuleRehandle], "2024-09-01", "2024-10-08"},
		{"15 days onto 国庆节", rehandle15, "2024-09-20", "2024-10-08"},
		{"15 days onto the Saturday before a make-up Sunday", rehandle15, "2025-01-10", "2025-01-26"},
		{"15 days onto a plain Tuesday", rehandle15, "2024-07-01", "2024-07-16"},
		{"15 days across a leap day", rehandle15, "2024-02-20", "2024-03-06"},
		{"15 days in a non-leap February", rehandle15, "2023-02-20", "2023-03-07"},

		// An unusual amount: 24 months from a leap day.
		{"24 months from a leap day", reply24, "2024-02-29", "2026-02-28"},
	}
	c := NewCalendar(nil)
	for _, tc := range tests {
		t.Run(string(tc.rule.Name)+" "+tc.from+" "+tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := c.Due(tc.rule, testDate(tc.from))
			if err != nil {
				t.Fatalf("Due(%s, %s): %v", tc.rule, tc.from, err)
			}
			if got.String() != tc.want {
				t.Errorf("Due(%s, %s) = %s, want %s", tc.rule, tc.from, got, tc.want)
			}
			if got.Provisional {
				t.Errorf("Due(%s, %s) is provisional in a covered year", tc.rule, tc.from)
			}
			ok, err := c.IsWorkday(got.Date)
			if err != nil || !ok {
				t.Errorf("due date %s is not a working day (%v)", got, err)
			}
		})
	}
}

func TestDueErrors(t *testing.T) {
	t.Parallel()

	defaults := DefaultRuleSet()
	tests := []struct {
		name string
		rule Rule
		from Date
		want string
	}{
		{"no start date", defaults[RuleReply], Date{}, "invalid date 0000-00-00"},
		{"impossible start date", defaults[RuleReply], Date{2025, 2, 29}, "invalid date 2025-02-29"},
		{"zero rule", Rule{}, testDate("2024-07-01"),
			`unknown rule ""; valid rules: reply, reply-extended, co-opinion, return-window, rehandle, publication, extension-decision, feedback, progress`},
		{"zero amount", Rule{Name: RuleReply, Unit: UnitMonths}, testDate("2024-07-01"),
			`rule "reply": amount 0 is out of range; want 1 to 24 calendar months`},
	}
	c := NewCalendar(nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, steps, err := c.DueExplained(tc.rule, tc.from)
			if err == nil {
				t.Fatalf("DueExplained = %s, %q; want error %q", got, steps, tc.want)
			}
			if Code(err) != ErrInvalid || err.Error() != tc.want {
				t.Errorf("err = %q (%s), want %q (invalid)", err, Code(err), tc.want)
			}
			if got != (DueDate{}) || steps != nil {
				t.Errorf("on error got %s, %q; want the zero Date and no steps", got, steps)
			}
		})
	}
}

// TestDueProvisional: a due date whose count reads a year without holiday
// data is counted Monday to Friday there and marked provisional; one that
// reads only covered years is exact. Expectations from DESIGN.md §2 with
// the built-in data ending in 2027.
func TestDueProvisional(t *testing.T) {
	t.Parallel()

	defaults := DefaultRuleSet()
	tests := []struct {
		name        string
		rule        Rule
		from        string
		want        string
		provisional bool
	}{
		// 2028-02-15 is a Tuesday.
		{"reply into 2028", defaults[RuleReply], "2027-11-15", "2028-02-15", true},
		// 2027-10-01 is 国庆节 2027, in the data: the next working day.
		{"reply in 2027", defaults[RuleReply], "2027-07-01", "2027-10-08", false},
		// 2028-01-01 is a Saturday: the next Monday, provisionally.
		{"cap into 2028, off a Saturday", defaults[RuleReplyExtended], "2027-07-01", "2028-01-03", true},
		{"cap into 2028", defaults[RuleReplyExtended], "2027-12-20", "2028-06-20", true},
		{"co-opinion in 2027", defaults[RuleCoOpinion], "2027-11-15", "2027-12-15", false},
		// 2027-12-28..31 and 2028-01-03.
		{"return window across New Year", defaults[RuleReturnWindow], "2027-12-27", "2028-01-03", true},
		{"return window ending in 2027", defaults[RuleReturnWindow], "2027-12-20", "2027-12-27", false},
		// 9 working days in December 2027, then 2028-01-03..14 (10), 01-17.
		{"publication across New Year", defaults[RulePublication], "2027-12-20", "2028-01-17", true},
		{"rehandle into 2028", defaults[RuleRehandle], "2027-12-31", "2028-01-31", true},
		{"publication in 2031", defaults[RulePublication], "2031-05-01", "2031-05-29", true},
	}
	c := NewCalendar(nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, steps, err := c.DueExplained(tc.rule, testDate(tc.from))
			if err != nil {
				t.Fatal(err)
			}
			if got.Date.String() != tc.want || got.Provisional != tc.provisional {
				t.Errorf("DueExplained(%s, %s) = %s, provisional %t; want %s, %t", tc.rule, tc.from, got.Date, got.Provisional, tc.want, tc.provisional)
			}
			last := steps[len(steps)-1]
			if says := strings.Contains(last, "provisional"); says != tc.provisional {
				t.Errorf("last step %q; provisional %t", last, tc.provisional)
			}
		})
	}

	// The step names the year and says what was counted.
	_, steps, err := c.DueExplained(defaults[RuleReply], testDate("2027-11-15"))
	want := []string{
		"3 calendar months from 2027-11-15: 2028-02-15",
		"2028 has no holiday data yet: Monday to Friday counted as working days, no holidays; 2028-02-15 is provisional",
	}
	if err != nil || !slices.Equal(steps, want) {
		t.Errorf("steps of reply from 2027-11-15:\n got %q\nwant %q", steps, want)
	}

	// Once 2028 is known (here: 2028-02-15 a holiday), the same count is
	// exact and moves to the next working day.
	known := NewCalendar([]Override{{Date: testDate("2028-02-15"), Kind: DayHoliday, Name: "春节"}})
	got, err := known.Due(defaults[RuleReply], testDate("2027-11-15"))
	if err != nil || got != (DueDate{Date: testDate("2028-02-16")}) {
		t.Errorf("reply from 2027-11-15 with 2028 known = %+v, %v; want 2028-02-16, exact", got, err)
	}
}

// TestExtensionCap: reply-extended from the day of assignment; in a
// re-handling round, that round's due date when it is later.
func TestExtensionCap(t *testing.T) {
	t.Parallel()

	c := NewCalendar(nil)
	rules := DefaultRuleSet()
	at := func(s string) time.Time { return testDate(s).Time().Add(10 * time.Hour) }
	tests := []struct {
		name string
		cs   Case
		want DueDate
	}{
		{"first round", Case{Round: 1, AssignedAt: at("2024-07-01")}, DueDate{Date: testDate("2025-01-02")}},
		{"into 2028", Case{Round: 1, AssignedAt: at("2027-07-01")}, DueDate{Date: testDate("2028-01-03"), Provisional: true}},
		{"re-handling past the cap", Case{Round: 2, AssignedAt: at("2024-07-01"), RehandleDue: testDate("2025-03-03")},
			DueDate{Date: testDate("2025-03-03")}},
		{"re-handling within the cap", Case{Round: 2, AssignedAt: at("2024-07-01"), RehandleDue: testDate("2024-11-04")},
			DueDate{Date: testDate("2025-01-02")}},
		{"provisional re-handling", Case{Round: 2, AssignedAt: at("2027-01-04"), RehandleDue: testDate("2028-01-31"),
			Provisional: ProvisionalDues{Rehandle: true}}, DueDate{Date: testDate("2028-01-31"), Provisional: true}},
	}
	for _, tc := range tests {
		got, err := c.ExtensionCap(rules, &tc.cs)
		if err != nil || got != tc.want {
			t.Errorf("%s: ExtensionCap = %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
}

func TestDueExplained(t *testing.T) {
	t.Parallel()

	defaults := DefaultRuleSet()
	admin := NewCalendar([]Override{
		{Date: testDate("2024-08-06"), Kind: DayHoliday},
		{Date: testDate("2024-08-10"), Kind: DayWorkday, Name: "防汛"},
	})
	tests := []struct {
		name string
		c    *Calendar
		rule Rule
		from string
		want []string
	}{
		{"moved off a holiday", NewCalendar(nil), defaults[RuleReply], "2024-07-01", []string{
			"3 calendar months from 2024-07-01: 2024-10-01",
			"2024-10-01 is 国庆节 (holiday): moved to next working day 2024-10-08",
		}},
		{"moved off a Sunday", NewCalendar(nil), defaults[RuleReply], "2024-03-30", []string{
			"3 calendar months from 2024-03-30: 2024-06-30",
			"2024-06-30 is a Sunday: moved to next working day 2024-07-01",
		}},
		{"clamped and staying on a make-up Saturday", NewCalendar(nil), defaults[RuleReply], "2025-11-30", []string{
			"3 calendar months from 2025-11-30: 2026-02-28 (2026-02 has no day 30: the month's last day)",
			"2026-02-28 is a Saturday but a make-up working day (春节 调休上班): it stays",
		}},
		{"a plain working day", NewCalendar(nil), defaults[RuleCoOpinion], "2024-07-01", []string{
			"1 calendar month from 2024-07-01: 2024-08-01",
		}},
		{"calendar days", NewCalendar(nil), Rule{Name: RuleRehandle, Amount: 15, Unit: UnitDays}, "2024-09-20", []string{
			"15 calendar days from 2024-09-20: 2024-10-05",
			"2024-10-05 is 国庆节 (holiday): moved to next working day 2024-10-08",
		}},
		{"working days", NewCalendar(nil), defaults[RuleReturnWindow], "2024-09-27", []string{
			"5 working days from 2024-09-27: 2024-10-10",
			"counted: 2024-09-29, a make-up working day (国庆节 调休上班)",
			"not counted: 2024-10-01 to 2024-10-07, 国庆节 (holiday)",
		}},
		{"working days with admin overrides", admin, defaults[RuleReturnWindow], "2024-08-05", []string{
			"5 working days from 2024-08-05: 2024-08-12",
			"not counted: 2024-08-06, a holiday (Tuesday, set by an admin)",
			"counted: 2024-08-10, a make-up working day (防汛 调休上班, set by an admin)",
		}},
		{"moved off an admin's holiday", admin, defaults[RuleCoOpinion], "2024-07-06", []string{
			"1 calendar month from 2024-07-06: 2024-08-06",
			"2024-08-06 is a holiday (Tuesday, set by an admin): moved to next working day 2024-08-07",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			due, steps, err := tc.c.DueExplained(tc.rule, testDate(tc.from))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(steps, tc.want) {
				t.Errorf("steps:\n got %q\nwant %q", steps, tc.want)
			}
			if plain, _ := tc.c.Due(tc.rule, testDate(tc.from)); plain != due {
				t.Errorf("Due = %s, DueExplained = %s", plain, due)
			}
		})
	}
}

func TestRuleNames(t *testing.T) {
	t.Parallel()

	want := []RuleName{"reply", "reply-extended", "co-opinion", "return-window", "rehandle", "publication", "extension-decision", "feedback", "progress"}
	if got := AllRuleNames(); !slices.Equal(got, want) {
		t.Errorf("AllRuleNames() = %q, want %q", got, want)
	}
	for _, n := range AllRuleNames() {
		got, err := ParseRuleName(string(n))
		if err != nil || got != n {
			t.Errorf("ParseRuleName(%q) = %q, %v", n, got, err)
		}
	}
	_, err := ParseRuleName("foo")
	if want := `unknown rule "foo"; valid rules: reply, reply-extended, co-opinion, return-window, rehandle, publication, extension-decision, feedback, progress`; err == nil || err.Error() != want || Code(err) != ErrInvalid {
		t.Errorf("ParseRuleName(foo): err = %v, want %q", err, want)
	}

	for _, u := range AllPeriodUnits() {
		got, err := ParsePeriodUnit(string(u))
		if err != nil || got != u {
			t.Errorf("ParsePeriodUnit(%q) = %q, %v", u, got, err)
		}
	}
	if _, err := ParsePeriodUnit("weeks"); Code(err) != ErrInvalid {
		t.Errorf("ParsePeriodUnit(weeks): err = %v, want invalid", err)
	}
}

func TestRule(t *testing.T) {
	t.Parallel()

	tests := []struct {
		rule    Rule
		str, zh string
		err     string // "" when valid
	}{
		{Rule{RuleReply, 3, UnitMonths}, "3 calendar months", "3个月", ""},
		{Rule{RuleCoOpinion, 1, UnitMonths}, "1 calendar month", "1个月", ""},
		{Rule{RuleReturnWindow, 5, UnitWorkingDays}, "5 working days", "5个工作日", ""},
		{Rule{RuleReturnWindow, 1, UnitWorkingDays}, "1 working day", "1个工作日", ""},
		{Rule{RuleRehandle, 15, UnitDays}, "15 calendar days", "15日", ""},
		{Rule{RulePublication, 1000, UnitWorkingDays}, "1000 working days", "1000个工作日", ""},
		{Rule{RuleReply, 24, UnitMonths}, "24 calendar months", "24个月", ""},
		{Rule{RuleReply, 25, UnitMonths}, "25 calendar months", "25个月",
			`rule "reply": amount 25 is out of range; want 1 to 24 calendar months`},
		{Rule{RulePublication, 1001, UnitWorkingDays}, "1001 working days", "1001个工作日",
			`rule "publication": amount 1001 is out of range; want 1 to 1000 working days`},
		{Rule{RuleRehandle, 0, UnitDays}, "0 calendar days", "0日",
			`rule "rehandle": amount 0 is out of range; want 1 to 1000 calendar days`},
		{Rule{RuleRehandle, -1, UnitDays}, "-1 calendar days", "-1日",
			`rule "rehandle": amount -1 is out of range; want 1 to 1000 calendar days`},
		{Rule{RuleReply, 3, "weeks"}, "3 weeks", "3 weeks",
			`rule "reply": unknown period unit "weeks"; valid units: months, working_days, days`},
		{Rule{"answer", 3, UnitMonths}, "3 calendar months", "3个月",
			`unknown rule "answer"; valid rules: reply, reply-extended, co-opinion, return-window, rehandle, publication, extension-decision, feedback, progress`},
	}
	for _, tc := range tests {
		if got := tc.rule.String(); got != tc.str {
			t.Errorf("%#v.String() = %q, want %q", tc.rule, got, tc.str)
		}
		if got := tc.rule.LabelZH(); got != tc.zh {
			t.Errorf("%#v.LabelZH() = %q, want %q", tc.rule, got, tc.zh)
		}
		err := tc.rule.Validate()
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%#v.Validate(): %v", tc.rule, err)
		case tc.err != "" && (err == nil || err.Error() != tc.err || Code(err) != ErrInvalid):
			t.Errorf("%#v.Validate() = %v, want %q", tc.rule, err, tc.err)
		}
	}
}

func TestRuleSet(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name   string
		change func(RuleSet)
		err    string // "" when valid
	}{
		{"defaults", func(RuleSet) {}, ""},
		{"rehandle in calendar days", func(rs RuleSet) { rs[RuleRehandle] = Rule{RuleRehandle, 15, UnitDays} }, ""},
		{"return window of 10 working days", func(rs RuleSet) { rs[RuleReturnWindow] = Rule{RuleReturnWindow, 10, UnitWorkingDays} }, ""},
		{"extension cap equal to the reply period", func(rs RuleSet) { rs[RuleReplyExtended] = Rule{RuleReplyExtended, 3, UnitMonths} }, ""},
		{"reply in working days, cap in months", func(rs RuleSet) { rs[RuleReply] = Rule{RuleReply, 60, UnitWorkingDays} }, ""},
		{"missing rule", func(rs RuleSet) { delete(rs, RulePublication) },
			`rule set: rule "publication" is missing`},
		{"rule filed under another name", func(rs RuleSet) { rs[RuleReply] = rs[RuleCoOpinion] },
			`rule set: the entry for "reply" holds rule "co-opinion"`},
		{"invalid rule", func(rs RuleSet) { rs[RuleCoOpinion] = Rule{RuleCoOpinion, 0, UnitMonths} },
			`rule "co-opinion": amount 0 is out of range; want 1 to 24 calendar months`},
		{"unknown rule", func(rs RuleSet) { rs["answer"] = Rule{"answer", 1, UnitMonths} },
			`rule set: unknown rule "answer"; valid rules: reply, reply-extended, co-opinion, return-window, rehandle, publication, extension-decision, feedback, progress`},
		{"extension cap shorter than the reply period", func(rs RuleSet) { rs[RuleReplyExtended] = Rule{RuleReplyExtended, 2, UnitMonths} },
			`rule set: rule "reply-extended" (2 calendar months) is shorter than rule "reply" (3 calendar months)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rs := DefaultRuleSet()
			tc.change(rs)
			err := rs.Validate()
			switch {
			case tc.err == "" && err != nil:
				t.Errorf("Validate(): %v", err)
			case tc.err != "" && (err == nil || err.Error() != tc.err || Code(err) != ErrInvalid):
				t.Errorf("Validate() = %v, want %q", err, tc.err)
			}
		})
	}

	rs := DefaultRuleSet()
	r, err := rs.Rule(RuleReply)
	if err != nil || r != (Rule{RuleReply, 3, UnitMonths}) {
		t.Errorf("Rule(reply) = %+v, %v", r, err)
	}
	if _, err := rs.Rule("answer"); Code(err) != ErrInvalid || !strings.Contains(err.Error(), `unknown rule "answer"`) {
		t.Errorf("Rule(answer): err = %v, want invalid", err)
	}
	delete(rs, RuleRehandle)
	if _, err := rs.Rule(RuleRehandle); Code(err) != ErrNotFound {
		t.Errorf("Rule(rehandle) from a set without it: err = %v, want not found", err)
	}
	// DefaultRuleSet returns a fresh map each time.
	if _, err := DefaultRuleSet().Rule(RuleRehandle); err != nil {
		t.Errorf("DefaultRuleSet was changed by a caller: %v", err)
	}
}
