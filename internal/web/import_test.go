package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/banli-gov/banli/internal/imports"
	"github.com/banli-gov/banli/workflow"
)

// upload posts a multipart form with fields and one file, with the
// session's CSRF token unless csrf is false.
func (b *svBrowser) upload(path string, fields map[string]string, name string, data []byte, csrf bool) *svResponse {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if csrf {
		mustT(b.t, mw.WriteField("csrf_token", b.csrf))
	}
	for k, v := range fields {
		mustT(b.t, mw.WriteField(k, v))
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		mustT(b.t, err)
		_, err = fw.Write(data)
		mustT(b.t, err)
	}
	mustT(b.t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, b.base+path, &body)
	mustT(b.t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "text/html")
	req.AddCookie(b.cookie)
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	c := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	mustT(b.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	mustT(b.t, err)
	return &svResponse{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Body: string(raw), Header: resp.Header}
}

// TestImportPage: the liaison downloads the template, previews a list with
// a bad cell (named, nothing written), previews the corrected list (a dry
// run: nothing written), confirms it (refused without the CSRF token),
// and sees it recorded; previewing it again finds nothing to do. A roster
// goes the same way. A drafter cannot reach the page.
func TestImportPage(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2024-03-01"))
	liaison := w.login(t, "liaison")
	for _, d := range []*workflow.Deputy{{Name: "李娜", Delegation: "武昌区代表团"}, {Name: "王芳", Delegation: "洪山区代表团"}} {
		mustT(t, w.db.CreateDeputy(w.ctx, d))
	}

	r := liaison.get("/proposals/import")
	wantStatusSV(t, "GET /proposals/import", r, http.StatusOK)
	for _, want := range []string{`id="import-proposals-form"`, `enctype="multipart/form-data"`, `id="import-deputies-form"`,
		`href="/proposals/import/template/proposals.xlsx"`, "建议编号、标题、内容、领衔代表", "尚无导入记录。"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the import page lacks %q", want)
		}
	}
	r = liaison.do(http.MethodGet, "/proposals/import/template/proposals.xlsx", nil)
	wantStatusSV(t, "the template", r, http.StatusOK)
	f, err := excelize.OpenReader(strings.NewReader(r.Body))
	mustT(t, err)
	rows, err := f.GetRows(f.GetSheetList()[0])
	mustT(t, err)
	if len(rows) < 1 || !slices.Equal(rows[0], imports.ProposalHeaders()) {
		t.Errorf("the template's header: %v", rows)
	}
	if got := liaison.get("/proposals/import/template/other.xlsx"); got.Status != http.StatusNotFound {
		t.Errorf("an unknown template: %d", got.Status)
	}

	list := "建议编号,标题,领衔代表,联名代表,主办单位,协办单位,交办日期,是否重点\n" +
		"20240001,关于加装电梯的建议,李娜,王芳,ua,单位B,2024-02-20,是\n" +
		"20240002,关于公交线路的建议,王芳,,单位C,,2024-02-20,否\n"
	bad := strings.Replace(list, "单位C", "单位Z", 1)
	fields := map[string]string{"kind": "proposals", "session": fmt.Sprint(w.session.ID)}
	r = liaison.upload("/proposals/import/preview", fields, "交办清单.csv", []byte(bad), true)
	wantStatusSV(t, "preview of a bad list", r, http.StatusUnprocessableEntity)
	if got := svRow(t, r.Body, "import-problems", `data-row="3"`); !slices.Equal(got, []string{"3", "主办单位", "没有名为“单位Z”的承办单位，请使用系统中登记的单位全称、简称或代码。"}) {
		t.Errorf("the problem of row 3: %q", got)
	}
	if strings.Contains(r.Body, `id="import-confirm"`) {
		t.Error("a list with problems can be confirmed")
	}
	r = liaison.upload("/proposals/import/preview", fields, "", nil, true)
	wantStatusSV(t, "preview without a file", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, "请选择要上传的文件。") {
		t.Error("no file: no message")
	}

	r = liaison.upload("/proposals/import/preview", fields, "交办清单.csv", []byte(list), true)
	wantStatusSV(t, "preview", r, http.StatusOK)
	for _, want := range []string{"共读取 2 行：将新建 2 件建议，交办 3 件次", `id="import-confirm"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	if got := svRow(t, r.Body, "import-rows", `data-row="2"`); len(got) != 11 || got[2] != "20240001" || got[6] != "单位A" || got[7] != "单位B" || got[10] != "是" {
		t.Errorf("the preview's row 2: %q", got)
	}
	if n := w.count(t, "proposals"); n != 0 {
		t.Fatalf("the preview wrote %d proposals", n)
	}
	action := svAttr(t, svElement(r.Body, `id="import-confirm-form"`), "action")
	if r := liaison.do(http.MethodPost, action, url.Values{}); r.Status != http.StatusForbidden || w.count(t, "proposals") != 0 {
		t.Fatalf("confirm without the CSRF token: %d", r.Status)
	}
	r = liaison.post(action, nil)
	wantStatusSV(t, "confirm", r, http.StatusSeeOther)
	if r.Location != "/proposals/import" || w.count(t, "proposals") != 2 || w.count(t, "cases") != 3 {
		t.Fatalf("after the import: %s, %d proposals, %d cases", r.Location, w.count(t, "proposals"), w.count(t, "cases"))
	}
	r = liaison.get("/proposals/import")
	if !strings.Contains(r.Body, "导入完成：新建 2 项，交办 3 件次，更新 0 项，跳过 0 项。") {
		t.Error("no notice of the import")
	}
	if got := svRow(t, r.Body, "import-recent", `data-import="1"`); !slices.Equal(got[1:], []string{"交办清单", "市十五届人大三次会议", "交办清单.csv", "用户liaison", "2", "2", "3", "0", "0"}) {
		t.Errorf("the latest imports: %q", got)
	}
	if r := liaison.post(action, nil); r.Status != http.StatusNotFound {
		t.Errorf("confirming twice: %d", r.Status)
	}
	r = liaison.upload("/proposals/import/preview", fields, "交办清单.csv", []byte(list), true)
	wantStatusSV(t, "preview again", r, http.StatusOK)
	if !strings.Contains(r.Body, "无需导入") || strings.Contains(r.Body, `id="import-confirm"`) {
		t.Error("the same list again has something to import")
	}

	// The roster, as a workbook.
	book := excelize.NewFile()
	for i, row := range [][]any{{"姓名", "代表团", "工作单位及职务", "手机", "邮箱"},
		{"李娜", "武昌区代表团", "武汉大学教授", "13800000001", "lina@example.org"}, {"赵六", "硚口区代表团"}} {
		mustT(t, book.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &row))
	}
	roster, err := book.WriteToBuffer()
	mustT(t, err)
	r = liaison.upload("/proposals/import/preview", map[string]string{"kind": "deputies"}, "名册.xlsx", roster.Bytes(), true)
	wantStatusSV(t, "roster preview", r, http.StatusOK)
	r = liaison.post(svAttr(t, svElement(r.Body, `id="import-confirm-form"`), "action"), nil)
	wantStatusSV(t, "roster confirm", r, http.StatusSeeOther)
	if n := w.count(t, "deputies"); n != 3 {
		t.Errorf("%d deputies after the roster, want 3", n)
	}

	// The deputy picker's search.
	r = liaison.do(http.MethodGet, "/deputies/search?q="+url.QueryEscape("李"), nil)
	var found struct {
		Deputies []struct{ Name, Label string }
		More     bool
	}
	mustT(t, json.Unmarshal([]byte(r.Body), &found))
	if len(found.Deputies) != 1 || found.Deputies[0].Label != "李娜（武昌区代表团）" || found.More {
		t.Errorf("search 李: %+v", found)
	}

	drafter := w.login(t, "ua.drafter")
	if r := drafter.get("/proposals/import"); r.Status != http.StatusForbidden {
		t.Errorf("a drafter on the import page: %d", r.Status)
	}
}

// svAttr returns the value of attribute name in the start tag of element.
func svAttr(t *testing.T, element, name string) string {
	t.Helper()
	i := strings.Index(element, " "+name+`="`)
	if i < 0 {
		t.Fatalf("no %s in %q", name, element)
	}
	v := element[i+len(name)+3:]
	return v[:strings.IndexByte(v, '"')]
}

// TestProposalRegisterByNames: the registration form takes existing
// deputies by name, as typed without script or written by the picker
// (姓名（代表团）); a name of two deputies, an unknown name and the lead
// among the co-signers are refused beside the field, writing nothing.
func TestProposalRegisterByNames(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2024-02-01"))
	liaison := w.login(t, "liaison")
	for _, d := range []*workflow.Deputy{{Name: "李娜", Delegation: "武昌区代表团"}, {Name: "王芳", Delegation: "洪山区代表团"},
		{Name: "张伟", Delegation: "江岸区代表团"}, {Name: "张伟", Delegation: "武昌区代表团"}} {
		mustT(t, w.db.CreateDeputy(w.ctx, d))
	}
	r := liaison.get("/proposals/new")
	for _, want := range []string{`id="proposal-lead" name="lead_deputy_name"`, `data-deputy-picker="many"`, "picker.js"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	if strings.Contains(r.Body, `name="cosigner" value=`) {
		t.Error("the form still lists every deputy")
	}
	form := func(lead, co string) url.Values {
		return url.Values{"session": {fmt.Sprint(w.session.ID)}, "number": {"20240400"}, "kind": {"suggestion"},
			"title": {"关于加强校园周边交通安全的建议"}, "submitted_on": {"2024-01-09"},
			"lead_deputy_name": {lead}, "cosigner_names": {co}}
	}
	for _, bad := range []struct{ lead, co, want string }{
		{"张伟", "", "有多位名为“张伟”的代表，请写成“姓名（代表团）”。"},
		{"赵六", "", "没有找到代表“赵六”。"},
		{"李娜", "王芳、李娜（武昌区代表团）", "联名代表：领衔代表不能同时是联名代表。"},
		{"李娜", "王芳，王芳", "代表“王芳”重复填写。"},
		{"李娜、王芳", "", "领衔代表只能有一位。"},
	} {
		r := liaison.post("/proposals/new", form(bad.lead, bad.co))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, bad.want) {
			t.Errorf("lead %q, co-signers %q: %d, want 422 with %q", bad.lead, bad.co, r.Status, bad.want)
		}
	}
	if n := w.count(t, "proposals"); n != 0 {
		t.Fatalf("a refused form wrote %d proposals", n)
	}
	r = liaison.post("/proposals/new", form("李娜（武昌区代表团）", "王芳、张伟（江岸区代表团）、"))
	wantStatusSV(t, "register by names", r, http.StatusSeeOther)
	var names []string
	rows, err := w.db.Pool.Query(w.ctx, `SELECT d.name || '/' || d.delegation FROM proposal_deputies pd JOIN deputies d ON d.id = pd.deputy_id
		JOIN proposals p ON p.id = pd.proposal_id WHERE p.number = '20240400' ORDER BY pd.position`)
	mustT(t, err)
	for rows.Next() {
		var n string
		mustT(t, rows.Scan(&n))
		names = append(names, n)
	}
	rows.Close()
	if want := []string{"李娜/武昌区代表团", "王芳/洪山区代表团", "张伟/江岸区代表团"}; !slices.Equal(names, want) {
		t.Errorf("deputies %v, want %v", names, want)
	}
}
