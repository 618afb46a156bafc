package mailpit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Tool is the package path of mailpit, a tool of banli's module.
const Tool = "github.com/axllent/mailpit"

var (
	binMu   sync.Mutex
	binPath string // found by an earlier call in this process
)

// Binary returns the path of the mailpit binary of the module containing
// moduleDir (the working directory when empty), building it into Go's build
// cache when it is not there yet: `go tool -n github.com/axllent/mailpit`.
// The first build takes about a minute; a file lock lets one process build
// while the others wait for it.
func Binary(ctx context.Context, moduleDir string, logger *slog.Logger) (string, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	binMu.Lock()
	defer binMu.Unlock()
	if binPath != "" {
		if _, err := os.Stat(binPath); err == nil {
			return binPath, nil
		}
	}
	goCmd, err := goCommand()
	if err != nil {
		return "", err
	}
	unlock, err := lockBuild(ctx, logger)
	if err != nil {
		return "", err
	}
	defer unlock()

	begin := time.Now()
	cmd := exec.CommandContext(ctx, goCmd, "tool", "-n", Tool)
	cmd.Dir = moduleDir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("error building mailpit (go tool -n %s): %w\n%s", Tool, err, strings.TrimSpace(stderr.String()))
	}
	path := strings.TrimSpace(stdout.String())
	if fi, err := os.Stat(path); err != nil || fi.IsDir() {
		return "", fmt.Errorf("error building mailpit: go tool -n named %q, which is not a program", path)
	}
	if took := time.Since(begin); took > 3*time.Second {
		logger.Info("built mailpit", "path", path, "took", took.Round(time.Millisecond))
	}
	binPath = path
	return path, nil
}

// goCommand finds the go command: on PATH (go test puts its own first), or
// in $GOROOT/bin.
func goCommand() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	if root := os.Getenv("GOROOT"); root != "" {
		p := filepath.Join(root, "bin", "go")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("error finding mailpit: the go command is not on PATH (mailpit is built with go tool; install Go, or give Options.Binary)")
}

// lockBuild takes an exclusive lock on a file of the user's cache directory,
// waiting while another process holds it, until ctx ends.
func lockBuild(ctx context.Context, logger *slog.Logger) (func(), error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "banli")
	if err := os.MkdirAll(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("error creating %s: %w", dir, err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "mailpit-build.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("error opening mailpit's build lock: %w", err)
	}
	waited := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("error locking mailpit's build lock: %w", err)
		}
		if !waited {
			logger.Info("waiting for another process building mailpit")
			waited = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("error waiting for mailpit's build: %w", ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
