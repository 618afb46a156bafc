package web

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/workflow"
)

// adminHolidayRemove answers POST /admin/holidays/{date}/remove (admin
// only): it removes the override of that day, so that the built-in
// schedule (or the plain weekday) applies again, and comes back to that
// year's page (303).
func (s *server) adminHolidayRemove(w http.ResponseWriter, r *http.Request) {
	raw := chi.URLParam(r, "date")
	day, err := workflow.ParseDate(raw)
	if err != nil {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "adm.holidays.err.notFound", raw)))
		return
	}
	if err := s.db.RemoveHolidayOverride(r.Context(), day); err != nil {
		if workflow.Code(err) == workflow.ErrNotFound {
			err = workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "adm.holidays.err.notFound", raw))
		}
		s.writeError(w, r, err)
		return
	}
	s.redirect(w, r, fmt.Sprintf("/admin/holidays?year=%d", day.Year), flashHolidayGone)
}
