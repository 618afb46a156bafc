package config_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/config"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := config.Config{
		ListenAddr:      "127.0.0.1:8080",
		BaseURL:         "http://127.0.0.1:8080",
		LogLevel:        slog.LevelInfo,
		LogFormat:       "text",
		DevDataDir:      ".banli",
		ShutdownTimeout: 15 * time.Second,
		// Login and sessions (oidc_test.go tests them).
		SessionIdleTimeout: 8 * time.Hour,
		SessionMaxAge:      12 * time.Hour,
		// Background work (jobs_test.go tests it).
		Jobs: config.Jobs{Mode: config.ModeAll, ReminderWorkers: 5, NotifyWorkers: 5, DefaultWorkers: 2},
		// Attachments (attachments_test.go tests it).
		AttachmentMaxBytes: 20 << 20,
	}
	if !reflect.DeepEqual(*c, want) {
		t.Errorf("Load() = %+v, want %+v", *c, want)
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		env   map[string]string
		check func(*config.Config) bool
	}{
		{"database URL", map[string]string{"DATABASE_URL": "postgres://u:p@db:5432/banli?sslmode=disable"},
			func(c *config.Config) bool { return c.DatabaseURL == "postgres://u:p@db:5432/banli?sslmode=disable" }},
		{"database keyword/value", map[string]string{"DATABASE_URL": "host=db user=u dbname=banli"},
			func(c *config.Config) bool { return c.DatabaseURL == "host=db user=u dbname=banli" }},
		{"listen on all interfaces", map[string]string{"BANLI_LISTEN_ADDR": "0.0.0.0:9000"},
			func(c *config.Config) bool {
				return c.ListenAddr == "0.0.0.0:9000" && c.BaseURL == "http://localhost:9000"
			}},
		{"listen without host", map[string]string{"BANLI_LISTEN_ADDR": ":9000"},
			func(c *config.Config) bool { return c.BaseURL == "http://localhost:9000" }},
		{"listen IPv6", map[string]string{"BANLI_LISTEN_ADDR": "[::1]:9000"},
			func(c *config.Config) bool { return c.BaseURL == "http://[::1]:9000" }},
		{"base URL, trailing slash dropped", map[string]string{"BANLI_BASE_URL": "https://banli.example.gov.cn/"},
			func(c *config.Config) bool { return c.BaseURL == "https://banli.example.gov.cn" }},
		{"base URL with path", map[string]string{"BANLI_BASE_URL": "https://oa.example.gov.cn/banli"},
			func(c *config.Config) bool { return c.BaseURL == "https://oa.example.gov.cn/banli" }},
		{"log level debug", map[string]string{"BANLI_LOG_LEVEL": "debug"},
			func(c *config.Config) bool { return c.LogLevel == slog.LevelDebug }},
		{"log level WARN", map[string]string{"BANLI_LOG_LEVEL": "WARN"},
			func(c *config.Config) bool { return c.LogLevel == slog.LevelWarn }},
		{"log level error", map[string]string{"BANLI_LOG_LEVEL": "error"},
			func(c *config.Config) bool { return c.LogLevel == slog.LevelError }},
		{"log format json", map[string]string{"BANLI_LOG_FORMAT": "json"},
			func(c *config.Config) bool { return c.LogFormat == "json" }},
		{"dev dir", map[string]string{"BANLI_DEV_DIR": "/srv/banli-dev"},
			func(c *config.Config) bool { return c.DevDataDir == "/srv/banli-dev" }},
		{"shutdown timeout", map[string]string{"BANLI_SHUTDOWN_TIMEOUT": "1m30s"},
			func(c *config.Config) bool { return c.ShutdownTimeout == 90*time.Second }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := config.Load(env(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(c) {
				t.Errorf("Load(%v) = %+v", tt.env, *c)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"listen addr", map[string]string{"BANLI_LISTEN_ADDR": "abc"}, `BANLI_LISTEN_ADDR: "abc" is not host:port`},
		{"listen port", map[string]string{"BANLI_LISTEN_ADDR": "localhost:http"}, `BANLI_LISTEN_ADDR: "localhost:http" is not host:port`},
		{"listen port range", map[string]string{"BANLI_LISTEN_ADDR": ":70000"}, `BANLI_LISTEN_ADDR: ":70000" is not host:port`},
		{"base URL relative", map[string]string{"BANLI_BASE_URL": "/banli"}, `BANLI_BASE_URL: "/banli" is not an absolute http(s) URL`},
		{"base URL scheme", map[string]string{"BANLI_BASE_URL": "ftp://x"}, `BANLI_BASE_URL: "ftp://x"`},
		{"base URL query", map[string]string{"BANLI_BASE_URL": "https://x/?a=1"}, `BANLI_BASE_URL:`},
		{"log level", map[string]string{"BANLI_LOG_LEVEL": "verbose"}, `BANLI_LOG_LEVEL: "verbose" is not one of debug, info, warn, error`},
		{"log format", map[string]string{"BANLI_LOG_FORMAT": "xml"}, `BANLI_LOG_FORMAT: "xml" is not one of text, json`},
		{"shutdown timeout", map[string]string{"BANLI_SHUTDOWN_TIMEOUT": "10"}, `BANLI_SHUTDOWN_TIMEOUT: "10" is not a positive duration`},
		{"shutdown timeout negative", map[string]string{"BANLI_SHUTDOWN_TIMEOUT": "-5s"}, `BANLI_SHUTDOWN_TIMEOUT: "-5s"`},
		{"database URL", map[string]string{"DATABASE_URL": "mysql://root:s3cret@db/banli"}, "DATABASE_URL: not a valid PostgreSQL connection string"},
		{"database URL bad port", map[string]string{"DATABASE_URL": "postgres://u:s3cret@db:99999999/banli"}, "DATABASE_URL:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := config.Load(env(tt.env))
			if err == nil {
				t.Fatalf("Load(%v) succeeded, want error %q", tt.env, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

func TestLoadReportsEveryError(t *testing.T) {
	t.Parallel()
	_, err := config.Load(env(map[string]string{"BANLI_LOG_LEVEL": "loud", "BANLI_LOG_FORMAT": "xml"}))
	if err == nil || !strings.Contains(err.Error(), "BANLI_LOG_LEVEL") || !strings.Contains(err.Error(), "BANLI_LOG_FORMAT") {
		t.Errorf("error = %v, want both variables named", err)
	}
}

func TestLogger(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(map[string]string{"BANLI_LOG_FORMAT": "json", "BANLI_LOG_LEVEL": "warn"}))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	logger := c.Logger(&buf)
	logger.Info("hidden")
	logger.Warn("shown", "k", "v")
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("log is not one JSON record: %q: %v", buf.String(), err)
	}
	if rec["msg"] != "shown" || rec["k"] != "v" {
		t.Errorf("record = %v", rec)
	}
}
