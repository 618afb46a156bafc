package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// TestSupervisionDashboard checks the dashboard's figures for a small known
// dataset against hand-computed values, counted on 2024-11-25:
//
//	P1 lead ua  meeting; sent 08-22 (due 10-08: on time); class A; 满意 → closed
//	P2 lead ub  sent 10-15 (late); class C; 不满意 on 10-20 → re-handling due
//	            11-20: overdue
//	P3 lead ua  assigned 08-26, due 11-26: due soon (until 12-04)
//	P3 co ub    assigned 08-26, co-opinion due 09-26: overdue
//
// ua: 2 cases (assigned 1, closed 1), due soon 1; replying 2, replied 1, on
// time 1, met 1; feedback 1 (满意); signed 1 (A).
// ub: 2 cases (assigned 1, re-handling 1), overdue 2; replying 1, replied 1,
// on time 0, met 0; feedback 1 (不满意); signed 1 (C).
// Total: 办复率 2/3 by suggestion and by assignment, 按时办复率 1/2, 面商率
// 1/2, 满意率 1/2, 基本满意率 0/2, 不满意率 1/2, 满意率（含基本满意） 1/2, the
// same in the first round, A 1/2, B 0/2, C 1/2, D 0/2 (of replied cases).
func TestSupervisionDashboard(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2024-11-25"))
	ids := map[string]int64{}

	p1 := w.proposal(t)
	c := w.assign(t, p1, "ua", workflow.KindLead, "2024-07-01")
	mustT(t, w.db.AddCommunication(w.ctx, w.actors["ua.drafter"], &storage.Communication{CaseID: c.ID,
		Method: workflow.ContactMeeting, HappenedOn: svDate(t, "2024-07-15"), Summary: "座谈"}, svAt(t, "2024-07-15")))
	c = w.reply(t, c, "ua", workflow.ClassA, "2024-08-20", "2024-08-22")
	c = w.act(t, c, workflow.ActionRecordFeedback, "liaison", "2024-09-01",
		workflow.Input{WorkRating: workflow.RatingSatisfied, ResultRating: workflow.RatingSatisfied})
	ids["P1 lead"] = c.ID

	p2 := w.proposal(t)
	c = w.assign(t, p2, "ub", workflow.KindLead, "2024-07-01")
	mustT(t, w.db.AddCommunication(w.ctx, w.actors["ub.drafter"], &storage.Communication{CaseID: c.ID,
		Method: workflow.ContactPhone, HappenedOn: svDate(t, "2024-07-15"), Summary: "电话"}, svAt(t, "2024-07-15")))
	c = w.reply(t, c, "ub", workflow.ClassC, "2024-10-14", "2024-10-15")
	c = w.act(t, c, workflow.ActionRecordFeedback, "liaison", "2024-10-20",
		workflow.Input{WorkRating: workflow.RatingBasicallySatisfied, ResultRating: workflow.RatingDissatisfied})
	ids["P2 lead"] = c.ID

	p3 := w.proposal(t)
	ids["P3 lead"] = w.assign(t, p3, "ua", workflow.KindLead, "2024-08-26").ID
	ids["P3 co"] = w.assign(t, p3, "ub", workflow.KindCo, "2024-08-26").ID

	liaison := w.login(t, "liaison")
	r := liaison.get("/supervision")
	wantStatusSV(t, "GET /supervision", r, http.StatusOK)
	page := r.Body

	totals := map[string]string{
		"total-reply_rate_suggestions":     "66.7% (2/3)",
		"total-reply_rate":                 "66.7% (2/3)",
		"total-on_time_rate":               "50.0% (1/2)",
		"total-meeting_rate":               "50.0% (1/2)",
		"total-satisfied":                  "50.0% (1/2)",
		"total-basically_satisfied":        "0.0% (0/2)",
		"total-dissatisfied":               "50.0% (1/2)",
		"total-satisfied_incl_basic":       "50.0% (1/2)",
		"total-first_satisfied":            "50.0% (1/2)",
		"total-first_basically_satisfied":  "0.0% (0/2)",
		"total-first_dissatisfied":         "50.0% (1/2)",
		"total-first_satisfied_incl_basic": "50.0% (1/2)",
		"total-class_a":                    "50.0% (1/2)",
		"total-class_b":                    "0.0% (0/2)",
		"total-class_c":                    "50.0% (1/2)",
		"total-class_d":                    "0.0% (0/2)",
	}
	for id, want := range totals {
		if got := svText(svElement(page, `id="`+id+`"`)); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	// Progress: the states of some case in scope (assigned, re-handling,
	// closed), then cases, due soon, overdue.
	progress := map[string][]string{
		`data-unit="ua"`: {"单位A", "1", "0", "1", "2", "1", "0"},
		`data-unit="ub"`: {"单位B", "1", "1", "0", "2", "0", "2"},
		`data-unit=""`:   {"合计", "2", "1", "1", "4", "1", "2"},
	}
	for row, want := range progress {
		if got := svRow(t, page, "progress-table", row); !slices.Equal(got, want) {
			t.Errorf("progress %s = %q, want %q", row, got, want)
		}
	}
	// Quality: 办复率 by suggestion and by assignment, 按时办复率, 面商率, the
	// class shares; satisfaction: the four rates, final then first round.
	quality := map[string][]string{
		`data-unit="ua"`: {"单位A", "50.0% (1/2)", "50.0% (1/2)", "100.0% (1/1)", "100.0% (1/1)",
			"100.0% (1/1)", "0.0% (0/1)", "0.0% (0/1)", "0.0% (0/1)"},
		`data-unit="ub"`: {"单位B", "100.0% (1/1)", "100.0% (1/1)", "0.0% (0/1)", "0.0% (0/1)",
			"0.0% (0/1)", "0.0% (0/1)", "100.0% (1/1)", "0.0% (0/1)"},
	}
	satisfaction := map[string][]string{
		`data-unit="ua"`: {"单位A", "100.0% (1/1)", "0.0% (0/1)", "0.0% (0/1)", "100.0% (1/1)", "100.0% (1/1)", "0.0% (0/1)", "0.0% (0/1)", "100.0% (1/1)"},
		`data-unit="ub"`: {"单位B", "0.0% (0/1)", "0.0% (0/1)", "100.0% (1/1)", "0.0% (0/1)", "0.0% (0/1)", "0.0% (0/1)", "100.0% (1/1)", "0.0% (0/1)"},
	}
	for table, rows := range map[string]map[string][]string{"quality-table": quality, "satisfaction-table": satisfaction} {
		for row, want := range rows {
			if got := svRow(t, page, table, row); !slices.Equal(got, want) {
				t.Errorf("%s %s = %q, want %q", table, row, got, want)
			}
		}
	}
	// The definitions are on the page, and the charts are accessible SVG.
	for _, want := range []string{"统计口径", "首次答复在当时有效的答复期限", "按时办复率", "满意率（含基本满意）", "办复率（按件）", "办复率（按件次）",
		"初次办理满意率", `title="已答复的办件中，承办单位记录了座谈或走访、或代表在征询意见表中填报座谈或走访`, `role="img"`, `<title id="chart-states-title">`,
		`<title id="chart-classes-title">`, `aria-labelledby="chart-states-title chart-states-desc"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the dashboard lacks %q", want)
		}
	}

	// Click through: each number lists the cases it counts.
	ubRow := svElement(svElement(page, `id="progress-table"`), `data-unit="ub"`)
	links := svLinks(ubRow)
	overdue := links[len(links)-1]
	if !strings.Contains(overdue, "overdue=1") || !strings.Contains(overdue, "unit=ub") {
		t.Fatalf("ub's overdue link: %q", overdue)
	}
	follow := func(link string, want ...string) {
		t.Helper()
		r := liaison.get(link)
		wantStatusSV(t, "GET "+link, r, http.StatusOK)
		var wantIDs []string
		for _, k := range want {
			wantIDs = append(wantIDs, fmt.Sprint(ids[k]))
		}
		if got := svCaseIDs(r.Body, "case-list"); !slices.Equal(got, wantIDs) {
			t.Errorf("%s lists %v, want %v (%v)", link, got, wantIDs, want)
		}
		if len(want) > 0 && !strings.Contains(r.Body, fmt.Sprintf(`href="/cases/%d"`, ids[want[0]])) {
			t.Errorf("%s: no link to case page of %s", link, want[0])
		}
	}
	follow(overdue, "P3 co", "P2 lead") // co-opinion due 09-26, then re-handling due 11-20
	replied := svLinks(svElement(page, `id="total-reply_rate"`))
	follow(replied[0], "P2 lead", "P1 lead")            // the numerator
	follow(replied[1], "P2 lead", "P3 lead", "P1 lead") // the denominator
	bySuggestion := svLinks(svElement(page, `id="total-reply_rate_suggestions"`))
	follow(bySuggestion[0], "P2 lead", "P1 lead")
	follow(bySuggestion[1], "P2 lead", "P3 lead", "P1 lead") // one row per suggestion: not P3 co
	follow(svLinks(svElement(page, `id="total-on_time_rate"`))[0], "P1 lead")
	follow(svLinks(svElement(page, `id="total-dissatisfied"`))[0], "P2 lead")
	follow(svLinks(svElement(page, `id="total-first_dissatisfied"`))[0], "P2 lead")
	follow(svLinks(svElement(page, `id="total-satisfied_incl_basic"`))[0], "P1 lead")
	follow(svLinks(svElement(page, `id="total-class_c"`))[0], "P2 lead")
	follow("/supervision/cases?due_soon=1", "P3 lead")
	follow(fmt.Sprintf("/supervision/cases?session=%d&unit=ua&state=closed", w.session.ID), "P1 lead")
	follow("/supervision/cases?year=2023")

	// The list shows due dates and where each case stands.
	r = liaison.get(overdue)
	for _, want := range []string{"2024-09-26", "2024-11-20", "已逾期", "重新办理中"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the overdue list lacks %q", want)
		}
	}
	// A bad filter names its parameter.
	for _, q := range []string{"state=nosuch", "unit=dcs", "measure=x", "overdue=yes", "class=E", "year=abc"} {
		r := liaison.get("/supervision/cases?" + q)
		param := strings.SplitN(q, "=", 2)[0]
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, param) {
			t.Errorf("?%s: %d, want 422 naming %s", q, r.Status, param)
		}
	}
	if r := liaison.get("/supervision?session=999999"); r.Status != http.StatusNotFound {
		t.Errorf("unknown session: %d, want 404", r.Status)
	}
	// By year: the same cases (all assigned in 2024).
	r = liaison.get("/supervision?year=2024")
	wantStatusSV(t, "GET /supervision?year=2024", r, http.StatusOK)
	if got := svText(svElement(r.Body, `id="total-reply_rate"`)); got != "66.7% (2/3)" {
		t.Errorf("2024: 办复率 %q", got)
	}
	// In English.
	liaison.lang = "en"
	r = liaison.get("/supervision")
	if !strings.Contains(r.Body, "Reply rate (by suggestion)") || !strings.Contains(r.Body, "On-time reply rate") {
		t.Errorf("the English dashboard lacks its words")
	}
}

// TestSupervisionRequests lists the pending return and extension requests
// with links to their case pages.
func TestSupervisionRequests(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2024-09-03"))
	p := w.proposal(t)
	ret := w.assign(t, p, "ua", workflow.KindSeparate, "2024-09-02")
	w.act(t, ret, workflow.ActionRequestReturn, "ua.drafter", "2024-09-03", workflow.Input{Comment: "不属于本单位职责"})
	ext := w.assign(t, p, "ub", workflow.KindSeparate, "2024-09-02")
	w.act(t, ext, workflow.ActionRequestExtension, "ub.drafter", "2024-09-03",
		workflow.Input{Comment: "需要实地调研", Due: svDate(t, "2025-01-06")})

	r := w.login(t, "liaison").get("/supervision/requests")
	wantStatusSV(t, "GET /supervision/requests", r, http.StatusOK)
	if got := svCaseIDs(r.Body, "return-requests"); !slices.Equal(got, []string{fmt.Sprint(ret.ID)}) {
		t.Errorf("return requests %v, want case %d", got, ret.ID)
	}
	if got := svCaseIDs(r.Body, "extension-requests"); !slices.Equal(got, []string{fmt.Sprint(ext.ID)}) {
		t.Errorf("extension requests %v, want case %d", got, ext.ID)
	}
	for _, want := range []string{"不属于本单位职责", "需要实地调研", "2025-01-06",
		fmt.Sprintf(`href="/cases/%d"`, ret.ID), fmt.Sprintf(`href="/cases/%d"`, ext.ID)} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the requests page lacks %q", want)
		}
	}
}

// TestSupervisionPagesRefuseOthers: the liaison's pages are the liaison's
// alone, and the administrator's the administrator's.
func TestSupervisionPagesRefuseOthers(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2024-09-03"))
	p := w.proposal(t)
	drafter, liaison, admin := w.login(t, "ua.drafter"), w.login(t, "liaison"), w.login(t, "admin")
	liaisonPages := []string{"/supervision", "/supervision/cases", "/supervision/requests", "/proposals/new",
		fmt.Sprintf("/proposals/%d", p.ID)}
	adminPages := []string{"/admin", "/admin/departments", "/admin/users", "/admin/sessions",
		fmt.Sprintf("/admin/sessions/%d", w.session.ID), "/admin/holidays"}
	for _, path := range liaisonPages {
		for who, b := range map[string]*svBrowser{"drafter": drafter, "admin": admin} {
			if r := b.get(path); r.Status != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 403", who, path, r.Status)
			}
		}
		if r := liaison.get(path); r.Status != http.StatusOK {
			t.Errorf("liaison GET %s: %d, want 200", path, r.Status)
		}
	}
	for _, path := range adminPages {
		for who, b := range map[string]*svBrowser{"drafter": drafter, "liaison": liaison} {
			if r := b.get(path); r.Status != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 403", who, path, r.Status)
			}
		}
		if r := admin.get(path); r.Status != http.StatusOK {
			t.Errorf("admin GET %s: %d, want 200", path, r.Status)
		}
	}
	posts := map[string]url.Values{
		"/proposals/new": {"number": {"1"}},
		fmt.Sprintf("/proposals/%d/assign", p.ID): {"lead": {"ua"}},
	}
	for path, form := range posts {
		if r := drafter.post(path, form); r.Status != http.StatusForbidden {
			t.Errorf("drafter POST %s: %d, want 403", path, r.Status)
		}
	}
	if r := liaison.post("/admin/holidays", url.Values{"date": {"2030-01-01"}, "kind": {"holiday"}, "name": {"元旦"}}); r.Status != http.StatusForbidden {
		t.Errorf("liaison POST /admin/holidays: %d, want 403", r.Status)
	}
	// Without the CSRF token, a liaison's form is refused too.
	r := liaison.do(http.MethodPost, fmt.Sprintf("/proposals/%d/assign", p.ID), url.Values{"lead": {"ua"}})
	if r.Status != http.StatusForbidden {
		t.Errorf("POST without CSRF token: %d, want 403", r.Status)
	}
	if w.count(t, "cases") != 0 || w.count(t, "holiday_overrides") != 0 {
		t.Error("a refused POST wrote something")
	}
	// The navigation leads the liaison to 督办.
	if r := liaison.get("/supervision"); !strings.Contains(r.Body, `href="/supervision" aria-current="page"`) {
		t.Error("the navigation does not mark 督办 current")
	}
}
