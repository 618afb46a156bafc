// Package mailpit runs mailpit (github.com/axllent/mailpit), an SMTP server
// that keeps every message it receives and shows them in a web UI and an
// HTTP API, as a child process: the tests send banli's e-mail to it and read
// it back, and `banli dev` sends its e-mail there.
//
// mailpit is a Go tool of banli's module (the tool directive in go.mod,
// which pins its version): Start runs `go tool -n mailpit` in the module,
// which builds it into Go's build cache the first time (about a minute on
// two cores) and names the binary; later starts take a fraction of a
// second. Only the Go module proxy needs to be reachable, and it works as
// root. Concurrent first builds (several test processes) are serialized by
// a file lock, so only one of them compiles.
//
// Each server listens on free ports on 127.0.0.1, keeps its database in a
// temporary directory removed at Stop, and dies with the process that
// started it (Linux: the parent-death signal).
package mailpit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	// startTimeout bounds how long Start waits for a started mailpit to
	// answer (the build before it is bounded by Start's context alone).
	startTimeout = 30 * time.Second
	// stopTimeout bounds how long Stop waits after SIGTERM before SIGKILL.
	stopTimeout = 5 * time.Second
	// tempPrefix names the servers' temporary directories.
	tempPrefix = "banli-mailpit-"
)

// Options configures Start.
type Options struct {
	// Logger receives progress messages and, at debug level, mailpit's own
	// log; none when nil.
	Logger *slog.Logger
	// Binary is the mailpit program to run; empty: the module's tool,
	// built when needed (see the package comment).
	Binary string
	// ModuleDir is a directory inside banli's module, where `go tool`
	// runs; empty: the working directory.
	ModuleDir string
	// SMTPPort and HTTPPort are the ports to listen on, on 127.0.0.1; 0
	// picks a free one. Fixed ports let a caller configure its SMTP client
	// before mailpit is up (FreePort).
	SMTPPort int
	HTTPPort int
}

// Server is a running mailpit.
type Server struct {
	smtpPort int
	httpPort int
	dir      string
	logger   *slog.Logger
	http     *http.Client

	cmd     *exec.Cmd
	done    chan struct{} // closed when the process has exited
	waitErr error         // its exit, valid after done
	out     *tailBuffer   // the last lines it printed

	stopOnce sync.Once
	stopErr  error
}

// Start runs mailpit on free ports of 127.0.0.1 and returns once its HTTP
// API answers and its SMTP port accepts connections.
func Start(ctx context.Context, opts Options) (*Server, error) {
	begin := time.Now()
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	bin := opts.Binary
	if bin == "" {
		var err error
		if bin, err = Binary(ctx, opts.ModuleDir, logger); err != nil {
			return nil, err
		}
	}
	base := os.TempDir()
	sweepTemp(base)
	var lastErr error
	// A port picked free can be taken before mailpit binds it: try again.
	for attempt := 1; attempt <= 5; attempt++ {
		s, err := start(ctx, bin, base, opts.SMTPPort, opts.HTTPPort, logger)
		if err == nil {
			logger.Info("mailpit started", "smtp", net.JoinHostPort(s.SMTPHost(), strconv.Itoa(s.smtpPort)),
				"ui", s.URL(), "took", time.Since(begin).Round(time.Millisecond))
			return s, nil
		}
		lastErr = err
		if ctx.Err() != nil || !errors.Is(err, errPortInUse) || opts.SMTPPort != 0 || opts.HTTPPort != 0 {
			break
		}
		logger.Debug("mailpit port taken, trying others", "err", err)
	}
	return nil, lastErr
}

var errPortInUse = errors.New("port in use")

func start(ctx context.Context, bin, base string, smtpPort, httpPort int, logger *slog.Logger) (*Server, error) {
	var err error
	if smtpPort == 0 {
		if smtpPort, err = FreePort(); err != nil {
			return nil, err
		}
	}
	if httpPort == 0 {
		if httpPort, err = FreePort(); err != nil {
			return nil, err
		}
	}
	dir, err := os.MkdirTemp(base, tempPrefix)
	if err != nil {
		return nil, fmt.Errorf("error creating mailpit's directory: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("error creating mailpit's directory: %w", err)
	}
	s := &Server{
		smtpPort: smtpPort,
		httpPort: httpPort,
		dir:      dir,
		logger:   logger,
		http:     &http.Client{Timeout: 10 * time.Second},
		done:     make(chan struct{}),
		out:      &tailBuffer{max: 30},
	}
	args := []string{
		"--smtp", net.JoinHostPort("127.0.0.1", strconv.Itoa(smtpPort)),
		"--listen", net.JoinHostPort("127.0.0.1", strconv.Itoa(httpPort)),
		"--database", filepath.Join(dir, "mailpit.db"),
		// No POP3 server, no calls to the outside world.
		"--pop3", "",
		"--disable-version-check",
		"--smtp-disable-rdns",
		"--block-remote-css-and-fonts",
		// Accept any login, so a configured username is no obstacle.
		"--smtp-auth-accept-any",
		"--smtp-auth-allow-insecure",
	}
	// Not CommandContext: the server outlives Start's context.
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = childEnv(dir)
	cmd.Stdout, cmd.Stderr = s.out, s.out
	s.out.logger = logger
	cmd.SysProcAttr = &syscall.SysProcAttr{
		// Its own process group: a Ctrl-C goes to banli, which stops it.
		Setpgid: true,
		// It ends when we do, even by SIGKILL.
		Pdeathsig: syscall.SIGKILL,
	}
	s.cmd = cmd
	// Pdeathsig fires when the thread that forked the child exits, not the
	// process: fork from a locked thread that lives as long as the child.
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		s.waitErr = cmd.Wait()
		close(s.done)
	}()
	if err := <-started; err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("error starting mailpit (%s): %w", bin, err)
	}
	if err := s.waitReady(ctx); err != nil {
		_ = s.Stop()
		return nil, err
	}
	return s, nil
}

// waitReady polls until the HTTP API answers and the SMTP port accepts
// connections, the process exits, ctx ends or startTimeout passes.
func (s *Server) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(startTimeout)
	var lastErr error
	for {
		select {
		case <-s.done:
			out := s.out.String()
			if strings.Contains(out, "address already in use") {
				return fmt.Errorf("error starting mailpit: %w:\n%s", errPortInUse, out)
			}
			return fmt.Errorf("error starting mailpit: it exited (%v):\n%s", s.waitErr, out)
		default:
		}
		if lastErr = s.ready(ctx); lastErr == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("error starting mailpit: %w", ctx.Err())
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("error starting mailpit: not ready within %v (%v):\n%s", startTimeout, lastErr, s.out.String())
		}
		select {
		case <-ctx.Done():
		case <-s.done:
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *Server) ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("readyz: %s", resp.Status)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(s.SMTPHost(), strconv.Itoa(s.smtpPort)))
	if err != nil {
		return err
	}
	return conn.Close()
}

// SMTPHost returns the host mailpit's SMTP server listens on: 127.0.0.1.
func (s *Server) SMTPHost() string { return "127.0.0.1" }

// SMTPPort returns the port of mailpit's SMTP server.
func (s *Server) SMTPPort() int { return s.smtpPort }

// URL returns the address of mailpit's web UI and API, without a trailing
// slash, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string {
	return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(s.httpPort))
}

// Stop ends mailpit (SIGTERM, then SIGKILL after 5 seconds) and removes its
// directory. It may be called more than once.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		select {
		case <-s.done:
		default:
			_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
			select {
			case <-s.done:
			case <-time.After(stopTimeout):
				_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
				select {
				case <-s.done:
				case <-time.After(stopTimeout):
					s.stopErr = errors.New("error stopping mailpit: it does not exit")
				}
			}
		}
		if err := os.RemoveAll(s.dir); err != nil && s.stopErr == nil {
			s.stopErr = fmt.Errorf("error removing mailpit's directory: %w", err)
		}
		s.logger.Debug("mailpit stopped", "ui", s.URL())
	})
	return s.stopErr
}

// Address is a sender or recipient, as mailpit reports it.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Message is a message in mailpit's list (GET /api/v1/messages).
type Message struct {
	// ID is mailpit's id of the message.
	ID string `json:"ID"`
	// MessageID is the message's Message-ID header, without brackets.
	MessageID string    `json:"MessageID"`
	From      *Address  `json:"From"`
	To        []Address `json:"To"`
	// Subject is decoded (RFC 2047).
	Subject string    `json:"Subject"`
	Created time.Time `json:"Created"`
	Snippet string    `json:"Snippet"`
}

// MessageDetail is one message with its bodies and headers
// (GET /api/v1/message/{ID} and /headers).
type MessageDetail struct {
	ID        string    `json:"ID"`
	MessageID string    `json:"MessageID"`
	From      *Address  `json:"From"`
	To        []Address `json:"To"`
	Subject   string    `json:"Subject"`
	Date      time.Time `json:"Date"`
	// Text and HTML are the decoded text/plain and text/html parts.
	Text string `json:"Text"`
	HTML string `json:"HTML"`
	// Headers are the message's headers as received (values not decoded).
	Headers map[string][]string `json:"-"`
}

// Messages lists the messages mailpit holds, newest first (at most 500,
// the most it keeps).
func (s *Server) Messages(ctx context.Context) ([]Message, error) {
	var res struct {
		Messages []Message `json:"messages"`
	}
	if err := s.get(ctx, "/api/v1/messages?limit=500", &res); err != nil {
		return nil, err
	}
	return res.Messages, nil
}

// Message returns one message by mailpit's id.
func (s *Server) Message(ctx context.Context, id string) (*MessageDetail, error) {
	var m MessageDetail
	if err := s.get(ctx, "/api/v1/message/"+url.PathEscape(id), &m); err != nil {
		return nil, err
	}
	if err := s.get(ctx, "/api/v1/message/"+url.PathEscape(id)+"/headers", &m.Headers); err != nil {
		return nil, err
	}
	return &m, nil
}

// Raw returns a message as received, headers and body.
func (s *Server) Raw(ctx context.Context, id string) ([]byte, error) {
	return s.fetch(ctx, "/api/v1/message/"+url.PathEscape(id)+"/raw")
}

// WaitForMessages waits until mailpit holds at least n messages, and
// returns them; it fails when timeout passes or ctx ends first.
func (s *Server) WaitForMessages(ctx context.Context, n int, timeout time.Duration) ([]Message, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		msgs, err := s.Messages(ctx)
		if err == nil && len(msgs) >= n {
			return msgs, nil
		}
		select {
		case <-ctx.Done():
			if err != nil {
				return msgs, fmt.Errorf("error waiting for %d messages: %w", n, err)
			}
			return msgs, fmt.Errorf("error waiting for %d messages: %d arrived within %v", n, len(msgs), timeout)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *Server) get(ctx context.Context, path string, v any) error {
	b, err := s.fetch(ctx, path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("error reading mailpit's answer to %s: %w", path, err)
	}
	return nil
}

func (s *Server) fetch(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("error asking mailpit for %s: %w", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("error reading mailpit's answer to %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("mailpit answered %s to %s: %s", resp.Status, path, bytes.TrimSpace(b))
	}
	return b, nil
}

// childEnv is our environment without mailpit's MP_* settings, which would
// change what the flags say, and with TMPDIR in its own directory.
func childEnv(dir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MP_") && !strings.HasPrefix(kv, "TMPDIR=") {
			env = append(env, kv)
		}
	}
	return append(env, "TMPDIR="+dir)
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("error picking a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tailBuffer keeps the last lines mailpit printed, for error messages, and
// logs each at debug level.
type tailBuffer struct {
	mu      sync.Mutex
	max     int
	lines   []string
	partial []byte
	logger  *slog.Logger
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.partial = append(t.partial, p...)
	consumed := 0
	for {
		i := bytes.IndexByte(t.partial[consumed:], '\n')
		if i < 0 {
			break
		}
		line := string(bytes.TrimRight(t.partial[consumed:consumed+i], "\r"))
		consumed += i + 1
		t.lines = append(t.lines, line)
		if len(t.lines) > t.max {
			t.lines = t.lines[len(t.lines)-t.max:]
		}
		if t.logger != nil {
			t.logger.Debug("mailpit", "line", line)
		}
	}
	t.partial = append(t.partial[:0], t.partial[consumed:]...)
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(append(append([]string(nil), t.lines...), string(t.partial)), "\n")
}

// sweepTemp removes the directories of servers whose process is gone (a
// killed test or banli dev), leaving younger ones alone.
func sweepTemp(base string) {
	entries, err := os.ReadDir(base)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), tempPrefix) {
			continue
		}
		dir := filepath.Join(base, e.Name())
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < time.Minute {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, "owner.pid"))
		if err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
				if err := syscall.Kill(pid, 0); err == nil || errors.Is(err, syscall.EPERM) {
					continue
				}
			}
		}
		_ = os.RemoveAll(dir)
	}
}
