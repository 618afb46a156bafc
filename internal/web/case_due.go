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
	// Known is false when the calendar has no data for a year between
	// today and the due date: the date is shown without days or light.
	Known bool
	// Days is the working days left: 0 on the due day, negative when
	// overdue (−Days working days late).
	Days int
	// Late is −Days when overdue, else 0: what the page says.
	Late  int
	Light string
}

// dueOf counts the working days from today to due on cal and picks the
// light.
func dueOf(cal *workflow.Calendar, today workflow.Date, kind workflow.DeadlineKind, due workflow.Date) *dueView {
	v := &dueView{Kind: kind, Due: due}
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
