package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

// TestImportCommands imports a roster, then an assignment list: a dry run
// writes nothing, a list with a bad cell names it and writes nothing, the
// good list creates and assigns, and the same list again creates nothing.
func TestImportCommands(t *testing.T) {
	t.Parallel()
	url := testdb.New(t)
	env := map[string]string{"DATABASE_URL": url}
	ctx := context.Background()
	db, err := storage.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range []*workflow.CongressSession{
		{Name: "武汉市第十五届人民代表大会第二次会议", ShortName: "市十五届人大二次会议", OpenedOn: workflow.Date{Year: 2023, Month: 1, Day: 8}},
		{Name: "武汉市第十五届人民代表大会第三次会议", ShortName: "市十五届人大三次会议", OpenedOn: workflow.Date{Year: 2024, Month: 1, Day: 7}},
	} {
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	count := func(table string) int {
		var n int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	roster := write("名册.csv", "姓名,代表团,工作单位及职务,手机,邮箱\n李娜,武昌区代表团,武汉大学教授,13800000001,\n王芳,洪山区代表团,,,\n")
	list := write("交办清单.csv", "建议编号,标题,领衔代表,联名代表,主办单位,协办单位,交办日期\n"+
		"20240001,关于加装电梯的建议,李娜,王芳,scjg,kcj,2024-07-01\n"+
		"20240002,关于公交线路的建议,王芳,,kcj,,2024-07-01\n")
	bad := write("bad.csv", "建议编号,标题,领衔代表,主办单位\n20240001,关于加装电梯的建议,李娜,scjg\n20240002,关于公交线路的建议,赵六,kcj\n")
	steps := []struct {
		args []string
		code int
		want string // in stdout (exit 0) or stderr
	}{
		{[]string{"department", "add", "--code", "scjg", "--name", "武汉市市场监督管理局"}, 0, "created"},
		{[]string{"department", "add", "--code", "kcj", "--name", "武汉市科技创新局"}, 0, "created"},
		{[]string{"import"}, exitUsage, "usage"},
		{[]string{"import", "proposals", filepath.Join(dir, "missing.csv")}, exitUsage, "cannot read"},
		{[]string{"import", "deputies", "--dry-run", roster}, 0, "dry run: nothing written"},
		{[]string{"import", "deputies", roster}, 0, "imported: 2 deputies created, 0 updated, 0 unchanged"},
		{[]string{"import", "proposals", bad}, exitUsage, "第 3 行「领衔代表」列：没有找到代表“赵六”"},
		{[]string{"import", "proposals", "--session", "市十五届人大九次会议", list}, exitUsage, "not found"},
		{[]string{"import", "proposals", "--dry-run", list}, 0, "将新建 2 件建议，交办 3 件次"},
		{[]string{"import", "proposals", list}, 0, "imported: 2 suggestions created, 3 cases assigned, 0 skipped"},
		{[]string{"import", "proposals", list}, 0, "imported: 0 suggestions created, 0 cases assigned, 2 skipped"},
		{[]string{"import", "proposals", "--session", "市十五届人大二次会议", list}, 0, "imported: 2 suggestions created, 3 cases assigned"},
	}
	for _, s := range steps {
		before := count("proposals")
		code, out, errOut := runWith(t, env, s.args...)
		text := out
		if code != 0 {
			text = errOut
		}
		if code != s.code || !strings.Contains(text, s.want) {
			t.Errorf("banli %s: exit %d (want %d)\nstdout: %s\nstderr: %s\nwant %q", strings.Join(s.args, " "), code, s.code, out, errOut, s.want)
		}
		if (code != 0 || slices.Contains(s.args, "--dry-run")) && count("proposals") != before {
			t.Errorf("banli %s wrote suggestions", strings.Join(s.args, " "))
		}
	}
	if count("cases") != 6 || count("imports") != 4 {
		t.Errorf("%d cases, %d import records; want 6 and 4", count("cases"), count("imports"))
	}
	var by string
	if err := db.Pool.QueryRow(ctx, `SELECT actor_kind || ' ' || file_name FROM imports ORDER BY id LIMIT 1`).Scan(&by); err != nil || by != "cli 名册.csv" {
		t.Errorf("first import record: %q %v", by, err)
	}
}
