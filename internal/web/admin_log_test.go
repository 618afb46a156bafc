package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// TestAdminCannotChangeThemselves: an administrator who grants themselves
// a role, moves themselves to a unit or disables themselves is refused in
// plain words, and nothing changes or is recorded.
func TestAdminCannotChangeThemselves(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2026-06-01"))
	admin := w.login(t, "admin")
	self := w.actors["admin"].UserID
	before := w.count(t, "admin_events")

	for _, c := range []struct {
		action string
		form   url.Values
		want   string
	}{
		{"grant", url.Values{"role": {"approver"}}, "不能修改自己的角色或所属单位，请由其他管理员办理。"},
		{"grant", url.Values{"role": {"drafter"}}, "不能修改自己的角色或所属单位，请由其他管理员办理。"},
		{"revoke", url.Values{"role": {"admin"}}, "不能修改自己的角色或所属单位，请由其他管理员办理。"},
		{"department", url.Values{"department": {"ua"}}, "不能修改自己的角色或所属单位，请由其他管理员办理。"},
		{"disable", nil, "不能停用自己的账号，请由其他管理员办理。"},
	} {
		r := admin.post(fmt.Sprintf("/admin/users/%d/%s", self, c.action), c.form)
		if r.Status != http.StatusForbidden || !strings.Contains(svText(r.Body), "未能修改用户 用户admin："+c.want) {
			t.Errorf("%s %v of oneself: %d, want 403 saying %q", c.action, c.form, r.Status, c.want)
		}
	}
	admin.lang = "en"
	r := admin.post(fmt.Sprintf("/admin/users/%d/grant", self), url.Values{"role": {"approver"}})
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "You cannot change your own roles or unit; ask another administrator.") {
		t.Errorf("in English: %d", r.Status)
	}
	admin.lang = ""

	u, err := w.db.User(w.ctx, self)
	mustT(t, err)
	if !slices.Equal(u.Roles, []workflow.Role{workflow.RoleAdmin}) || u.DepartmentID != w.office.ID || u.Disabled {
		t.Errorf("the administrator changed themselves: %+v", u)
	}
	if n := w.count(t, "admin_events"); n != before {
		t.Errorf("refusals wrote %d records", n-before)
	}
	// Their own row offers no form to try.
	row := svElement(admin.get("/admin/users").Body, fmt.Sprintf(`id="user-%d"`, self))
	if strings.Contains(row, "<form") || !strings.Contains(svText(row), "本人账号：须由其他管理员修改。") {
		t.Errorf("the administrator's own row: %s", row)
	}
}

// TestAdminRoleStaysAlone: granting a unit role or liaison to an
// administrator, or admin to a drafter, is refused, and the users' page
// does not offer it.
func TestAdminRoleStaysAlone(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2026-06-01"))
	w.user(t, "admin2", w.office.ID, workflow.RoleAdmin)
	admin := w.login(t, "admin")
	admin2 := w.actors["admin2"].UserID
	drafter := w.actors["ua.drafter"].UserID
	liaison := w.actors["liaison"].UserID
	before := w.count(t, "admin_events")

	const want = "系统管理员账号不能同时担任承办人、审核人、签发人或督办人员。"
	for _, c := range []struct {
		user int64
		role string
	}{
		{admin2, "approver"}, {admin2, "drafter"}, {admin2, "reviewer"}, {admin2, "liaison"},
		{drafter, "admin"}, {liaison, "admin"},
	} {
		r := admin.post(fmt.Sprintf("/admin/users/%d/grant", c.user), url.Values{"role": {c.role}})
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, want) {
			t.Errorf("grant %s to user %d: %d, want 409 saying %q", c.role, c.user, r.Status, want)
		}
	}
	for id, roles := range map[int64][]workflow.Role{admin2: {workflow.RoleAdmin}, drafter: {workflow.RoleDrafter}, liaison: {workflow.RoleLiaison}} {
		u, err := w.db.User(w.ctx, id)
		mustT(t, err)
		if !slices.Equal(u.Roles, roles) {
			t.Errorf("%s's roles: %v, want %v", u.Name, u.Roles, roles)
		}
	}
	if n := w.count(t, "admin_events"); n != before {
		t.Errorf("refusals wrote %d records", n-before)
	}

	page := admin.get("/admin/users").Body
	options := func(id int64) string {
		return svElement(page, fmt.Sprintf(`id="user-%d-role"`, id))
	}
	if o := options(drafter); strings.Contains(o, `value="admin"`) || !strings.Contains(o, `value="approver"`) {
		t.Errorf("the drafter's grantable roles: %s", o)
	}
	if o := options(admin2); o != "" {
		t.Errorf("an administrator is offered roles to grant: %s", o)
	}
}

// TestAdminLog: every change through the pages is recorded and shown in
// words, newest first, on the log and on the user's page, in both
// languages; the log is paged.
func TestAdminLog(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2026-06-01"))
	admin := w.login(t, "admin")
	drafter := w.actors["ua.drafter"].UserID

	for _, step := range []struct {
		path string
		form url.Values
	}{
		{fmt.Sprintf("/admin/users/%d/grant", drafter), url.Values{"role": {"reviewer"}}},
		{fmt.Sprintf("/admin/users/%d/department", drafter), url.Values{"department": {"ub"}}},
		{fmt.Sprintf("/admin/users/%d/revoke", drafter), url.Values{"role": {"reviewer"}}},
		{fmt.Sprintf("/admin/users/%d/disable", drafter), nil},
		{fmt.Sprintf("/admin/users/%d/enable", drafter), nil},
		{"/admin/departments", url.Values{"code": {"jyj"}, "name": {"武汉市教育局"}}},
	} {
		wantStatusSV(t, step.path, admin.post(step.path, step.form), http.StatusSeeOther)
	}
	// The times as recorded, shown in Asia/Shanghai.
	events, _, err := w.db.AdminEvents(w.ctx, storage.AdminEventQuery{Limit: 6})
	mustT(t, err)
	when := make([]string, len(events))
	for i, e := range events {
		when[i] = e.At.In(workflow.Zone()).Format("2006-01-02 15:04")
	}
	want := []string{
		"系统管理员 用户admin 于 " + when[0] + " 添加单位 武汉市教育局",
		"系统管理员 用户admin 于 " + when[1] + " 启用 用户ua.drafter 的账号",
		"系统管理员 用户admin 于 " + when[2] + " 停用 用户ua.drafter 的账号",
		"系统管理员 用户admin 于 " + when[3] + " 撤销 用户ua.drafter 的角色 审核人（单位B）",
		"系统管理员 用户admin 于 " + when[4] + " 将 用户ua.drafter 的所属单位由 单位A 改为 单位B",
		"系统管理员 用户admin 于 " + when[5] + " 授予 用户ua.drafter 审核人（单位A）",
	}
	lines := func(page, id string) []string {
		t.Helper()
		list := svElement(page, `id="`+id+`"`)
		var out []string
		for _, li := range strings.Split(list, "<li")[1:] {
			out = append(out, svText("<li"+li))
		}
		return out
	}

	r := admin.get("/admin/log")
	wantStatusSV(t, "GET /admin/log", r, http.StatusOK)
	if got := lines(r.Body, "admin-log"); len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
		t.Errorf("the log begins\n%s\nwant\n%s", strings.Join(got[:min(len(got), len(want))], "\n"), strings.Join(want, "\n"))
	}

	r = admin.get(fmt.Sprintf("/admin/users/%d", drafter))
	wantStatusSV(t, "GET the drafter's page", r, http.StatusOK)
	history := lines(r.Body, "user-history")
	setup, _, err := w.db.AdminEvents(w.ctx, storage.AdminEventQuery{UserID: drafter, Limit: 2, Offset: 5})
	mustT(t, err)
	if len(setup) != 2 {
		t.Fatalf("the drafter has %d records from before the test, want 2", len(setup))
	}
	created := setup[0].At.In(workflow.Zone()).Format("2006-01-02 15:04")
	wantHistory := append(slices.Clone(want[1:]),
		"系统 于 "+created+" 授予 用户ua.drafter 承办人（单位A）",
		"系统 于 "+created+" 添加用户 用户ua.drafter（单位A）")
	if !slices.Equal(history, wantHistory) {
		t.Errorf("the drafter's history\n%s\nwant\n%s", strings.Join(history, "\n"), strings.Join(wantHistory, "\n"))
	}
	// The drafter's id as a number of its own, not the digits of a date.
	idRe := regexp.MustCompile(fmt.Sprintf(`(^|[^0-9-])%d([^0-9-]|$)`, drafter))
	for _, line := range history {
		if strings.Contains(line, "@") || idRe.MatchString(line) {
			t.Errorf("a line shows an identifier: %q", line)
		}
	}
	if !strings.Contains(admin.get("/admin/users").Body, fmt.Sprintf(`href="/admin/users/%d"`, drafter)) {
		t.Error("the users' page does not lead to the drafter's history")
	}

	admin.lang = "en"
	r = admin.get("/admin/log")
	if got := lines(r.Body, "admin-log"); len(got) < 2 ||
		got[1] != "Administrator 用户admin enabled the account of 用户ua.drafter on "+when[1] ||
		got[3] != "Administrator 用户admin revoked the role Reviewer (单位B) of 用户ua.drafter on "+when[3] {
		t.Errorf("in English: %q", got)
	}
	admin.lang = ""

	// Paged: 50 to a page, the oldest (setup's first unit) on the last.
	total := w.count(t, "admin_events")
	if total <= 50 {
		for i := 0; total+i <= 50; i += 2 {
			wantStatusSV(t, "grant", admin.post(fmt.Sprintf("/admin/users/%d/grant", drafter), url.Values{"role": {"approver"}}), http.StatusSeeOther)
			wantStatusSV(t, "revoke", admin.post(fmt.Sprintf("/admin/users/%d/revoke", drafter), url.Values{"role": {"approver"}}), http.StatusSeeOther)
		}
		total = w.count(t, "admin_events")
	}
	r = admin.get("/admin/log")
	if got := lines(r.Body, "admin-log"); len(got) != 50 || !strings.Contains(r.Body, fmt.Sprintf("共 %d 条记录", total)) ||
		!strings.Contains(r.Body, `href="/admin/log?page=2"`) {
		t.Errorf("first page: %d lines of %d", len(got), total)
	}
	r = admin.get("/admin/log?page=2")
	if got := lines(r.Body, "admin-log"); len(got) != total-50 || !strings.HasSuffix(got[len(got)-1], " 添加单位 督查室") {
		t.Errorf("second page: %d lines, last %q", len(got), got[len(got)-1:])
	}
	if r := admin.get("/admin/log?page=x"); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("page x: %d", r.Status)
	}
	if r := w.login(t, "liaison").get("/admin/log"); r.Status != http.StatusForbidden {
		t.Errorf("a liaison reads the log: %d", r.Status)
	}
}
