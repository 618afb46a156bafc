package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// exportWorld is the dashboard's dataset (TestSupervisionDashboard), where
// P2's deputy reports on the feedback form a meeting (座谈) the unit did
// not record, counted on 2024-11-25:
//
//	P1 lead ua  meeting recorded; sent 08-22 on time; class A; 满意
//	P2 lead ub  telephone; sent 10-15 (late); class C; 不满意, the deputy
//	            reports 座谈 → re-handling
//	P3 lead ua  untouched; P3 co ub untouched
type exportWorld struct {
	*svWorld
	cases map[string]int64
	// rows are each case's number and unit, as lists show them.
	rows map[string][2]string
}

func newExportWorld(t *testing.T) *exportWorld {
	t.Helper()
	w := &exportWorld{svWorld: newSVWorld(t, svAt(t, "2024-11-25")), cases: map[string]int64{}, rows: map[string][2]string{}}
	add := func(key string, p *workflow.Proposal, c *workflow.Case, unit string) {
		w.cases[key], w.rows[key] = c.ID, [2]string{p.Number, w.units[unit].Name}
	}
	p1 := w.proposal(t)
	c := w.assign(t, p1, "ua", workflow.KindLead, "2024-07-01")
	mustT(t, w.db.AddCommunication(w.ctx, w.actors["ua.drafter"], &storage.Communication{CaseID: c.ID,
		Method: workflow.ContactMeeting, HappenedOn: svDate(t, "2024-07-15"), Summary: "座谈"}, svAt(t, "2024-07-15")))
	c = w.reply(t, c, "ua", workflow.ClassA, "2024-08-20", "2024-08-22")
	c = w.act(t, c, workflow.ActionRecordFeedback, "liaison", "2024-09-01",
		workflow.Input{WorkRating: workflow.RatingSatisfied, ResultRating: workflow.RatingSatisfied})
	add("P1 lead", p1, c, "ua")

	p2 := w.proposal(t)
	c = w.assign(t, p2, "ub", workflow.KindLead, "2024-07-01")
	mustT(t, w.db.AddCommunication(w.ctx, w.actors["ub.drafter"], &storage.Communication{CaseID: c.ID,
		Method: workflow.ContactPhone, HappenedOn: svDate(t, "2024-07-15"), Summary: "电话"}, svAt(t, "2024-07-15")))
	c = w.reply(t, c, "ub", workflow.ClassC, "2024-10-14", "2024-10-15")
	c, err := w.db.Transition(w.ctx, storage.TransitionCmd{CaseID: c.ID, Action: workflow.ActionRecordFeedback, Actor: w.actors["liaison"],
		ExpectedVersion: c.Version, At: svAt(t, "2024-10-20"), ContactMethod: workflow.ContactMeeting, MetBy: "处长",
		Input: workflow.Input{WorkRating: workflow.RatingBasicallySatisfied, ResultRating: workflow.RatingDissatisfied}})
	mustT(t, err)
	add("P2 lead", p2, c, "ub")

	p3 := w.proposal(t)
	add("P3 lead", p3, w.assign(t, p3, "ua", workflow.KindLead, "2024-08-26"), "ua")
	add("P3 co", p3, w.assign(t, p3, "ub", workflow.KindCo, "2024-08-26"), "ub")
	return w
}

// download fetches path and checks it is a download of format.
func (b *svBrowser) download(path, format string) []byte {
	b.t.Helper()
	r := b.do(http.MethodGet, path, nil)
	wantStatusSV(b.t, "GET "+path, r, http.StatusOK)
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "."+format) {
		b.t.Errorf("GET %s: Content-Disposition %q", path, cd)
	}
	return []byte(r.Body)
}

// xlsxRows reads the rows of the first sheet of an XLSX file.
func xlsxRows(t *testing.T, raw []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	mustT(t, err)
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	mustT(t, err)
	return rows
}

// csvRows reads a CSV download, which must open with the UTF-8 BOM.
func csvRows(t *testing.T, raw []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
		t.Fatalf("the CSV does not open with the UTF-8 byte order mark: % x", raw[:min(len(raw), 8)])
	}
	rows, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
	mustT(t, err)
	return rows
}

// TestStatisticsExport: the dashboard's statistics downloaded as XLSX hold
// the page's figures — every figure of every unit and of the totals, read
// back with excelize and compared with the page's cells — and the CSV the
// same; 面商 reported by the deputy counts; headers follow the page's
// language; only the liaison may download.
func TestStatisticsExport(t *testing.T) {
	t.Parallel()
	w := newExportWorld(t)
	liaison := w.login(t, "liaison")
	page := liaison.get("/supervision").Body
	// 面商率: P1's recorded meeting and P2's reported one.
	if got := svText(svElement(page, `id="total-meeting_rate"`)); got != "100.0% (2/2)" {
		t.Errorf("面商率 %q, want 100.0%% (2/2): the deputy's report counts", got)
	}
	for _, format := range []string{"xlsx", "csv"} {
		raw := liaison.download(fmt.Sprintf("/supervision/export?session=%d&format=%s", w.session.ID, format), format)
		var rows [][]string
		if format == "xlsx" {
			rows = xlsxRows(t, raw)
		} else {
			rows = csvRows(t, raw)
		}
		header := rows[0]
		col := func(name string) int {
			i := slices.Index(header, name)
			if i < 0 {
				t.Fatalf("%s: no column %q in %q", format, name, header)
			}
			return i
		}
		byUnit := map[string][]string{}
		for _, r := range rows[1:] {
			byUnit[r[0]] = r
		}
		for _, unit := range []struct{ attr, name string }{{`data-unit="ua"`, "单位A"}, {`data-unit="ub"`, "单位B"}, {`data-unit=""`, "合计"}} {
			row := byUnit[unit.name]
			if row == nil {
				t.Fatalf("%s: no row %s in %q", format, unit.name, rows)
			}
			// The quality and satisfaction tables' cells, "66.7% (2/3)",
			// one per figure, under the figure's name.
			for _, table := range []string{"quality-table", "satisfaction-table"} {
				names := svHead(svElement(page, `id="`+table+`"`))[1:]
				cells := svRow(t, page, table, unit.attr)[1:]
				if len(names) != len(cells) || len(cells) != 8 {
					t.Fatalf("%s: %q / %q", table, names, cells)
				}
				for i, l := range names {
					got := fmt.Sprintf("%s (%s/%s)", row[col(l)], row[col(l+"（分子）")], row[col(l+"（分母）")])
					if got != cells[i] {
						t.Errorf("%s %s %s: %q, the page %q", format, unit.name, l, got, cells[i])
					}
				}
			}
			// The progress table's counts: cases, due soon, overdue.
			progress := svRow(t, page, "progress-table", unit.attr)
			n := len(progress)
			if got := []string{row[col("办件数")], row[col("即将到期")], row[col("已逾期")]}; !slices.Equal(got, progress[n-3:]) {
				t.Errorf("%s %s: counts %q, the page %q", format, unit.name, got, progress[n-3:])
			}
		}
		if !slices.Contains(header, "按时办复率") || !slices.Contains(header, "满意率（含基本满意）") || !slices.Contains(header, "办复率（按件）") {
			t.Errorf("%s header %q", format, header)
		}
	}
	// The XLSX carries the definitions on a sheet of their own.
	raw := liaison.download("/supervision/export?format=xlsx", "xlsx")
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	mustT(t, err)
	defs, err := f.GetRows("统计口径")
	mustT(t, err)
	if len(defs) < len(workflow.AllFigures()) || !strings.Contains(fmt.Sprint(defs), workflow.FigureOnTimeRate.DefinitionZH()) {
		t.Errorf("definitions sheet: %q", defs)
	}
	f.Close()

	// In English, English headers.
	liaison.lang = "en"
	rows := csvRows(t, liaison.download("/supervision/export?format=csv", "csv"))
	if !slices.Contains(rows[0], "On-time reply rate") || !slices.Contains(rows[0], "Unit") {
		t.Errorf("English header %q", rows[0])
	}
	// A bad format is refused; a unit may not download the statistics.
	if r := liaison.do(http.MethodGet, "/supervision/export?format=pdf", nil); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("format=pdf: %d, want 422", r.Status)
	}
	if r := w.login(t, "ua.approver").do(http.MethodGet, "/supervision/export?format=xlsx", nil); r.Status != http.StatusForbidden {
		t.Errorf("a unit's approver downloads the statistics: %d, want 403", r.Status)
	}
}

// TestListExports: a list's download holds the list's rows, in its order,
// with the same filters (the liaison's list behind a figure); a unit's
// download of its case list holds only what the unit may see, never
// another unit's cases; and the queue downloads.
func TestListExports(t *testing.T) {
	t.Parallel()
	w := newExportWorld(t)
	liaison := w.login(t, "liaison")
	name := map[string]string{}
	for k, id := range w.cases {
		name[fmt.Sprint(id)] = k
	}
	// Each list's rows as (number, unit), from the page.
	pageRows := func(page, table string) [][2]string {
		var out [][2]string
		for _, id := range svCaseIDs(page, table) {
			out = append(out, w.rows[name[id]])
		}
		return out
	}
	exportRows := func(rows [][]string, number, unit string) [][2]string {
		i, j := slices.Index(rows[0], number), slices.Index(rows[0], unit)
		if i < 0 || j < 0 {
			t.Fatalf("header %q lacks %s or %s", rows[0], number, unit)
		}
		var out [][2]string
		for _, r := range rows[1:] {
			out = append(out, [2]string{r[i], r[j]})
		}
		return out
	}
	for _, q := range []string{"", "measure=replied", "overdue=1", "measure=suggestions", "unit=ub"} {
		page := liaison.get("/supervision/cases?" + q).Body
		want := pageRows(page, "case-list")
		got := exportRows(xlsxRows(t, liaison.download("/supervision/cases/export?format=xlsx&"+q, "xlsx")), "建议编号", "承办单位")
		if !slices.Equal(got, want) || (q == "" && len(want) != 4) {
			t.Errorf("?%s: export %v, list %v", q, got, want)
		}
		if link := `href="/supervision/cases/export?`; !strings.Contains(page, link) {
			t.Errorf("?%s: the list has no download link", q)
		}
	}
	// The liaison's case list on the home page, all of it.
	page := liaison.get("/?past=1").Body
	got := exportRows(csvRows(t, liaison.download("/cases/export?past=1&format=csv", "csv")), "建议编号", "承办单位")
	if want := pageRows(page, "wb-table"); !slices.Equal(got, want) || len(want) != 4 {
		t.Errorf("liaison's case list: export %v, list %v", got, want)
	}
	// Unit B sees its own cases (P2 lead, P3 co) and nothing of unit A's.
	ub := w.login(t, "ub.drafter")
	got = exportRows(xlsxRows(t, ub.download("/cases/export?past=1&format=xlsx", "xlsx")), "建议编号", "承办单位")
	want := pageRows(ub.get("/?past=1").Body, "wb-table")
	if !slices.Equal(got, want) {
		t.Errorf("unit B: export %v, list %v", got, want)
	}
	for _, r := range got {
		if r[1] != "单位B" {
			t.Errorf("unit B's export holds a case of %s: %v", r[1], r)
		}
	}
	if len(got) != 2 {
		t.Errorf("unit B's export: %v, want P2 lead and P3 co", got)
	}
	// Unit B's queue: P2 re-handling and P3's co-opinion await it.
	rows := csvRows(t, ub.download("/queue/export?format=csv", "csv"))
	if len(rows) != 3 || !slices.Contains(rows[0], "待办事项") {
		t.Errorf("unit B's queue: %q", rows)
	}
	// Unit B may not download the liaison's lists.
	if r := ub.do(http.MethodGet, "/supervision/cases/export?format=csv", nil); r.Status != http.StatusForbidden {
		t.Errorf("unit B downloads the liaison's list: %d, want 403", r.Status)
	}
}

// TestRequestsExport: each list of the pending requests downloads with the
// page's rows.
func TestRequestsExport(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2024-09-03"))
	p := w.proposal(t)
	ret := w.assign(t, p, "ua", workflow.KindSeparate, "2024-09-02")
	w.act(t, ret, workflow.ActionRequestReturn, "ua.drafter", "2024-09-03", workflow.Input{Comment: "不属于本单位职责"})
	ext := w.assign(t, p, "ub", workflow.KindSeparate, "2024-09-02")
	w.act(t, ext, workflow.ActionRequestExtension, "ub.drafter", "2024-09-03",
		workflow.Input{Comment: "需要实地调研", Due: svDate(t, "2025-01-06")})
	liaison := w.login(t, "liaison")
	page := liaison.get("/supervision/requests").Body
	for list, want := range map[string][]string{
		"returns":    {p.Number, w.units["ua"].Name, "不属于本单位职责"},
		"extensions": {p.Number, w.units["ub"].Name, "需要实地调研", "2025-01-06"},
	} {
		link := "/supervision/requests/export?list=" + list + "&amp;format=csv"
		if !strings.Contains(page, link) {
			t.Errorf("the requests page has no link %s", link)
		}
		rows := csvRows(t, liaison.download("/supervision/requests/export?list="+list+"&format=csv", "csv"))
		if len(rows) != 2 || !slices.Contains(rows[0], "理由") {
			t.Fatalf("%s: %q", list, rows)
		}
		for _, v := range want {
			if !slices.Contains(rows[1], v) {
				t.Errorf("%s: row %q lacks %q", list, rows[1], v)
			}
		}
	}
}

// svHead is the texts of the header cells of an HTML table.
func svHead(table string) []string {
	i, j := strings.Index(table, "<thead>"), strings.Index(table, "</thead>")
	if i < 0 || j < i {
		return nil
	}
	var out []string
	for _, m := range svCells.FindAllStringSubmatch(table[i:j], -1) {
		out = append(out, svText(m[1]))
	}
	return out
}
