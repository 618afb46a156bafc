package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// loadCalendar returns the working-day calendar the operator commands count
// with: the built-in State Council schedules, with the overrides that admins
// keep in the database applied on top of them when DATABASE_URL is set.
// Without a database it is the built-in data alone.
func loadCalendar(ctx context.Context, io stdio) (*workflow.Calendar, error) {
	url := io.Getenv("DATABASE_URL")
	if url == "" {
		return workflow.NewCalendar(nil), nil
	}
	db, err := storage.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.Calendar(ctx)
}

// cmdCalendar lists the holidays and make-up working days of a year, then a
// summary line.
func cmdCalendar(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("banli calendar", flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	yearFlag := fs.String("year", "", "the year, YYYY")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: banli calendar --year YYYY")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(io.Stderr, "banli calendar: "+format+"\n", a...)
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return fail("unexpected argument %q", fs.Arg(0))
	case *yearFlag == "":
		return fail("missing --year YYYY")
	}
	year, err := strconv.Atoi(*yearFlag)
	if err != nil || len(*yearFlag) != 4 || strings.Trim(*yearFlag, "0123456789") != "" || year < 1 {
		return fail("invalid year %q: want YYYY", *yearFlag)
	}

	cal, err := loadCalendar(ctx, io)
	if err != nil {
		return commandError(io.Stderr, "banli calendar", err)
	}
	if !cal.Covers(year) {
		fmt.Fprintf(io.Stderr, "banli calendar: %d年节假日安排尚未录入 (no holiday data for %d; the calendar has data through %d)\n"+
			"Due dates that read %d are provisional: counted Monday to Friday, without holidays, until an admin enters its schedule on the Holidays page.\n",
			year, year, cal.LatestCoveredYear(), year)
		return exitUsage
	}
	days, err := cal.Year(year)
	if err != nil {
		return commandError(io.Stderr, "banli calendar", err)
	}
	holidays, workdays := 0, 0
	for _, d := range days {
		name := d.Name
		if d.Kind == workflow.DayWorkday {
			workdays++
			name += " (调休上班)"
		} else {
			holidays++
		}
		if d.Source == workflow.SourceOverride {
			name = strings.TrimSpace(name + " [override]")
		}
		fmt.Fprintf(io.Stdout, "%s  %-7s  %s\n", d.Date, d.Kind, name)
	}
	// Counting from the day before the year reads only the days of the year.
	working, err := cal.WorkingDaysUntil(workflow.Date{Year: year - 1, Month: 12, Day: 31},
		workflow.Date{Year: year, Month: 12, Day: 31})
	if err != nil {
		return commandError(io.Stderr, "banli calendar", err)
	}
	fmt.Fprintf(io.Stdout, "%d: %d holidays, %d make-up working days, %d working days in the year\n",
		year, holidays, workdays, working)
	return 0
}
