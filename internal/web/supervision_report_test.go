package web_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/docx"
)

var svRows = regexp.MustCompile(`(?s)<tr[ >].*?</tr>`)

// svTableCells maps each row of the HTML table with id table, by its
// first cell (the unit's name), to its cells by the header's names.
func svTableCells(t *testing.T, page, table string) map[string]map[string]string {
	t.Helper()
	tbl := svElement(page, `id="`+table+`"`)
	head := svHead(tbl)
	if tbl == "" || len(head) < 2 {
		t.Fatalf("no table %s", table)
	}
	out := map[string]map[string]string{}
	for _, row := range svRows.FindAllString(tbl[strings.Index(tbl, "</thead>"):], -1) {
		var cells []string
		for _, m := range svCells.FindAllStringSubmatch(row, -1) {
			cells = append(cells, svText(m[1]))
		}
		if len(cells) != len(head) {
			t.Fatalf("%s: row %q under %q", table, cells, head)
		}
		byName := map[string]string{}
		for i, h := range head[1:] {
			byName[h] = cells[i+1]
		}
		out[cells[0]] = byName
	}
	return out
}

// TestSupervisionReport: the dashboard's 办理情况报告（DOCX） of the demo's
// current session reopens as a document whose opening quotes the page's
// totals — 办复率 by suggestion and by assignment, 按时办复率, 面商率,
// 满意率（含基本满意） — whose table holds each unit's rates as the page's
// quality and satisfaction tables show them, and which reports the key
// suggestion on 东湖 with its leader and progress; a unit's drafter may
// not download it, and a year is not a session.
func TestSupervisionReport(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	liaison := cw.login(t, "dcs.liaison")
	_, page := liaison.get("/supervision")
	link := svElement(page, `id="sv-report"`)
	if !strings.Contains(link, "办理情况报告（DOCX）") {
		t.Fatalf("the dashboard offers no report: %q", link)
	}
	href := html.UnescapeString(svLinks(link)[0])
	resp, body := liaison.get(href)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "wordprocessingml") ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("GET %s: %d %q %q", href, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	paras, err := docx.ParagraphsOf([]byte(body))
	mustT(t, err)
	text := strings.Join(paras, "\n")

	sessions, err := cw.db.Sessions(cw.ctx)
	mustT(t, err)
	cur := sessions[0]
	if !strings.Contains(href, fmt.Sprintf("session=%d", cur.ID)) {
		t.Errorf("the report link %q is not the page's session %d", href, cur.ID)
	}
	if !strings.HasPrefix(paras[0], "（草稿") {
		t.Errorf("the first line does not say the report is a draft: %q", paras[0])
	}
	if want := "关于" + cur.Name + "代表建议办理情况的报告"; !slices.Contains(paras, want) {
		t.Errorf("no title %q in %q", want, paras[:3])
	}

	// The opening paragraph quotes the page's totals.
	opening := paras[2]
	for _, fig := range []struct{ id, label string }{
		{"reply_rate_suggestions", "办复率（按件）"}, {"reply_rate", "办复率（按件次）"}, {"on_time_rate", "按时办复率"},
		{"meeting_rate", "面商率"}, {"satisfied_incl_basic", "满意率（含基本满意）"},
	} {
		cell := svText(svElement(page, `id="total-`+fig.id+`"`))
		pct, _, _ := strings.Cut(cell, " ")
		if cell == "" || !strings.Contains(opening, fig.label+pct) {
			t.Errorf("the opening lacks %s%s (the page: %q): %q", fig.label, pct, cell, opening)
		}
	}

	// The units' table: each unit's rates as the page's tables show them.
	page2 := map[string]map[string]string{}
	for _, table := range []string{"quality-table", "satisfaction-table"} {
		for unit, cells := range svTableCells(t, page, table) {
			if page2[unit] == nil {
				page2[unit] = map[string]string{}
			}
			for k, v := range cells {
				page2[unit][k] = v
			}
		}
	}
	header := []string{"承办单位", "交办件数（件次）", "已答复（件次）", "办复率（按件次）", "按时办复率", "面商率", "满意率（含基本满意）"}
	start := slices.Index(paras, header[0])
	if start < 0 || !slices.Equal(paras[start:start+len(header)], header) {
		t.Fatalf("no units' table headed %q in %q", header, paras)
	}
	rows := 0
	for i := start + len(header); i+len(header) <= len(paras); i += len(header) {
		row := paras[i : i+len(header)]
		cells, ok := page2[row[0]] // the totals' row is 合计 on both
		if !ok {
			t.Fatalf("the report's row %q is no unit of the page (%d units)", row, len(page2))
		}
		for j, label := range header[3:] {
			pct, _, _ := strings.Cut(cells[label], " ")
			if row[3+j] != pct {
				t.Errorf("%s %s: the report %q, the page %q", row[0], label, row[3+j], cells[label])
			}
		}
		// 交办件数 and 已答复 are 办复率（按件次）'s denominator and numerator.
		if want := fmt.Sprintf("(%s/%s)", row[2], row[1]); !strings.HasSuffix(cells["办复率（按件次）"], want) {
			t.Errorf("%s: counts %s/%s, the page's 办复率 %q", row[0], row[2], row[1], cells["办复率（按件次）"])
		}
		rows++
		if row[0] == "合计" {
			break
		}
	}
	if rows < 3 {
		t.Errorf("the units' table has %d rows", rows)
	}

	// The key suggestion, its leader, unit and latest progress.
	key := fmt.Sprintf("第%d0501号《关于系统推进东湖水环境综合治理的建议》", cur.OpenedOn.Year)
	i := slices.IndexFunc(paras, func(p string) bool { return strings.Contains(p, key) })
	if i < 0 {
		t.Fatalf("no key suggestion %s in %q", key, text)
	}
	for _, want := range []string{"副市长王建国", "武汉市生态环境局", "最近一次办理进展", "入湖排口"} {
		if !strings.Contains(paras[i], want) {
			t.Errorf("the key suggestion's paragraph lacks %q: %q", want, paras[i])
		}
	}
	for _, want := range []string{"一、基本情况", "二、各承办单位办理情况", "三、重点建议办理情况", "四、撤回和不作为建议处理情况",
		"五、存在的问题和下一步工作", "（此部分由督办人员补充）", "武汉市人民政府办公厅督查室"} {
		if !slices.Contains(paras, want) {
			t.Errorf("the report lacks the paragraph %q", want)
		}
	}

	// Only the liaison; a year is refused in words.
	if r, _ := cw.login(t, "sthj.drafter").get(href); r.StatusCode != http.StatusForbidden {
		t.Errorf("a unit's drafter downloads the report: %d, want 403", r.StatusCode)
	}
	if r, b := liaison.get("/supervision/report?year=2024"); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(b, "请先选择一次会议") {
		t.Errorf("a year's report: %d, want 422 with a message", r.StatusCode)
	}
}
