package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/banli-gov/banli/internal/report"
	"github.com/banli-gov/banli/workflow"
)

// supervisionReport downloads GET /supervision/report?session=ID (liaison
// only): the session's handling report (办理情况报告) as a DOCX draft, with
// the figures the dashboard shows for the session today
// (report.Load). The latest session when none is given; a year is not a
// session and is refused.
func (s *server) supervisionReport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sessions, err := s.db.Sessions(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	_, session, err := svScope(r, sessions)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if session == nil {
		key := "report.err.scope"
		if len(sessions) == 0 {
			key = "report.err.noneYet"
		}
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, key)))
		return
	}
	f, err := report.Load(ctx, s.db, session, s.clock.Today())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	b, err := f.DOCX()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", typeDOCX)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q; filename*=UTF-8''%s",
		"banli-report.docx", url.PathEscape(f.FileName()+".docx")))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}
