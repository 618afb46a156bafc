package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/banli-gov/banli/workflow"
)

// calendarCmdRun runs a subcommand with captured output.
func calendarCmdRun(t *testing.T, cmd func(context.Context, []string, stdio) int, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := func(string) string { return "" }
	code = cmd(t.Context(), args, stdio{Stdout: &out, Stderr: &errOut, Getenv: env})
	return code, out.String(), errOut.String()
}

func calendarCmdLastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestCmdDeadline(t *testing.T) {
	t.Parallel()

	tests := []struct {
		args     []string
		wantLast string
	}{
		{[]string{"--rule", "reply", "--from", "2024-07-01"}, "2024-10-08"},
		{[]string{"-rule=reply-extended", "-from=2025-08-31"}, "2026-02-28"},
		{[]string{"--rule", "co-opinion", "--from", "2024-01-31"}, "2024-02-29"},
		{[]string{"--rule", "return-window", "--from", "2024-09-27"}, "2024-10-10"},
		{[]string{"--from", "2025-12-31", "--rule", "rehandle"}, "2026-02-02"},
		{[]string{"--rule", "publication", "--from", "2026-02-10"}, "2026-03-16"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			code, out, errOut := calendarCmdRun(t, cmdDeadline, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if errOut != "" {
				t.Errorf("stderr %q, want nothing", errOut)
			}
			if got := calendarCmdLastLine(out); got != tc.wantLast {
				t.Errorf("last line %q, want %q; output:\n%s", got, tc.wantLast, out)
			}
			if n := strings.Count(out, "\n"); n < 2 {
				t.Errorf("%d lines, want the explanation before the date; output:\n%s", n, out)
			}
		})
	}

	// Through the dispatcher, as the binary runs it.
	code, out, _ := calendarCmdRun(t, func(ctx context.Context, args []string, io stdio) int {
		return run(ctx, append([]string{"deadline"}, args...), io)
	}, "--rule", "reply", "--from", "2024-07-01")
	want := "3 calendar months from 2024-07-01: 2024-10-01\n" +
		"2024-10-01 is 国庆节 (holiday): moved to next working day 2024-10-08\n" +
		"2024-10-08\n"
	if code != 0 || out != want {
		t.Errorf("reply from 2024-07-01: exit %d, output:\n%s\nwant:\n%s", code, out, want)
	}
}

// TestCmdDeadlineProvisional: a due date that reads a year without holiday
// data is computed Monday to Friday, said to be provisional, and printed
// alone on the last line with exit status 0.
func TestCmdDeadlineProvisional(t *testing.T) {
	t.Parallel()

	tests := []struct {
		args []string
		want string
	}{
		// 3 months from 2027-11-15: 2028-02-15, a Tuesday.
		{[]string{"--rule", "reply", "--from", "2027-11-15"}, "3 calendar months from 2027-11-15: 2028-02-15\n" +
			"2028 has no holiday data yet: Monday to Friday counted as working days, no holidays; 2028-02-15 is provisional\n" +
			"2028-02-15\n"},
		// 5 working days from Monday 2031-03-03: Monday 2031-03-10.
		{[]string{"--rule", "return-window", "--from", "2031-03-03"}, "5 working days from 2031-03-03: 2031-03-10\n" +
			"2031 has no holiday data yet: Monday to Friday counted as working days, no holidays; 2031-03-10 is provisional\n" +
			"2031-03-10\n"},
	}
	for _, tc := range tests {
		code, out, errOut := calendarCmdRun(t, func(ctx context.Context, args []string, io stdio) int {
			return run(ctx, append([]string{"deadline"}, args...), io)
		}, tc.args...)
		if code != 0 || errOut != "" {
			t.Errorf("%s: exit %d, stderr %q; want 0 and nothing", tc.args, code, errOut)
		}
		if out != tc.want {
			t.Errorf("%s: output:\n%s\nwant:\n%s", tc.args, out, tc.want)
		}
	}
}

// validRules are the rule names banli deadline lists, as workflow has them.
var validRules = func() string {
	var names []string
	for _, n := range workflow.AllRuleNames() {
		names = append(names, string(n))
	}
	return strings.Join(names, ", ")
}()

func TestCmdDeadlineErrors(t *testing.T) {
	t.Parallel()

	tests := []struct {
		args []string
		want string // the first line of stderr
	}{
		{[]string{"--rule", "foo", "--from", "2024-07-01"},
			`banli deadline: unknown rule "foo"; valid rules: ` + validRules},
		{[]string{"--rule", "reply", "--from", "2024-13-01"},
			`banli deadline: --from: invalid date "2024-13-01": want YYYY-MM-DD`},
		{[]string{"--rule", "reply", "--from", "2024/07/01"},
			`banli deadline: --from: invalid date "2024/07/01": want YYYY-MM-DD`},
		{[]string{"--rule", "reply"}, "banli deadline: missing --from YYYY-MM-DD"},
		{[]string{"--from", "2024-07-01"},
			"banli deadline: missing --rule; valid rules: " + validRules},
		{nil, "banli deadline: missing --rule; valid rules: " + validRules},
		{[]string{"--rule", "reply", "--from", "2024-07-01", "extra"}, `banli deadline: unexpected argument "extra"`},
		{[]string{"--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"--from"}, "flag needs an argument: -from"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			code, out, errOut := calendarCmdRun(t, cmdDeadline, tc.args...)
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

	if code, _, errOut := calendarCmdRun(t, cmdDeadline, "-h"); code != 0 || !strings.HasPrefix(errOut, "usage: banli deadline") {
		t.Errorf("-h: exit %d, stderr %q; want 0 and the usage", code, errOut)
	}
}
