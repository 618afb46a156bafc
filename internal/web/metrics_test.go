package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/metrics"
	"github.com/banli-gov/banli/internal/metrics/metricstest"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/internal/web"
)

// setupMetricsCasework is the case work world with metrics, served on the
// main listener (cfg.MetricsAddr as given).
func setupMetricsCasework(t *testing.T, metricsAddr string) (*casework, *metrics.Metrics) {
	t.Helper()
	ctx := context.Background()
	db := testdb.NewDB(t)
	if _, err := demo.Load(ctx, db, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	cfg := newConfig(t)
	cfg.MetricsAddr = metricsAddr
	m := metrics.New(nil)
	cw := &casework{db: db, ctx: ctx, cfg: cfg}
	cw.srv = httptest.NewServer(web.NewServer(cfg, db, nil, web.WithMetrics(m)))
	t.Cleanup(cw.srv.Close)
	return cw, m
}

// TestMetricsOfRequestsAndTransitions scrapes /metrics as an administrator
// after a drafter opened a case twice, accepted it, and tried the same
// form again (a conflict): the requests are counted under their route
// patterns, never their paths, and the transitions by action and outcome.
func TestMetricsOfRequestsAndTransitions(t *testing.T) {
	t.Parallel()
	cw, _ := setupMetricsCasework(t, "")
	drafter := cw.login(t, "scjg.drafter")
	c := cw.caseOf(t, "关于规范电动自行车充电设施建设的建议", "scjg")
	casePath := fmt.Sprintf("/cases/%d", c.ID)
	for range 2 {
		if resp, _ := drafter.get(casePath); resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", casePath, resp.StatusCode)
		}
	}
	form := url.Values{"version": {fmt.Sprint(c.Version)}, "comment": {"已签收"}}
	if resp, _ := drafter.post(casePath+"/actions/accept", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", resp.StatusCode)
	}
	if resp, _ := drafter.post(casePath+"/actions/accept", form); resp.StatusCode != http.StatusConflict {
		t.Fatalf("accept again at the old version: %d", resp.StatusCode)
	}

	admin := cw.login(t, "admin")
	resp, body := admin.get(metrics.Path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics as admin: %d\n%.500s", resp.StatusCode, body)
	}
	s, err := metricstest.Parse(strings.NewReader(body))
	mustT(t, err)
	const requests = "banli_http_request_duration_seconds_count"
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{requests, []string{"method", "GET", "route", "/cases/{id}", "status", "200"}, 2},
		{requests, []string{"method", "POST", "route", "/cases/{id}/actions/{action}", "status", "303"}, 1},
		{requests, []string{"method", "POST", "route", "/cases/{id}/actions/{action}", "status", "409"}, 1},
		{"banli_case_transitions_total", []string{"action", "accept", "outcome", "ok"}, 1},
		{"banli_case_transitions_total", []string{"action", "accept", "outcome", "conflict"}, 1},
	} {
		if got, ok := s.Value(c.name, c.labels...); !ok || got != c.want {
			t.Errorf("%s%v = %v (found %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	// Route labels are patterns: no id, nor any other digit, in them.
	digit := regexp.MustCompile(`[0-9]`)
	for _, route := range s.LabelValues("banli_http_request_duration_seconds", "route") {
		if digit.MatchString(route) {
			t.Errorf("route label %q is a path, not a pattern", route)
		}
	}
	// Nothing personal in any label: not the users' names.
	for _, name := range []string{drafter.name, admin.name} {
		if strings.Contains(body, name) {
			t.Errorf("the scrape names %s", name)
		}
	}
}

// TestMetricsForAdminsOnly protects /metrics on the main listener as River's
// UI is: other roles get 403, a browser without a session goes to the
// login page, an API client without one gets 401. Go's profiles are never
// served there, not even to an administrator; with BANLI_METRICS_ADDR set
// the main listener serves no metrics either.
func TestMetricsForAdminsOnly(t *testing.T) {
	t.Parallel()
	cw, _ := setupMetricsCasework(t, "")
	for _, login := range []string{"scjg.drafter", "dcs.liaison"} {
		if resp, body := cw.login(t, login).get(metrics.Path); resp.StatusCode != http.StatusForbidden ||
			strings.Contains(body, "banli_") {
			t.Errorf("GET /metrics as %s: %d\n%.300s", login, resp.StatusCode, body)
		}
	}
	visitor := cw.anonymous(t, cw.srv.URL)
	resp, _ := visitor.get(metrics.Path)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next="+url.QueryEscape(metrics.Path) {
		t.Errorf("GET /metrics without a session: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	req, err := http.NewRequest(http.MethodGet, cw.srv.URL+metrics.Path, nil)
	mustT(t, err)
	req.Header.Set("Accept", "application/json")
	if resp, body := visitor.do(req); resp.StatusCode != http.StatusUnauthorized || strings.Contains(body, "banli_") {
		t.Errorf("GET /metrics as an API client without a session: %d", resp.StatusCode)
	}
	admin := cw.login(t, "admin")
	for _, path := range []string{"/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/cmdline"} {
		if resp, _ := admin.get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s on the main listener as admin: %d, want 404", path, resp.StatusCode)
		}
	}

	separate, _ := setupMetricsCasework(t, "127.0.0.1:9464")
	if resp, body := separate.login(t, "admin").get(metrics.Path); resp.StatusCode != http.StatusNotFound || strings.Contains(body, "banli_") {
		t.Errorf("GET /metrics on the main listener with BANLI_METRICS_ADDR set: %d", resp.StatusCode)
	}
}
