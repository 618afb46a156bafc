package web

import (
	"slices"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// The traffic lights of a deadline (the CSS classes light-green,
// light-amber, light-red): green while more than amberDays working days
// are left, amber from amberDays down to the due day itself, red once it
// has passed. Pages always write the days beside the colour.
const (
	lightGreen = "green"
	lightAmber = "amber"
	lightRed   = "red"
	amberDays  = 7
)

// dueView is a due date as the pages show it: the date, the working days
// left from today on the business calendar, and its traffic light.
type dueView struct {
	// Kind is the deadline's kind; "" for a due date that is not a stored
	// deadline (the extension cap).
	Kind workflow.DeadlineKind
	Due  workflow.Date
	// Provisional marks a due date counted without a year's holiday data
	// (暂定); Year is the year whose schedule is missing, for the words.
	Provisional bool
	Year        int
	// Known is false when the working days cannot be counted at all: the
	// date is shown without days or light. Through a year without holiday
	// data they are counted Monday to Friday.
	Known bool
	// Days is the working days left: 0 on the due day, negative when
	// overdue (−Days working days late).
	Days int
	// Late is −Days when overdue, else 0: what the page says.
	Late  int
	Light string
}

// dueOf counts the working days from today to due on cal and picks the
// light; provisional is the due date's stored flag.
func dueOf(cal *workflow.Calendar, today workflow.Date, kind workflow.DeadlineKind, due workflow.Date, provisional bool) *dueView {
	v := &dueView{Kind: kind, Due: due, Provisional: provisional, Year: provisionalYear(cal, today, due)}
	n, err := cal.WorkingDaysUntil(today, due)
	if err != nil {
		return v
	}
	v.Known, v.Days = true, n
	switch {
	case n < 0:
		v.Light, v.Late = lightRed, -n
	case n <= amberDays:
		v.Light = lightAmber
	default:
		v.Light = lightGreen
	}
	return v
}

// provisionalYear is the year a provisional due date waits for: the first
// year from today to due the calendar lacks, else the due date's own.
func provisionalYear(cal *workflow.Calendar, today, due workflow.Date) int {
	if m := cal.MissingYears(today, due); len(m) > 0 {
		return m[0]
	}
	return due.Year
}

// currentDeadline picks, among a case's active deadlines, the one a list
// shows for it: the earliest due of those the viewer's side owes. The
// return window (an opportunity, never overdue) is left out; so are the
// liaison office's own deadlines (deciding an extension, chasing feedback)
// for a unit's users. Nil when none is left.
func currentDeadline(active []*storage.StoredDeadline, liaison bool) *storage.StoredDeadline {
	var best *storage.StoredDeadline
	for _, d := range active {
		if d.Kind == workflow.DeadlineReturnWindow || (d.Kind.ForLiaison() && !liaison) {
			continue
		}
		if best == nil || d.Due.Before(best.Due) {
			best = d
		}
	}
	return best
}

// isLiaison reports whether an actor acts as the liaison office.
func isLiaison(a workflow.Actor) bool { return slices.Contains(a.Roles, workflow.RoleLiaison) }
