package report

import (
	"context"
	"fmt"
	"strings"

	"github.com/banli-gov/banli/internal/docx"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// Facts are what a report says: the statistics of one session, its key
// suggestions, who writes it and when.
type Facts struct {
	Session *workflow.CongressSession
	// Stats are the session's statistics (storage.DB.Statistics with the
	// session's scope).
	Stats *storage.Statistics
	// Key are the session's key suggestions, one per replying case
	// (storage.DB.KeySuggestions).
	Key []*storage.KeySuggestion
	// Office is the supervising office that reports (the liaison office's
	// name); Date the day the report is dated.
	Office string
	Date   workflow.Date
}

// Load reads the facts of the report of session as of today: the
// statistics the dashboard shows for it that day, its key suggestions
// and the liaison office's name.
func Load(ctx context.Context, db *storage.DB, session *workflow.CongressSession, today workflow.Date) (*Facts, error) {
	cal, err := db.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	soon, _ := workflow.SoonUntil(cal, today)
	st, err := db.Statistics(ctx, storage.StatisticsScope{SessionID: session.ID}, today, soon)
	if err != nil {
		return nil, err
	}
	key, err := db.KeySuggestions(ctx, session.ID)
	if err != nil {
		return nil, err
	}
	depts, err := db.Departments(ctx)
	if err != nil {
		return nil, err
	}
	f := &Facts{Session: session, Stats: st, Key: key, Date: today}
	for _, d := range depts {
		if d.LiaisonOffice {
			f.Office = d.Name
			break
		}
	}
	return f, nil
}

// Title is the report's title: 关于{session}代表建议办理情况的报告.
func (f *Facts) Title() string {
	return "关于" + f.Session.Name + "代表建议办理情况的报告"
}

// FileName is a name for the report's file, without extension.
func (f *Facts) FileName() string {
	return f.Session.ShortName + "-代表建议办理情况报告-" + f.Date.String()
}

// Units are the units with cases in the session, in the statistics'
// order.
func (f *Facts) Units() []storage.UnitFigures {
	var out []storage.UnitFigures
	for _, u := range f.Stats.Units {
		if u.Cases > 0 {
			out = append(out, u)
		}
	}
	return out
}

// Placeholder marks the part of the report the liaison writes.
const Placeholder = "（此部分由督办人员补充）"

// pct is the figure fig of figures, as the dashboard shows it.
func pct(fg storage.Figures, fig workflow.Figure) string { return fg.Rate(fig).Percent() }

// opening is the paragraph under the title: the totals and the main
// rates in words.
func (f *Facts) opening() string {
	t := f.Stats.Total
	var b strings.Builder
	fmt.Fprintf(&b, "%s共交办代表建议%d件，涉及承办单位%d个，主办、分办办件%d件次。",
		f.Session.Name, t.Suggestions, len(f.Units()), t.Replying)
	fmt.Fprintf(&b, "截至%s，已办复建议%d件，%s%s；已答复办件%d件次，%s%s；",
		f.Date.OfficialDate(), t.SuggestionsReplied, workflow.FigureReplyRateSuggestions.LabelZH(), pct(t, workflow.FigureReplyRateSuggestions),
		t.Replied, workflow.FigureReplyRate.LabelZH(), pct(t, workflow.FigureReplyRate))
	fmt.Fprintf(&b, "%s%s；%s%s；代表%s%s。",
		workflow.FigureOnTimeRate.LabelZH(), pct(t, workflow.FigureOnTimeRate),
		workflow.FigureMeetingRate.LabelZH(), pct(t, workflow.FigureMeetingRate),
		workflow.FigureSatisfiedInclBasic.LabelZH(), pct(t, workflow.FigureSatisfiedInclBasic))
	if t.Withdrawn+t.Converted > 0 {
		fmt.Fprintf(&b, "另有代表撤回建议%d件、不作为建议处理%d件，不计入上述各项指标。", t.Withdrawn, t.Converted)
	}
	b.WriteString("现将有关情况报告如下：")
	return b.String()
}

// basics are the paragraphs of 一、基本情况.
func (f *Facts) basics() []string {
	t := f.Stats.Total
	rate := func(fig workflow.Figure) string {
		r := t.Rate(fig)
		return fmt.Sprintf("%s%s（%d/%d）", fig.LabelZH(), r.Percent(), r.Num, r.Den)
	}
	out := []string{
		fmt.Sprintf("（一）办复情况。交办建议%d件，已办复%d件，%s；主办、分办办件%d件次，已答复%d件次，%s；其中按时答复%d件次，%s。",
			t.Suggestions, t.SuggestionsReplied, rate(workflow.FigureReplyRateSuggestions), t.Replying, t.Replied,
			rate(workflow.FigureReplyRate), t.OnTime, rate(workflow.FigureOnTimeRate)),
		fmt.Sprintf("（二）沟通情况。已答复的办件中，承办单位与代表座谈或走访（含代表在征询意见表中填报）的%d件次，%s。",
			t.Met, rate(workflow.FigureMeetingRate)),
	}
	var classes []string
	for _, c := range workflow.AllReplyClasses() {
		r := t.ClassShare(c)
		classes = append(classes, fmt.Sprintf("%s类（%s）%d件次，占%s", c, c.LabelZH(), r.Num, r.Percent()))
	}
	out = append(out, fmt.Sprintf("（三）办理结果分类。已答复的%d件次中，%s。", t.Replied, strings.Join(classes, "；")))
	out = append(out, fmt.Sprintf("（四）代表满意度。收到代表征询意见表%d件次，对办理结果%s，%s，%s，%s；初次办理收到征询意见表%d件次，%s，%s。",
		t.Feedback, rate(workflow.FigureSatisfied), rate(workflow.FigureBasicallySatisfied), rate(workflow.FigureDissatisfied),
		rate(workflow.FigureSatisfiedInclBasic), t.FirstFeedback, rate(workflow.FigureFirstSatisfied),
		rate(workflow.FigureFirstSatisfiedInclBasic)))
	return out
}

// unitFigures are the figures of the units' table.
var unitFigures = []workflow.Figure{workflow.FigureReplyRate, workflow.FigureOnTimeRate, workflow.FigureMeetingRate,
	workflow.FigureSatisfiedInclBasic}

// UnitRow is a row of the units' table: the unit's name, its replying
// cases (交办件数), its replied cases, then each figure of unitFigures.
func UnitRow(name string, fg storage.Figures) []string {
	row := []string{name, fmt.Sprint(fg.Replying), fmt.Sprint(fg.Replied)}
	for _, fig := range unitFigures {
		row = append(row, pct(fg, fig))
	}
	return row
}

// UnitHeader is the header row of the units' table.
func UnitHeader() []string {
	h := []string{"承办单位", "交办件数（件次）", "已答复（件次）"}
	for _, fig := range unitFigures {
		h = append(h, fig.LabelZH())
	}
	return h
}

// keyParagraph is a key suggestion's paragraph in 三、重点建议办理情况.
func keyParagraph(i int, k *storage.KeySuggestion) string {
	leader := k.LeaderTitle + k.LeaderName
	if leader == "" {
		leader = "未确定"
	}
	s := fmt.Sprintf("（%s）第%s号《%s》。领衔督办：%s；承办单位：%s；办理状态：%s；", chineseNumber(i+1), k.Number, k.Title,
		leader, k.Department, k.State.LabelZH())
	if k.LastReport.ID == 0 {
		return s + "尚未报送办理进展。"
	}
	body := strings.TrimRight(strings.Join(strings.Fields(k.LastReport.Body), ""), "。")
	return s + fmt.Sprintf("最近一次办理进展（%s报送）：%s。", k.LastReport.ReportedOn.OfficialDate(), body)
}

// chineseNumber writes n (1–99) in Chinese numerals, as headings count
// (一, 十二, 二十三).
func chineseNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	case n < 100:
		return digits[n/10] + "十" + digits[n%10]
	}
	return fmt.Sprint(n)
}

// outcomes are the paragraphs of 四、撤回和不作为建议处理情况.
func (f *Facts) outcomes() []string {
	t := f.Stats.Total
	if t.Withdrawn+t.Converted == 0 {
		return []string{"本次会议期间，没有代表撤回的建议，也没有不作为建议处理的建议。"}
	}
	out := []string{fmt.Sprintf("代表撤回建议%d件，经审查不作为建议处理%d件。以上建议不再答复，不计入办复率、按时办复率、面商率和满意率等指标。",
		t.Withdrawn, t.Converted)}
	var units []string
	for _, u := range f.Units() {
		var parts []string
		if u.Withdrawn > 0 {
			parts = append(parts, fmt.Sprintf("撤回%d件", u.Withdrawn))
		}
		if u.Converted > 0 {
			parts = append(parts, fmt.Sprintf("不作为建议处理%d件", u.Converted))
		}
		if len(parts) > 0 {
			units = append(units, u.Department.Name+strings.Join(parts, "、"))
		}
	}
	if len(units) > 0 {
		out = append(out, "按承办单位分："+strings.Join(units, "；")+"。")
	}
	return out
}

// Document lays the report out as a 公文 on A4 (GB/T 9704): the note that
// it is a draft, the title, the opening, the five sections, the units'
// table, the office and the date.
func (f *Facts) Document() *docx.Document {
	d := docx.New()
	d.Title = f.Title()
	body := func(s string) { d.Add(&docx.Paragraph{IndentChars: 2, Runs: []docx.Run{{Text: s}}}) }
	heading := func(s string) {
		d.Add(&docx.Paragraph{IndentChars: 2, KeepNext: true, Runs: []docx.Run{{Text: s, Font: docx.FontHeading}}})
	}
	d.Add(&docx.Paragraph{Runs: []docx.Run{{Text: fmt.Sprintf("（草稿：由系统根据%s的办理统计生成，数字与督办统计页面一致，供督办人员修改完善后使用）",
		f.Date.OfficialDate()), Font: docx.FontSecondHeading, Size: docx.SizeSiHao}}})
	d.Add(&docx.Paragraph{Align: docx.AlignCenter, SpaceBefore: 1, SpaceAfter: 1,
		Runs: []docx.Run{{Text: d.Title, Font: docx.FontTitle, Size: docx.SizeErHao}}})
	body(f.opening())

	heading("一、基本情况")
	for _, p := range f.basics() {
		body(p)
	}

	heading("二、各承办单位办理情况")
	units := f.Units()
	body(fmt.Sprintf("本次会议建议由%d个承办单位办理，各单位办理情况如下表（交办件数为主办、分办办件，不含协办；各率口径与督办统计一致）。", len(units)))
	cell := func(s string, bold bool, align docx.Align) docx.Cell {
		return docx.Cell{Paragraphs: []*docx.Paragraph{{Align: align, Runs: []docx.Run{{Text: s, Size: docx.SizeWuHao, Bold: bold}}}}}
	}
	row := func(cells []string, bold bool) []docx.Cell {
		var out []docx.Cell
		for i, s := range cells {
			align := docx.AlignCenter
			if i == 0 {
				align = docx.AlignLeft
			}
			out = append(out, cell(s, bold, align))
		}
		return out
	}
	tbl := &docx.Table{Header: true, Widths: []float64{46, 18, 18, 18, 18, 18, 20}}
	tbl.Rows = append(tbl.Rows, row(UnitHeader(), true))
	for _, u := range units {
		tbl.Rows = append(tbl.Rows, row(UnitRow(u.Department.Name, u.Figures), false))
	}
	tbl.Rows = append(tbl.Rows, row(UnitRow("合计", f.Stats.Total), true))
	d.Add(tbl)

	heading("三、重点建议办理情况")
	if len(f.Key) == 0 {
		body("本次会议未确定重点建议。")
	} else {
		proposals := map[int64]bool{}
		for _, k := range f.Key {
			proposals[k.ProposalID] = true
		}
		body(fmt.Sprintf("本次会议确定重点建议%d件，由领导领衔督办，各承办单位办理情况如下：", len(proposals)))
		for i, k := range f.Key {
			body(keyParagraph(i, k))
		}
	}

	heading("四、撤回和不作为建议处理情况")
	for _, p := range f.outcomes() {
		body(p)
	}

	heading("五、存在的问题和下一步工作")
	body(Placeholder)

	d.Add(&docx.Paragraph{Align: docx.AlignRight, RightChars: 4, SpaceBefore: 2, Runs: []docx.Run{{Text: f.Office}}})
	d.Add(&docx.Paragraph{Align: docx.AlignRight, RightChars: 4, Runs: []docx.Run{{Text: f.Date.OfficialDate()}}})
	return d
}

// DOCX writes the report as a .docx file.
func (f *Facts) DOCX() ([]byte, error) { return f.Document().Bytes() }
