package web

import (
	"context"
	"net/http"

	"github.com/banli-gov/banli/workflow"
)

// svCalendarGap is the warning of the administrator's pages when the
// holiday calendar has no data for next year: an admin must add next
// year's schedule, which the State Council announces each November.
type svCalendarGap struct {
	// NextYear is the year after the clock's; Missing says to warn
	// (workflow.Calendar.NextYearMissing: from 1 October while the calendar
	// lacks it); Latest is the last year it covers.
	NextYear int
	Missing  bool
	Latest   int
}

// calendarGap checks whether the calendar covers next year.
func (s *server) calendarGap(ctx context.Context) (svCalendarGap, error) {
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		return svCalendarGap{}, err
	}
	next, missing := cal.NextYearMissing(s.clock.Today())
	return svCalendarGap{NextYear: next, Missing: missing, Latest: cal.LatestCoveredYear()}, nil
}

// svAdminIndex is the data of the view "admin".
type svAdminIndex struct {
	Gap svCalendarGap
	// Jobs says River's web UI is served (AdminJobsPath).
	Jobs     bool
	JobsPath string
	// Supervisor is the name the supervising role goes by now; Labels are
	// the names commonly given (workflow.SupervisorLabels).
	Supervisor string
	Labels     []string
}

// adminIndex shows GET /admin (admin only): links to the administrator's
// pages, and the warning when the calendar lacks next year.
func (s *server) adminIndex(w http.ResponseWriter, r *http.Request) {
	gap, err := s.calendarGap(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	label, err := s.db.SupervisorLabel(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d := &svAdminIndex{Gap: gap, Jobs: s.jobs != nil, JobsPath: AdminJobsPath, Supervisor: label, Labels: workflow.SupervisorLabels()}
	s.render(w, r, http.StatusOK, "admin", s.page(w, r, message(r, "adm.title"), d))
}
