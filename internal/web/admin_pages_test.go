package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/banli-gov/banli/workflow"
)

func TestAdminHolidays(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2026-06-01")) // the calendar covers 2027
	admin := w.login(t, "admin")

	r := admin.get("/admin")
	wantStatusSV(t, "GET /admin", r, http.StatusOK)
	if strings.Contains(r.Body, `id="calendar-warning"`) {
		t.Error("/admin warns although the calendar covers next year")
	}
	for _, link := range []string{"/admin/departments", "/admin/users", "/admin/sessions", "/admin/holidays"} {
		if !strings.Contains(r.Body, `href="`+link+`"`) {
			t.Errorf("/admin lacks a link to %s", link)
		}
	}
	r = admin.get("/admin/holidays")
	wantStatusSV(t, "GET /admin/holidays", r, http.StatusOK)
	if !strings.Contains(r.Body, `id="builtin-days"`) || !strings.Contains(r.Body, `data-date="2026-10-01"`) {
		t.Error("the holidays page lacks 2026's built-in days")
	}

	// Add an override: it is listed, with the notice.
	r = admin.post("/admin/holidays", url.Values{"date": {"2026-10-10"}, "kind": {"workday"}, "name": {"国庆节"}})
	wantStatusSV(t, "add an override", r, http.StatusSeeOther)
	if r.Location != "/admin/holidays?year=2026" {
		t.Errorf("Location %q", r.Location)
	}
	r = admin.get(r.Location)
	if got := svRow(t, r.Body, "overrides", `data-date="2026-10-10"`); !slices.Equal(got[:4], []string{"2026-10-10", "星期六", "调休上班", "国庆节"}) {
		t.Errorf("override row %q", got)
	}
	if !strings.Contains(r.Body, "节假日安排已保存。") {
		t.Error("no notice after adding an override")
	}
	// Replace it, then remove it.
	r = admin.post("/admin/holidays", url.Values{"date": {"2026-10-10"}, "kind": {"holiday"}, "name": {"国庆节补休"}})
	wantStatusSV(t, "replace an override", r, http.StatusSeeOther)
	r = admin.get(r.Location)
	if got := svRow(t, r.Body, "overrides", `data-date="2026-10-10"`); got[2] != "放假" || got[3] != "国庆节补休" {
		t.Errorf("replaced override row %q", got)
	}
	overrides, err := w.db.HolidayOverrides(w.ctx)
	mustT(t, err)
	if len(overrides) != 1 || overrides[0].Kind != workflow.DayHoliday {
		t.Errorf("overrides stored: %+v", overrides)
	}
	r = admin.post("/admin/holidays/2026-10-10/remove", nil)
	wantStatusSV(t, "remove the override", r, http.StatusSeeOther)
	r = admin.get(r.Location)
	if strings.Contains(svElement(r.Body, `aria-labelledby="overrides-heading"`), "2026-10-10") || w.count(t, "holiday_overrides") != 0 {
		t.Error("the removed override is still there")
	}
	if r := admin.post("/admin/holidays/2026-10-10/remove", nil); r.Status != http.StatusNotFound {
		t.Errorf("removing it again: %d, want 404", r.Status)
	}

	// Errors name their field.
	for _, b := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"date": {"2026-02-30"}, "kind": {"holiday"}, "name": {"春节"}}, "日期：请填写日期"},
		{url.Values{"date": {"2026-02-16"}, "kind": {"off"}, "name": {"春节"}}, "类型：请选择放假或调休上班。"},
		{url.Values{"date": {"2026-02-16"}, "kind": {"holiday"}}, "名称：必填"},
	} {
		r := admin.post("/admin/holidays", b.form)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, b.want) {
			t.Errorf("%v: %d, want 422 with %q", b.form, r.Status, b.want)
		}
	}
	if w.count(t, "holiday_overrides") != 0 {
		t.Error("a refused override was stored")
	}
}

// TestAdminCalendarWarning: on a clock in 2027, the last year the built-in
// calendar covers, /admin and /admin/holidays warn that 2028 is missing,
// until an admin adds 2028's schedule.
func TestAdminCalendarWarning(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2027-11-20"))
	admin := w.login(t, "admin")
	for _, path := range []string{"/admin", "/admin/holidays"} {
		r := admin.get(path)
		wantStatusSV(t, "GET "+path, r, http.StatusOK)
		warning := svText(svElement(r.Body, `id="calendar-warning"`))
		if !strings.Contains(warning, "日历缺少 2028 年的节假日安排") || !strings.Contains(warning, "国务院办公厅公布次年放假安排") {
			t.Errorf("%s: warning %q", path, warning)
		}
	}
	admin.lang = "en"
	if r := admin.get("/admin"); !strings.Contains(r.Body, "The calendar has no holidays for 2028") {
		t.Error("no English warning")
	}
	admin.lang = ""
	r := admin.post("/admin/holidays", url.Values{"date": {"2028-01-01"}, "kind": {"holiday"}, "name": {"元旦"}})
	wantStatusSV(t, "add 2028's New Year", r, http.StatusSeeOther)
	for _, path := range []string{"/admin", "/admin/holidays?year=2028"} {
		if r := admin.get(path); strings.Contains(r.Body, `id="calendar-warning"`) {
			t.Errorf("%s still warns after 2028's schedule was added", path)
		}
	}
}

func TestAdminDepartments(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2026-06-01"))
	admin := w.login(t, "admin")
	r := admin.post("/admin/departments", url.Values{"code": {"jyj"}, "name": {"武汉市教育局"}, "short_name": {"市教育局"}})
	wantStatusSV(t, "add a department", r, http.StatusSeeOther)
	r = admin.get(r.Location)
	if got := svRow(t, r.Body, "departments", `data-code="jyj"`); !slices.Equal(got, []string{"jyj", "武汉市教育局", "市教育局", "承办单位"}) {
		t.Errorf("department row %q", got)
	}
	for _, b := range []struct {
		form   url.Values
		status int
		want   string
	}{
		{url.Values{"code": {"jyj"}, "name": {"另一个局"}}, http.StatusConflict, "代码：已有代码为“jyj”的单位。"},
		{url.Values{"code": {"new"}, "name": {"武汉市教育局"}}, http.StatusConflict, "名称：已有名为“武汉市教育局”的单位。"},
		{url.Values{"code": {"Bad Code"}, "name": {"某局"}}, http.StatusUnprocessableEntity, "代码：只能用小写字母"},
		{url.Values{"code": {"x1"}}, http.StatusUnprocessableEntity, "名称：必填。"},
	} {
		r := admin.post("/admin/departments", b.form)
		if r.Status != b.status || !strings.Contains(r.Body, b.want) {
			t.Errorf("%v: %d, want %d with %q", b.form, r.Status, b.status, b.want)
		}
	}
	if _, err := w.db.DepartmentByCode(w.ctx, "new"); workflow.Code(err) != workflow.ErrNotFound {
		t.Errorf("a refused department was stored: %v", err)
	}
}

func TestAdminUsers(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2026-06-01"))
	admin := w.login(t, "admin")
	newcomer := &workflow.User{Name: "新用户", Email: "new@example.org"}
	mustT(t, w.db.CreateUser(w.ctx, newcomer))
	row := fmt.Sprintf(`id="user-%d"`, newcomer.ID)

	r := admin.get("/admin/users")
	wantStatusSV(t, "GET /admin/users", r, http.StatusOK)
	if got := svRow(t, r.Body, "users", row); got[3] != "待分配角色" {
		t.Errorf("newcomer's row %q", got[:4])
	}
	post := func(action string, form url.Values, status int) *svResponse {
		t.Helper()
		r := admin.post(fmt.Sprintf("/admin/users/%d/%s", newcomer.ID, action), form)
		wantStatusSV(t, action, r, status)
		return r
	}
	post("grant", url.Values{"role": {"drafter"}}, http.StatusSeeOther)
	post("department", url.Values{"department": {"ub"}}, http.StatusSeeOther)
	r = admin.get("/admin/users")
	if got := svRow(t, r.Body, "users", row); !slices.Equal(got[1:4], []string{"单位B", "承办人", "正常"}) {
		t.Errorf("after grant and department: %q", got[:4])
	}
	if !strings.Contains(r.Body, "所属单位已设置。") {
		t.Error("no notice")
	}

	// Disabling ends their sessions at once.
	w.actors["newcomer"] = workflow.Actor{UserID: newcomer.ID, DepartmentID: w.units["ub"].ID, Roles: []workflow.Role{workflow.RoleDrafter}}
	them := w.login(t, "newcomer")
	if r := them.do(http.MethodGet, "/me", nil); r.Status != http.StatusOK {
		t.Fatalf("the newcomer is not logged in: %d", r.Status)
	}
	post("disable", nil, http.StatusSeeOther)
	if r := them.do(http.MethodGet, "/me", nil); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
		t.Errorf("after disable, the newcomer's session: %d %s, want 303 to /login", r.Status, r.Location)
	}
	if got := svRow(t, admin.get("/admin/users").Body, "users", row); got[3] != "已停用" {
		t.Errorf("after disable: %q", got[:4])
	}
	post("enable", nil, http.StatusSeeOther)
	post("revoke", url.Values{"role": {"drafter"}}, http.StatusSeeOther)
	u, err := w.db.User(w.ctx, newcomer.ID)
	mustT(t, err)
	if u.Disabled || len(u.Roles) != 0 || u.DepartmentID != w.units["ub"].ID {
		t.Errorf("the newcomer: %+v", u)
	}

	// Refusals name the field; an admin cannot lock themselves out.
	r = post("grant", url.Values{"role": {"deputy"}}, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, "角色：“deputy”不是可授予的角色。") {
		t.Error("no error for a role that cannot be granted")
	}
	r = post("department", url.Values{"department": {"nosuch"}}, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, "所属单位：没有代码为“nosuch”的单位。") {
		t.Error("no error for an unknown department")
	}
	self := w.actors["admin"].UserID
	for action, want := range map[string]string{"disable": "不能停用自己的账号，请由其他管理员办理。", "revoke": "不能修改自己的角色或所属单位，请由其他管理员办理。"} {
		r := admin.post(fmt.Sprintf("/admin/users/%d/%s", self, action), url.Values{"role": {"admin"}})
		if r.Status != http.StatusForbidden || !strings.Contains(r.Body, want) {
			t.Errorf("%s self: %d, want 403 with %q", action, r.Status, want)
		}
	}
	if r := admin.post("/admin/users/999999/grant", url.Values{"role": {"drafter"}}); r.Status != http.StatusNotFound {
		t.Errorf("unknown user: %d", r.Status)
	}
}

func TestAdminSessions(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2026-06-01"))
	admin := w.login(t, "admin")
	r := admin.post("/admin/sessions", url.Values{"name": {"武汉市第十五届人民代表大会第五次会议"}, "short_name": {"市十五届人大五次会议"},
		"opened_on": {"2026-01-10"}})
	wantStatusSV(t, "add a session", r, http.StatusSeeOther)
	path := r.Location
	r = admin.get(path)
	wantStatusSV(t, "GET "+path, r, http.StatusOK)
	for _, id := range []string{"rule-reply-amount", "rule-reply-unit", "rule-publication-amount", "reminder-days", "reminder-time", "rules-submit", "reminders-submit"} {
		if !strings.Contains(r.Body, `id="`+id+`"`) || !strings.Contains(r.Body, `for="`+id+`"`) && !strings.HasSuffix(id, "submit") {
			t.Errorf("the session page lacks a labelled #%s", id)
		}
	}
	cs, err := w.db.SessionByShortName(w.ctx, "市十五届人大五次会议")
	mustT(t, err)

	rules := url.Values{}
	for name, rule := range workflow.DefaultRuleSet() {
		rules.Set("amount_"+string(name), fmt.Sprint(rule.Amount))
		rules.Set("unit_"+string(name), string(rule.Unit))
	}
	rules.Set("amount_reply", "2")
	r = admin.post(path+"/rules", rules)
	wantStatusSV(t, "save the rules", r, http.StatusSeeOther)
	r = admin.post(path+"/reminders", url.Values{"days": {"10, 5，1"}, "time": {"08:30"}})
	wantStatusSV(t, "save the reminders", r, http.StatusSeeOther)
	cs, err = w.db.Session(w.ctx, cs.ID)
	mustT(t, err)
	if cs.Rules[workflow.RuleReply].Amount != 2 || !slices.Equal(cs.Reminders.DaysBefore, []int{10, 5, 1}) ||
		cs.Reminders.Hour != 8 || cs.Reminders.Minute != 30 {
		t.Errorf("session after saving: %+v", cs)
	}

	for _, b := range []struct {
		change func(url.Values)
		want   string
	}{
		{func(f url.Values) { f.Set("amount_reply", "0") }, "答复期限：期限数量须在 1 到 24 之间。"},
		{func(f url.Values) { f.Set("amount_publication", "二十") }, "答复公开期限：期限数量须为整数。"},
		{func(f url.Values) { f.Set("unit_rehandle", "weeks") }, "重办期限：请选择月、工作日或日。"},
		{func(f url.Values) { f.Set("amount_reply-extended", "1") }, "延期上限：不能短于答复期限"},
	} {
		f := url.Values{}
		for k, v := range rules {
			f[k] = v
		}
		b.change(f)
		r := admin.post(path+"/rules", f)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, b.want) {
			t.Errorf("want 422 with %q, got %d", b.want, r.Status)
		}
	}
	for _, f := range []url.Values{{"days": {"0,5"}, "time": {"09:00"}}, {"days": {"5,5"}, "time": {"09:00"}}, {"days": {"5"}, "time": {"25:00"}}} {
		if r := admin.post(path+"/reminders", f); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "提") {
			t.Errorf("%v: %d, want 422", f, r.Status)
		}
	}
	r = admin.post("/admin/sessions", url.Values{"name": {"另一个会议"}, "short_name": {"市十五届人大五次会议"}, "opened_on": {"2026-01-10"}})
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "简称：已有简称为“市十五届人大五次会议”的届次会议。") {
		t.Errorf("duplicate short name: %d", r.Status)
	}
	r = admin.post("/admin/sessions", url.Values{"name": {"某会议"}, "short_name": {"某会议"}, "opened_on": {"明天"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "开幕日期：请填写日期") {
		t.Errorf("bad date: %d", r.Status)
	}
	if r := admin.get("/admin/sessions/999999"); r.Status != http.StatusNotFound {
		t.Errorf("unknown session: %d", r.Status)
	}
}
