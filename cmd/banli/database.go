package main

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/banli-gov/banli/internal/config"
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
// Closing it closes its connections.
func openSQL(ctx context.Context, url string) (*sql.DB, error) {
	cc, err := pgx.ParseConfig(url)
	if err != nil {
		// pgx's message can echo the URL with its password: do not wrap it.
		return nil, fmt.Errorf("error parsing DATABASE_URL: malformed connection string")
	}
	db := stdlib.OpenDB(*cc)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("error connecting to database: %w", err)
	}
	return db, nil
}
