package export

import (
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// Statistics writes the dashboard's statistics (督办统计) in the page
// language lang: a table of every unit and the totals with the columns of
// the dashboard's two tables — the cases by state (the states of some
// case in scope, as the page shows them), due soon and overdue, then each
// figure of workflow.AllFigures as the page shows it ("66.7%", "—" without
// a denominator) with its numerator and denominator, and the work ratings —
// followed, in XLSX, by a sheet of the figures' definitions.
func Statistics(w Writer, lang string, st *storage.Statistics) error {
	states := st.States()
	if err := w.Sheet(ui.Message(lang, "export.stats.sheet")); err != nil {
		return err
	}
	header := []any{ui.Message(lang, "sv.unit")}
	for _, s := range states {
		header = append(header, ui.Label(lang, s))
	}
	header = append(header, ui.Message(lang, "sv.stat.cases"), ui.Message(lang, "sv.stat.dueSoon"), ui.Message(lang, "sv.stat.overdue"))
	for _, fig := range workflow.AllFigures() {
		l := ui.Label(lang, fig)
		header = append(header, l, ui.Message(lang, "export.num", l), ui.Message(lang, "export.den", l))
	}
	for _, rt := range workflow.AllRatings() {
		l := ui.Message(lang, "export.workRating", ui.Label(lang, rt))
		header = append(header, l, ui.Message(lang, "export.num", l), ui.Message(lang, "export.den", l))
	}
	if err := w.Row(header...); err != nil {
		return err
	}
	row := func(name string, f storage.Figures) error {
		cells := []any{name}
		for _, s := range states {
			cells = append(cells, f.States[s])
		}
		cells = append(cells, f.Cases, f.DueSoon, f.Overdue)
		rate := func(r storage.Rate) { cells = append(cells, r.Percent(), r.Num, r.Den) }
		for _, fig := range workflow.AllFigures() {
			rate(f.Rate(fig))
		}
		for _, rt := range workflow.AllRatings() {
			rate(f.WorkRatingRate(rt))
		}
		return w.Row(cells...)
	}
	for _, u := range st.Units {
		if err := row(u.Department.Name, u.Figures); err != nil {
			return err
		}
	}
	if err := row(ui.Message(lang, "sv.total"), st.Total); err != nil {
		return err
	}

	if err := w.Sheet(ui.Message(lang, "sv.def.heading")); err != nil {
		return err
	}
	if err := w.Row(ui.Message(lang, "export.def.figure"), ui.Message(lang, "export.def.definition")); err != nil {
		return err
	}
	for _, fig := range workflow.AllFigures() {
		def := fig.DefinitionZH()
		if lang == ui.LangEN {
			def = fig.DefinitionEN()
		}
		if err := w.Row(ui.Label(lang, fig), def); err != nil {
			return err
		}
	}
	for _, k := range []string{"work", "due", "scope"} {
		if err := w.Row(ui.Message(lang, "sv.def."+k+"Term"), ui.Message(lang, "sv.def."+k)); err != nil {
			return err
		}
	}
	return w.Row(ui.Message(lang, "export.def.today"), ui.FormatDate(st.Today))
}
