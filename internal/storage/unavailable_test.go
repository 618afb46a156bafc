package storage_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// TestUnavailable: errors of a database that cannot be reached or went
// away are unavailable; answers of a database that is up are not.
func TestUnavailable(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Port 1 on the loopback: nothing listens, the connection is refused.
	_, refused := pgconn.Connect(ctx, "postgres://banli@127.0.0.1:1/banli?sslmode=disable&connect_timeout=5")
	if refused == nil {
		t.Fatal("connecting to 127.0.0.1:1 succeeded")
	}
	for _, tc := range []struct {
		what string
		err  error
		want bool
	}{
		{"connection refused", fmt.Errorf("error looking up login session: %w", refused), true},
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, true},
		{"cannot connect now", &pgconn.PgError{Code: "57P03"}, true},
		{"connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"connection dropped", fmt.Errorf("error reading: %w", io.ErrUnexpectedEOF), true},
		{"deadline", fmt.Errorf("error acquiring: %w", context.DeadlineExceeded), true},
		{"client gone", context.Canceled, false},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"bad text", &pgconn.PgError{Code: "22021"}, false},
		{"not found", workflow.Errorf(workflow.ErrNotFound, "login session not found"), false},
		{"a bug", errors.New("error scanning row"), false},
		{"nil", nil, false},
	} {
		if got := storage.Unavailable(tc.err); got != tc.want {
			t.Errorf("Unavailable(%s: %v) = %v, want %v", tc.what, tc.err, got, tc.want)
		}
	}
}
