package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/banli-gov/banli/workflow"
)

// cmdDeadline computes a due date with the default rules: it prints how the
// date was reached, then the date alone on the last line, for scripts. A
// date that reads a year without holiday data is provisional (Monday to
// Friday, no holidays): a line before the date says so, and the exit
// status is still 0.
func cmdDeadline(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("banli deadline", flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	rule := fs.String("rule", "", "the rule: "+ruleNames())
	from := fs.String("from", "", "the start day, YYYY-MM-DD: assignment, feedback or reply (not counted)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: banli deadline --rule NAME --from YYYY-MM-DD")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(io.Stderr, "banli deadline: "+format+"\n", a...)
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return fail("unexpected argument %q", fs.Arg(0))
	case *rule == "":
		return fail("missing --rule; valid rules: %s", ruleNames())
	case *from == "":
		return fail("missing --from YYYY-MM-DD")
	}

	name, err := workflow.ParseRuleName(*rule)
	if err != nil {
		return fail("%s", workflow.Message(err))
	}
	r, err := workflow.DefaultRuleSet().Rule(name)
	if err != nil {
		return fail("%s", workflow.Message(err))
	}
	start, err := workflow.ParseDate(*from)
	if err != nil {
		return fail("--from: %s", workflow.Message(err))
	}
	cal, err := loadCalendar(ctx, io)
	if err != nil {
		return commandError(io.Stderr, "banli deadline", err)
	}
	due, steps, err := cal.DueExplained(r, start)
	if err != nil {
		return commandError(io.Stderr, "banli deadline", err)
	}
	for _, s := range steps {
		fmt.Fprintln(io.Stdout, s)
	}
	fmt.Fprintln(io.Stdout, due.Date)
	return 0
}

// commandError reports err of a command: a domain error is the user's to fix
// (exit status 2), anything else failed on our side (exit status 1).
func commandError(w io.Writer, prefix string, err error) int {
	fmt.Fprintf(w, "%s: %s\n", prefix, err)
	if workflow.Code(err) == workflow.ErrInternal {
		return 1
	}
	return exitUsage
}

func ruleNames() string {
	names := workflow.AllRuleNames()
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = string(n)
	}
	return strings.Join(s, ", ")
}
