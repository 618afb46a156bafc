package imports_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/banli-gov/banli/internal/imports"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

var listHeader = []string{"建议编号", "标题", "内容", "领衔代表", "联名代表", "代表团", "分类", "主办单位", "协办单位", "分办单位", "交办日期", "是否重点"}

// goodList is an assignment list of n suggestions: the first assigned on
// 2024-07-01 to a lead unit and a co-unit, the others today, alternately
// to a lead unit alone and to two separate units.
func goodList(n int) [][]string {
	rows := [][]string{listHeader}
	for i := 1; i <= n; i++ {
		r := []string{fmt.Sprintf("2024%04d", i), fmt.Sprintf("关于第%d件事的建议", i), "一、问题\n二、建议", "李娜", "王芳、张伟（江岸区代表团）",
			"武昌区代表团", "建议", "市住更局", "", "", "", "否"}
		switch {
		case i == 1:
			r[8], r[10], r[11] = "武汉市财政局", "2024-07-01", "是"
		case i%2 == 0:
			r[7], r[9] = "", "czj；市交通运输局"
		}
		rows = append(rows, r)
	}
	return rows
}

// TestImportCreatesAndAssignsEveryProposal: a good list registers every
// suggestion with its deputies and assigns it as a liaison does by hand —
// cases, due dates by the rules, reminder jobs, audit events, the units'
// notifications — records the import, and importing it again (as CSV or
// XLSX) changes nothing.
func TestImportCreatesAndAssignsEveryProposal(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	list := goodList(6)
	plan, err := imports.PlanProposals(bn.ctx, bn.db, bn.session, "交办清单.csv", csvOf(t, list), bn.db.Clock.Now())
	must(t, err)
	if !plan.OK() {
		t.Fatalf("problems: %v", plan.Problems)
	}
	// 1 + 2×3 + 3 cases: row 1 lead+co, rows 2,4,6 two separate, rows 3,5 lead alone.
	if plan.Count(imports.StatusCreate) != 6 || plan.Cases() != 10 {
		t.Fatalf("plan: %d to create, %d cases; want 6 and 10", plan.Count(imports.StatusCreate), plan.Cases())
	}
	if plan.Count(imports.StatusCreate) != 6 || bn.count(t, "proposals") != 0 {
		t.Fatal("planning wrote")
	}
	rec, err := imports.ImportProposalPlan(bn.ctx, bn.db, plan, bn.by, bn.liaison)
	must(t, err)
	if rec.Created != 6 || rec.Assigned != 10 || rec.Skipped != 0 {
		t.Errorf("record: %+v", rec)
	}
	if bn.count(t, "proposals") != 6 || bn.count(t, "cases") != 10 {
		t.Fatalf("%d proposals, %d cases; want 6 and 10", bn.count(t, "proposals"), bn.count(t, "cases"))
	}
	// Row 1: lead 市住更局 and co 市财政局, assigned 2024-07-01: the reply is
	// due 2024-10-08 (after the National Day holiday), the co-opinion a
	// month on, 2024-08-01.
	first := bn.proposalNumbered(t, "20240001")
	if first.Title != "关于第1件事的建议" || first.Body != "一、问题\n二、建议" || first.SubmittedOn != date(t, "2024-07-01") {
		t.Errorf("proposal 20240001: %+v", first)
	}
	deps, err := bn.db.ProposalDeputies(bn.ctx, first.ID)
	must(t, err)
	var names []string
	for _, d := range deps {
		names = append(names, d.Name+"/"+d.Delegation)
	}
	if want := []string{"李娜/武昌区代表团", "王芳/洪山区代表团", "张伟/江岸区代表团"}; !slices.Equal(names, want) || !deps[0].Lead {
		t.Errorf("deputies %v, want %v with the lead first", names, want)
	}
	cases, err := bn.db.CasesOfProposal(bn.ctx, first.ID)
	must(t, err)
	if len(cases) != 2 || cases[0].Kind != workflow.KindLead || cases[0].DepartmentID != bn.units["zgj"].ID ||
		cases[1].Kind != workflow.KindCo || cases[1].DepartmentID != bn.units["czj"].ID {
		t.Fatalf("cases of 20240001: %+v", cases)
	}
	if cases[0].ReplyDue != date(t, "2024-10-08") || cases[1].CoOpinionDue != date(t, "2024-08-01") {
		t.Errorf("due dates: reply %s, co-opinion %s; want 2024-10-08 and 2024-08-01", cases[0].ReplyDue, cases[1].CoOpinionDue)
	}
	// Row 2: two separate units, assigned today.
	second := bn.proposalNumbered(t, "20240002")
	cases2, err := bn.db.CasesOfProposal(bn.ctx, second.ID)
	must(t, err)
	if len(cases2) != 2 || cases2[0].Kind != workflow.KindSeparate || cases2[1].Kind != workflow.KindSeparate {
		t.Fatalf("cases of 20240002: %+v", cases2)
	}
	for _, c := range cases2 {
		if workflow.DateOf(c.AssignedAt) != bn.db.Clock.Today() || c.ReplyDue.IsZero() {
			t.Errorf("case %d assigned %s, due %s", c.ID, c.AssignedAt, c.ReplyDue)
		}
		var reminders, events, notices int
		must(t, bn.db.Pool.QueryRow(bn.ctx, `SELECT count(*) FROM river_job j JOIN deadlines d ON d.id = (j.args->>'deadline_id')::bigint
			WHERE j.kind = 'deadline_reminder' AND d.case_id = $1`, c.ID).Scan(&reminders))
		must(t, bn.db.Pool.QueryRow(bn.ctx, `SELECT count(*) FROM case_events WHERE case_id = $1 AND action = 'assign'`, c.ID).Scan(&events))
		must(t, bn.db.Pool.QueryRow(bn.ctx, `SELECT count(*) FROM notifications WHERE case_id = $1`, c.ID).Scan(&notices))
		if reminders == 0 || events != 1 || notices == 0 {
			t.Errorf("case %d: %d reminder jobs, %d assign events, %d notifications", c.ID, reminders, events, notices)
		}
	}
	got, err := bn.db.Imports(bn.ctx, 10)
	must(t, err)
	if len(got) != 1 || got[0].FileName != "交办清单.csv" || got[0].By.Name != "督办人员" || got[0].Rows != 6 || got[0].Created != 6 || got[0].Assigned != 10 {
		t.Fatalf("import records: %+v", got)
	}

	// Again, as CSV and as XLSX: every row is already there.
	cells := make([][]any, len(list))
	for i, r := range list {
		for _, c := range r {
			cells[i] = append(cells[i], c)
		}
	}
	for name, data := range map[string][]byte{"again.csv": csvOf(t, list), "again.xlsx": xlsxOf(t, cells)} {
		plan, err := imports.PlanProposals(bn.ctx, bn.db, bn.session, name, data, bn.db.Clock.Now())
		must(t, err)
		if !plan.OK() || plan.Count(imports.StatusSkip) != 6 || plan.Cases() != 0 {
			t.Fatalf("%s: problems %v, %d skipped, %d cases", name, plan.Problems, plan.Count(imports.StatusSkip), plan.Cases())
		}
		events := bn.count(t, "case_events")
		rec, err := imports.ImportProposalPlan(bn.ctx, bn.db, plan, bn.by, bn.liaison)
		must(t, err)
		if rec.Created != 0 || rec.Assigned != 0 || rec.Skipped != 6 || bn.count(t, "proposals") != 6 || bn.count(t, "cases") != 10 ||
			bn.count(t, "case_events") != events {
			t.Errorf("%s imported again: %+v", name, rec)
		}
	}

	// The same number with another title is refused, naming the row.
	changed := goodList(2)
	changed[2][1] = "关于另一件事的建议"
	plan, err = imports.PlanProposals(bn.ctx, bn.db, bn.session, "changed.csv", csvOf(t, changed), bn.db.Clock.Now())
	must(t, err)
	if len(plan.Problems) != 1 || plan.Problems[0].Row != 3 || plan.Problems[0].Column != "建议编号" || plan.Problems[0].Code != "numberTaken" {
		t.Errorf("problems: %+v", plan.Problems)
	}
}

func (bn *bundle) proposalNumbered(t *testing.T, number string) *workflow.Proposal {
	t.Helper()
	var id int64
	must(t, bn.db.Pool.QueryRow(bn.ctx, `SELECT id FROM proposals WHERE session_id = $1 AND number = $2`, bn.session.ID, number).Scan(&id))
	p, err := bn.db.Proposal(bn.ctx, id)
	must(t, err)
	return p
}

// TestImportWithABadRowCreatesNothing: among many good rows, each bad cell
// is named with its row as the spreadsheet numbers it, its column and the
// reason — all of them at once — and nothing at all is written.
func TestImportWithABadRowCreatesNothing(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	list := goodList(40)
	// Spreadsheet row n is list[n-1] (row 1 is the header).
	list[17][7] = "武汉市不存在局"                                    // row 18
	list[23][0] = "20240005"                                   // row 24: row 6 has it
	list[30][10] = "2024-02-30"                                // row 31
	list[31][1] = ""                                           // row 32
	list[32][7], list[32][8], list[32][9] = "市住更局", "市住更局", "" // row 33: lead and co
	list[33][3] = "赵六"                                         // row 34
	list[34][4] = "张伟"                                         // row 35: two of that name
	list[35][7], list[35][9] = "", ""                          // row 36: a lead unit alone on an odd row → none
	list[36][11] = "也许"                                        // row 37
	list[37][7] = "督查室"                                        // row 38
	plan, err := imports.PlanProposals(bn.ctx, bn.db, bn.session, "list.csv", csvOf(t, list), bn.db.Clock.Now())
	must(t, err)
	type where struct {
		row  int
		col  string
		code string
	}
	var got []where
	for _, p := range plan.Problems {
		got = append(got, where{p.Row, p.Column, p.Code})
	}
	want := []where{
		{18, "主办单位", "unknownUnit"}, {24, "建议编号", "duplicateNumber"}, {31, "交办日期", "badDate"}, {32, "标题", "required"},
		{33, "协办单位", "leadAndCo"}, {34, "领衔代表", "unknownDeputy"}, {35, "联名代表", "ambiguousDeputy"}, {36, "主办单位", "noUnit"},
		{37, "是否重点", "badYesNo"}, {38, "主办单位", "notAUnit"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n got %v\nwant %v", got, want)
	}
	for _, w := range []string{
		"第 18 行「主办单位」列：没有名为“武汉市不存在局”的承办单位",
		"第 24 行「建议编号」列：编号 20240005 在本文件第 6 行已出现。",
		"第 31 行「交办日期」列：“2024-02-30”不是日期",
		"第 32 行「标题」列：不能为空。",
		"第 35 行「联名代表」列：有多位名为“张伟”的代表，请写成“姓名（代表团）”。",
	} {
		if !slices.ContainsFunc(plan.Problems, func(p imports.Problem) bool { return strings.HasPrefix(p.Message(ui.LangZH), w) }) {
			t.Errorf("no problem reads %q", w)
		}
	}
	if _, err := imports.ImportProposalPlan(bn.ctx, bn.db, plan, bn.by, bn.liaison); workflow.Code(err) != workflow.ErrInvalid {
		t.Errorf("importing a plan with problems: %v", err)
	}
	for _, table := range []string{"proposals", "cases", "case_events", "notifications", "imports", "river_job"} {
		if n := bn.count(t, table); n != 0 {
			t.Errorf("%d rows in %s", n, table)
		}
	}
}

// TestReadTable reads the same list as CSV in UTF-8 (with and without a
// byte-order mark) and in GBK, and as XLSX with a real date cell, columns
// in another order, an unknown column and a blank row; the rows keep the
// spreadsheet's numbers.
func TestReadTable(t *testing.T) {
	t.Parallel()
	utf8CSV := "建议编号,标题,领衔代表,主办单位\n20240001,关于加装电梯的建议,李娜,市住更局\n\n20240002,\"关于公交线路的建议，含逗号\",王芳,jtj\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(utf8CSV)
	must(t, err)
	bn := setup(t)
	for name, data := range map[string][]byte{
		"utf-8": []byte(utf8CSV), "bom": []byte("\ufeff" + utf8CSV), "gbk": []byte(gbk),
	} {
		plan, err := imports.PlanProposals(bn.ctx, bn.db, bn.session, name, data, bn.db.Clock.Now())
		must(t, err)
		if !plan.OK() || len(plan.Items) != 2 || plan.Items[1].Row != 4 || plan.Items[1].Title != "关于公交线路的建议，含逗号" {
			t.Errorf("%s: problems %v, items %+v", name, plan.Problems, plan.Items)
		}
	}
	f := xlsxOf(t, [][]any{
		{"说明：本表为交办清单"},
		{"标题", "备注", "建议编号", "领衔代表", "主办单位", "交办日期"},
		{"关于加装电梯的建议", "x", 20240001, "李娜", "武汉市住房和城市更新局", 45474}, // 2024-07-01 as a serial
	})
	plan, err := imports.PlanProposals(bn.ctx, bn.db, bn.session, "list.xlsx", f, bn.db.Clock.Now())
	must(t, err)
	// The first row with text is the header: here row 1, a title line,
	// which is no header — so 建议编号 is missing.
	if len(plan.Problems) != 3 {
		t.Errorf("a title line above the header: %+v", plan.Problems)
	}
	f = xlsxOf(t, [][]any{
		{"标题", "备注", "建议编号", "领衔代表", "主办单位", "交办日期"},
		{},
		{"关于加装电梯的建议", "x", 20240001, "李娜", "武汉市住房和城市更新局", 45474},
	})
	plan, err = imports.PlanProposals(bn.ctx, bn.db, bn.session, "list.xlsx", f, bn.db.Clock.Now())
	must(t, err)
	if !plan.OK() || len(plan.Items) != 1 || plan.Items[0].Row != 3 || plan.Items[0].Number != "20240001" ||
		plan.Items[0].AssignedOn != date(t, "2024-07-01") || !slices.Equal(plan.Unknown, []string{"备注"}) {
		t.Errorf("xlsx: problems %v, items %+v, unknown %v", plan.Problems, plan.Items, plan.Unknown)
	}
	for name, data := range map[string][]byte{
		"binary":    {0x00, 0x01, 0xff, 0xfe},
		"bad xlsx":  append([]byte("PK\x03\x04"), make([]byte, 64)...),
		"too large": make([]byte, imports.MaxBytes+1),
		"empty":     []byte("\n\n"),
		"header":    []byte("建议编号,标题,领衔代表\n"),
	} {
		plan, err := imports.PlanProposals(bn.ctx, bn.db, bn.session, name, data, bn.db.Clock.Now())
		must(t, err)
		if len(plan.Problems) != 1 || plan.Problems[0].Row != 0 {
			t.Errorf("%s: problems %+v", name, plan.Problems)
		}
	}
	many := &strings.Builder{}
	many.WriteString("建议编号,标题,领衔代表,主办单位\n")
	for i := 0; i <= imports.MaxRows; i++ {
		fmt.Fprintf(many, "%d,t,李娜,czj\n", i)
	}
	plan, err = imports.PlanProposals(bn.ctx, bn.db, bn.session, "many", []byte(many.String()), bn.db.Clock.Now())
	must(t, err)
	if len(plan.Problems) != 1 || plan.Problems[0].Code != "tooManyRows" {
		t.Errorf("too many rows: %+v", plan.Problems)
	}
}

// TestImportAssignsARegisteredProposal: a suggestion registered by hand and
// not yet assigned is assigned by the list that holds it, not registered
// twice; one assigned to other units than the list's is refused.
func TestImportAssignsARegisteredProposal(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	list := goodList(3)
	deps, err := bn.db.Deputies(bn.ctx)
	must(t, err)
	id := func(name, delegation string) int64 {
		for _, d := range deps {
			if d.Name == name && d.Delegation == delegation {
				return d.ID
			}
		}
		t.Fatalf("no deputy %s", name)
		return 0
	}
	p := &workflow.Proposal{SessionID: bn.session.ID, Number: "20240003", Kind: workflow.ProposalSuggestion, Title: "关于第3件事的建议",
		Body: "一、问题\n二、建议", SubmittedOn: date(t, "2024-07-01")}
	must(t, bn.db.RegisterProposal(bn.ctx, p, []storage.DeputyRef{{ID: id("李娜", "武昌区代表团")}, {ID: id("王芳", "洪山区代表团")}, {ID: id("张伟", "江岸区代表团")}}))
	plan, err := imports.PlanProposals(bn.ctx, bn.db, bn.session, "list.csv", csvOf(t, list), bn.db.Clock.Now())
	must(t, err)
	if !plan.OK() || plan.Count(imports.StatusCreate) != 2 || plan.Count(imports.StatusAssign) != 1 || plan.Items[2].Status != imports.StatusAssign {
		t.Fatalf("plan: problems %v, items %+v", plan.Problems, plan.Items)
	}
	_, err = imports.ImportProposalPlan(bn.ctx, bn.db, plan, bn.by, bn.liaison)
	must(t, err)
	cases, err := bn.db.CasesOfProposal(bn.ctx, p.ID)
	must(t, err)
	if bn.count(t, "proposals") != 3 || len(cases) != 1 || cases[0].DepartmentID != bn.units["zgj"].ID {
		t.Errorf("%d proposals; cases of the registered one %+v", bn.count(t, "proposals"), cases)
	}
	list[3][7] = "市交通运输局"
	plan, err = imports.PlanProposals(bn.ctx, bn.db, bn.session, "list.csv", csvOf(t, list), bn.db.Clock.Now())
	must(t, err)
	if len(plan.Problems) != 1 || plan.Problems[0].Row != 4 || plan.Problems[0].Code != "assignedDifferently" {
		t.Errorf("assigned to another unit: %+v", plan.Problems)
	}
}
