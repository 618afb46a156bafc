package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/banli-gov/banli/internal/mailpit"
)

// benchServer is `banli serve` as the bench's child process.
type benchServer struct {
	cmd      *exec.Cmd
	addr     string
	base     string // http://addr
	started  time.Time
	out      *tailWriter
	done     chan struct{}
	waitErr  error
	stopOnce sync.Once
	stopErr  error
	client   *http.Client
}

// tailWriter keeps the last 16 KiB written to it: the server's log, shown
// when something fails.
type tailWriter struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 16<<10 {
		t.buf = t.buf[len(t.buf)-16<<10:]
	}
	return len(p), nil
}

func (t *tailWriter) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// startServer execs `banli serve` on a free port of 127.0.0.1 against the
// bench's database, with mp as its SMTP server, and returns at once.
func (b *bench) startServer(ctx context.Context, mp *mailpit.Server) (*benchServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"DATABASE_URL=" + b.url, "BANLI_LISTEN_ADDR=" + addr, "BANLI_LOG_LEVEL=warn",
		"BANLI_SHUTDOWN_TIMEOUT=10s",
		"BANLI_SMTP_HOST=" + mp.SMTPHost(), "BANLI_SMTP_PORT=" + strconv.Itoa(mp.SMTPPort()),
		"BANLI_SMTP_FROM=建议办理系统 <banli@bench.example>"}
	if b.opts.metricsAddr != "" {
		env = append(env, "BANLI_METRICS_ADDR="+b.opts.metricsAddr)
	}
	env = append(env, b.opts.serveEnv...)
	s := &benchServer{addr: addr, base: "http://" + addr, out: &tailWriter{}, done: make(chan struct{}),
		client: &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 0}}}
	s.cmd = exec.Command(b.opts.serveBinary, "serve")
	s.cmd.Env = env
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	// The server dies with the bench, even when the bench is killed.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	b.say("starting banli serve on %s", addr)
	s.started = time.Now()
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("error starting banli serve: %w", err)
	}
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.done)
	}()
	return s, nil
}

// stop asks the server to stop (SIGTERM) and waits; it is killed after 20 s.
func (s *benchServer) stop() error {
	s.stopOnce.Do(func() {
		select {
		case <-s.done:
			s.stopErr = fmt.Errorf("banli serve exited early: %v\n%s", s.waitErr, s.out)
			return
		default:
		}
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
			if s.waitErr != nil {
				s.stopErr = fmt.Errorf("banli serve did not stop cleanly: %v\n%s", s.waitErr, s.out)
			}
		case <-time.After(20 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.done
			s.stopErr = fmt.Errorf("banli serve did not stop within 20 s of SIGTERM; killed\n%s", s.out)
		}
	})
	return s.stopErr
}

// exited returns an error when the server has exited.
func (s *benchServer) exited() error {
	select {
	case <-s.done:
		return fmt.Errorf("banli serve exited: %v\n%s", s.waitErr, s.out)
	default:
		return nil
	}
}

// peakRSS reads the server's peak resident memory (VmHWM) in bytes.
func (s *benchServer) peakRSS() (int64, error) {
	if err := s.exited(); err != nil {
		return 0, err
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("VmHWM: %q", v)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", s.cmd.Process.Pid)
}

// get fetches path and returns the status and body.
func (s *benchServer) get(ctx context.Context, path string, header http.Header) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+path, nil)
	if err != nil {
		return 0, nil, err
	}
	maps(req.Header, header)
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// maps copies the values of from into to.
func maps(to, from http.Header) {
	for k, v := range from {
		to[k] = v
	}
}

// measureStart polls the started server every 2 ms until it accepts a
// connection (listening), answers /healthz 200 and /readyz "ready".
func (b *bench) measureStart(ctx context.Context, s *benchServer) error {
	var listening, healthy time.Duration
	deadline := time.Now().Add(2 * time.Minute)
	for listening == 0 {
		if err := s.exited(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("banli serve did not listen within 2 minutes\n%s", s.out)
		}
		c, err := net.DialTimeout("tcp", s.addr, time.Second)
		if err == nil {
			listening = time.Since(s.started)
			c.Close()
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	for healthy == 0 {
		if err := s.exited(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("banli serve did not answer /healthz within 2 minutes\n%s", s.out)
		}
		code, _, err := s.get(ctx, "/healthz", nil)
		if err == nil && code == http.StatusOK {
			healthy = time.Since(s.started)
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	b.say("listening after %v, /healthz after %v; waiting for /readyz", listening, healthy)
	var ready time.Duration
	deadline = time.Now().Add(30 * time.Minute)
	for ready == 0 {
		if err := s.exited(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("banli serve was not ready within 30 minutes\n%s", s.out)
		}
		code, body, err := s.get(ctx, "/readyz", nil)
		if err == nil && code == http.StatusOK && bytes.HasPrefix(body, []byte("ready")) {
			ready = time.Since(s.started)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.addRow(
		benchRow{"`banli serve` exec → listening", ms(listening) + " ms", below(listening, 2*time.Second)},
		benchRow{"exec → first `/healthz` 200", ms(healthy) + " ms", nil},
		benchRow{"exec → `/readyz` ready (deadlines reconciled in the background)", fmt.Sprintf("%.1f s", ready.Seconds()), nil})
	return nil
}
