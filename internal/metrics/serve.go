package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// Path is where the metrics are served, on the main listener (admins only)
// or on the metrics listener.
const Path = "/metrics"

// PprofPath is where Go's profiles (net/http/pprof) are served: on the
// metrics listener only, never on the main one.
const PprofPath = "/debug/pprof/"

// ListenerHandler is the handler of the separate metrics listener
// (BANLI_METRICS_ADDR): the metrics at Path and Go's profiles under
// PprofPath, without login — the address must be reachable only by the
// monitoring system and operators. (Importing net/http/pprof also
// registers its handlers on http.DefaultServeMux, which banli never serves.)
func (m *Metrics) ListenerHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET "+Path, m.Handler())
	mux.HandleFunc(PprofPath, pprof.Index) // the index and every named profile (heap, goroutine, …)
	mux.HandleFunc(PprofPath+"cmdline", pprof.Cmdline)
	mux.HandleFunc(PprofPath+"profile", pprof.Profile)
	mux.HandleFunc(PprofPath+"symbol", pprof.Symbol)
	mux.HandleFunc(PprofPath+"trace", pprof.Trace)
	return mux
}

// Timeouts of the metrics listener. Its WriteTimeout leaves room for a
// 30-second CPU profile or trace (pprof's default duration).
const (
	readHeaderTimeout = 10 * time.Second
	writeTimeout      = 2 * time.Minute
	idleTimeout       = 2 * time.Minute
)

// Listen opens the metrics listener on addr, so that a taken address stops
// banli's start-up before anything else is served.
func Listen(ctx context.Context, addr string) (net.Listener, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("error listening for metrics on %s: %w", addr, err)
	}
	return ln, nil
}

// Serve serves h on ln until ctx ends, then shuts down within
// shutdownTimeout; it closes ln and returns nil after a graceful shutdown.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, shutdownTimeout time.Duration, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("serving metrics and profiles", "addr", ln.Addr().String(), "metrics", Path, "pprof", PprofPath)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("error serving metrics: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("error shutting down the metrics server: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("error serving metrics: %w", err)
	}
	return nil
}
