package web

import (
	"slices"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// dueView is a due date as the pages show it: the date, and its urgency
// on the business calendar today (workflow.UrgencyOf: the working days
// left and the traffic light, the CSS classes light-green, light-amber,
// light-red). Pages always write the days beside the colour.
type dueView struct {
	// Kind is the deadline's kind; "" for a due date that is not a stored
	// deadline (the extension cap).
	Kind workflow.DeadlineKind
	Due  workflow.Date
	workflow.Urgency
	// Provisional marks a due date counted without a year's holiday data
	// (暂定); Year is the year whose schedule is missing, for the words.
	Provisional bool
	Year        int
}

// dueOf is the view of due on day today; provisional is the due date's
// stored flag.
func dueOf(cal *workflow.Calendar, today workflow.Date, kind workflow.DeadlineKind, due workflow.Date, provisional bool) *dueView {
	return &dueView{Kind: kind, Due: due, Urgency: workflow.UrgencyOf(cal, today, due),
		Provisional: provisional, Year: provisionalYear(cal, today, due)}
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
		if !d.Kind.UnitDuty() && !(d.Kind.ForLiaison() && liaison) {
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
