package pgcluster

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
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

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Superuser is the name of the cluster's bootstrap superuser.
const Superuser = "banli"

const (
	// startTimeout bounds how long Start waits for the server to accept
	// connections.
	startTimeout = 60 * time.Second
	// stopTimeout bounds how long Stop waits for a fast shutdown before it
	// kills the server, when its context has no earlier deadline.
	stopTimeout = 30 * time.Second
	// maxLogSize is the size past which postgres.log is moved to
	// postgres.log.1 at start.
	maxLogSize = 10 << 20
)

// Options configures Start.
type Options struct {
	// Dir is the cluster's directory: created if missing, reused if it
	// already holds a cluster. Required.
	Dir string
	// Database is created if missing; "banli" when empty.
	Database string
	// Logger receives progress messages; none when nil.
	Logger *slog.Logger
	// Port is the TCP port on 127.0.0.1; 0 picks a free one at each start.
	Port int
	// Ephemeral trades durability for speed (fsync, synchronous_commit and
	// full_page_writes off): a crash of the machine may corrupt the cluster.
	// For test and temporary clusters only.
	Ephemeral bool
}

// Cluster is a running private PostgreSQL server.
type Cluster struct {
	dir      string
	dataDir  string
	port     int
	password string
	database string
	version  string
	temp     bool
	logger   *slog.Logger

	cmd     *exec.Cmd
	done    chan struct{} // closed when the server has exited
	waitErr error         // the server's exit, valid after done

	stopOnce sync.Once
	stopErr  error
}

// Start starts the cluster in opts.Dir, initializing it first if the
// directory holds none, and returns once it accepts connections and
// opts.Database exists.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	begin := time.Now()
	if opts.Dir == "" {
		return nil, errors.New("error starting PostgreSQL: no cluster directory given")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("error resolving cluster directory: %w", err)
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	database := opts.Database
	if database == "" {
		database = "banli"
	}
	c := &Cluster{
		dir:      dir,
		dataDir:  filepath.Join(dir, "pgdata"),
		database: database,
		logger:   logger,
	}

	// The server's version must match the data directory's, if there is one.
	var want string
	b, err := os.ReadFile(filepath.Join(c.dataDir, "PG_VERSION"))
	switch {
	case err == nil:
		want = strings.TrimSpace(string(b))
	case !errors.Is(err, fs.ErrNotExist):
		// Never take a cluster we cannot read for none: initdb would replace it.
		return nil, fmt.Errorf("error starting PostgreSQL: %w", err)
	}
	bin, err := ensureBinDir(ctx, want, logger)
	if err != nil {
		return nil, fmt.Errorf("error starting PostgreSQL: %w", err)
	}
	c.version = bin.major
	u, err := currentServerUser()
	if err != nil {
		return nil, fmt.Errorf("error starting PostgreSQL: %w", err)
	}
	if err := u.prepareDir(dir); err != nil {
		return nil, fmt.Errorf("error starting PostgreSQL: %w", err)
	}

	if want == "" {
		if err := c.initdb(ctx, bin, u, opts.Ephemeral); err != nil {
			return nil, err
		}
	} else {
		pw, err := os.ReadFile(c.passwordFile())
		if err != nil {
			return nil, fmt.Errorf("error starting PostgreSQL: %s holds a cluster but its password file cannot be read "+
				"(remove the directory to start afresh): %w", dir, err)
		}
		c.password = strings.TrimSpace(string(pw))
	}
	if err := c.clearStalePID(ctx); err != nil {
		return nil, err
	}

	// A port picked free can be taken before the server binds it: try again.
	for attempt := 1; ; attempt++ {
		port := opts.Port
		if port == 0 {
			if port, err = freePort(); err != nil {
				return nil, err
			}
		}
		err = c.start(ctx, bin, u, port, opts.Ephemeral)
		if err == nil {
			break
		}
		if opts.Port != 0 || attempt == 5 || !errors.Is(err, errPortInUse) {
			return nil, err
		}
		logger.Debug("postgres port taken, trying another", "port", port)
	}
	if err := c.createDatabase(ctx, database); err != nil {
		_ = c.Stop(context.Background())
		return nil, err
	}
	logger.Info("postgres started", "dir", dir, "port", c.port, "version", c.version,
		"database", database, "took", time.Since(begin).Round(time.Millisecond))
	return c, nil
}

// StartTemp starts an ephemeral cluster in a fresh temporary directory;
// Stop removes the directory. Directories left by killed earlier runs are
// removed first.
func StartTemp(ctx context.Context, logger *slog.Logger) (*Cluster, error) {
	u, err := currentServerUser()
	if err != nil {
		return nil, fmt.Errorf("error starting PostgreSQL: %w", err)
	}
	base, err := u.tempBase()
	if err != nil {
		return nil, fmt.Errorf("error starting PostgreSQL: %w", err)
	}
	sweepTemp(base)
	dir, err := os.MkdirTemp(base, tempPrefix)
	if err != nil {
		return nil, fmt.Errorf("error creating temporary cluster directory: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("error creating temporary cluster directory: %w", err)
	}
	c, err := Start(ctx, Options{Dir: dir, Logger: logger, Ephemeral: true})
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	c.temp = true
	return c, nil
}

// URL returns the connection URL of the cluster's database (Options.Database).
func (c *Cluster) URL() string { return c.URLFor(c.database) }

// URLFor returns the connection URL of database db on the cluster, as the
// superuser.
func (c *Cluster) URLFor(db string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(Superuser, c.password),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/" + db,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Port returns the TCP port the server listens on, on 127.0.0.1.
func (c *Cluster) Port() int { return c.port }

// Dir returns the cluster's directory.
func (c *Cluster) Dir() string { return c.dir }

// LogFile returns the path of the server's log.
func (c *Cluster) LogFile() string { return filepath.Join(c.dir, "postgres.log") }

// String describes the cluster without its password.
func (c *Cluster) String() string {
	return fmt.Sprintf("PostgreSQL %s on 127.0.0.1:%d (%s)", c.version, c.port, c.dir)
}

// GoString is String, so that %#v does not print the password either.
func (c *Cluster) GoString() string { return c.String() }

// LogValue logs the cluster without its password.
func (c *Cluster) LogValue() slog.Value {
	return slog.GroupValue(slog.String("dir", c.dir), slog.Int("port", c.port), slog.String("version", c.version))
}

// Stop shuts the server down (fast shutdown: open sessions are ended),
// waiting until ctx is done or 30 seconds, then kills it. A temporary
// cluster's directory is removed. Stop may be called more than once.
func (c *Cluster) Stop(ctx context.Context) error {
	c.stopOnce.Do(func() {
		c.stopErr = c.stop(ctx)
		if c.temp {
			if err := c.Remove(); err != nil && c.stopErr == nil {
				c.stopErr = err
			}
		}
	})
	return c.stopErr
}

func (c *Cluster) stop(ctx context.Context) error {
	select {
	case <-c.done:
		return nil
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	timer := time.NewTimer(stopTimeout)
	defer timer.Stop()
	select {
	case <-c.done:
		c.logger.Debug("postgres stopped", "dir", c.dir)
		return nil
	case <-ctx.Done():
	case <-timer.C:
	}
	c.kill()
	return fmt.Errorf("error stopping PostgreSQL: no fast shutdown in time, killed it")
}

// kill kills the server and its backends (its process group) and waits for
// it to be gone.
func (c *Cluster) kill() {
	_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
	}
}

// Remove deletes the cluster's directory, data and all. The server must be
// stopped.
func (c *Cluster) Remove() error {
	select {
	case <-c.done:
	default:
		return errors.New("error removing cluster: the server is still running")
	}
	if err := os.RemoveAll(c.dir); err != nil {
		return fmt.Errorf("error removing cluster: %w", err)
	}
	return nil
}

func (c *Cluster) passwordFile() string { return filepath.Join(c.dir, "password") }

// initdb creates the data directory with a new random superuser password.
func (c *Cluster) initdb(ctx context.Context, bin binDir, u serverUser, ephemeral bool) error {
	// initdb works in pgdata.init, renamed pgdata when complete: an initdb
	// that was killed leaves no pgdata that looks like a cluster. A pgdata
	// without PG_VERSION is what some earlier failure left.
	initDir := c.dataDir + ".init"
	for _, d := range []string{c.dataDir, initDir} {
		if err := os.RemoveAll(d); err != nil {
			return fmt.Errorf("error removing incomplete data directory: %w", err)
		}
	}
	pw := make([]byte, 24)
	if _, err := rand.Read(pw); err != nil {
		return fmt.Errorf("error making password: %w", err)
	}
	c.password = base64.RawURLEncoding.EncodeToString(pw)
	if err := os.WriteFile(c.passwordFile(), []byte(c.password+"\n"), 0o600); err != nil {
		return fmt.Errorf("error writing password file: %w", err)
	}
	if err := os.Chmod(c.passwordFile(), 0o600); err != nil {
		return fmt.Errorf("error writing password file: %w", err)
	}
	if err := u.chown(c.passwordFile()); err != nil {
		return err
	}

	begin := time.Now()
	base := []string{
		"-D", initDir,
		"--username=" + Superuser,
		"--pwfile=" + c.passwordFile(),
		"--auth-host=scram-sha-256",
		"--auth-local=peer",
		"--encoding=UTF8",
		"--no-instructions",
	}
	if ephemeral {
		base = append(base, "--no-sync")
	}
	// C.UTF-8 sorts by code point and knows every character's class; a
	// system without that locale gets the C locale with UTF-8 encoding.
	var outs []string
	for _, locale := range []string{"--locale=C.UTF-8", "--no-locale"} {
		cmd := c.command(ctx, bin, u, "initdb", append(base, locale)...)
		out, err := cmd.CombinedOutput()
		if err == nil {
			if err := os.Rename(initDir, c.dataDir); err != nil {
				return fmt.Errorf("error initializing PostgreSQL cluster: %w", err)
			}
			c.logger.Debug("initdb done", "dir", c.dir, "locale", locale, "took", time.Since(begin).Round(time.Millisecond))
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("error initializing PostgreSQL cluster: %w", ctx.Err())
		}
		outs = append(outs, fmt.Sprintf("initdb %s: %v\n%s", locale, err, tail(out, 10)))
		if err := os.RemoveAll(initDir); err != nil {
			return fmt.Errorf("error removing incomplete data directory: %w", err)
		}
	}
	return fmt.Errorf("error initializing PostgreSQL cluster in %s:\n%s", c.dir, strings.Join(outs, "\n"))
}

// command builds an exec.Cmd for one of the server binaries, run as the
// server user, from the cluster directory.
func (c *Cluster) command(ctx context.Context, bin binDir, u serverUser, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(bin.path, name), args...)
	cmd.Dir = c.dir
	cmd.Env = serverEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: u.cred}
	return cmd
}

// clearStalePID removes a postmaster.pid left by a server that is gone (a
// killed earlier run). A server of a killed run may still be shutting down
// (it is told to when banli dies): wait for it a little. One whose parent is
// gone too is an orphan of an earlier banli: stop it.
func (c *Cluster) clearStalePID(ctx context.Context) error {
	pidFile := filepath.Join(c.dataDir, "postmaster.pid")
	pid := readPID(pidFile)
	if pid == 0 {
		if err := os.Remove(pidFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("error removing stale postmaster.pid: %w", err)
		}
		return nil
	}
	deadline := time.Now().Add(15 * time.Second)
	signalled := false
	for processAlive(pid) {
		comm, ppid, ok := processInfo(pid)
		if !ok || comm != "postgres" {
			break // the pid now belongs to another program
		}
		if ppid == 1 && !signalled {
			c.logger.Warn("stopping an orphaned PostgreSQL server of an earlier run", "pid", pid, "dir", c.dir)
			_ = syscall.Kill(pid, syscall.SIGINT)
			signalled = true
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("error starting PostgreSQL: a server (pid %d) is already running on %s; stop it first", pid, c.dataDir)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	if _, err := os.Stat(pidFile); err == nil {
		c.logger.Info("removing stale postmaster.pid of an earlier run", "pid", pid, "dir", c.dir)
		if err := os.Remove(pidFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("error removing stale postmaster.pid: %w", err)
		}
	}
	return nil
}

// errPortInUse means the server could not bind its port.
var errPortInUse = errors.New("port in use")

// start runs postgres on port and waits until it accepts connections.
func (c *Cluster) start(ctx context.Context, bin binDir, u serverUser, port int, ephemeral bool) error {
	logPath := c.LogFile()
	if fi, err := os.Stat(logPath); err == nil && fi.Size() > maxLogSize {
		_ = os.Rename(logPath, logPath+".1")
	}
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("error opening PostgreSQL log: %w", err)
	}
	defer logFile.Close() // the server has its own copy
	if err := u.chown(logPath); err != nil {
		return err
	}
	logStart, _ := logFile.Seek(0, io.SeekEnd)

	args := []string{
		"-D", c.dataDir,
		"-c", "listen_addresses=127.0.0.1",
		"-c", "port=" + strconv.Itoa(port),
		// No Unix socket: nothing needs it, and its path length is limited.
		"-c", "unix_socket_directories=",
	}
	if ephemeral {
		args = append(args,
			"-c", "fsync=off",
			"-c", "synchronous_commit=off",
			"-c", "full_page_writes=off",
			"-c", "max_connections=200",
		)
	}
	// Not CommandContext: the server outlives Start's context.
	cmd := exec.Command(filepath.Join(bin.path, "postgres"), args...)
	cmd.Dir = c.dir
	cmd.Env = serverEnv()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: u.cred,
		// Its own process group: a Ctrl-C at the terminal goes to banli,
		// which stops the server after its own shutdown, not before.
		Setpgid: true,
		// Fast shutdown when banli dies, even by SIGKILL.
		Pdeathsig: syscall.SIGINT,
	}
	done := make(chan struct{})
	c.cmd, c.port, c.done = cmd, port, done

	// Pdeathsig fires when the thread that forked the child exits, not the
	// process: fork from a locked thread that lives as long as the server.
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		c.waitErr = cmd.Wait()
		close(done)
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("error starting postgres: %w", err)
	}

	begin := time.Now()
	deadline := begin.Add(startTimeout)
	for {
		select {
		case <-c.done:
			logTail := c.logSince(logStart)
			if strings.Contains(logTail, "could not bind") || strings.Contains(logTail, "Address already in use") {
				return fmt.Errorf("error starting PostgreSQL on port %d: %w\n%s", port, errPortInUse, logTail)
			}
			return fmt.Errorf("error starting PostgreSQL: the server exited (%v); the end of %s:\n%s", c.waitErr, logPath, logTail)
		default:
		}
		ok, err := c.ready(ctx)
		if ok {
			c.logger.Debug("postgres accepts connections", "port", port, "took", time.Since(begin).Round(time.Millisecond))
			return nil
		}
		if ctx.Err() != nil {
			c.kill()
			return fmt.Errorf("error starting PostgreSQL: %w", ctx.Err())
		}
		if time.Now().After(deadline) {
			c.kill()
			return fmt.Errorf("error starting PostgreSQL: no connection within %v (last error: %v); the end of %s:\n%s",
				startTimeout, err, logPath, c.logSince(logStart))
		}
		select {
		case <-ctx.Done():
		case <-c.done:
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// ready reports whether our server accepts connections. It checks the data
// directory too: with a fixed port, another server may answer there.
func (c *Cluster) ready(ctx context.Context) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.URLFor("postgres"))
	if err != nil {
		return false, err
	}
	defer conn.Close(context.Background())
	var dataDir string
	if err := conn.QueryRow(ctx, "SHOW data_directory").Scan(&dataDir); err != nil {
		return false, err
	}
	if dataDir != c.dataDir {
		return false, fmt.Errorf("another server answers on port %d", c.port)
	}
	return true, nil
}

// logSince returns the last lines the server logged after offset.
func (c *Cluster) logSince(offset int64) string {
	f, err := os.Open(c.LogFile())
	if err != nil {
		return ""
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return ""
	}
	b, _ := io.ReadAll(io.LimitReader(f, 1<<20))
	return tail(bytes.TrimSpace(b), 20)
}

// createDatabase creates database db unless it exists.
func (c *Cluster) createDatabase(ctx context.Context, db string) error {
	if db == "postgres" {
		return nil
	}
	conn, err := pgx.Connect(ctx, c.URLFor("postgres"))
	if err != nil {
		return fmt.Errorf("error connecting to PostgreSQL: %w", err)
	}
	defer conn.Close(context.Background())
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", db).Scan(&exists); err != nil {
		return fmt.Errorf("error looking up database %q: %w", db, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{db}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: made meanwhile
		err = nil
	}
	if err != nil {
		return fmt.Errorf("error creating database %q: %w", db, err)
	}
	c.logger.Info("created database", "database", db)
	return nil
}

// serverEnv is our environment without PG* variables, which would change
// what initdb and postgres do.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("error picking a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
