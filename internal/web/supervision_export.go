package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/banli-gov/banli/internal/export"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// exportPage is the number of rows an export reads from the database at a
// time (keyset pages), and exportCap the most rows one download holds: a
// longer list ends with a row saying so.
const (
	exportPage = 500
	exportCap  = 200000
	// svExportPage is longer: each page of the liaison's list counts the
	// facts of its whole scope (storage.SupervisionCases).
	svExportPage = 5000
)

// exportURL is u's query without page, on path, with format.
func exportURL(u *url.URL, path, format string) string {
	q := u.Query()
	q.Del("page")
	q.Del("qpage")
	q.Set("format", format)
	return path + "?" + q.Encode()
}

// download writes a spreadsheet in the format of ?format= (xlsx, the
// default, or csv) named name (without extension), its tables written by fill. An error
// before the first byte is an error page; one after it can only end the
// download, and is logged.
func (s *server) download(w http.ResponseWriter, r *http.Request, name string, fill func(export.Writer) error) {
	format, err := export.XLSX, error(nil)
	if v := r.URL.Query().Get("format"); v != "" {
		format, err = export.ParseFormat(v)
	}
	if err != nil {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "export.err.format", r.URL.Query().Get("format"))))
		return
	}
	file := name + "." + string(format)
	w.Header().Set("Content-Type", format.ContentType())
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q; filename*=UTF-8''%s",
		"banli-export."+string(format), url.PathEscape(file)))
	w.Header().Set("Cache-Control", "no-store")
	out, err := export.New(w, format)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := fill(out); err != nil {
		s.logger.ErrorContext(r.Context(), "export failed", "path", r.URL.Path, "err", err)
		return
	}
	if err := out.Close(); err != nil {
		s.logger.ErrorContext(r.Context(), "export failed", "path", r.URL.Path, "err", err)
	}
}

// supervisionExport downloads GET /supervision/export (liaison only): the
// dashboard's statistics of the same scope (session or year, as the
// dashboard reads them) as XLSX or CSV (?format=), with the page's figures
// (export.Statistics), in the page's language.
func (s *server) supervisionExport(w http.ResponseWriter, r *http.Request) {
	sv, err := s.svStatistics(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	scope, session, st := sv.Scope, sv.Session, sv.Statistics
	name := message(r, "export.stats.file", sv.Today.String())
	switch {
	case session != nil:
		name = session.ShortName + "-" + name
	case scope.Year != 0:
		name = strconv.Itoa(scope.Year) + "-" + name
	}
	s.download(w, r, name, func(out export.Writer) error { return export.Statistics(out, ui.LangOf(r), st) })
}

// supervisionCasesExport downloads GET /supervision/cases/export (liaison
// only): the whole of the liaison's case list with the same query
// (svCaseFilter), in the list's order, read in keyset pages.
func (s *server) supervisionCasesExport(w http.ResponseWriter, r *http.Request) {
	f, _, err := s.svCaseFilter(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	lang := ui.LangOf(r)
	s.download(w, r, message(r, "export.cases.file", f.Today.String()), func(out export.Writer) error {
		if err := out.Sheet(message(r, "sv.cases.title")); err != nil {
			return err
		}
		if err := out.Row(svCaseHeader(lang)...); err != nil {
			return err
		}
		f.Limit, f.Offset, f.Keyset = svExportPage, 0, true
		n := 0
		for {
			page, _, err := s.db.SupervisionCases(r.Context(), f)
			if err != nil {
				return err
			}
			for _, c := range page {
				if n == exportCap {
					return out.Row(ui.Message(lang, "export.capped", exportCap))
				}
				if err := out.Row(svCaseCells(lang, c)...); err != nil {
					return err
				}
				n++
			}
			if len(page) < svExportPage {
				return nil
			}
			f.After = &page[len(page)-1]
		}
	})
}

// svCaseHeader and svCaseCells are the columns of the liaison's case list
// as a spreadsheet: those of the page, with the due date's and the first
// reply's marks in words.
func svCaseHeader(lang string) []any {
	m := func(k string) any { return ui.Message(lang, k) }
	return []any{m("export.col.session"), m("sv.cases.number"), m("sv.cases.proposal"), m("sv.unit"), m("sv.cases.kind"),
		m("sv.cases.state"), m("export.col.round"), m("sv.cases.due"), m("export.col.dueMark"), m("sv.cases.firstReply"),
		m("export.col.onTime")}
}

func svCaseCells(lang string, c storage.SupervisedCase) []any {
	due, mark := "", ""
	if !c.Due.IsZero() {
		due = c.Due.String()
		if c.DueProvisional {
			due += " " + ui.Message(lang, "due.provisional", c.Due.Year)
		}
	}
	switch {
	case c.Overdue:
		mark = ui.Message(lang, "sv.cases.overdue")
	case c.DueSoon:
		mark = ui.Message(lang, "sv.cases.dueSoon")
	}
	sent, onTime := "", ""
	if c.FirstSentAt != nil {
		sent = ui.FormatDate(c.FirstSentAt)
		onTime = ui.Message(lang, "sv.cases.late")
		if c.OnTime {
			onTime = ui.Message(lang, "sv.cases.onTime")
		}
	}
	return []any{c.SessionShort, c.Number, c.Title, c.DepartmentName, ui.Label(lang, c.Kind), ui.Label(lang, c.State), c.Round,
		due, mark, sent, onTime}
}

// supervisionRequestsExport downloads GET /supervision/requests/export
// (liaison only): one of the two lists of the requests page —
// ?list=returns (退回申请) or ?list=extensions (延期申请) — as XLSX or CSV,
// with the page's columns.
func (s *server) supervisionRequestsExport(w http.ResponseWriter, r *http.Request) {
	lang := ui.LangOf(r)
	m := func(k string) any { return ui.Message(lang, k) }
	head := []any{m("export.col.session"), m("sv.cases.number"), m("sv.cases.proposal"), m("sv.unit")}
	switch list := r.URL.Query().Get("list"); list {
	case "returns":
		reqs, err := s.db.PendingReturnRequests(r.Context())
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		s.download(w, r, message(r, "export.returns.file", s.clock.Today().String()), func(out export.Writer) error {
			if err := out.Sheet(message(r, "export.returns.sheet")); err != nil {
				return err
			}
			if err := out.Row(append(head, m("sv.cases.kind"), m("sv.requests.requestedAt"), m("sv.requests.reason"),
				m("sv.requests.returnDue"))...); err != nil {
				return err
			}
			for _, q := range reqs {
				if err := out.Row(q.SessionShort, q.Number, q.Title, q.DepartmentName, ui.Label(lang, q.Kind),
					ui.FormatDateTime(q.RequestedAt), q.Reason, q.ReturnDue.String()); err != nil {
					return err
				}
			}
			return nil
		})
	case "extensions":
		reqs, err := s.db.PendingExtensionRequests(r.Context())
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		s.download(w, r, message(r, "export.extensions.file", s.clock.Today().String()), func(out export.Writer) error {
			if err := out.Sheet(message(r, "export.extensions.sheet")); err != nil {
				return err
			}
			if err := out.Row(append(head, m("sv.requests.requestedAt"), m("sv.requests.reason"), m("sv.requests.previousDue"),
				m("sv.requests.wantedDue"), m("sv.requests.cap"), m("sv.requests.decideDue"))...); err != nil {
				return err
			}
			for _, q := range reqs {
				limit := q.Cap.Date.String()
				if q.Cap.Provisional {
					limit += " " + ui.Message(lang, "due.provisional", q.Cap.Date.Year)
				}
				if err := out.Row(q.SessionShort, q.Number, q.Title, q.DepartmentName, ui.FormatDateTime(q.RequestedAt), q.Reason,
					q.PreviousDue.String(), q.WantedDue.String(), limit, q.DecideDue.String()); err != nil {
					return err
				}
			}
			return nil
		})
	default:
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "sv.err.param", "list", list)))
	}
}
