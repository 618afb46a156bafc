package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/banli-gov/banli/workflow"
)

// TestCalendarProvisionalPages: a case assigned on 2027-11-15 has its reply
// due 2028-02-15, provisionally (2028 has no holiday data): the case page,
// the workbench and the JSON API say so, in both languages; the admins are
// warned from 1 October; when an admin makes 2028-02-15 a holiday, saving
// it recomputes the date (2028-02-16), says how many cases changed, and the
// case's history tells it in words.
func TestCalendarProvisionalPages(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2027-09-30"))
	admin := w.login(t, "admin")
	if r := admin.get("/admin"); strings.Contains(r.Body, `id="calendar-warning"`) {
		t.Error("/admin warns on 2027-09-30, before October")
	}
	w.clock.Store(svAt(t, "2027-11-15").UnixNano())
	admin = w.login(t, "admin") // a session of that day
	for _, path := range []string{"/admin", "/admin/holidays"} {
		if r := admin.get(path); !strings.Contains(r.Body, `id="calendar-warning"`) || !strings.Contains(r.Body, "暂定") {
			t.Errorf("%s on 2027-11-15: no warning that 2028 is missing and dates are provisional", path)
		}
	}

	c := w.assign(t, w.proposal(t), "ua", workflow.KindLead, "2027-11-15")
	liaison := w.login(t, "liaison")
	path := fmt.Sprintf("/cases/%d", c.ID)
	r := liaison.get(path)
	wantStatusSV(t, "GET "+path, r, http.StatusOK)
	dues := svText(svElement(r.Body, `id="dues"`))
	for _, want := range []string{"2028-02-15 （暂定：2028年节假日安排尚未公布）", "2028-05-15 （暂定：2028年节假日安排尚未公布）"} {
		if !strings.Contains(dues, want) {
			t.Errorf("due dates %q lack %q", dues, want)
		}
	}
	if deadlines := svText(svElement(r.Body, `id="deadlines"`)); !strings.Contains(deadlines, "2028-02-15 （暂定：2028年节假日安排尚未公布）") {
		t.Errorf("deadlines %q do not say 2028-02-15 is provisional", deadlines)
	}
	if r := liaison.get("/"); !strings.Contains(r.Body, "（暂定：2028年节假日安排尚未公布）") {
		t.Error("the workbench does not say the due date is provisional")
	}
	liaison.lang = "en"
	if r := liaison.get(path); !strings.Contains(r.Body, "(provisional: 2028 holidays not yet published)") {
		t.Error("the English case page does not say the due date is provisional")
	}
	liaison.lang = ""
	api := liaison.do(http.MethodGet, fmt.Sprintf("/api/cases/%d", c.ID), nil)
	var got struct {
		Case struct {
			ReplyDue     string   `json:"reply_due"`
			ExtensionCap string   `json:"extension_cap"`
			Provisional  []string `json:"provisional"`
		} `json:"case"`
	}
	mustT(t, json.Unmarshal([]byte(api.Body), &got))
	if view := got.Case; view.ReplyDue != "2028-02-15" || view.ExtensionCap != "2028-05-15" || !slices.Equal(view.Provisional, []string{"reply_due", "extension_cap"}) {
		t.Errorf("API: %+v; want reply_due 2028-02-15, extension_cap 2028-05-15, both provisional\n%s", view, api.Body)
	}

	// 2028's schedule arrives: 2028-02-15 is a holiday.
	r = admin.post("/admin/holidays", url.Values{"date": {"2028-02-15"}, "kind": {"holiday"}, "name": {"春节"}})
	wantStatusSV(t, "add 2028-02-15", r, http.StatusSeeOther)
	if r := admin.get(r.Location); !strings.Contains(r.Body, "1件建议的暂定期限已按新安排重新计算") {
		t.Error("the holidays page does not say one case was recomputed")
	}
	r = liaison.get(path)
	dues = svText(svElement(r.Body, `id="dues"`))
	if !strings.Contains(dues, "2028-02-16") || strings.Contains(dues, "2028-02-15") {
		t.Errorf("due dates after 2028's data: %q; want 2028-02-16", dues)
	}
	for _, want := range []string{"按新公布的节假日安排重新计算期限", "原答复期限（暂定）", "系统"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the case's history lacks %q", want)
		}
	}
	liaison.lang = "en"
	if r := liaison.get(path); !strings.Contains(r.Body, "Due dates recounted with the newly published holidays") {
		t.Error("the English history does not tell the recomputation")
	}
}
