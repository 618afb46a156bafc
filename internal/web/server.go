package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/metrics"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// server holds what the handlers share.
type server struct {
	cfg    *config.Config
	db     *storage.DB
	logger *slog.Logger
	ui     *ui.Engine // the templates and static files (pages.go)

	// Login (auth_middleware.go, login_*.go, logout.go).
	providers *auth.Providers // the identity providers, discovered at first use

	// clock is the server's one clock (WithClock): every decision of a
	// handler — today's day for due-day counts, a session's or a feedback
	// link's expiry, the time of what a request records — reads it. Only
	// the request log measures durations with time.Now.
	clock workflow.Clock

	// devProvider is banli dev's OpenID provider, served under DevProviderPath.
	devProvider http.Handler
	// jobs is the River client: River's UI under /admin/jobs works on it.
	jobs *river.Client[pgx.Tx]
	// probesOnly serves /healthz and /readyz alone (a worker process).
	probesOnly bool
	// metrics records requests and transitions (nil: none); without
	// BANLI_METRICS_ADDR the server serves them at /metrics to admins.
	metrics *metrics.Metrics
	// readiness, when set, holds /readyz at 503 while the process warms up.
	readiness Readiness
}

// Option changes how NewServer builds the server.
type Option func(*server)

// WithClock sets the server's clock (by default the storage's, db.Clock, or
// workflow.SystemClock without a database), the
// one banli's main gives storage and jobs too: the time of sessions,
// logins and feedback links, and the day the pages count on — today's due
// dates, and the next year the holiday calendar must cover. Tests pin it.
func WithClock(c workflow.Clock) Option {
	return func(s *server) { s.clock = c }
}

// DevProviderPath is where WithDevProvider mounts the development OpenID
// provider; its issuer is BaseURL + DevProviderPath.
const DevProviderPath = "/devoidc"

// WithDevProvider serves banli dev's OpenID provider (internal/devoidc)
// under DevProviderPath, outside banli's sessions and CSRF checks; it sets
// its own Content-Security-Policy on its pages.
func WithDevProvider(h http.Handler) Option {
	return func(s *server) { s.devProvider = h }
}

// WithJobs gives the server the process's River client, for River's web UI
// under /admin/jobs (admins only).
func WithJobs(c *river.Client[pgx.Tx]) Option {
	return func(s *server) { s.jobs = c }
}

// WithMetrics records every request (by route pattern) and every case
// transition in m. Unless cfg.MetricsAddr is set — then a listener of its
// own serves them (metrics.Metrics.ListenerHandler) — the server serves m at
// /metrics to administrators, as it does River's UI.
func WithMetrics(m *metrics.Metrics) Option {
	return func(s *server) { s.metrics = m }
}

// Readiness says whether the process has finished what it does after it
// starts listening (reconciling deadlines, indexing search), and if not,
// what it is doing.
type Readiness interface {
	Ready() (ready bool, status string)
}

// WithReadiness makes /readyz answer 503 with r's status until r is ready.
func WithReadiness(r Readiness) Option {
	return func(s *server) { s.readiness = r }
}

// ProbesOnly serves only /healthz and /readyz: the HTTP face of a
// worker-only process (BANLI_MODE=worker).
func ProbesOnly() Option {
	return func(s *server) { s.probesOnly = true }
}

// NewServer returns banli's HTTP handler. It panics when the embedded
// templates do not parse (a defect of the build, named in the panic).
func NewServer(cfg *config.Config, db *storage.DB, logger *slog.Logger, opts ...Option) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &server{cfg: cfg, db: db, logger: logger}
	s.providers = auth.NewProviders(cfg.OIDCProviders, cfg.BaseURL, auth.Options{Logger: logger})
	s.clock = workflow.SystemClock
	if db != nil && db.Clock != nil {
		s.clock = db.Clock // one clock: the storage's, unless told otherwise
	}
	for _, o := range opts {
		o(s)
	}
	s.ui = newUI(logger)
	return s.routes()
}

// Timeouts of the HTTP server. Slow clients must not hold connections
// forever; exports and uploads of a few megabytes must still fit.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 120 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
)

// Run serves h on cfg.ListenAddr until ctx ends, then shuts down gracefully:
// it stops accepting connections and waits up to cfg.ShutdownTimeout for the
// requests in flight. It returns nil after a graceful shutdown.
func Run(ctx context.Context, cfg *config.Config, h http.Handler, logger *slog.Logger) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("error listening on %s: %w", cfg.ListenAddr, err)
	}
	return serve(ctx, ln, cfg, h, logger)
}

// serve is Run on a listener of the caller's; it closes ln.
func serve(ctx context.Context, ln net.Listener, cfg *config.Config, h http.Handler, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		// Requests outlive ctx during a graceful shutdown; background work a
		// handler starts on their behalf (River's UI) ends with ctx.
		BaseContext: func(net.Listener) context.Context { return withServerContext(context.WithoutCancel(ctx), ctx) },
	}
	logger.Info("listening", "addr", ln.Addr().String(), "url", cfg.BaseURL)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("error serving HTTP: %w", err)
	case <-ctx.Done():
	}

	logger.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("error shutting down HTTP server: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("error serving HTTP: %w", err)
	}
	logger.Info("stopped")
	return nil
}
