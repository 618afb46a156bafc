package main

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/storage"
)

// needDatabase loads the configuration of a command that works on an
// existing database and checks DATABASE_URL is set.
func needDatabase(name string, io stdio) (*config.Config, bool) {
	cfg, err := config.Load(io.Getenv)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli %s: %v\n", name, err)
		return nil, false
	}
	if cfg.DatabaseURL == "" {
		fmt.Fprintf(io.Stderr, "banli %s: DATABASE_URL is not set: point it at PostgreSQL (e.g. postgres://user:password@host:5432/banli), or use banli dev\n", name)
		return nil, false
	}
	return cfg, true
}

// openSQL opens a database/sql handle through pgx, for the migrations.
func openSQL(ctx context.Context, url string) (*sql.DB, error) {
	db, err := storage.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	return stdlib.OpenDBFromPool(db.Pool), nil
}
