package imports_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// bundle is a session, the liaison office, three units with a drafter
// each, and four deputies (two named 张伟, in two delegations).
type bundle struct {
	db      *storage.DB
	ctx     context.Context
	session *workflow.CongressSession
	units   map[string]*workflow.Department
	liaison workflow.Actor
	by      workflow.AdminActor
}

func setup(t *testing.T) *bundle {
	t.Helper()
	ctx := context.Background()
	db := testdb.NewDB(t)
	bn := &bundle{db: db, ctx: ctx, units: map[string]*workflow.Department{}}
	bn.session = &workflow.CongressSession{Name: "武汉市第十五届人民代表大会第三次会议", ShortName: "市十五届人大三次会议", OpenedOn: date(t, "2024-01-07")}
	must(t, db.CreateSession(ctx, bn.session))
	office := &workflow.Department{Code: "dcs", Name: "督查室", LiaisonOffice: true}
	must(t, db.CreateDepartment(ctx, office))
	for _, d := range []*workflow.Department{
		{Code: "zgj", Name: "武汉市住房和城市更新局", ShortName: "市住更局"},
		{Code: "czj", Name: "武汉市财政局", ShortName: "市财政局"},
		{Code: "jtj", Name: "武汉市交通运输局", ShortName: "市交通运输局"},
	} {
		must(t, db.CreateDepartment(ctx, d))
		bn.units[d.Code] = d
		u := &workflow.User{DepartmentID: d.ID, Name: d.Code + "承办人", Email: d.Code + "@example.org", Roles: []workflow.Role{workflow.RoleDrafter}}
		must(t, db.CreateUser(ctx, u))
	}
	lu := &workflow.User{DepartmentID: office.ID, Name: "督办人员", Roles: []workflow.Role{workflow.RoleLiaison}}
	must(t, db.CreateUser(ctx, lu))
	bn.liaison = workflow.Actor{UserID: lu.ID, DepartmentID: office.ID, Roles: lu.Roles}
	bn.by = workflow.AdminUser(lu)
	for _, d := range []*workflow.Deputy{
		{Name: "张伟", Delegation: "江岸区代表团"}, {Name: "张伟", Delegation: "武昌区代表团"},
		{Name: "李娜", Delegation: "武昌区代表团"}, {Name: "王芳", Delegation: "洪山区代表团"},
	} {
		must(t, db.CreateDeputy(ctx, d))
	}
	return bn
}

func (bn *bundle) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	must(t, bn.db.Pool.QueryRow(bn.ctx, `SELECT count(*) FROM `+table).Scan(&n))
	return n
}

// csvOf writes rows as a CSV file, with a UTF-8 byte-order mark as Excel
// saves it.
func csvOf(t *testing.T, rows [][]string) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	must(t, w.WriteAll(rows))
	return b.Bytes()
}

// xlsxOf writes rows as the first sheet of a workbook, from A1.
func xlsxOf(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		must(t, err)
		must(t, f.SetSheetRow("Sheet1", cell, &r))
	}
	buf, err := f.WriteToBuffer()
	must(t, err)
	return buf.Bytes()
}

func date(t *testing.T, s string) workflow.Date {
	t.Helper()
	d, err := workflow.ParseDate(s)
	must(t, err)
	return d
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
