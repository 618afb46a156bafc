package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/banli-gov/banli/internal/pgcluster"
)

// testDatabaseURLEnv is testdb.EnvURL, without linking package testing into
// the binary.
const testDatabaseURLEnv = "BANLI_TEST_DATABASE_URL"

// cmdWithPostgres runs `banli with-postgres -- COMMAND [ARGS...]`: it starts
// a temporary PostgreSQL cluster, runs COMMAND with BANLI_TEST_DATABASE_URL
// set to the cluster's maintenance database (testdb makes its own databases
// there), then stops and removes the cluster and exits with COMMAND's status.
// `go test ./...` under it runs every package's tests on one server instead
// of one per package.
func cmdWithPostgres(ctx context.Context, args []string, io stdio) int {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(io.Stderr, "usage: banli with-postgres -- COMMAND [ARGS...]")
		return exitUsage
	}
	logger := slog.New(slog.NewTextHandler(io.Stderr, nil))
	c, err := pgcluster.StartTemp(ctx, logger)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli with-postgres: %v\n", err)
		return 1
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := c.Stop(stopCtx); err != nil {
			fmt.Fprintf(io.Stderr, "banli with-postgres: %v\n", err)
		}
	}()

	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Stdin = os.Stdin
	cmd.Stdout, cmd.Stderr = io.Stdout, io.Stderr
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, testDatabaseURLEnv+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, testDatabaseURLEnv+"="+c.URLFor("postgres"))
	// On SIGINT or SIGTERM, ask the command to stop, and kill it if it has
	// not within a while; the cluster is stopped after it either way.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = time.Minute

	err = cmd.Run()
	st := cmd.ProcessState
	if st == nil { // it did not start
		fmt.Fprintf(io.Stderr, "banli with-postgres: %v\n", err)
		return 127
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	if code := st.ExitCode(); code != 0 || err == nil {
		return code
	}
	// It exited 0 after being asked to stop: it did not finish its work.
	fmt.Fprintf(io.Stderr, "banli with-postgres: %v\n", err)
	return 1
}
