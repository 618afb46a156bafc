package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// debianBinGlob is where Debian and Ubuntu install each major version's
// server binaries.
const debianBinGlob = "/usr/lib/postgresql/*/bin"

// errNoBinaries is returned by findBinDir when no server binaries are found.
var errNoBinaries = errors.New("PostgreSQL server binaries (initdb, postgres) not found under " +
	debianBinGlob + " nor through pg_config --bindir")

// installMu serializes automatic installs within this process; apt's own
// lock (waited for) serializes them across processes.
var installMu sync.Mutex

// binDir is a directory holding a PostgreSQL major version's initdb and
// postgres.
type binDir struct {
	path  string
	major string // "15"
}

// findBinDirs lists the installed server binary directories, the highest
// major version first.
func findBinDirs() []binDir {
	var dirs []binDir
	seen := map[string]bool{}
	matches, _ := filepath.Glob(debianBinGlob)
	for _, m := range matches {
		if hasServerBinaries(m) {
			dirs = append(dirs, binDir{path: m, major: filepath.Base(filepath.Dir(m))})
			seen[m] = true
		}
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		p := strings.TrimSpace(string(out))
		if p != "" && !seen[p] && hasServerBinaries(p) {
			if major, err := binaryMajor(p); err == nil {
				dirs = append(dirs, binDir{path: p, major: major})
			}
		}
	}
	sort.SliceStable(dirs, func(i, j int) bool {
		return versionLess(dirs[j].major, dirs[i].major)
	})
	return dirs
}

func hasServerBinaries(dir string) bool {
	for _, name := range []string{"initdb", "postgres"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}

// binaryMajor asks the postgres binary in dir for its major version.
func binaryMajor(dir string) (string, error) {
	out, err := exec.Command(filepath.Join(dir, "postgres"), "--version").Output()
	if err != nil {
		return "", fmt.Errorf("error running postgres --version: %w", err)
	}
	// "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
	fields := strings.Fields(string(out))
	if len(fields) < 3 {
		return "", fmt.Errorf("error reading postgres --version: unexpected output %q", out)
	}
	v := fields[2]
	parts := strings.Split(v, ".")
	if n, err := strconv.Atoi(parts[0]); err == nil && n >= 10 {
		return parts[0], nil
	}
	if len(parts) >= 2 { // 9.6
		return parts[0] + "." + parts[1], nil
	}
	return v, nil
}

// versionLess compares major versions numerically ("9.6" < "15" < "16").
func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// findBinDir returns the binaries for major version want, or the highest
// installed version when want is "".
func findBinDir(want string) (binDir, error) {
	dirs := findBinDirs()
	if len(dirs) == 0 {
		return binDir{}, errNoBinaries
	}
	if want == "" {
		return dirs[0], nil
	}
	var have []string
	for _, d := range dirs {
		if d.major == want {
			return d, nil
		}
		have = append(have, d.major)
	}
	return binDir{}, fmt.Errorf("the cluster was made by PostgreSQL %s, whose server binaries are not installed "+
		"(installed: %s); install postgresql-%s, or remove the cluster directory to start afresh",
		want, strings.Join(have, ", "), want)
}

// ensureBinDir finds the server binaries (see findBinDir). When there are
// none and we run as root on a Debian-like system, it installs the
// postgresql package with apt-get first; otherwise the error says what to
// install.
func ensureBinDir(ctx context.Context, want string, logger *slog.Logger) (binDir, error) {
	d, err := findBinDir(want)
	if !errors.Is(err, errNoBinaries) {
		return d, err
	}
	installMu.Lock()
	defer installMu.Unlock()
	if d, err := findBinDir(want); !errors.Is(err, errNoBinaries) {
		return d, err // installed meanwhile
	}
	if os.Geteuid() != 0 {
		return binDir{}, fmt.Errorf("%w; install them as root (Debian/Ubuntu: apt-get install postgresql)", errNoBinaries)
	}
	aptGet, lookErr := exec.LookPath("apt-get")
	if lookErr != nil {
		return binDir{}, fmt.Errorf("%w, and apt-get is not available to install them: install PostgreSQL's server package", errNoBinaries)
	}
	logger.Info("PostgreSQL server binaries not found; installing the postgresql package with apt-get")
	env := append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	for _, args := range [][]string{
		{"-o", "DPkg::Lock::Timeout=300", "update"},
		{"-o", "DPkg::Lock::Timeout=300", "install", "-y", "postgresql"},
	} {
		cmd := exec.CommandContext(ctx, aptGet, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			return binDir{}, fmt.Errorf("error running apt-get %s: %w\n%s", strings.Join(args[2:], " "), err, tail(out, 15))
		}
	}
	return findBinDir(want)
}

// tail returns the last n lines of b.
func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
