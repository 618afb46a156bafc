package pgcluster

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func debugLogger(w *syncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// clusterDir returns a path for a cluster directory (not yet created) in a
// directory that the server user can reach, removed at the end of the test.
func clusterDir(t *testing.T) string {
	t.Helper()
	u, err := currentServerUser()
	if err != nil {
		t.Fatal(err)
	}
	base, err := u.tempBase()
	if err != nil {
		t.Fatal(err)
	}
	parent, err := os.MkdirTemp(base, "banli-pgtest-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(parent) })
	return filepath.Join(parent, "cluster")
}

func query(t *testing.T, url, sql string, args ...any) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	defer conn.Close(ctx)
	var s string
	if err := conn.QueryRow(ctx, sql, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

func exec1(t *testing.T, url, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestStartTemp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var logs syncBuffer
	begin := time.Now()
	c, err := StartTemp(ctx, debugLogger(&logs))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("StartTemp took %v", time.Since(begin))
	t.Cleanup(func() { c.Stop(context.Background()) })

	if got := query(t, c.URL(), "SELECT current_database()"); got != "banli" {
		t.Errorf("current_database() = %q, want banli", got)
	}
	if got := query(t, c.URL(), "SELECT current_user"); got != Superuser {
		t.Errorf("current_user = %q, want %q", got, Superuser)
	}
	if got := query(t, c.URLFor("postgres"), "SELECT current_database()"); got != "postgres" {
		t.Errorf("URLFor(postgres): current_database() = %q", got)
	}
	if got := query(t, c.URL(), "SHOW fsync"); got != "off" {
		t.Errorf("fsync = %q, want off for an ephemeral cluster", got)
	}
	if got := query(t, c.URL(), "SHOW server_encoding"); got != "UTF8" {
		t.Errorf("server_encoding = %q, want UTF8", got)
	}
	if got := query(t, c.URL(), "SHOW listen_addresses"); got != "127.0.0.1" {
		t.Errorf("listen_addresses = %q", got)
	}
	fi, err := os.Stat(filepath.Join(c.Dir(), "password"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("password file mode = %v, want 0600", perm)
	}

	// A wrong password is refused: the server authenticates TCP clients.
	ctx2, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	bad := strings.Replace(c.URL(), ":"+c.password+"@", ":wrong@", 1)
	if conn, err := pgx.Connect(ctx2, bad); err == nil {
		conn.Close(ctx2)
		t.Error("connected with a wrong password")
	}

	for _, s := range []string{c.String(), fmt.Sprintf("%v %+v %#v", c, c, c), logs.String()} {
		if strings.Contains(s, c.password) {
			t.Errorf("password leaked in %q", s)
		}
	}

	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(c.Dir()); !os.IsNotExist(err) {
		t.Errorf("temporary cluster directory still there after Stop: %v", err)
	}
	if err := c.Stop(ctx); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

func TestStartReusesPersistentDir(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := clusterDir(t)

	c, err := Start(ctx, Options{Dir: dir, Database: "reuse"})
	if err != nil {
		t.Fatal(err)
	}
	if got := query(t, c.URL(), "SHOW fsync"); got != "on" {
		t.Errorf("fsync = %q, want on for a persistent cluster", got)
	}
	exec1(t, c.URL(), "CREATE TABLE kept AS SELECT 'still here'::text AS v")
	password := c.password
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "pgdata", "PG_VERSION")); err != nil {
		t.Fatalf("persistent cluster gone after Stop: %v", err)
	}

	c2, err := Start(ctx, Options{Dir: dir, Database: "reuse"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c2.Stop(context.Background()) })
	if c2.password != password {
		t.Error("password changed between runs")
	}
	if got := query(t, c2.URL(), "SELECT v FROM kept"); got != "still here" {
		t.Errorf("kept row = %q", got)
	}
	if err := c2.Remove(); err == nil {
		t.Error("Remove of a running cluster succeeded")
	}
	if err := c2.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c2.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("cluster directory still there after Remove: %v", err)
	}
}

func TestStartRemovesStalePID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := clusterDir(t)
	c, err := Start(ctx, Options{Dir: dir, Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	// The pid of a process that has exited.
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	pidFile := filepath.Join(dir, "pgdata", "postmaster.pid")
	stale := fmt.Sprintf("%d\n%s\n", gone.Process.Pid, filepath.Join(dir, "pgdata"))
	if err := os.WriteFile(pidFile, []byte(stale), 0o600); err != nil {
		t.Fatal(err)
	}
	c2, err := Start(ctx, Options{Dir: dir, Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	c2.Stop(ctx)
}

// TestStartAfterInterruptedInitdb starts on what a killed initdb leaves.
func TestStartAfterInterruptedInitdb(t *testing.T) {
	t.Parallel()
	dir := clusterDir(t)
	for _, d := range []string{"pgdata.init/base", "pgdata/global"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	c, err := Start(context.Background(), Options{Dir: dir, Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	c.Stop(context.Background())
	if _, err := os.Stat(filepath.Join(dir, "pgdata.init")); !os.IsNotExist(err) {
		t.Errorf("pgdata.init left behind: %v", err)
	}
}

// TestServerDiesWithUs kills a process that started a cluster and checks
// that its server shuts down and that the next Start on the directory works.
func TestServerDiesWithUs(t *testing.T) {
	t.Parallel()
	dir := clusterDir(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperStartAndWait$", "-test.count=1")
	cmd.Env = append(os.Environ(), "PGCLUSTER_HELPER_DIR="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "started ") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper did not start a cluster: %q %v", line, err)
	}
	pid := readPID(filepath.Join(dir, "pgdata", "postmaster.pid"))
	if pid == 0 || !processAlive(pid) {
		t.Fatalf("no live server after helper start (pid %d)", pid)
	}
	cmd.Process.Kill()
	cmd.Wait()

	deadline := time.Now().Add(20 * time.Second)
	for processAlive(pid) {
		if comm, _, ok := processInfo(pid); ok && comm == "postgres" && time.Now().After(deadline) {
			syscall.Kill(-pid, syscall.SIGKILL)
			t.Fatal("server still running 20s after its parent was killed")
		}
		time.Sleep(50 * time.Millisecond)
	}

	c, err := Start(context.Background(), Options{Dir: dir, Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	c.Stop(context.Background())
}

// TestHelperStartAndWait is the process TestServerDiesWithUs kills; it does
// nothing in a normal run.
func TestHelperStartAndWait(t *testing.T) {
	dir := os.Getenv("PGCLUSTER_HELPER_DIR")
	if dir == "" {
		return
	}
	c, err := Start(context.Background(), Options{Dir: dir, Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("started " + strconv.Itoa(c.Port()))
	time.Sleep(time.Minute)
}

func TestStartFixedPortInUse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, err := StartTemp(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop(context.Background()) })
	_, err = Start(ctx, Options{Dir: clusterDir(t), Port: c.Port(), Ephemeral: true})
	if err == nil {
		t.Fatal("Start on a taken port succeeded")
	}
	if !strings.Contains(err.Error(), "could not") && !strings.Contains(err.Error(), "in use") {
		t.Errorf("error does not show the log's reason: %v", err)
	}
	if testing.Verbose() {
		t.Logf("error as reported: %v", err)
	}
}

func TestDevDir(t *testing.T) {
	t.Parallel()
	open := clusterDir(t) // below a directory everyone may search
	if err := os.MkdirAll(open, 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := DevDir(open)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(open, ".banli"); got != want {
		t.Errorf("DevDir(%s) = %s, want %s", open, got, want)
	}

	private := filepath.Join(filepath.Dir(open), "private")
	checkout := filepath.Join(private, "checkout")
	if err := os.MkdirAll(checkout, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(private, 0o700); err != nil {
		t.Fatal(err)
	}
	got, err = DevDir(checkout)
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 {
		if want := filepath.Join(checkout, ".banli"); got != want {
			t.Errorf("not root: DevDir(%s) = %s, want %s", checkout, got, want)
		}
		return
	}
	if !strings.HasPrefix(filepath.Base(got), "banli-dev-") {
		t.Errorf("root, checkout below a 0700 dir: DevDir = %s, want a banli-dev-* fallback", got)
	}
	again, _ := DevDir(checkout)
	if again != got {
		t.Errorf("DevDir not stable: %s then %s", got, again)
	}
	other, _ := DevDir(filepath.Join(private, "other"))
	if other == got {
		t.Errorf("two checkouts share %s", got)
	}
}

func TestVersionLess(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{"9.6", "15", true},
		{"15", "16", true},
		{"16", "15", false},
		{"15", "15", false},
		{"10", "9.6", false},
	}
	for _, tt := range tests {
		if got := versionLess(tt.a, tt.b); got != tt.want {
			t.Errorf("versionLess(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestFindBinDir(t *testing.T) {
	t.Parallel()
	d, err := findBinDir("")
	if err != nil {
		t.Fatal(err)
	}
	if !hasServerBinaries(d.path) {
		t.Errorf("%s has no initdb and postgres", d.path)
	}
	if _, err := findBinDir("7.4"); err == nil || !strings.Contains(err.Error(), "postgresql-7.4") {
		t.Errorf("findBinDir(7.4) error = %v, want one naming the package to install", err)
	}
}
