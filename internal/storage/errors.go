package storage

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/banli-gov/banli/workflow"
)

// dbError turns a PostgreSQL error into a domain error where the database
// refused bad data (a constraint), so the caller sees what was wrong; what
// names the thing being written. Other errors are wrapped as they are.
func dbError(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return workflow.Errorf(workflow.ErrNotFound, "%s not found", what)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505": // unique_violation
			return &workflow.Error{Code: workflow.ErrConflict, Message: fmt.Sprintf("%s already exists (%s)", what, pgErr.ConstraintName)}
		case "23503": // foreign_key_violation
			return &workflow.Error{Code: workflow.ErrInvalid, Message: fmt.Sprintf("%s refers to something that does not exist (%s)", what, pgErr.ConstraintName)}
		case "23514", "23502", "22P02", "22007", "22008": // check, not null, bad text representation, bad datetime
			return &workflow.Error{Code: workflow.ErrInvalid, Message: fmt.Sprintf("%s is invalid (%s)", what, firstNonEmpty(pgErr.ConstraintName, pgErr.ColumnName, pgErr.Message))}
		}
	}
	return fmt.Errorf("error writing %s: %w", what, err)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
