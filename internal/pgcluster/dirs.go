package pgcluster

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// serverUser is who runs initdb and postgres: the current user, or the
// system user "postgres" when we are root (PostgreSQL refuses to run as root).
type serverUser struct {
	uid, gid int
	cred     *syscall.Credential // nil when the server runs as ourselves
}

func currentServerUser() (serverUser, error) {
	if os.Geteuid() != 0 {
		return serverUser{uid: os.Geteuid(), gid: os.Getegid()}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return serverUser{}, fmt.Errorf("running as root, PostgreSQL must run as the system user \"postgres\", "+
			"which was not found (installing the postgresql package creates it): %w", err)
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return serverUser{}, fmt.Errorf("error reading uid of user postgres: %w", err)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return serverUser{}, fmt.Errorf("error reading gid of user postgres: %w", err)
	}
	return serverUser{uid: uid, gid: gid, cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}, nil
}

// chown gives path to the server user when it is another user than us.
func (u serverUser) chown(path string) error {
	if u.cred == nil {
		return nil
	}
	if err := os.Lchown(path, u.uid, u.gid); err != nil {
		return fmt.Errorf("error giving %s to user postgres: %w", path, err)
	}
	return nil
}

// canSearch reports whether the server user may enter the directory fi
// describes. It reads the mode bits only (not ACLs nor supplementary groups),
// so it may call a reachable directory unreachable, never the reverse.
func (u serverUser) canSearch(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return true
	}
	perm := fi.Mode().Perm()
	switch {
	case int(st.Uid) == u.uid:
		return perm&0o100 != 0
	case int(st.Gid) == u.gid:
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}

// checkReachable returns an error when the server user cannot reach dir:
// when one of its existing ancestors cannot be searched by that user.
func (u serverUser) checkReachable(dir string) error {
	if u.cred == nil {
		return nil // we run the server ourselves and made the path
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("error resolving %s: %w", dir, err)
	}
	// Resolve symlinks in the part that exists: the server walks the real path.
	// Missing parts will be made by prepareDir, with modes the server can pass.
	existing := abs
	for {
		if _, err := os.Stat(existing); err == nil {
			break
		}
		parent := filepath.Dir(existing)
		if parent == existing {
			break
		}
		existing = parent
	}
	real, err := filepath.EvalSymlinks(existing)
	if err != nil {
		return fmt.Errorf("error resolving %s: %w", existing, err)
	}
	// dir itself becomes the server user's; every directory above it must
	// let that user through.
	start := real
	if existing == abs {
		start = filepath.Dir(real)
	}
	for p := start; ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("error checking %s: %w", p, err)
		}
		if !u.canSearch(fi) {
			return fmt.Errorf("the PostgreSQL server runs as user postgres, which cannot enter %s (mode %v); "+
				"choose a cluster directory outside it, or let others search it (chmod o+x %s)",
				p, fi.Mode().Perm(), p)
		}
		if p == filepath.Dir(p) {
			break
		}
	}
	return nil
}

// reachable reports whether the server user can reach dir.
func (u serverUser) reachable(dir string) bool {
	return u.checkReachable(dir) == nil
}

// prepareDir creates dir (and missing parents, searchable by all) and makes
// it the server user's, private to it.
func (u serverUser) prepareDir(dir string) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("error creating %s: %w", filepath.Dir(dir), err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("error creating cluster directory: %w", err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("error reading cluster directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("cluster directory %s is not a directory", dir)
	}
	if err := u.chown(dir); err != nil {
		return err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("error setting mode of cluster directory: %w", err)
	}
	return u.checkReachable(dir)
}

// DevDir returns the directory `banli dev` keeps its PostgreSQL cluster in,
// for the checkout at checkoutDir.
//
// That is checkoutDir/.banli, unless we run as root and the user "postgres"
// (who then runs the server, since PostgreSQL refuses to run as root) cannot
// reach it: a checkout below /root, whose mode is 0700, is the usual case.
// Then it is a directory under the system temp directory named after a hash
// of the checkout's absolute path, e.g. /tmp/banli-dev-3f2a9c1b7d0e: stable,
// so each checkout keeps its own cluster from run to run (until the temp
// directory is cleaned, e.g. at reboot), and reachable by the server.
func DevDir(checkoutDir string) (string, error) {
	abs, err := filepath.Abs(checkoutDir)
	if err != nil {
		return "", fmt.Errorf("error resolving checkout directory: %w", err)
	}
	dir := filepath.Join(abs, ".banli")
	if os.Geteuid() != 0 {
		return dir, nil
	}
	u, err := currentServerUser()
	if err != nil {
		return "", err
	}
	if u.reachable(dir) {
		return dir, nil
	}
	sum := sha256.Sum256([]byte(abs))
	base, err := u.tempBase()
	if err != nil {
		return "", err
	}
	dir = filepath.Join(base, "banli-dev-"+hex.EncodeToString(sum[:6]))
	// The name is predictable in a shared directory: accept only a directory
	// that we or the server user made.
	if fi, err := os.Lstat(dir); err == nil {
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !fi.IsDir() || (ok && st.Uid != 0 && int(st.Uid) != u.uid) {
			return "", fmt.Errorf("%s exists and is not a directory owned by root or postgres; remove it", dir)
		}
	}
	return dir, nil
}

// tempBase returns a temp directory the server user can reach: os.TempDir()
// if it can, else /tmp or /var/tmp.
func (u serverUser) tempBase() (string, error) {
	for _, d := range []string{os.TempDir(), "/tmp", "/var/tmp"} {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() && u.reachable(filepath.Join(d, "x")) {
			return d, nil
		}
	}
	return "", errors.New("no temp directory that user postgres can reach: tried $TMPDIR, /tmp, /var/tmp")
}

// tempPrefix names the directories of temporary clusters.
const tempPrefix = "banli-pg-"

// ownerFile records, in a temporary cluster's directory, the pid of the
// process that made it, so later runs can remove what a killed run left.
const ownerFile = "owner.pid"

// sweepTemp removes temporary cluster directories under base whose owner
// process is gone and whose server is not running. Directories younger than
// a minute are left alone: their owner may not have written its pid yet.
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
		if pid := readPID(filepath.Join(dir, ownerFile)); pid > 0 && processAlive(pid) {
			continue
		}
		if pid := readPID(filepath.Join(dir, "pgdata", "postmaster.pid")); pid > 0 && processAlive(pid) {
			continue
		}
		_ = os.RemoveAll(dir)
	}
}

// readPID reads the pid on the first line of path; 0 when there is none.
func readPID(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// processAlive reports whether a process with this pid exists.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// processInfo returns the command name and parent pid of a process, from
// /proc; ok is false when they cannot be read.
func processInfo(pid int) (comm string, ppid int, ok bool) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return "", 0, false
	}
	// pid (comm) state ppid ...; comm may hold spaces and parentheses.
	s := string(b)
	open, closing := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || closing < open {
		return "", 0, false
	}
	fields := strings.Fields(s[closing+1:])
	if len(fields) < 2 {
		return "", 0, false
	}
	ppid, err = strconv.Atoi(fields[1])
	if err != nil {
		return "", 0, false
	}
	return s[open+1 : closing], ppid, true
}
