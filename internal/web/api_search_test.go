package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/banli-gov/banli/workflow"
)

// apiGet fetches an API path as b and decodes its JSON.
func apiGet(t *testing.T, b *svBrowser, path string) (int, map[string]any) {
	t.Helper()
	r := b.do(http.MethodGet, path, nil)
	var out map[string]any
	if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
		t.Fatalf("GET %s: %d, not JSON: %s", path, r.Status, r.Body)
	}
	return r.Status, out
}

func caseIDsOf(out map[string]any) []int64 {
	var ids []int64
	for _, c := range out["cases"].([]any) {
		ids = append(ids, int64(c.(map[string]any)["id"].(float64)))
	}
	return ids
}

// TestAPICasesPaged: /api/cases pages by limit and before (newest
// assignment first), each case once; next_before is absent on the last
// page; a limit over 500 is refused.
func TestAPICasesPaged(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2027-07-20"))
	var want []int64
	for i := 1; i <= 5; i++ {
		c := w.assign(t, w.proposal(t), "ua", workflow.KindLead, fmt.Sprintf("2027-07-%02d", i))
		want = append([]int64{c.ID}, want...)
	}
	liaison := w.login(t, "liaison")
	var got []int64
	path := "/api/cases?limit=2"
	for pages := 0; path != ""; pages++ {
		status, out := apiGet(t, liaison, path)
		if status != http.StatusOK || pages > 3 {
			t.Fatalf("GET %s: %d %v", path, status, out)
		}
		got = append(got, caseIDsOf(out)...)
		path = ""
		if next, ok := out["next_before"]; ok {
			path = fmt.Sprintf("/api/cases?limit=2&before=%d", int64(next.(float64)))
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("pages: %v, want %v", got, want)
	}
	if status, _ := apiGet(t, liaison, "/api/cases?limit=501"); status != http.StatusUnprocessableEntity {
		t.Errorf("limit=501: %d, want 422", status)
	}
}

// TestAPISearch: /api/search finds the cases whose suggestion holds the
// words, within what the caller may see.
func TestAPISearch(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2027-07-20"))
	a := w.assign(t, w.proposal(t), "ua", workflow.KindLead, "2027-07-01")
	b := w.assign(t, w.proposal(t), "ub", workflow.KindLead, "2027-07-02")
	q := "/api/search?q=" + url.QueryEscape("督办测试")
	for _, tt := range []struct {
		who  string
		want []int64
	}{{"liaison", []int64{b.ID, a.ID}}, {"ua.drafter", []int64{a.ID}}, {"ub.reviewer", []int64{b.ID}}} {
		status, out := apiGet(t, w.login(t, tt.who), q)
		if got := caseIDsOf(out); status != http.StatusOK || fmt.Sprint(got) != fmt.Sprint(tt.want) ||
			out["total"].(float64) != float64(len(tt.want)) || out["more"] != false {
			t.Errorf("%s: %d %v, want cases %v", tt.who, status, out, tt.want)
		}
	}
	liaison := w.login(t, "liaison")
	for _, bad := range []string{"/api/search?q=", "/api/search?q=x&state=nope", "/api/search?q=x&limit=101", "/api/search?q=x&class=E"} {
		if status, _ := apiGet(t, liaison, bad); status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", bad, status)
		}
	}
}
