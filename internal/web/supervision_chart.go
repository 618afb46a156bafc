package web

import (
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// The dashboard's charts are drawn on the server as inline SVG: no script,
// no style attribute (the CSP allows neither), colours as SVG presentation
// attributes. Each is role="img" with a <title> and a <desc>, and every
// number it shows is in the tables beside it too. The geometry is computed
// here, in the SVG's user units; the viewBox scales it to the page.

// svChart is an SVG chart: its title and description (for assistive
// technology), its size, its bars and its legend.
type svChart struct {
	ID          string
	Title, Desc string
	Width       int
	Height      int
	// LabelX is where the bars' labels end (text-anchor end); BarX where
	// the bars begin.
	LabelX, BarX int
	Rows         []svChartRow
	Legend       []svLegendItem
}

// svChartRow is one bar (of stacked segments) with its label and its
// value written after it.
type svChartRow struct {
	Label    string
	Y        int // top of the bar
	TextY    int // baseline of the label and value
	Height   int
	Segments []svSegment
	Value    string
	ValueX   int
}

// svSegment is one coloured part of a bar.
type svSegment struct {
	X, Width int
	Fill     string
	Title    string
}

// svLegendItem is one swatch and its label.
type svLegendItem struct {
	X, Y  int
	Fill  string
	Label string
}

// Colours of the case states (the Okabe–Ito palette and a few more, told
// apart by the legend's words as well as by colour).
var svStateFill = map[workflow.State]string{
	workflow.StateAssigned:         "#56B4E9",
	workflow.StateReturnRequested:  "#E69F00",
	workflow.StateReturned:         "#999999",
	workflow.StateDrafting:         "#0072B2",
	workflow.StateInReview:         "#CC79A7",
	workflow.StateAwaitingApproval: "#F0E442",
	workflow.StateApproved:         "#009E73",
	workflow.StateReplied:          "#00594C",
	workflow.StateRehandling:       "#D55E00",
	workflow.StateClosed:           "#444444",
	workflow.StateOpinionSubmitted: "#8C6BB1",

	workflow.StateWithdrawn: "#BBBBBB",
	workflow.StateConverted: "#7F6A4E",
}

// Colours of the reply classes.
var svClassFill = map[workflow.ReplyClass]string{
	workflow.ClassA: "#1D6B2F", workflow.ClassB: "#0B4F9C", workflow.ClassC: "#B36B00", workflow.ClassD: "#666666",
}

// Geometry of the charts, in user units.
const (
	svChartWidth  = 760
	svLabelWidth  = 200
	svBarArea     = 440
	svBarHeight   = 26
	svRowGap      = 12
	svTop         = 8
	svLegendRow   = 30
	svLegendCols  = 3
	svLegendWidth = 250
)

// svStateChart draws the cases of each unit by state as stacked bars, in
// the order of states; label gives a state's and a unit's words in the
// page's language.
func svStateChart(st *storage.Statistics, states []workflow.State, stateLabel func(workflow.State) string,
	title, desc string) *svChart {
	c := &svChart{ID: "chart-states", Title: title, Desc: desc, Width: svChartWidth,
		LabelX: svLabelWidth - 10, BarX: svLabelWidth}
	most := 1
	for _, u := range st.Units {
		most = max(most, u.Cases)
	}
	y := svTop
	for _, u := range st.Units {
		name := u.Department.ShortName
		if name == "" {
			name = u.Department.Name
		}
		row := svChartRow{Label: name, Y: y, TextY: y + svBarHeight - 7, Height: svBarHeight,
			Value: fmt.Sprint(u.Cases)}
		x := svLabelWidth
		for _, s := range states {
			n := u.States[s]
			if n == 0 {
				continue
			}
			w := n * svBarArea / most
			row.Segments = append(row.Segments, svSegment{X: x, Width: max(w, 1), Fill: svStateFill[s],
				// The unit's name, data, is the row's label; the tooltip
				// says the page's own words only.
				Title: fmt.Sprintf("%s: %d", stateLabel(s), n)})
			x += w
		}
		row.ValueX = x + 8
		c.Rows = append(c.Rows, row)
		y += svBarHeight + svRowGap
	}
	y += 6
	for i, s := range states {
		c.Legend = append(c.Legend, svLegendItem{X: (i % svLegendCols) * svLegendWidth, Y: y + (i/svLegendCols)*svLegendRow,
			Fill: svStateFill[s], Label: stateLabel(s)})
	}
	c.Height = y + ((len(states)+svLegendCols-1)/svLegendCols)*svLegendRow + 4
	return c
}

// svClassChart draws the share of each reply class of f as a bar of its
// own, the share written after it.
func svClassChart(f storage.Figures, classLabel func(workflow.ReplyClass) string, title, desc string) *svChart {
	c := &svChart{ID: "chart-classes", Title: title, Desc: desc, Width: svChartWidth,
		LabelX: svLabelWidth - 10, BarX: svLabelWidth}
	y := svTop
	for _, cl := range workflow.AllReplyClasses() {
		share := f.ClassShare(cl)
		w := int(share.Value() * svBarArea)
		row := svChartRow{Label: classLabel(cl), Y: y, TextY: y + svBarHeight - 7, Height: svBarHeight,
			Value: fmt.Sprintf("%s (%d)", share.Percent(), share.Num), ValueX: svLabelWidth + w + 8}
		if w > 0 {
			row.Segments = []svSegment{{X: svLabelWidth, Width: w, Fill: svClassFill[cl],
				Title: fmt.Sprintf("%s: %s", classLabel(cl), share.Percent())}}
		}
		c.Rows = append(c.Rows, row)
		y += svBarHeight + svRowGap
	}
	c.Height = y
	return c
}

// SVG is the chart as the page shows it. Written here in one pass: the
// progress chart of 60 units has some 500 shapes, which the template drew
// in about a quarter of the dashboard's time.
func (c *svChart) SVG() template.HTML {
	var b strings.Builder
	b.Grow(400 + len(c.Rows)*(200+8*110) + len(c.Legend)*200)
	esc := html.EscapeString
	num := func(n int) string { return strconv.Itoa(n) }
	id := esc(c.ID)
	b.WriteString(`<svg id="` + id + `" viewBox="0 0 ` + num(c.Width) + ` ` + num(c.Height) + `" width="100%" role="img" aria-labelledby="` +
		id + `-title ` + id + `-desc" xmlns="http://www.w3.org/2000/svg" font-size="17">`)
	b.WriteString("\n    <title id=\"" + id + `-title">` + esc(c.Title) + "</title>")
	b.WriteString("\n    <desc id=\"" + id + `-desc">` + esc(c.Desc) + "</desc>")
	for _, r := range c.Rows {
		b.WriteString("\n    <text x=\"" + num(c.LabelX) + `" y="` + num(r.TextY) + `" text-anchor="end" fill="#1b1b1b" lang="zh-CN">` + esc(r.Label) + "</text>")
		for _, s := range r.Segments {
			b.WriteString("\n    <rect x=\"" + num(s.X) + `" y="` + num(r.Y) + `" width="` + num(s.Width) + `" height="` + num(r.Height) +
				`" fill="` + esc(s.Fill) + `"><title>` + esc(s.Title) + "</title></rect>")
		}
		b.WriteString("\n    <text x=\"" + num(r.ValueX) + `" y="` + num(r.TextY) + `" fill="#1b1b1b">` + esc(r.Value) + "</text>")
	}
	for _, l := range c.Legend {
		b.WriteString("\n    <rect x=\"" + num(l.X) + `" y="` + num(l.Y) + `" width="18" height="18" fill="` + esc(l.Fill) + `" stroke="#1b1b1b" stroke-width="0.5"/>`)
		b.WriteString("\n    <text x=\"" + num(l.X+24) + `" y="` + num(l.Y+15) + `" fill="#1b1b1b">` + esc(l.Label) + "</text>")
	}
	b.WriteString("\n  </svg>")
	return template.HTML(b.String())
}
