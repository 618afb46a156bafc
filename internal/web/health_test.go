package web_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/internal/web"
)

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func get(t *testing.T, h http.Handler, target string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

func newConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	h := web.NewServer(newConfig(t), nil, nil) // no database needed to be alive
	if code, body := get(t, h, "/healthz"); code != http.StatusOK || body != "ok" {
		t.Errorf("GET /healthz = %d %q, want 200 \"ok\"", code, body)
	}
}

func TestReadyz(t *testing.T) {
	t.Parallel()
	db := testdb.NewDB(t)
	h := web.NewServer(newConfig(t), db, nil)
	if code, body := get(t, h, "/readyz"); code != http.StatusOK || body != "ready" {
		t.Errorf("GET /readyz with a live database = %d %q, want 200 \"ready\"", code, body)
	}

	db.Close()
	code, body := get(t, h, "/readyz")
	if code != http.StatusServiceUnavailable {
		t.Errorf("GET /readyz with the pool closed = %d %q, want 503", code, body)
	}
	if strings.Contains(body, "postgres") || strings.Contains(body, "127.0.0.1") {
		t.Errorf("503 body %q tells too much", body)
	}
	if code, _ := get(t, h, "/healthz"); code != http.StatusOK {
		t.Errorf("GET /healthz with the pool closed = %d, want 200", code)
	}
}

func TestRequestLogOmitsQuery(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := web.NewServer(newConfig(t), nil, logger)
	get(t, h, "/healthz?token=s3cret")
	get(t, h, "/no-such-page?code=s3cret")
	out := logs.String()
	if strings.Contains(out, "s3cret") {
		t.Errorf("request log shows the query string:\n%s", out)
	}
	for _, want := range []string{"path=/healthz", "status=200", "path=/no-such-page", "status=404", "method=GET", "duration="} {
		if !strings.Contains(out, want) {
			t.Errorf("request log lacks %q:\n%s", want, out)
		}
	}
}
