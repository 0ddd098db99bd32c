// Package store keeps lpm's data in SQLite or PostgreSQL. One implementation of
// lpm.Store on database/sql serves both: queries are written once with $N
// placeholders, and what differs between the engines sits in dialect.go and
// in the per-dialect migrations.
//
// Every public method runs in one transaction and either completes or writes
// nothing. Write methods open the transaction and call lower-case helpers that
// take it; reads go to a read pool.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"github.com/lpm-project/lpm/internal/live"
	"github.com/lpm-project/lpm/internal/lpm"
)

// Store is lpm's persistence on SQLite or PostgreSQL.
type Store struct {
	// write runs every write transaction. On SQLite it is a single
	// connection, which serialises writers; on PostgreSQL it is the one pool.
	write *dbpool
	// read runs reads; on PostgreSQL it is the same pool as write.
	read *dbpool
	// turns, on SQLite, queues writers for the single write connection in
	// arrival order. database/sql hands a freed connection to a random
	// waiter, so with many writers some wait far longer than the rest: a
	// geometric tail that FIFO turns remove. nil on PostgreSQL, where
	// writers do not share one connection.
	turns chan struct{}
	d     dialect
	log   *slog.Logger
	// hub fans committed changes out to the store's subscribers (feed.go).
	hub *live.Hub
	// listener hears, on PostgreSQL, the changes every replica commits;
	// nil on SQLite.
	listener *listener
}

var _ lpm.Store = (*Store)(nil)

// Open connects to dsn — a SQLite file path (created if missing; an optional
// sqlite:// prefix is dropped) or a postgres:// / postgresql:// URL — runs
// pending migrations and returns a ready store. logger may be nil.
func Open(ctx context.Context, dsn string, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Store{log: logger, hub: live.NewHub(0)}
	if isPostgresURL(dsn) {
		db, err := openPostgres(ctx, dsn)
		if err != nil {
			return nil, err
		}
		pool := &dbpool{DB: db}
		s.write, s.read, s.d = pool, pool, postgresDialect
	} else {
		w, r, err := openSQLite(ctx, dsn)
		if err != nil {
			return nil, err
		}
		s.write, s.read, s.d = &dbpool{DB: w}, &dbpool{DB: r}, sqliteDialect
		s.turns = make(chan struct{}, 1)
	}
	if err := migrate(ctx, s.write.DB, s.d, logger); err != nil {
		s.Close()
		return nil, err
	}
	if s.d.prepare {
		if err := s.write.prepare(ctx); err != nil {
			s.Close()
			return nil, err
		}
		if err := s.read.prepare(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	if s.d.notifies {
		if err := s.startListener(ctx, dsn); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// Close stops the change feed, closing its subscribers' channels, and
// closes the database pools.
func (s *Store) Close() error {
	if s.listener != nil {
		s.listener.close()
	}
	s.hub.Close()
	err := s.write.close()
	if s.read != s.write {
		err = errors.Join(err, s.read.close())
	}
	return err
}

// Ping checks that the database answers, for health checks. It uses the read
// pool, so that a long write does not make the server look unhealthy.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.read.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s: %w", s.d.name, err)
	}
	return nil
}

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

var isEmptySQL = fixed(`SELECT NOT EXISTS (SELECT 1 FROM portfolios) AND NOT EXISTS (SELECT 1 FROM users)`)

// IsEmpty reports whether the store holds no portfolios and no users: a fresh
// installation that setup or demo data may fill.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var empty bool
	err := s.read.QueryRowContext(ctx, isEmptySQL).Scan(&empty)
	if err != nil {
		return false, fmt.Errorf("check whether the store is empty: %w", err)
	}
	return empty, nil
}

// querier is what helpers need from a transaction or a pool, so the same
// helper serves a write transaction and a plain read.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inTx runs fn in a write transaction and commits it if fn succeeds. Errors
// of fn come back as they are, so that *lpm.Error values keep their message.
func (s *Store) inTx(ctx context.Context, op string, fn func(tx *dbtx) error) error {
	release, err := s.takeTurn(ctx, op)
	if err != nil {
		return err
	}
	defer release()
	tx, err := s.write.begin(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", op, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := fn(tx); err != nil {
		// Helpers catch the clashes a person can cause themselves (ON
		// CONFLICT DO NOTHING, or the violation itself) and say which field
		// clashed; any other clash is still a conflict, not an internal
		// error, and names the column the database reports.
		if isUniqueViolation(err) {
			s.log.WarnContext(ctx, "unique violation not caught by its helper", slog.String("op", op), slog.Any("error", err))
			field := uniqueViolationField(err)
			if field == "" {
				return lpm.Errorf(lpm.ECONFLICT, "%s: a value that must be unique is taken", op)
			}
			return &lpm.Error{Code: lpm.ECONFLICT, Message: op + ": " + field + " taken", Violations: []lpm.Violation{{
				Field: field, Rule: "unique", Message: fmt.Sprintf("%s must be unique, and this value is taken", field)}}}
		}
		return err
	}
	// The changes audit noted go out only with the commit (feed.go).
	changes := compactChanges(tx.changes)
	if len(changes) > 0 && s.d.notifies {
		if err := notifyChanges(ctx, tx, changes); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", op, err)
	}
	if len(changes) > 0 && !s.d.notifies {
		s.hub.Publish(changes...)
	}
	return nil
}

// takeTurn waits, on SQLite, for the write connection's next turn and
// returns the function that gives it back.
func (s *Store) takeTurn(ctx context.Context, op string) (release func(), err error) {
	if s.turns == nil {
		return func() {}, nil
	}
	// Blocked senders on a channel are served first come, first served.
	select {
	case s.turns <- struct{}{}:
		return func() { <-s.turns }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("%s: wait for the write connection: %w", op, ctx.Err())
	}
}

// writeOne runs one statement on the write pool, as a transaction of its
// own: for single-statement writes such as noting when a token or session
// was last used, which must not cost the round trips of BEGIN and COMMIT on
// every request.
func (s *Store) writeOne(ctx context.Context, op, query string, args ...any) error {
	release, err := s.takeTurn(ctx, op)
	if err != nil {
		return err
	}
	defer release()
	if _, err := s.write.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// inReadTx runs fn in a read-only transaction that sees one snapshot.
func (s *Store) inReadTx(ctx context.Context, op string, fn func(tx *dbtx) error) error {
	tx, err := s.read.begin(ctx, s.d.readTx)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", op, err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to undo
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", op, err)
	}
	return nil
}
