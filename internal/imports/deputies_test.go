package imports_test

import (
	"testing"

	"github.com/banli-gov/banli/internal/imports"
	"github.com/banli-gov/banli/workflow"
)

// TestImportDeputies: a roster updates the deputies matched by name and
// delegation, creates the others, leaves the unchanged alone, and refuses
// a bad cell or a deputy twice, writing nothing.
func TestImportDeputies(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	roster := [][]string{
		{"姓名", "代表团", "工作单位及职务", "手机", "邮箱"},
		{"李娜", "武昌区代表团", "武汉大学教授", "13800000001", "lina@example.org"}, // update
		{"张伟", "武昌区代表团", "", "", ""},                                  // unchanged
		{"赵六", "硚口区代表团", "某公司总经理", "13800000002", ""},                 // new
		{"张伟", "汉阳区代表团", "", "", ""},                                  // new: a third 张伟
	}
	plan, err := imports.PlanDeputies(bn.ctx, bn.db, bn.session, "名册.csv", csvOf(t, roster), bn.db.Clock.Now())
	must(t, err)
	if !plan.OK() || plan.Count(imports.StatusCreate) != 2 || plan.Count(imports.StatusUpdate) != 1 || plan.Count(imports.StatusSkip) != 1 {
		t.Fatalf("plan: %+v", plan)
	}
	rec, err := imports.ImportDeputyPlan(bn.ctx, bn.db, plan, bn.by)
	must(t, err)
	if rec.Created != 2 || rec.Updated != 1 || rec.Skipped != 1 {
		t.Errorf("record %+v", rec)
	}
	deputies, err := bn.db.Deputies(bn.ctx)
	must(t, err)
	byKey := map[string]*workflow.Deputy{}
	for _, d := range deputies {
		byKey[d.Name+"/"+d.Delegation] = d
	}
	if len(deputies) != 6 || byKey["李娜/武昌区代表团"].Affiliation != "武汉大学教授" || byKey["李娜/武昌区代表团"].Email != "lina@example.org" ||
		byKey["赵六/硚口区代表团"].Phone != "13800000002" {
		t.Errorf("deputies after the roster: %d, %+v", len(deputies), byKey)
	}
	// Again: nothing changes.
	plan, err = imports.PlanDeputies(bn.ctx, bn.db, nil, "名册.csv", csvOf(t, roster), bn.db.Clock.Now())
	must(t, err)
	if plan.Count(imports.StatusSkip) != 4 {
		t.Errorf("again: %+v", plan.Items)
	}

	bad := [][]string{
		{"姓名", "代表团", "手机", "邮箱", "籍贯"},
		{"孙七", "江汉区代表团", "call me", "", "湖北"},
		{"", "江汉区代表团", "", "", ""},
		{"周八", "江汉区代表团", "", "zhou@", ""},
		{"孙七", "江汉区代表团", "", "", ""},
	}
	plan, err = imports.PlanDeputies(bn.ctx, bn.db, nil, "bad.csv", csvOf(t, bad), bn.db.Clock.Now())
	must(t, err)
	var codes []string
	for _, p := range plan.Problems {
		codes = append(codes, p.Code)
	}
	if len(plan.Problems) != 4 || plan.Problems[0].Row != 2 || plan.Problems[0].Column != "手机" ||
		plan.Problems[3].Row != 5 || plan.Problems[3].Code != "duplicateDeputy" || len(plan.Unknown) != 1 {
		t.Errorf("problems %v %+v, unknown %v", codes, plan.Problems, plan.Unknown)
	}
	if _, err := imports.ImportDeputyPlan(bn.ctx, bn.db, plan, bn.by); err == nil || bn.count(t, "deputies") != 6 {
		t.Errorf("a roster with problems was imported")
	}
}
