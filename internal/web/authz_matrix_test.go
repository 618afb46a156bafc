package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/internal/web"
	"github.com/banli-gov/banli/workflow"
)

// matrix is the world of the authorization matrix test: units A (the case's
// unit) and B (another unit), the liaison office, a user for every role in
// each, and a logged-in HTTP client for each user.
type matrix struct {
	db      *storage.DB
	ctx     context.Context
	srv     *httptest.Server
	session *workflow.CongressSession
	unit    map[string]*workflow.Department // "A", "B", "office"
	actor   map[string]workflow.Actor       // "A.drafter", "B.approver", "liaison", "A.admin"
	client  map[string]*apiClient
	n       int
}

// apiClient is a logged-in user of the JSON API: a session cookie and its
// CSRF token, as a browser would have them.
type apiClient struct {
	t      *testing.T
	base   string
	cookie *http.Cookie
	csrf   string
}

func (c *apiClient) do(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.AddCookie(c.cookie)
	if method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			c.t.Fatalf("%s %s: %d, not JSON: %s", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode, out
}

var unitRoles = []workflow.Role{workflow.RoleDrafter, workflow.RoleReviewer, workflow.RoleApprover, workflow.RoleAdmin}

func newMatrix(t *testing.T) *matrix {
	t.Helper()
	ctx := context.Background()
	db := testdb.NewDB(t)
	m := &matrix{db: db, ctx: ctx, unit: map[string]*workflow.Department{}, actor: map[string]workflow.Actor{}, client: map[string]*apiClient{}}
	m.session = &workflow.CongressSession{Name: "测试会议", ShortName: "测试会议", OpenedOn: workflow.DateOf(m.db.Clock.Now().AddDate(0, -1, 0))}
	mustT(t, db.CreateSession(ctx, m.session))
	for _, u := range []struct {
		key, code string
		office    bool
	}{{"A", "unita", false}, {"B", "unitb", false}, {"office", "office", true}} {
		d := &workflow.Department{Code: u.code, Name: "单位" + u.key, LiaisonOffice: u.office}
		mustT(t, db.CreateDepartment(ctx, d))
		m.unit[u.key] = d
	}
	add := func(key string, dept int64, r workflow.Role) {
		u := &workflow.User{DepartmentID: dept, Name: key, Email: key + "@example.org", Roles: []workflow.Role{r}}
		mustT(t, db.CreateUser(ctx, u))
		m.actor[key] = workflow.Actor{UserID: u.ID, DepartmentID: dept, Roles: u.Roles}
	}
	for _, unit := range []string{"A", "B"} {
		for _, r := range unitRoles {
			add(unit+"."+string(r), m.unit[unit].ID, r)
		}
	}
	add("liaison", m.unit["office"].ID, workflow.RoleLiaison)
	m.srv = httptest.NewServer(web.NewServer(newConfig(t), db, nil))
	t.Cleanup(m.srv.Close)
	for key, a := range m.actor {
		m.client[key] = m.login(t, a.UserID)
	}
	return m
}

// login starts a session for a user as the OpenID callback does, and
// returns a client carrying its cookie and CSRF token.
func (m *matrix) login(t *testing.T, userID int64) *apiClient {
	t.Helper()
	token, csrf := auth.NewToken(), auth.NewToken()
	_, err := m.db.CreateLoginSession(m.ctx, storage.CreateLoginSessionCmd{UserID: userID, TokenHash: auth.HashToken(token),
		CSRFToken: csrf, Provider: "test", At: m.db.Clock.Now(), MaxAge: time.Hour})
	mustT(t, err)
	return &apiClient{t: t, base: m.srv.URL, cookie: &http.Cookie{Name: "banli_session", Value: token}, csrf: csrf}
}

func mustT(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// proposal registers a new proposal.
func (m *matrix) proposal(t *testing.T) *workflow.Proposal {
	t.Helper()
	m.n++
	dep := &workflow.Deputy{Name: "代表"}
	mustT(t, m.db.CreateDeputy(m.ctx, dep))
	p := &workflow.Proposal{SessionID: m.session.ID, Number: fmt.Sprint(20260000 + m.n), Title: "关于测试的建议",
		SubmittedOn: workflow.DateOf(m.db.Clock.Now().AddDate(0, 0, -10)), DeputyIDs: []int64{dep.ID}}
	mustT(t, m.db.CreateProposal(m.ctx, p))
	return p
}

// inputFor satisfies every guard of row t (see workflow's guards).
func inputFor(row workflow.Transition, c *workflow.Case) workflow.Input {
	in := workflow.Input{Comment: "理由", Class: workflow.ClassB, Disclosure: workflow.DisclosePublic,
		WorkRating: workflow.RatingSatisfied, ResultRating: workflow.RatingSatisfied, Due: c.ReplyDue.AddDays(10),
		Destination: "转为来信"}
	if slices.Contains(row.GuardNames(), "feedback_dissatisfied") {
		in.ResultRating = workflow.RatingDissatisfied
	}
	return in
}

// prepare creates a case of the row's kind in unit A, in the row's state, with
// the row's guards satisfied (a draft, a pending extension, a pending
// co-opinion to waive, a publishable reply). For a co-handling case the lead
// case is in unit B, so B reads the case but cannot act.
func (m *matrix) prepare(t *testing.T, row workflow.Transition) *workflow.Case {
	t.Helper()
	kind := workflow.KindLead
	if len(row.Kinds) > 0 {
		kind = row.Kinds[0]
	}
	p := m.proposal(t)
	liaison := m.actor["liaison"]
	assign := func(unit string, k workflow.CaseKind) *workflow.Case {
		c, err := m.db.Assign(m.ctx, storage.AssignCmd{ProposalID: p.ID, DepartmentID: m.unit[unit].ID, Kind: k, Actor: liaison})
		mustT(t, err)
		return c
	}
	if kind == workflow.KindCo {
		assign("B", workflow.KindLead)
	}
	c := assign("A", kind)
	if row.Action == workflow.ActionWaiveCoOpinions {
		assign("B", workflow.KindCo)
	}
	act := func(a workflow.Action, who string) {
		t.Helper()
		var err error
		c, err = m.db.Transition(m.ctx, storage.TransitionCmd{CaseID: c.ID, Action: a, Actor: m.actor[who], ExpectedVersion: c.Version,
			Input: workflow.Input{Comment: "理由", Class: workflow.ClassB, Disclosure: workflow.DisclosePublic, Due: c.ReplyDue.AddDays(5),
				WorkRating: workflow.RatingSatisfied, ResultRating: workflow.RatingDissatisfied}})
		mustT(t, err)
	}
	draft := func() {
		t.Helper()
		ds, err := m.db.Drafts(m.ctx, c.ID)
		mustT(t, err)
		_, err = m.db.SaveDraft(m.ctx, storage.SaveDraftCmd{CaseID: c.ID, Actor: m.actor["A.drafter"], BaseVersion: len(ds),
			Sections: []workflow.Section{{Heading: "一、工作开展情况", Body: "正文"}}})
		mustT(t, err)
	}
	from := row.From
	if row.Machine == workflow.MachinePublication {
		from = workflow.StateReplied
	}
	path := map[workflow.State][]func(){
		workflow.StateAssigned:         {},
		workflow.StateReturnRequested:  {func() { act(workflow.ActionRequestReturn, "A.drafter") }},
		workflow.StateDrafting:         {func() { act(workflow.ActionAccept, "A.drafter") }, draft},
		workflow.StateInReview:         {func() { act(workflow.ActionAccept, "A.drafter") }, draft, func() { act(workflow.ActionSubmit, "A.drafter") }},
		workflow.StateAwaitingApproval: nil,
		workflow.StateApproved:         nil,
		workflow.StateReplied:          nil,
		workflow.StateRehandling:       nil,
	}
	path[workflow.StateAwaitingApproval] = append(slices.Clone(path[workflow.StateInReview]), func() { act(workflow.ActionForward, "A.reviewer") })
	path[workflow.StateApproved] = append(slices.Clone(path[workflow.StateAwaitingApproval]), func() { act(workflow.ActionSign, "A.approver") })
	path[workflow.StateReplied] = append(slices.Clone(path[workflow.StateApproved]), func() { act(workflow.ActionSend, "A.drafter") })
	path[workflow.StateRehandling] = append(slices.Clone(path[workflow.StateReplied]), func() { act(workflow.ActionRecordFeedback, "liaison") })
	steps, ok := path[from]
	if !ok {
		t.Fatalf("no way to prepare state %s", from)
	}
	for _, step := range steps {
		step()
	}
	if slices.Contains(row.GuardNames(), "extension_pending") {
		act(workflow.ActionRequestExtension, "A.approver")
	}
	return c
}

// TestAuthorizationMatrix drives every row of the transition table through
// HTTP for every role in the case's own unit, in another unit, and as the
// liaison: the allowed ones succeed and land where the table says; every
// other is refused — 404 where the case is not visible, 403 where it is —
// and changes nothing. Other units can neither read nor list the case.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	m := newMatrix(t)
	keys := []string{"liaison"}
	for _, unit := range []string{"A", "B"} {
		for _, r := range unitRoles {
			keys = append(keys, unit+"."+string(r))
		}
	}
	allowedN, refusedN := 0, 0
	for _, row := range workflow.Table() {
		if row.Action == workflow.ActionAssign {
			continue // TestAssignThroughHTTP
		}
		name := fmt.Sprintf("%s/%s/%s", row.Machine, row.From, row.Action)
		if len(row.Kinds) > 0 {
			name += "/" + string(row.Kinds[0])
		}
		if slices.Contains(row.GuardNames(), "feedback_dissatisfied") {
			name += "/dissatisfied"
		}
		var c *workflow.Case
		for _, key := range keys {
			a := m.actor[key]
			role := a.Roles[0]
			own := a.DepartmentID == m.unit["A"].ID
			allowed := row.AllowsRole(role) && (role == workflow.RoleLiaison || own && role.DepartmentScoped())
			if allowed {
				continue // after the refusals, on fresh cases
			}
			if c == nil {
				c = m.prepare(t, row)
			}
			status, body := m.client[key].do(http.MethodPost, fmt.Sprintf("/api/cases/%d/actions/%s", c.ID, row.Action),
				actionBody(c.Version, inputFor(row, c)))
			visible := own || role == workflow.RoleLiaison || (key == "B.drafter" || key == "B.reviewer" || key == "B.approver") && c.Kind == workflow.KindCo
			if role == workflow.RoleAdmin {
				visible = false
			}
			want := http.StatusForbidden
			if !visible {
				want = http.StatusNotFound
			}
			if status != want {
				t.Errorf("%s by %s: %d %v, want %d", name, key, status, body, want)
			}
			refusedN++
		}
		if c != nil {
			got, err := m.db.Case(m.ctx, c.ID)
			mustT(t, err)
			if got.Version != c.Version || got.State != c.State {
				t.Errorf("%s: refusals changed the case: version %d→%d, state %s→%s", name, c.Version, got.Version, c.State, got.State)
			}
		}
		for _, key := range keys {
			a := m.actor[key]
			role := a.Roles[0]
			own := a.DepartmentID == m.unit["A"].ID
			if !(row.AllowsRole(role) && (role == workflow.RoleLiaison || own && role.DepartmentScoped())) {
				continue
			}
			fresh := m.prepare(t, row)
			status, body := m.client[key].do(http.MethodPost, fmt.Sprintf("/api/cases/%d/actions/%s", fresh.ID, row.Action),
				actionBody(fresh.Version, inputFor(row, fresh)))
			if status != http.StatusOK {
				t.Errorf("%s by %s: %d %v, want 200", name, key, status, body)
				continue
			}
			cv, _ := body["case"].(map[string]any)
			gotState := cv["state"]
			if row.Machine == workflow.MachinePublication {
				gotState = cv["publication_state"]
			}
			if gotState != string(row.To) {
				t.Errorf("%s by %s: landed in %v, want %s", name, key, gotState, row.To)
			}
			allowedN++
		}
	}
	t.Logf("%d allowed and %d refused requests", allowedN, refusedN)
	if allowedN < 40 || refusedN < 200 {
		t.Fatalf("the matrix is too small: %d allowed, %d refused", allowedN, refusedN)
	}
}

// caseIDs returns the ids of a GET /api/cases answer.
func caseIDs(list map[string]any) []int64 {
	var ids []int64
	cases, _ := list["cases"].([]any)
	for _, c := range cases {
		if cv, ok := c.(map[string]any); ok {
			id, _ := cv["id"].(float64)
			ids = append(ids, int64(id))
		}
	}
	return ids
}

func actionBody(version int, in workflow.Input) map[string]any {
	b := map[string]any{"version": version, "comment": in.Comment, "class": in.Class, "disclosure": in.Disclosure,
		"work_rating": in.WorkRating, "result_rating": in.ResultRating, "destination": in.Destination}
	if !in.Due.IsZero() {
		b["due"] = in.Due.String()
	}
	return b
}

// TestNoIDOR: another unit's users and admins can neither read a case by id
// nor find it in their list; the case's own unit and the liaison can.
func TestNoIDOR(t *testing.T) {
	t.Parallel()
	m := newMatrix(t)
	c := m.prepare(t, workflow.Transition{Machine: workflow.MachineCase, From: workflow.StateDrafting, Action: workflow.ActionSubmit})
	for key, client := range m.client {
		status, _ := client.do(http.MethodGet, fmt.Sprintf("/api/cases/%d", c.ID), nil)
		_, list := client.do(http.MethodGet, "/api/cases", nil)
		listed := slices.Contains(caseIDs(list), c.ID)
		_, drafts := client.do(http.MethodGet, fmt.Sprintf("/api/cases/%d/drafts", c.ID), nil)
		sees := key == "liaison" || strings.HasPrefix(key, "A.") && key != "A.admin"
		switch {
		case sees && (status != http.StatusOK || !listed || drafts["drafts"] == nil):
			t.Errorf("%s cannot see its case: GET %d, listed %v", key, status, listed)
		case !sees && (status != http.StatusNotFound || listed || drafts["drafts"] != nil):
			t.Errorf("%s sees another unit's case: GET %d, listed %v, drafts %v", key, status, listed, drafts["drafts"] != nil)
		}
	}
}

// TestAssignThroughHTTP: only the liaison assigns; bad input is named.
func TestAssignThroughHTTP(t *testing.T) {
	t.Parallel()
	m := newMatrix(t)
	p := m.proposal(t)
	path := fmt.Sprintf("/api/proposals/%d/cases", p.ID)
	for key, client := range m.client {
		if key == "liaison" {
			continue
		}
		if status, body := client.do(http.MethodPost, path, map[string]any{"department": "unita", "kind": "lead"}); status != http.StatusForbidden {
			t.Errorf("%s assigns: %d %v", key, status, body)
		}
	}
	l := m.client["liaison"]
	if status, body := l.do(http.MethodPost, path, map[string]any{"department": "nope", "kind": "lead"}); status != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(body["detail"]), "department") {
		t.Errorf("unknown department: %d %v", status, body)
	}
	if status, body := l.do(http.MethodPost, path, map[string]any{"department": "unita", "kind": "boss"}); status != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(body["detail"]), "kind") {
		t.Errorf("bad kind: %d %v", status, body)
	}
	if status, body := l.do(http.MethodPost, path, map[string]any{"department": "unita", "kind": "lead", "extra": 1}); status != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(body["detail"]), "extra") {
		t.Errorf("unknown field: %d %v", status, body)
	}
	status, body := l.do(http.MethodPost, path, map[string]any{"department": "unita", "kind": "lead"})
	if status != http.StatusCreated {
		t.Fatalf("liaison assigns: %d %v", status, body)
	}
	cv := body["case"].(map[string]any)
	if cv["state"] != "assigned" || cv["department"] != "单位A" {
		t.Errorf("assigned case: %v", cv)
	}
	if status, _ := l.do(http.MethodPost, path, map[string]any{"department": "unitb", "kind": "lead"}); status != http.StatusConflict {
		t.Errorf("second lead unit: %d, want 409", status)
	}
}

// TestActionErrorsThroughHTTP: a stale version is 409, a missing version
// and a failing input guard are 422 saying what to enter, an unknown action
// 404 — each in plain words, with the rule that refused as a stable code.
func TestActionErrorsThroughHTTP(t *testing.T) {
	t.Parallel()
	m := newMatrix(t)
	c := m.prepare(t, workflow.Transition{Machine: workflow.MachineCase, From: workflow.StateAwaitingApproval, Action: workflow.ActionSign})
	approver := m.client["A.approver"]
	path := fmt.Sprintf("/api/cases/%d/actions/", c.ID)
	tests := []struct {
		action string
		body   map[string]any
		status int
		detail string
		rule   string
	}{
		{"sign", map[string]any{"version": c.Version - 1, "class": "A", "disclosure": "public"}, http.StatusConflict, "页面已过期", "stale_version"},
		{"sign", map[string]any{"class": "A", "disclosure": "public"}, http.StatusUnprocessableEntity, "请刷新后重新操作", "version_required"},
		{"sign", map[string]any{"version": c.Version, "class": "E", "disclosure": "public"}, http.StatusUnprocessableEntity, "办理结果分类", "reply_decided"},
		{"sign", map[string]any{"version": c.Version, "class": "A", "disclosure": "none"}, http.StatusUnprocessableEntity, "不予公开的理由", "reply_decided"},
		{"sign", map[string]any{"version": "three"}, http.StatusUnprocessableEntity, "数据格式不正确", "bad_json"},
		{"send", map[string]any{"version": c.Version}, http.StatusConflict, "不能答复代表", "not_available"},
		{"burn", map[string]any{"version": c.Version}, http.StatusNotFound, "没有这项操作", "unknown_action"},
	}
	for _, tt := range tests {
		status, body := approver.do(http.MethodPost, path+tt.action, tt.body)
		if status != tt.status || !strings.Contains(fmt.Sprint(body["detail"]), tt.detail) || body["rule"] != tt.rule {
			t.Errorf("%s %v: %d %v, want %d mentioning %q, rule %s", tt.action, tt.body, status, body, tt.status, tt.detail, tt.rule)
		}
	}
}
