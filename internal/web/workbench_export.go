package web

import (
	"net/http"

	"github.com/banli-gov/banli/internal/export"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// caseListExport downloads GET /cases/export: the whole case list of the
// home page with the same query (workbenchListFilter) as XLSX or CSV
// (?format=), only the cases the caller may see, in the list's order, read
// in keyset pages (storage.CaseListEach), each with its current deadline
// as the page shows it.
func (s *server) caseListExport(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	today := s.clock.Today()
	_, lf, err := s.workbenchListFilter(r, today)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cal, err := s.db.Calendar(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	lang, liaison := ui.LangOf(r), isLiaison(p.Actor)
	title := "list.title"
	if liaison {
		title = "list.titleAll"
	}
	s.download(w, r, message(r, "export.list.file", today.String()), func(out export.Writer) error {
		if err := out.Sheet(message(r, title)); err != nil {
			return err
		}
		if err := out.Row(wbHeader(lang, "")...); err != nil {
			return err
		}
		n := 0
		lf.Limit = exportPage
		return s.db.CaseListEach(r.Context(), p.Actor, lf, func(page []*storage.CaseSummary) (bool, error) {
			rows, err := s.wbRows(r, cal, today, liaison, page)
			if err != nil {
				return true, err
			}
			for _, row := range rows {
				if n == exportCap {
					return true, out.Row(ui.Message(lang, "export.capped", exportCap))
				}
				if err := out.Row(wbCells(lang, row, false)...); err != nil {
					return true, err
				}
				n++
			}
			return false, nil
		})
	})
}

// queueExport downloads GET /queue/export: the caller's whole queue (待我
// 办理) as XLSX or CSV, most urgent first, each case with its task and
// current deadline as the page shows them. The queue pages by offset (it
// is one person's work, not a register).
func (s *server) queueExport(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	today := s.clock.Today()
	cal, err := s.db.Calendar(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	lang, liaison := ui.LangOf(r), isLiaison(p.Actor)
	s.download(w, r, message(r, "export.queue.file", today.String()), func(out export.Writer) error {
		if err := out.Sheet(message(r, "queue.title")); err != nil {
			return err
		}
		if err := out.Row(wbHeader(lang, "queue.col.task")...); err != nil {
			return err
		}
		for n := 0; n < exportCap; {
			queue, _, err := s.db.Queue(r.Context(), p.Actor, exportPage, n)
			if err != nil {
				return err
			}
			cases := make([]*storage.CaseSummary, len(queue))
			for i, it := range queue {
				cases[i] = it.CaseSummary
			}
			rows, err := s.wbRows(r, cal, today, liaison, cases)
			if err != nil {
				return err
			}
			for i, it := range queue {
				rows[i].Task = workflow.Task(it.Kind, it.State, it.PublicationState, it.Actions)
				if rows[i].Task == workflow.ActionSubmit && !it.HasDraft {
					rows[i].TaskKey = "queue.task.has_draft"
				}
				if err := out.Row(wbCells(lang, rows[i], true)...); err != nil {
					return err
				}
			}
			n += len(queue)
			if len(queue) < exportPage {
				return nil
			}
		}
		return out.Row(ui.Message(lang, "export.capped", exportCap))
	})
}

// wbHeader and wbCells are the columns of the home page's lists as a
// spreadsheet: the page's, the deadline split into its kind, date and
// what is left; task is the queue's task column's key ("" for none).
func wbHeader(lang, task string) []any {
	m := func(k string) any { return ui.Message(lang, k) }
	h := []any{m("export.col.session"), m("wb.col.number"), m("wb.col.title"), m("wb.col.unit"), m("wb.col.kind"), m("wb.col.state")}
	if task != "" {
		h = append(h, m(task))
	}
	return append(h, m("export.col.dueKind"), m("wb.col.due"), m("export.col.dueLeft"))
}

func wbCells(lang string, row workbenchRow, task bool) []any {
	c := []any{row.Session, row.Number, row.Title, row.Department, ui.Label(lang, row.Kind), ui.Label(lang, row.State)}
	if task {
		t := ui.Label(lang, row.Task)
		if row.TaskKey != "" {
			t = ui.Message(lang, row.TaskKey)
		}
		c = append(c, t)
	}
	if row.Due == nil {
		return append(c, "", ui.Message(lang, "due.none"), "")
	}
	d := row.Due
	kind := ""
	if d.Kind != "" {
		kind = ui.Label(lang, d.Kind)
	}
	date := d.Due.String()
	if d.Provisional {
		date += " " + ui.Message(lang, "due.provisional", d.Year)
	}
	left := ui.Message(lang, "due.noCalendar")
	switch {
	case !d.Known:
	case d.Light == workflow.LightRed:
		left = ui.MessageN(lang, "due.overdue", d.Late)
	case d.Days == 0:
		left = ui.Message(lang, "due.today")
	default:
		left = ui.MessageN(lang, "due.left", d.Days)
	}
	return append(c, kind, date, left)
}
