package web

import (
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// svCell is a count that links to the list of the cases it counts.
type svCell struct {
	N   int
	URL string
}

// Link is the cell as the tables show it: its number, a link to its cases.
func (c svCell) Link() template.HTML {
	var b strings.Builder
	c.write(&b)
	return template.HTML(b.String())
}

func (c svCell) write(b *strings.Builder) { svWriteLink(b, c.URL, strconv.Itoa(c.N)) }

// svRateCell is a rate with links to the cases of its numerator and of its
// denominator.
type svRateCell struct {
	Rate           storage.Rate
	NumURL, DenURL string
}

// HTML is the cell as the tables show it: the percentage and, in
// brackets, the numerator and the denominator, each a link to its cases.
func (c svRateCell) HTML() template.HTML {
	var b strings.Builder
	c.write(&b)
	return template.HTML(b.String())
}

func (c svRateCell) write(b *strings.Builder) {
	b.WriteString(html.EscapeString(c.Rate.Percent()))
	b.WriteString(` <span class="sv-ratio">(`)
	svWriteLink(b, c.NumURL, strconv.Itoa(c.Rate.Num))
	b.WriteByte('/')
	svWriteLink(b, c.DenURL, strconv.Itoa(c.Rate.Den))
	b.WriteString(`)</span>`)
}

// svWriteLink writes a link to href (a path of this site) with the text
// text.
func svWriteLink(b *strings.Builder, href, text string) {
	b.WriteString(`<a href="`)
	b.WriteString(html.EscapeString(href))
	b.WriteString(`">`)
	b.WriteString(html.EscapeString(text))
	b.WriteString(`</a>`)
}

// svFigureCell is one figure (workflow.Figure) of a unit or the totals,
// with its name and definition in the page's language.
type svFigureCell struct {
	Figure            workflow.Figure
	Label, Definition string
	Cell              svRateCell
}

// svUnitRow is a unit's line of the dashboard's tables (or the totals').
type svUnitRow struct {
	Name, Code              string
	States                  []svCell // as svDashboard.States
	Total, DueSoon, Overdue svCell
	// Figures are the figures as workflow.AllFigures lists them; Handling
	// and Satisfaction the same cells split between the two tables (the
	// reply rates and classes; the deputies' ratings).
	Figures, Handling, Satisfaction []svFigureCell
	WorkRatings                     []svRateCell // as workflow.AllRatings
}

// The dashboard's three tables hold some 3,000 linked cells for 60 units:
// each row's cells are written here in one pass rather than by the
// template cell by cell, which took about half the page's time.

// ProgressCells are the row's cells of the progress table: its cases by
// state, all, due soon and overdue (marked when a unit has any).
func (r svUnitRow) ProgressCells() template.HTML {
	var b strings.Builder
	b.Grow(len(r.States) * 120)
	for _, c := range r.States {
		b.WriteString(`<td class="num">`)
		c.write(&b)
		b.WriteString(`</td>`)
	}
	for i, c := range []svCell{r.Total, r.DueSoon, r.Overdue} {
		if i == 2 && c.N > 0 && r.Code != "" {
			b.WriteString(`<td class="num sv-bad">`)
		} else {
			b.WriteString(`<td class="num">`)
		}
		c.write(&b)
		b.WriteString(`</td>`)
	}
	return template.HTML(b.String())
}

// HandlingCells are the row's cells of the quality table.
func (r svUnitRow) HandlingCells() template.HTML { return svRateCells(r.Handling) }

// SatisfactionCells are the row's cells of the satisfaction table.
func (r svUnitRow) SatisfactionCells() template.HTML { return svRateCells(r.Satisfaction) }

func svRateCells(cells []svFigureCell) template.HTML {
	var b strings.Builder
	b.Grow(len(cells) * 200)
	for _, c := range cells {
		b.WriteString(`<td class="num">`)
		c.Cell.write(&b)
		b.WriteString(`</td>`)
	}
	return template.HTML(b.String())
}

// svDashboard is the data of the view "supervision".
type svDashboard struct {
	Sessions []*workflow.CongressSession
	Years    []int
	// Session is the session chosen (nil when a year is); Year the year.
	Session *workflow.CongressSession
	Year    int
	Scope   storage.StatisticsScope
	// Today and SoonUntil are the days "due soon" spans; CalendarGap says
	// the calendar lacks a year they need, so SoonUntil is approximate.
	Today, SoonUntil workflow.Date
	CalendarGap      bool
	// States are the states of the table's columns: those of some case in
	// scope, in the order of the process.
	States  []workflow.State
	Ratings []workflow.Rating
	Classes []workflow.ReplyClass
	// Figures are the figures' names and definitions (the columns of the
	// quality table and the footnotes).
	Figures     []svFigureCell
	Units       []svUnitRow
	Total       svUnitRow
	StateChart  *svChart
	ClassChart  *svChart
	CasesURL    string // the list of every case in scope
	RequestsURL string
	// Key are the key suggestions (重点建议) of the session in scope (of
	// every session for a year), with their progress.
	Key []*storage.KeySuggestion
	// Ended counts the suggestions that ended without a reply (撤回,
	// 不作为建议处理), outside every rate; EndedURLs list their cases.
	Withdrawn, Converted       int
	WithdrawnURL, ConvertedURL string
	// ExportXLSX and ExportCSV download the statistics of the same scope.
	ExportXLSX, ExportCSV string
	// ReportURL downloads the session's handling report (办理情况报告,
	// DOCX); "" when a year is in scope: the report is a session's.
	ReportURL string
}

// supervisionDashboard shows GET /supervision (督办, liaison only): for a
// congress session (session=<id>, the latest by default) or a year of
// assignment (year=YYYY), every unit's cases by state, due soon and
// overdue, and its rates, with the totals and two charts; every number
// links to the cases it counts (GET /supervision/cases). The statistics
// are defined in package storage (statistics.go) and on the page.
func (s *server) supervisionDashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sv, err := s.svStatistics(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	sessions, scope, session, st := sv.Sessions, sv.Scope, sv.Session, sv.Statistics
	today, soon, gap := sv.Today, sv.SoonUntil, sv.CalendarGap
	years, err := s.db.AssignmentYears(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d := &svDashboard{Sessions: sessions, Years: years, Session: session, Year: scope.Year, Scope: scope,
		Today: today, SoonUntil: soon, CalendarGap: gap,
		Ratings: workflow.AllRatings(), Classes: workflow.AllReplyClasses(),
		CasesURL: svCasesURL(scope, ""), RequestsURL: "/supervision/requests",
		ExportXLSX: svExportURL("/supervision/export", scope, "xlsx"), ExportCSV: svExportURL("/supervision/export", scope, "csv")}
	if session != nil {
		d.ReportURL = "/supervision/report?session=" + strconv.FormatInt(session.ID, 10)
	}
	if d.Key, err = s.db.KeySuggestions(ctx, scope.SessionID); err != nil {
		s.writeError(w, r, err)
		return
	}
	d.States = st.States()
	lang := ui.LangOf(r)
	for _, u := range st.Units {
		d.Units = append(d.Units, svRow(lang, scope, u.Department.Name, u.Department.Code, u.Figures, d.States))
	}
	d.Total = svRow(lang, scope, message(r, "sv.total"), "", st.Total, d.States)
	d.Figures = d.Total.Figures
	d.Withdrawn, d.Converted = st.Total.Withdrawn, st.Total.Converted
	d.WithdrawnURL = svCasesURL(scope, "", "state", string(workflow.StateWithdrawn))
	d.ConvertedURL = svCasesURL(scope, "", "state", string(workflow.StateConverted))
	stateLabel := func(x workflow.State) string { return labelOf(r, x) }
	d.StateChart = svStateChart(st, d.States, stateLabel, message(r, "sv.chart.states"), message(r, "sv.chart.statesDesc"))
	d.ClassChart = svClassChart(st.Total, func(c workflow.ReplyClass) string {
		return message(r, "sv.classShort", string(c))
	}, message(r, "sv.chart.classes"), messageN(r, "sv.chart.classesDesc", st.Total.Replied))
	s.render(w, r, http.StatusOK, "supervision", s.page(w, r, message(r, "sv.title"), d))
}

// svRow builds a unit's (code) or the totals' (code "") line.
func svRow(lang string, scope storage.StatisticsScope, name, code string, f storage.Figures, states []workflow.State) svUnitRow {
	base := svCasesURL(scope, code)
	link := func(kv ...string) string { return svWithQuery(base, kv...) }
	rate := func(r storage.Rate, num, den []string) svRateCell {
		return svRateCell{Rate: r, NumURL: link(num...), DenURL: link(den...)}
	}
	row := svUnitRow{Name: name, Code: code,
		Total:   svCell{f.Cases, link()},
		DueSoon: svCell{f.DueSoon, link("due_soon", "1")},
		Overdue: svCell{f.Overdue, link("overdue", "1")},
	}
	for _, st := range states {
		row.States = append(row.States, svCell{f.States[st], link("state", string(st))})
	}
	for _, fig := range workflow.AllFigures() {
		num, den := svFigureFilters(fig, code != "")
		c := svFigureCell{Figure: fig, Label: fig.LabelZH(), Definition: fig.DefinitionZH(), Cell: rate(f.Rate(fig), num, den)}
		if lang == ui.LangEN {
			c.Label, c.Definition = fig.LabelEN(), fig.DefinitionEN()
		}
		row.Figures = append(row.Figures, c)
		if svSatisfactionFigure(fig) {
			row.Satisfaction = append(row.Satisfaction, c)
		} else {
			row.Handling = append(row.Handling, c)
		}
	}
	for _, rt := range workflow.AllRatings() {
		row.WorkRatings = append(row.WorkRatings,
			rate(f.WorkRatingRate(rt), []string{"work_rating", string(rt)}, []string{"measure", "feedback"}))
	}
	return row
}

// svSatisfactionFigure reports whether fig is one of the deputies'
// ratings (the dashboard's satisfaction table) rather than of the
// handling (its quality table).
func svSatisfactionFigure(fig workflow.Figure) bool {
	switch fig {
	case workflow.FigureSatisfied, workflow.FigureBasicallySatisfied, workflow.FigureDissatisfied, workflow.FigureSatisfiedInclBasic,
		workflow.FigureFirstSatisfied, workflow.FigureFirstBasicallySatisfied, workflow.FigureFirstDissatisfied,
		workflow.FigureFirstSatisfiedInclBasic:
		return true
	}
	return false
}

// svFigureFilters are the case list's filters of the cases a figure's
// numerator and denominator count. A unit's suggestions are its replying
// cases (one per suggestion), so its 办复率（按件） lists those.
func svFigureFilters(fig workflow.Figure, unit bool) (num, den []string) {
	m := func(v string) []string { return []string{"measure", v} }
	switch fig {
	case workflow.FigureReplyRateSuggestions:
		if unit {
			return m("replied"), m("replying")
		}
		return m(string(storage.MeasureSuggestionsReplied)), m(string(storage.MeasureSuggestions))
	case workflow.FigureReplyRate:
		return m("replied"), m("replying")
	case workflow.FigureOnTimeRate:
		return m("on_time"), m("replied")
	case workflow.FigureMeetingRate:
		return m("met"), m("replied")
	case workflow.FigureSatisfied:
		return []string{"rating", string(workflow.RatingSatisfied)}, m("feedback")
	case workflow.FigureBasicallySatisfied:
		return []string{"rating", string(workflow.RatingBasicallySatisfied)}, m("feedback")
	case workflow.FigureDissatisfied:
		return []string{"rating", string(workflow.RatingDissatisfied)}, m("feedback")
	case workflow.FigureSatisfiedInclBasic:
		return m(string(storage.MeasureSatisfiedInclBasic)), m("feedback")
	case workflow.FigureFirstSatisfied:
		return []string{"first_rating", string(workflow.RatingSatisfied)}, m("first_feedback")
	case workflow.FigureFirstBasicallySatisfied:
		return []string{"first_rating", string(workflow.RatingBasicallySatisfied)}, m("first_feedback")
	case workflow.FigureFirstDissatisfied:
		return []string{"first_rating", string(workflow.RatingDissatisfied)}, m("first_feedback")
	case workflow.FigureFirstSatisfiedInclBasic:
		return m(string(storage.MeasureFirstSatisfiedInclBasic)), m("first_feedback")
	}
	for _, c := range workflow.AllReplyClasses() {
		if fig == workflow.ClassFigure(c) {
			return []string{"class", string(c)}, m("replied")
		}
	}
	return nil, nil
}

// svExportURL is path with the scope's query and the format.
func svExportURL(path string, scope storage.StatisticsScope, format string) string {
	q := url.Values{"format": {format}}
	switch {
	case scope.Year != 0:
		q.Set("year", strconv.Itoa(scope.Year))
	case scope.SessionID != 0:
		q.Set("session", strconv.FormatInt(scope.SessionID, 10))
	}
	return path + "?" + q.Encode()
}

// svCasesURL is the link to the liaison's case list of scope, narrowed to
// a unit (code; "" for all) and the query pairs kv.
func svCasesURL(scope storage.StatisticsScope, unit string, kv ...string) string {
	q := url.Values{}
	switch {
	case scope.Year != 0:
		q.Set("year", strconv.Itoa(scope.Year))
	case scope.SessionID != 0:
		q.Set("session", strconv.FormatInt(scope.SessionID, 10))
	}
	if unit != "" {
		q.Set("unit", unit)
	}
	return svWithQuery("/supervision/cases?"+q.Encode(), kv...)
}

// svWithQuery is link (a path ending in its query, or in "?") with the
// query pairs kv added; a pair's key must not be in link already.
func svWithQuery(link string, kv ...string) string {
	if len(kv) < 2 {
		return link
	}
	n := len(link)
	for _, s := range kv {
		n += len(s) + 1
	}
	b := make([]byte, 0, n+8)
	b = append(b, link...)
	for i := 0; i+1 < len(kv); i += 2 {
		if c := b[len(b)-1]; c != '?' && c != '&' {
			b = append(b, '&')
		}
		b = append(b, url.QueryEscape(kv[i])...)
		b = append(b, '=')
		b = append(b, url.QueryEscape(kv[i+1])...)
	}
	return string(b)
}

// svScope reads the scope of the liaison's pages from the query: year
// (YYYY), else session (an id), else the latest session.
func svScope(r *http.Request, sessions []*workflow.CongressSession) (storage.StatisticsScope, *workflow.CongressSession, error) {
	q := r.URL.Query()
	if y := q.Get("year"); y != "" {
		year, err := strconv.Atoi(y)
		if err != nil || year < 1990 || year > 2200 {
			return storage.StatisticsScope{}, nil, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "sv.err.year", y))
		}
		return storage.StatisticsScope{Year: year}, nil, nil
	}
	if v := q.Get("session"); v != "" {
		id, ok := parseID(v)
		for _, s := range sessions {
			if ok && s.ID == id {
				return storage.StatisticsScope{SessionID: id}, s, nil
			}
		}
		return storage.StatisticsScope{}, nil, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "sv.err.session", v))
	}
	if len(sessions) > 0 {
		return storage.StatisticsScope{SessionID: sessions[0].ID}, sessions[0], nil
	}
	return storage.StatisticsScope{}, nil, nil
}

// svStats are the statistics of the scope a 督办 request names (svScope),
// counted on today with its "due soon" (svSoonUntil): read the one way for
// the dashboard, its download and the API.
type svStats struct {
	Sessions    []*workflow.CongressSession
	Session     *workflow.CongressSession // nil for a year
	Scope       storage.StatisticsScope
	Today       workflow.Date
	SoonUntil   workflow.Date
	CalendarGap bool
	Statistics  *storage.Statistics
}

// svStatistics reads the statistics of r's scope (svStats).
func (s *server) svStatistics(r *http.Request) (*svStats, error) {
	sessions, err := s.db.Sessions(r.Context())
	if err != nil {
		return nil, err
	}
	scope, session, err := svScope(r, sessions)
	if err != nil {
		return nil, err
	}
	today := s.clock.Today()
	soon, gap, err := s.svSoonUntil(r, today)
	if err != nil {
		return nil, err
	}
	st, err := s.db.Statistics(r.Context(), scope, today, soon)
	if err != nil {
		return nil, err
	}
	return &svStats{Sessions: sessions, Session: session, Scope: scope, Today: today, SoonUntil: soon,
		CalendarGap: gap, Statistics: st}, nil
}

// svSoonUntil returns the last day that is "due soon" on day today
// (workflow.SoonUntil); gap is true when the calendar lacks a year it
// needs, so the day is approximate.
func (s *server) svSoonUntil(r *http.Request, today workflow.Date) (workflow.Date, bool, error) {
	cal, err := s.db.Calendar(r.Context())
	if err != nil {
		return workflow.Date{}, false, err
	}
	until, exact := workflow.SoonUntil(cal, today)
	return until, !exact, nil
}
