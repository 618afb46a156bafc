package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/metrics/metricstest"
	"github.com/banli-gov/banli/internal/testdb"
)

// TestServeMetricsListener runs banli serve in this process with
// BANLI_METRICS_ADDR: the metrics listener serves /metrics without login —
// the requests the main listener answered (by route pattern), the pool,
// River's queues — and Go's profiles; the main listener serves neither.
func TestServeMetricsListener(t *testing.T) {
	t.Parallel()
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	env := map[string]string{"DATABASE_URL": testdb.New(t), "BANLI_LISTEN_ADDR": addr, "BANLI_METRICS_ADDR": metricsAddr,
		"BANLI_LOG_LEVEL": "warn", "BANLI_SHUTDOWN_TIMEOUT": "5s"}
	ctx, cancel := context.WithCancel(context.Background())
	var errOut lockedBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve"}, stdio{Stdout: io.Discard, Stderr: &errOut, Getenv: func(k string) string { return env[k] }})
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("banli serve exited %d: %s", code, errOut.String())
		}
	})
	base, metricsBase := "http://"+addr, "http://"+metricsAddr
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if status, _ := getURL(t, base+"/healthz", true); status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("banli serve did not answer:\n%s", errOut.String())
		}
	}
	for _, path := range []string{"/debug/pprof/", "/debug/pprof/goroutine?debug=1", "/metrics"} {
		if status, body := getURL(t, base+path, false); status != http.StatusNotFound {
			t.Errorf("main listener: GET %s = %d, want 404\n%.300s", path, status, body)
		}
	}
	for _, path := range []string{"/debug/pprof/", "/debug/pprof/goroutine?debug=1", "/debug/pprof/heap"} {
		if status, body := getURL(t, metricsBase+path, false); status != http.StatusOK || body == "" {
			t.Errorf("metrics listener: GET %s = %d", path, status)
		}
	}
	// River's workers register their queues as they start: scrape until
	// the three are listed.
	var s metricstest.Scrape
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		status, body := getURL(t, metricsBase+"/metrics", false)
		if status != http.StatusOK {
			t.Fatalf("metrics listener: GET /metrics = %d\n%s", status, body)
		}
		var err error
		if s, err = metricstest.Parse(strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
		if queues := s.LabelValues("banli_river_jobs", "queue"); len(queues) >= 3 || time.Now().After(deadline) {
			break
		}
	}
	// The three 404s above, counted under no route; /healthz at least once.
	if n, ok := s.Value("banli_http_request_duration_seconds_count", "method", "GET", "route", "unmatched", "status", "404"); !ok || n != 3 {
		t.Errorf("404s of the main listener: %v (%v), want 3", n, ok)
	}
	if n, ok := s.Value("banli_http_request_duration_seconds_count", "method", "GET", "route", "/healthz", "status", "200"); !ok || n < 1 {
		t.Errorf("/healthz requests: %v (%v)", n, ok)
	}
	if n, ok := s.Value("banli_db_pool_max_connections"); !ok || n < 1 {
		t.Errorf("banli_db_pool_max_connections = %v (%v)", n, ok)
	}
	if n, ok := s.Value("banli_db_pool_total_connections"); !ok || n < 1 {
		t.Errorf("banli_db_pool_total_connections = %v (%v)", n, ok)
	}
	for _, q := range []string{"default", "reminders", "notify"} {
		if _, ok := s.Value("banli_river_jobs", "queue", q, "state", "available"); !ok {
			t.Errorf("no banli_river_jobs for queue %s: %v", q, s.LabelValues("banli_river_jobs", "queue"))
		}
	}
}

// getURL answers GET url's status and body; quiet returns 0 on a connection
// error instead of failing.
func getURL(t *testing.T, url string, quiet bool) (int, string) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 40 * time.Second}).Get(url)
	if err != nil {
		if quiet {
			return 0, ""
		}
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}
