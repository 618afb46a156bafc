package web

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/config"
)

func TestRecoverPanics(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	s := &server{logger: slog.New(slog.NewTextHandler(&logs, nil))}
	h := s.logRequests(s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", rec.Code)
	}
	if strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("body %q shows the panic", rec.Body.String())
	}
	out := logs.String()
	for _, want := range []string{"panic in handler", "boom", "stack=", "status=500"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	started := make(chan struct{})
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "done")
	})
	errc := make(chan error, 1)
	go func() { errc <- serve(ctx, ln, cfg, h, nil) }()

	respc := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			respc <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		respc <- string(b)
	}()
	<-started
	cancel() // shutdown begins with a request in flight
	// Shutdown closes the listener first: once a new connection is refused,
	// the server is shutting down while the request is still in flight.
	for deadline := time.Now().Add(10 * time.Second); ; {
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
		if err != nil {
			break
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("the listener still accepts connections 10s after shutdown began")
		}
		runtime.Gosched()
	}
	close(release)

	if got := <-respc; got != "done" {
		t.Errorf("request in flight got %q, want it completed", got)
	}
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("serve = %v, want nil after a graceful shutdown", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return after its context ended")
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("still accepting connections after shutdown")
	}
}

func TestRunReportsListenError(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(func(k string) string {
		if k == "BANLI_LISTEN_ADDR" {
			return "192.0.2.1:1" // TEST-NET-1: not an address of this machine
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := Run(context.Background(), cfg, http.NotFoundHandler(), nil); err == nil || !strings.Contains(err.Error(), "192.0.2.1:1") {
		t.Errorf("Run on a foreign address = %v, want an error naming it", err)
	}
}
