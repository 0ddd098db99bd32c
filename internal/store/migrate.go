package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations holds the schema, one directory per dialect. Files are
// append-only: a released migration is never edited, a change is a new file
// in both directories.
//
//go:embed migrations
var migrations embed.FS

// migrate applies the pending migrations of d to db.
func migrate(ctx context.Context, db *sql.DB, d dialect, logger *slog.Logger) error {
	fsys, err := fs.Sub(migrations, "migrations/"+d.name)
	if err != nil {
		return fmt.Errorf("migrations for %s: %w", d.name, err)
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if d.name == DialectPostgres {
		// Replicas starting together take turns on a session-level advisory
		// lock instead of running the same migration twice. SQLite needs
		// nothing: each migration runs in a BEGIN IMMEDIATE transaction.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(d.goose, db, fsys, opts...)
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	for _, r := range results {
		logger.InfoContext(ctx, "applied migration", "dialect", d.name,
			"version", r.Source.Version, "duration", r.Duration)
	}
	return nil
}
