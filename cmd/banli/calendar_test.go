package main

import (
	"strings"
	"testing"
)

func TestCmdCalendar(t *testing.T) {
	t.Parallel()

	code, out, errOut := calendarCmdRun(t, cmdCalendar, "--year", "2026")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for _, want := range []string{
		"2026-01-01  holiday  元旦节",
		"2026-01-04  workday  元旦节 (调休上班)",
		"2026-02-14  workday  春节 (调休上班)",
		"2026-02-23  holiday  春节",
		"2026-10-10  workday  国庆节 (调休上班)",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("no line %q in output:\n%s", want, out)
		}
	}
	if len(lines) != 40 {
		t.Errorf("%d lines, want 39 days and a summary", len(lines))
	}
	for i := 1; i < len(lines)-1; i++ {
		if lines[i][:10] <= lines[i-1][:10] {
			t.Errorf("line %d %q is not after %q", i, lines[i], lines[i-1])
		}
	}
	if got, want := lines[len(lines)-1], "2026: 33 holidays, 6 make-up working days, 248 working days in the year"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}

	_, out, _ = calendarCmdRun(t, cmdCalendar, "-year=2024")
	if got, want := calendarCmdLastLine(out), "2024: 30 holidays, 8 make-up working days, 251 working days in the year"; got != want {
		t.Errorf("2024 summary %q, want %q", got, want)
	}
}

func TestCmdCalendarErrors(t *testing.T) {
	t.Parallel()

	tests := []struct {
		args []string
		want string // the first line of stderr
	}{
		{nil, "banli calendar: missing --year YYYY"},
		{[]string{"--year", "20x6"}, `banli calendar: invalid year "20x6": want YYYY`},
		{[]string{"--year", "26"}, `banli calendar: invalid year "26": want YYYY`},
		{[]string{"--year", "+026"}, `banli calendar: invalid year "+026": want YYYY`},
		{[]string{"--year", "0000"}, `banli calendar: invalid year "0000": want YYYY`},
		{[]string{"--year", "2031"},
			"banli calendar: 2031年节假日安排尚未录入 (no holiday data for 2031; the calendar has data through 2027)"},
		{[]string{"--year", "2028"},
			"banli calendar: 2028年节假日安排尚未录入 (no holiday data for 2028; the calendar has data through 2027)"},
		{[]string{"--year", "2026", "extra"}, `banli calendar: unexpected argument "extra"`},
		{[]string{"--month", "1"}, "flag provided but not defined: -month"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			code, out, errOut := calendarCmdRun(t, cmdCalendar, tc.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			if got, _, _ := strings.Cut(errOut, "\n"); got != tc.want {
				t.Errorf("stderr %q, want first line %q", errOut, tc.want)
			}
		})
	}
}
