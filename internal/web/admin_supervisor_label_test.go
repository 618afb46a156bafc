package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAdminSupervisorLabel: an administrator names the supervising role as
// the deployment's office is called (人大代表工作机构); from then on the
// Chinese pages call the role so wherever they name it — the rules of the
// users page, the role of a user — and the administration log records the
// change with the previous name. 联络员 (a unit's contact person) and a
// name that is not Chinese are refused in plain words.
func TestAdminSupervisorLabel(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2024-07-01"))
	admin := w.login(t, "admin")

	r := admin.get("/admin")
	wantStatusSV(t, "GET /admin", r, http.StatusOK)
	for _, want := range []string{`id="supervisor-form"`, `value="督办人员"`, `<option value="人大代表工作机构">`, `<option value="政府督查室">`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("/admin lacks %q", want)
		}
	}
	r = admin.get("/admin/users")
	if !strings.Contains(r.Body, "签发人或督办人员") || strings.Contains(r.Body, "人大代表工作机构") {
		t.Fatal("before any change, the users page does not call the role 督办人员")
	}

	r = admin.post("/admin/supervisor-label", url.Values{"label": {"人大代表工作机构"}})
	wantStatusSV(t, "set the label", r, http.StatusSeeOther)
	r = admin.get(r.Location)
	if !strings.Contains(r.Body, "称谓已保存") || !strings.Contains(r.Body, `value="人大代表工作机构"`) {
		t.Error("/admin does not confirm the new name")
	}
	r = admin.get("/admin/users")
	if strings.Contains(r.Body, "督办人员") || !strings.Contains(r.Body, "签发人或人大代表工作机构") {
		t.Error("the users page still calls the role 督办人员")
	}
	r = admin.get("/admin/log")
	if !strings.Contains(r.Body, `将督办角色的称谓设为 <span lang="zh-CN">人大代表工作机构</span>（原为 <span lang="zh-CN">督办人员</span>）`) {
		t.Error("the administration log lacks the change with the previous name")
	}
	// English pages keep their own words.
	admin.lang = "en"
	if r := admin.get("/admin/users"); strings.Contains(r.Body, "人大代表工作机构") {
		t.Error("an English page says the Chinese name")
	}
	admin.lang = ""

	for _, tt := range []struct{ label, want string }{
		{"联络员", "“联络员”指承办单位的联络人员"},
		{"liaison", "称谓须为2至20个字的中文名称"},
		{"", "称谓须为2至20个字的中文名称"},
	} {
		r := admin.post("/admin/supervisor-label", url.Values{"label": {tt.label}})
		if r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest || !strings.Contains(r.Body, tt.want) {
			t.Errorf("label %q: %d, want a refusal saying %q", tt.label, r.Status, tt.want)
		}
	}

	// Only an administrator names the role.
	liaison := w.login(t, "liaison")
	if r := liaison.post("/admin/supervisor-label", url.Values{"label": {"政府督查室"}}); r.Status != http.StatusForbidden {
		t.Errorf("a liaison sets the label: %d", r.Status)
	}
}
