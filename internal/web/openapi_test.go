package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	validatorconfig "github.com/pb33f/libopenapi-validator/config"
	validatorerrors "github.com/pb33f/libopenapi-validator/errors"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/internal/web"
	"github.com/banli-gov/banli/workflow"
)

// openAPIEnv is a server with one OpenID provider serving a unit and the
// supervision office, and a validator of the server's own OpenAPI document.
type openAPIEnv struct {
	t         *testing.T
	base      string
	handler   http.Handler
	validator validator.Validator
	doc       map[string]any
	tokens    map[string]string
	validated int
}

func setupOpenAPI(t *testing.T) (*openAPIEnv, *storage.DB) {
	t.Helper()
	ctx := context.Background()
	db := testdb.NewDB(t)
	idp := startIDP(t, 0, false)
	srv := httptest.NewUnstartedServer(nil)
	e := &openAPIEnv{t: t, base: "http://" + srv.Listener.Addr().String(), tokens: map[string]string{}}
	env := map[string]string{
		"BANLI_BASE_URL": e.base,
		"BANLI_OIDC_PROVIDERS": fmt.Sprintf(`[{"name": "a", "label": "统一认证", "issuer": %q, "client_id": %q,
			"client_secret": %q, "departments": ["scjg", "kcj", "dcs"], "department_claim": "department"}]`, idp.Issuer(), idp.ClientID, idp.ClientSecret),
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	mustOK(t, err)
	e.handler = web.NewServer(cfg, db, nil)
	srv.Config.Handler = e.handler
	srv.Start()
	t.Cleanup(srv.Close)

	depts := map[string]*workflow.Department{
		"dcs":  {Code: "dcs", Name: "市政府办公厅督查室", LiaisonOffice: true},
		"scjg": {Code: "scjg", Name: "武汉市市场监督管理局"},
		"kcj":  {Code: "kcj", Name: "武汉市科技创新局"},
	}
	for _, code := range []string{"dcs", "scjg", "kcj"} {
		mustOK(t, db.CreateDepartment(ctx, depts[code]))
	}
	// Service accounts: users with the provider's issuer and a subject.
	for _, u := range []struct {
		key, dept string
		role      workflow.Role
	}{
		{"liaison", "dcs", workflow.RoleLiaison}, {"drafter", "scjg", workflow.RoleDrafter},
		{"reviewer", "scjg", workflow.RoleReviewer}, {"approver", "scjg", workflow.RoleApprover},
		{"other", "kcj", workflow.RoleDrafter},
	} {
		mustOK(t, db.CreateUser(ctx, &workflow.User{Name: "接口账号 " + u.key, DepartmentID: depts[u.dept].ID,
			Issuer: idp.Issuer(), Subject: "svc-" + u.key, Roles: []workflow.Role{u.role}}))
		_, e.tokens[u.key] = tokenFrom(t, idp, newIDPUser("svc-"+u.key, "", ""))
	}

	// The document, as any client gets it: without logging in.
	resp, err := http.Get(e.base + "/api/openapi.json")
	mustOK(t, err)
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	mustOK(t, err)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/openapi.json = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	mustOK(t, json.Unmarshal(raw, &e.doc))
	doc, err := libopenapi.NewDocument(raw)
	mustOK(t, err)
	// With the standard decoders, multipart bodies are validated too.
	v, errs := validator.NewValidator(doc, validatorconfig.WithStandardBodyDecoders())
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, ve := range verrs {
			t.Errorf("the document is not valid OpenAPI: %s: %s", ve.Message, ve.Reason)
			for _, se := range ve.SchemaValidationErrors {
				t.Errorf("  %s at %s", se.Reason, se.FieldPath+se.KeywordLocation)
			}
		}
		t.FailNow()
	}
	e.validator = v
	// The validator is not vacuous: an answer that breaks the document fails.
	req, err := http.NewRequest(http.MethodGet, e.base+"/api/v1/cases/1", nil)
	mustOK(t, err)
	bad := &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"case": {"id": "one"}}`)), Request: req}
	if ok, _ := v.ValidateHttpResponse(req, bad); ok {
		t.Fatal("the validator passes an answer that does not match the document")
	}
	return e, db
}

// apiResult is an answer of the API.
type apiResult struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

// call sends a request to /api/v1 as who and validates the request and its
// response against the document; it fails the test on a status other than
// want.
func (e *openAPIEnv) call(who, method, path string, body any, header http.Header, want int) apiResult {
	e.t.Helper()
	var raw []byte
	contentType := ""
	if body != nil {
		var err error
		raw, err = json.Marshal(body)
		mustOK(e.t, err)
		contentType = "application/json"
	}
	return e.send(who, method, path, contentType, raw, header, want)
}

// upload sends a multipart/form-data body of fields and, when name is not
// "", a file, as call sends JSON.
func (e *openAPIEnv) upload(who, path string, fields map[string]string, name string, content []byte, want int) apiResult {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mustOK(e.t, mw.WriteField(k, v))
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		mustOK(e.t, err)
		_, err = fw.Write(content)
		mustOK(e.t, err)
	}
	mustOK(e.t, mw.Close())
	return e.send(who, http.MethodPost, path, mw.FormDataContentType(), body.Bytes(), nil, want)
}

// send sends a body of contentType ("" for none) as call does.
func (e *openAPIEnv) send(who, method, path, contentType string, raw []byte, header http.Header, want int) apiResult {
	e.t.Helper()
	newReq := func() *http.Request {
		req, err := http.NewRequest(method, e.base+"/api/v1"+path, bytes.NewReader(raw))
		mustOK(e.t, err)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.tokens[who])
		for k, vs := range header {
			req.Header[k] = vs
		}
		return req
	}
	resp, err := http.DefaultClient.Do(newReq())
	mustOK(e.t, err)
	out, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	mustOK(e.t, err)
	if resp.StatusCode != want {
		e.t.Fatalf("%s %s %s = %d, want %d: %s", who, method, path, resp.StatusCode, want, out)
	}
	// The validator reads both bodies: give it fresh copies.
	check := *resp
	check.Body = io.NopCloser(bytes.NewReader(out))
	check.Request = newReq()
	validate := e.validator.ValidateHttpRequestResponse
	if want == http.StatusUnprocessableEntity {
		// A request refused as invalid need not match the document; its
		// answer must.
		validate = func(_ *http.Request, resp *http.Response) (bool, []*validatorerrors.ValidationError) {
			return e.validator.ValidateHttpResponse(check.Request, resp)
		}
	}
	if ok, errs := validate(check.Request, &check); !ok {
		for _, ve := range errs {
			e.t.Errorf("%s %s (%d) does not match the document: %s: %s", method, path, resp.StatusCode, ve.Message, ve.Reason)
			for _, se := range ve.SchemaValidationErrors {
				e.t.Errorf("  %s at %s", se.Reason, se.FieldPath+se.KeywordLocation)
			}
		}
	}
	e.validated++
	res := apiResult{status: resp.StatusCode, header: resp.Header, raw: out}
	if len(out) > 0 && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		mustOK(e.t, json.Unmarshal(out, &res.body))
	}
	return res
}

// TestOpenAPIWalk walks a new suggestion through the whole workflow over
// /api/v1 with four roles' Bearer tokens — registration, assignment,
// acceptance, a 面商 record, an extension, a draft, review with a return,
// sign-off, sending, feedback and publication — and validates every
// request and response, errors included, against /api/openapi.json.
func TestOpenAPIWalk(t *testing.T) {
	t.Parallel()
	e, db := setupOpenAPI(t)
	ctx := context.Background()
	session := &workflow.CongressSession{Name: "武汉市第十五届人民代表大会第五次会议", ShortName: "市十五届人大五次会议",
		OpenedOn: workflow.DateOf(db.Clock.Now().AddDate(0, -1, 0))}
	mustOK(t, db.CreateSession(ctx, session))
	lead, co := &workflow.Deputy{Name: "陈明远", Delegation: "江岸区代表团"}, &workflow.Deputy{Name: "周丽华", Delegation: "武昌区代表团"}
	mustOK(t, db.CreateDeputy(ctx, lead))
	mustOK(t, db.CreateDeputy(ctx, co))

	// 登记 and 交办, by the supervision office.
	submitted := workflow.DateOf(db.Clock.Now().AddDate(0, 0, -10))
	res := e.call("liaison", http.MethodPost, "/proposals", map[string]any{"session_id": session.ID, "number": "20270001",
		"title": "关于加快推进知识产权转化运用的建议", "body": "建议加强专利转化。", "submitted_on": submitted.String(),
		"deputy_ids": []int64{lead.ID, co.ID}}, nil, http.StatusCreated)
	prop := res.body["proposal"].(map[string]any)
	propID := int64(prop["id"].(float64))
	if ds := prop["deputies"].([]any); len(ds) != 2 || ds[0].(map[string]any)["lead"] != true {
		t.Errorf("deputies of the new suggestion: %v", ds)
	}
	e.call("liaison", http.MethodPost, "/proposals", map[string]any{"session_id": session.ID, "number": "20270001",
		"title": "重复", "submitted_on": submitted.String(), "deputy_ids": []int64{lead.ID}}, nil, http.StatusConflict)
	e.call("liaison", http.MethodPost, "/proposals", map[string]any{"session_id": session.ID, "number": "20270002",
		"title": "未知代表", "submitted_on": submitted.String(), "deputy_ids": []int64{999999}}, nil, http.StatusUnprocessableEntity)
	e.call("drafter", http.MethodPost, "/proposals", map[string]any{"session_id": session.ID, "number": "20270003",
		"title": "无权登记", "submitted_on": submitted.String(), "deputy_ids": []int64{lead.ID}}, nil, http.StatusForbidden)
	e.call("liaison", http.MethodGet, fmt.Sprintf("/proposals/%d", propID), nil, nil, http.StatusOK)
	res = e.call("liaison", http.MethodPost, fmt.Sprintf("/proposals/%d/cases", propID),
		map[string]any{"department": "scjg", "kind": "lead"}, nil, http.StatusCreated)
	caseID := int64(res.body["case"].(map[string]any)["id"].(float64))
	casePath := fmt.Sprintf("/cases/%d", caseID)

	// etag reads the case as who and returns its ETag, checking that
	// action is offered and enabled (when not "").
	etag := func(who string, action workflow.Action) string {
		t.Helper()
		res := e.call(who, http.MethodGet, casePath, nil, nil, http.StatusOK)
		if action != "" {
			found := false
			for _, a := range res.body["case"].(map[string]any)["actions"].([]any) {
				m := a.(map[string]any)
				found = found || (m["action"] == string(action) && m["enabled"] == true)
			}
			if !found {
				t.Fatalf("%s is not offered %s: %v", who, action, res.body["case"].(map[string]any)["actions"])
			}
		}
		return res.header.Get("ETag")
	}
	act := func(who string, action workflow.Action, in map[string]any) {
		t.Helper()
		tag := etag(who, action)
		if in == nil {
			in = map[string]any{}
		}
		res := e.call(who, http.MethodPost, casePath+"/actions/"+string(action), in, http.Header{"If-Match": {tag}}, http.StatusOK)
		if res.header.Get("ETag") == tag || res.header.Get("ETag") == "" {
			t.Errorf("%s: ETag %q after %q", action, res.header.Get("ETag"), tag)
		}
	}

	// Another unit does not see the case; nobody sees it unauthenticated.
	e.call("other", http.MethodGet, casePath, nil, nil, http.StatusNotFound)
	e.call("nobody", http.MethodGet, casePath, nil, nil, http.StatusUnauthorized)

	act("drafter", workflow.ActionAccept, nil)
	// A stale If-Match: 412, and nothing changes.
	stale := `"case-v1"`
	e.call("drafter", http.MethodPost, casePath+"/actions/"+string(workflow.ActionSubmit), map[string]any{},
		http.Header{"If-Match": {stale}}, http.StatusPreconditionFailed)
	e.call("drafter", http.MethodPost, casePath+"/actions/"+string(workflow.ActionSubmit), map[string]any{},
		http.Header{"If-Match": {`"draft-v0"`}}, http.StatusPreconditionFailed)

	e.call("drafter", http.MethodPost, casePath+"/communications", map[string]any{"method": "meeting",
		"happened_on": db.Clock.Today().String(), "participants": "陈明远代表；王晓燕", "summary": "当面听取代表意见。"}, nil, http.StatusCreated)
	res = e.call("reviewer", http.MethodGet, casePath+"/communications", nil, nil, http.StatusOK)
	if n := len(res.body["communications"].([]any)); n != 1 {
		t.Errorf("%d communications, want 1", n)
	}
	e.call("drafter", http.MethodPost, casePath+"/communications", map[string]any{"method": "letter",
		"happened_on": db.Clock.Today().String(), "summary": "x"}, nil, http.StatusUnprocessableEntity)

	// Files: the unit uploads a PDF and downloads it; another unit cannot.
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	res = e.upload("drafter", casePath+"/attachments", map[string]string{"owner": "case"}, "调研报告.pdf", pdf, http.StatusCreated)
	att := res.body["attachment"].(map[string]any)
	if att["content_type"] != "application/pdf" || att["filename"] != "调研报告.pdf" || att["may_delete"] != true {
		t.Errorf("the uploaded file: %v", att)
	}
	download := strings.TrimPrefix(att["download"].(string), "/api/v1")
	res = e.call("drafter", http.MethodGet, download, nil, nil, http.StatusOK)
	if !bytes.Equal(res.raw, pdf) || res.header.Get("Content-Type") != "application/pdf" {
		t.Errorf("the download: %s, %q", res.header.Get("Content-Type"), res.raw)
	}
	e.call("other", http.MethodGet, download, nil, nil, http.StatusNotFound)
	e.call("other", http.MethodGet, casePath+"/attachments", nil, nil, http.StatusNotFound)
	e.upload("drafter", casePath+"/attachments", map[string]string{"owner": "case"}, "伪装.pdf",
		[]byte("<html><script>alert(1)</script></html>"), http.StatusUnprocessableEntity)
	e.upload("drafter", casePath+"/attachments", map[string]string{"owner": "case"}, "", nil, http.StatusUnprocessableEntity)
	res = e.upload("drafter", casePath+"/attachments", map[string]string{"owner": "case"}, "错传.pdf", pdf, http.StatusCreated)
	wrong := res.body["attachment"].(map[string]any)
	e.call("drafter", http.MethodDelete, fmt.Sprintf("%s/attachments/%v", casePath, wrong["id"]), nil, nil, http.StatusNoContent)
	e.call("drafter", http.MethodGet, strings.TrimPrefix(wrong["download"].(string), "/api/v1"), nil, nil, http.StatusNotFound)
	res = e.call("reviewer", http.MethodGet, casePath+"/attachments", nil, nil, http.StatusOK)
	if list := res.body["attachments"].([]any); len(list) != 2 || list[1].(map[string]any)["deleted_at"] == nil {
		t.Errorf("the case's files after a delete: %v", list)
	}

	// An extension: asked by the unit, granted by the office.
	res = e.call("drafter", http.MethodGet, casePath, nil, nil, http.StatusOK)
	due, err := workflow.ParseDate(res.body["case"].(map[string]any)["reply_due"].(string))
	mustOK(t, err)
	act("drafter", workflow.ActionRequestExtension, map[string]any{"due": due.AddDays(14).String(), "comment": "需会同多部门调研"})
	act("liaison", workflow.ActionGrantExtension, map[string]any{"due": due.AddDays(14).String()})

	// The draft, with optimistic concurrency on its versions.
	res = e.call("drafter", http.MethodGet, casePath+"/drafts", nil, nil, http.StatusOK)
	draftTag := res.header.Get("ETag")
	sections := []map[string]string{{"heading": "一、工作开展情况", "body": "我局高度重视。"}}
	res = e.call("drafter", http.MethodPost, casePath+"/drafts", map[string]any{"sections": sections},
		http.Header{"If-Match": {draftTag}}, http.StatusCreated)
	e.call("drafter", http.MethodPost, casePath+"/drafts", map[string]any{"sections": sections},
		http.Header{"If-Match": {draftTag}}, http.StatusPreconditionFailed)
	e.call("drafter", http.MethodPost, casePath+"/drafts", map[string]any{"sections": sections},
		http.Header{"If-Match": {res.header.Get("ETag")}}, http.StatusCreated)

	act("drafter", workflow.ActionSubmit, nil)
	act("reviewer", workflow.ActionReturnForRevision, map[string]any{"comment": "请补充下一步工作打算"})
	act("drafter", workflow.ActionSubmit, nil)
	act("reviewer", workflow.ActionForward, nil)
	act("approver", workflow.ActionSign, map[string]any{"class": "B", "disclosure": "public"})
	act("drafter", workflow.ActionSend, nil)
	act("liaison", workflow.ActionRecordFeedback, map[string]any{"work_rating": "satisfied", "result_rating": "satisfied",
		"contact_method": "meeting"})
	act("approver", workflow.ActionPublish, nil)
	res = e.call("drafter", http.MethodGet, casePath, nil, nil, http.StatusOK)
	if c := res.body["case"].(map[string]any); c["state"] != string(workflow.StateClosed) || c["publication_state"] != string(workflow.StatePublished) {
		t.Errorf("after the walk: state %v, publication %v", c["state"], c["publication_state"])
	}
	// A version in the body that contradicts If-Match is refused.
	e.call("drafter", http.MethodPost, casePath+"/actions/"+string(workflow.ActionSend), map[string]any{"version": 1},
		http.Header{"If-Match": {res.header.Get("ETag")}}, http.StatusUnprocessableEntity)

	// The statistics, as the dashboard counts them: the walked suggestion
	// is replied, on time and closed satisfied.
	res = e.call("liaison", http.MethodGet, fmt.Sprintf("/statistics?session=%d", session.ID), nil, nil, http.StatusOK)
	total := res.body["total"].(map[string]any)
	rates := total["rates"].(map[string]any)
	if r := rates[string(workflow.FigureReplyRate)].(map[string]any); r["num"] != 1.0 || r["den"] != 1.0 || r["percent"] != "100.0%" {
		t.Errorf("办复率 in the statistics: %v", r)
	}
	if n := len(res.body["figures"].([]any)); n != len(workflow.AllFigures()) {
		t.Errorf("%d figures defined, want %d", n, len(workflow.AllFigures()))
	}
	e.call("drafter", http.MethodGet, "/statistics", nil, nil, http.StatusForbidden)

	// Lists, search and notifications.
	res = e.call("drafter", http.MethodGet, "/cases?state=closed&limit=10", nil, nil, http.StatusOK)
	if n := len(res.body["cases"].([]any)); n != 1 {
		t.Errorf("GET /cases?state=closed: %d cases, want 1", n)
	}
	e.call("drafter", http.MethodGet, "/cases?state=nonsense", nil, nil, http.StatusUnprocessableEntity)
	res = e.call("reviewer", http.MethodGet, "/search?q="+"知识产权", nil, nil, http.StatusOK)
	if n := len(res.body["cases"].([]any)); n != 1 {
		t.Errorf("search: %d hits, want 1", n)
	}
	res = e.call("drafter", http.MethodGet, "/notifications?limit=5", nil, nil, http.StatusOK)
	if res.body["unread"].(float64) == 0 {
		t.Error("the drafter has no unread notification after the walk")
	}
	e.call("drafter", http.MethodPost, "/notifications/read-all", nil, nil, http.StatusOK)
	if e.validated < 40 {
		t.Errorf("only %d calls validated", e.validated)
	}
}

// TestOpenAPIDocumentsEveryRoute checks that every route under /api/v1 is
// in the document and every path of the document is served, and that the
// unversioned /api routes remain.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	t.Parallel()
	e, _ := setupOpenAPI(t)
	paths := e.doc["paths"].(map[string]any)
	documented := map[routeOf]bool{}
	for path, item := range paths {
		for method := range item.(map[string]any) {
			documented[routeOf{strings.ToUpper(method), "/api/v1" + path}] = true
		}
	}
	served := map[routeOf]bool{}
	for _, r := range allRoutes(t, e.handler) {
		if strings.HasPrefix(r.pattern, "/api/v1/") {
			served[r] = true
			if !documented[r] {
				t.Errorf("%s %s is served but not in /api/openapi.json", r.method, r.pattern)
			}
		}
	}
	for r := range documented {
		if !served[r] {
			t.Errorf("%s %s is documented but not served", r.method, r.pattern)
		}
		old := routeOf{r.method, strings.Replace(r.pattern, "/api/v1/", "/api/", 1)}
		if !slices.Contains(allRoutes(t, e.handler), old) {
			t.Errorf("%s %s: the unversioned route is gone", old.method, old.pattern)
		}
	}
	if len(documented) < 14 {
		t.Errorf("%d operations documented", len(documented))
	}
}

// TestOpenAPIImport imports an assignment list over the API: a list with
// a bad cell is refused with the problem at its row and column, a dry run
// writes nothing, the import registers and assigns all, and the same list
// again finds everything there. Every call is validated against the
// document.
func TestOpenAPIImport(t *testing.T) {
	t.Parallel()
	e, db := setupOpenAPI(t)
	ctx := context.Background()
	session := &workflow.CongressSession{Name: "武汉市第十五届人民代表大会第五次会议", ShortName: "市十五届人大五次会议",
		OpenedOn: workflow.DateOf(db.Clock.Now().AddDate(0, -1, 0))}
	mustOK(t, db.CreateSession(ctx, session))
	for _, d := range []*workflow.Deputy{{Name: "李娜", Delegation: "武昌区代表团"}, {Name: "王芳", Delegation: "洪山区代表团"}} {
		mustOK(t, db.CreateDeputy(ctx, d))
	}
	list := "建议编号,标题,领衔代表,联名代表,主办单位,协办单位\n" +
		"20270101,关于加装电梯的建议,李娜,王芳,scjg,kcj\n" +
		"20270102,关于公交线路的建议,王芳,,kcj,\n"
	fields := map[string]string{"session": fmt.Sprint(session.ID)}

	res := e.upload("liaison", "/proposals/import?dry_run=1", fields, "交办清单.csv", []byte(strings.Replace(list, "kcj,\n", "单位Z,\n", 1)),
		http.StatusUnprocessableEntity)
	problems, _ := res.body["problems"].([]any)
	if len(problems) != 1 {
		t.Fatalf("the problems of a bad list: %v", res.body)
	}
	if p := problems[0].(map[string]any); p["row"] != 3.0 || p["column"] != "主办单位" || !strings.Contains(p["reason"].(string), "单位Z") {
		t.Errorf("the problem: %v", p)
	}
	e.upload("liaison", "/proposals/import?dry_run=1", map[string]string{"session": "0"}, "交办清单.csv", []byte(list), http.StatusUnprocessableEntity)
	e.upload("liaison", "/proposals/import?dry_run=1", fields, "", nil, http.StatusUnprocessableEntity)
	e.upload("drafter", "/proposals/import?dry_run=1", fields, "交办清单.csv", []byte(list), http.StatusForbidden)

	for range 2 { // a dry run writes nothing
		res = e.upload("liaison", "/proposals/import?dry_run=1", fields, "交办清单.csv", []byte(list), http.StatusOK)
		if b := res.body; b["dry_run"] != true || b["create"] != 2.0 || b["cases"] != 3.0 || b["import"] != nil || len(b["proposals"].([]any)) != 2 {
			t.Errorf("the dry run: %v", b)
		}
	}
	res = e.upload("liaison", "/proposals/import", fields, "交办清单.csv", []byte(list), http.StatusOK)
	if rec, _ := res.body["import"].(map[string]any); rec == nil || rec["created"] != 2.0 || rec["assigned"] != 3.0 {
		t.Errorf("the import: %v", res.body)
	}
	res = e.call("liaison", http.MethodGet, "/cases?limit=10", nil, nil, http.StatusOK)
	if n := len(res.body["cases"].([]any)); n != 3 {
		t.Errorf("%d cases after the import, want 3", n)
	}
	res = e.upload("liaison", "/proposals/import?dry_run=1", fields, "交办清单.csv", []byte(list), http.StatusOK)
	if res.body["skip"] != 2.0 || res.body["create"] != 0.0 {
		t.Errorf("the same list again: %v", res.body)
	}
}

// TestOpenAPIKeyAndMerge marks a key suggestion (重点建议), files a progress
// report on its case, merges another suggestion into it (并案) and undoes
// both over the API, every call validated against the document.
func TestOpenAPIKeyAndMerge(t *testing.T) {
	t.Parallel()
	e, db := setupOpenAPI(t)
	ctx := context.Background()
	session := &workflow.CongressSession{Name: "武汉市第十五届人民代表大会第五次会议", ShortName: "市十五届人大五次会议",
		OpenedOn: workflow.DateOf(db.Clock.Now().AddDate(0, -1, 0))}
	mustOK(t, db.CreateSession(ctx, session))
	lead := &workflow.Deputy{Name: "陈明远", Delegation: "江岸区代表团"}
	mustOK(t, db.CreateDeputy(ctx, lead))
	submitted := workflow.DateOf(db.Clock.Now().AddDate(0, 0, -10))
	var ids, cases []int64
	for _, n := range []string{"20270201", "20270202"} {
		res := e.call("liaison", http.MethodPost, "/proposals", map[string]any{"session_id": session.ID, "number": n,
			"title": "关于老旧小区加装电梯的建议", "submitted_on": submitted.String(), "deputy_ids": []int64{lead.ID}}, nil, http.StatusCreated)
		id := int64(res.body["proposal"].(map[string]any)["id"].(float64))
		res = e.call("liaison", http.MethodPost, fmt.Sprintf("/proposals/%d/cases", id),
			map[string]any{"department": "scjg", "kind": "lead"}, nil, http.StatusCreated)
		ids, cases = append(ids, id), append(cases, int64(res.body["case"].(map[string]any)["id"].(float64)))
	}
	main, other := fmt.Sprintf("/proposals/%d", ids[0]), fmt.Sprintf("/proposals/%d", ids[1])

	mark := map[string]any{"leader_name": "张三", "leader_title": "副市长", "office": "市政府督查室"}
	e.call("drafter", http.MethodPost, main+"/key", mark, nil, http.StatusForbidden)
	e.call("liaison", http.MethodPost, main+"/key", map[string]any{"leader_name": "张三"}, nil, http.StatusUnprocessableEntity)
	res := e.call("liaison", http.MethodPost, main+"/key", mark, nil, http.StatusOK)
	if k, _ := res.body["proposal"].(map[string]any)["key"].(map[string]any); k == nil || k["leader_name"] != "张三" || k["office"] != "市政府督查室" {
		t.Errorf("the key mark: %v", res.body["proposal"])
	}
	report := map[string]any{"reported_on": db.Clock.Today().String(), "body": "已完成选址调研。"}
	e.call("drafter", http.MethodPost, fmt.Sprintf("/cases/%d/progress", cases[0]), report, nil, http.StatusCreated)
	e.call("drafter", http.MethodPost, fmt.Sprintf("/cases/%d/progress", cases[1]), report, nil, http.StatusConflict)
	e.call("drafter", http.MethodPost, fmt.Sprintf("/cases/%d/progress", cases[0]),
		map[string]any{"reported_on": db.Clock.Today().AddDays(1).String(), "body": "明天的进展"}, nil, http.StatusUnprocessableEntity)
	res = e.call("reviewer", http.MethodGet, fmt.Sprintf("/cases/%d/progress", cases[0]), nil, nil, http.StatusOK)
	if n := len(res.body["progress_reports"].([]any)); n != 1 {
		t.Errorf("%d progress reports, want 1", n)
	}
	e.call("other", http.MethodGet, fmt.Sprintf("/cases/%d/progress", cases[0]), nil, nil, http.StatusNotFound)

	e.call("liaison", http.MethodPost, main+"/merge", map[string]any{"number": "20279999"}, nil, http.StatusNotFound)
	res = e.call("liaison", http.MethodPost, main+"/merge", map[string]any{"number": "20270202"}, nil, http.StatusOK)
	if m, _ := res.body["proposal"].(map[string]any)["merged"].([]any); len(m) != 1 || m[0].(map[string]any)["number"] != "20270202" {
		t.Errorf("merged into the main suggestion: %v", res.body["proposal"])
	}
	e.call("liaison", http.MethodPost, main+"/merge", map[string]any{"number": "20270202"}, nil, http.StatusConflict)
	res = e.call("liaison", http.MethodGet, other, nil, nil, http.StatusOK)
	if into, _ := res.body["proposal"].(map[string]any)["merged_into"].(map[string]any); into == nil || into["number"] != "20270201" {
		t.Errorf("the merged suggestion: %v", res.body["proposal"])
	}
	res = e.call("liaison", http.MethodPost, other+"/unmerge", nil, nil, http.StatusOK)
	if res.body["proposal"].(map[string]any)["merged_into"] != nil {
		t.Errorf("still merged after unmerge: %v", res.body["proposal"])
	}
	res = e.call("liaison", http.MethodDelete, main+"/key", nil, nil, http.StatusOK)
	if res.body["proposal"].(map[string]any)["key"] != nil {
		t.Errorf("still key after unmark: %v", res.body["proposal"])
	}
	e.call("liaison", http.MethodDelete, main+"/key", nil, nil, http.StatusConflict)

	// The link to the lead deputy's own page: the same while live, gone
	// when revoked, a new one after.
	link := fmt.Sprintf("%s/deputies/%d/link", main, lead.ID)
	e.call("drafter", http.MethodPost, link, nil, nil, http.StatusForbidden)
	e.call("liaison", http.MethodPost, fmt.Sprintf("%s/deputies/%d/link", main, lead.ID+1000), nil, nil, http.StatusNotFound)
	first := e.call("liaison", http.MethodPost, link, nil, nil, http.StatusOK).body["link"].(map[string]any)["url"].(string)
	if again := e.call("liaison", http.MethodPost, link, nil, nil, http.StatusOK).body["link"].(map[string]any)["url"]; again != first {
		t.Errorf("the live link changed: %v, then %v", first, again)
	}
	if resp, err := http.Get(first); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the deputy's page: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	e.call("liaison", http.MethodDelete, link, nil, nil, http.StatusNoContent)
	if resp, err := http.Get(first); err != nil || resp.StatusCode == http.StatusOK {
		t.Errorf("the revoked link still works: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if next := e.call("liaison", http.MethodPost, link, nil, nil, http.StatusOK).body["link"].(map[string]any)["url"]; next == first {
		t.Error("the link made after a revocation is the revoked one")
	}
}
