// Package config reads banli's settings from the environment. Load checks
// every variable and names the one that is wrong; a value that may hold a
// secret (DATABASE_URL) is never repeated in an error.
package config

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Defaults of the settings that have one.
const (
	DefaultListenAddr      = "127.0.0.1:8080"
	DefaultDevDataDir      = ".banli"
	DefaultShutdownTimeout = 15 * time.Second
)

// Config is banli's configuration.
type Config struct {
	// DatabaseURL is PostgreSQL's connection string (DATABASE_URL); empty
	// when unset. `banli serve` requires it; `banli dev` makes its own.
	DatabaseURL string
	// ListenAddr is the host:port the web server listens on
	// (BANLI_LISTEN_ADDR, default 127.0.0.1:8080).
	ListenAddr string
	// BaseURL is the public URL of the application, for links in e-mails and
	// OpenID redirects, without a trailing slash (BANLI_BASE_URL, default
	// http:// and the listen address, with localhost for an unspecified
	// host).
	BaseURL string
	// LogLevel is the lowest level logged (BANLI_LOG_LEVEL: debug, info,
	// warn or error; default info).
	LogLevel slog.Level
	// LogFormat is "text" or "json" (BANLI_LOG_FORMAT, default text).
	LogFormat string
	// DevDataDir is where `banli dev` keeps its private PostgreSQL and other
	// state (BANLI_DEV_DIR, default .banli in the working directory).
	DevDataDir string
	// ShutdownTimeout bounds the graceful shutdown on SIGINT or SIGTERM
	// (BANLI_SHUTDOWN_TIMEOUT, a Go duration such as 30s; default 15s).
	ShutdownTimeout time.Duration

	// Login and sessions (oidc.go).

	// OIDCProviders are the OpenID Connect identity providers users log in
	// with (BANLI_OIDC_PROVIDERS, a JSON array; none by default).
	OIDCProviders []OIDCProvider
	// CookieSecure marks the session cookie Secure (BANLI_COOKIE_SECURE;
	// default true unless BaseURL is http://).
	CookieSecure bool
	// SessionIdleTimeout ends a login session after this long without a
	// request (BANLI_SESSION_IDLE_TIMEOUT, default 8h).
	SessionIdleTimeout time.Duration
	// SessionMaxAge ends a login session this long after the login
	// (BANLI_SESSION_MAX_AGE, default 12h).
	SessionMaxAge time.Duration

	// SMTP is the mail server of e-mail notifications (BANLI_SMTP_*,
	// smtp.go); the zero value sends no e-mail.
	SMTP SMTP

	// Jobs is the background work: process mode and worker counts (jobs.go).
	Jobs Jobs

	// Feedback signs the deputies' feedback links (BANLI_FEEDBACK_SECRET,
	// feedback.go).
	Feedback Feedback

	// AttachmentMaxBytes is the size limit of one attachment
	// (BANLI_ATTACHMENT_MAX_MB, whole MiB, default 20; attachments.go).
	AttachmentMaxBytes int64

	// MetricsAddr is the host:port of a separate listener serving /metrics
	// without login and Go's profiles (/debug/pprof/) (BANLI_METRICS_ADDR,
	// metrics.go). Empty (the default): /metrics is served on the main
	// listener to administrators only, and no profiles at all.
	MetricsAddr string
}

// Load reads the configuration through getenv (os.Getenv, or a map's lookup
// in tests). The error names each variable that is wrong.
func Load(getenv func(string) string) (*Config, error) {
	c := &Config{
		ListenAddr:      DefaultListenAddr,
		LogLevel:        slog.LevelInfo,
		LogFormat:       "text",
		DevDataDir:      DefaultDevDataDir,
		ShutdownTimeout: DefaultShutdownTimeout,
	}
	var errs []error
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }

	if v := get("DATABASE_URL"); v != "" {
		// pgconn's error can quote the string with its password: not shown.
		if _, err := pgconn.ParseConfig(v); err != nil {
			errs = append(errs, errors.New("DATABASE_URL: not a valid PostgreSQL connection string "+
				"(postgres://user:password@host:5432/database); the value is not shown, it may hold a password"))
		} else {
			c.DatabaseURL = v
		}
	}
	if v := get("BANLI_LISTEN_ADDR"); v != "" {
		if err := checkHostPort(v); err != nil {
			errs = append(errs, fmt.Errorf("BANLI_LISTEN_ADDR: %q is not host:port", v))
		} else {
			c.ListenAddr = v
		}
	}
	if v := get("BANLI_BASE_URL"); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			errs = append(errs, fmt.Errorf("BANLI_BASE_URL: %q is not an absolute http(s) URL without query", v))
		} else {
			c.BaseURL = strings.TrimRight(v, "/")
		}
	} else {
		c.BaseURL = defaultBaseURL(c.ListenAddr)
	}
	if v := get("BANLI_LOG_LEVEL"); v != "" {
		level, ok := logLevels[strings.ToLower(v)]
		if !ok {
			errs = append(errs, fmt.Errorf("BANLI_LOG_LEVEL: %q is not one of debug, info, warn, error", v))
		} else {
			c.LogLevel = level
		}
	}
	if v := get("BANLI_LOG_FORMAT"); v != "" {
		switch f := strings.ToLower(v); f {
		case "text", "json":
			c.LogFormat = f
		default:
			errs = append(errs, fmt.Errorf("BANLI_LOG_FORMAT: %q is not one of text, json", v))
		}
	}
	if v := get("BANLI_DEV_DIR"); v != "" {
		c.DevDataDir = v
	}
	if v := get("BANLI_SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("BANLI_SHUTDOWN_TIMEOUT: %q is not a positive duration such as 30s", v))
		} else {
			c.ShutdownTimeout = d
		}
	}
	errs = append(errs, loadAuth(c, get)...)
	errs = append(errs, loadSMTP(c, get)...)
	errs = append(errs, loadJobs(c, get)...)
	errs = append(errs, loadFeedback(c, get)...)
	errs = append(errs, loadMetrics(c, get)...)
	errs = append(errs, loadAttachments(c, get)...)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("error in configuration: %w", err)
	}
	return c, nil
}

var logLevels = map[string]slog.Level{
	"debug":   slog.LevelDebug,
	"info":    slog.LevelInfo,
	"warn":    slog.LevelWarn,
	"warning": slog.LevelWarn,
	"error":   slog.LevelError,
}

// checkHostPort accepts host:port with a numeric port; the host may be
// empty (every interface).
func checkHostPort(s string) error {
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("bad port %q", port)
	}
	return nil
}

// defaultBaseURL is http:// and the listen address; a host that means every
// interface is shown as localhost, which a browser on the machine can open.
func defaultBaseURL(listenAddr string) string {
	host, port, err := net.SplitHostPort(listenAddr)
	if err != nil {
		return "http://" + listenAddr
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Logger returns a logger writing to w in the configured format, from the
// configured level up.
func (c *Config) Logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
