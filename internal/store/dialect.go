package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// This file holds everything that differs between SQLite and PostgreSQL apart
// from the DDL: how to connect, the pools, row locks, transaction options
// for reads, and how each driver reports a constraint violation. Every query
// elsewhere is written once and runs on both.

// Dialect names, as Store.Dialect reports them.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// dialect is what the rest of the package needs to know about the engine.
type dialect struct {
	name string
	// forUpdate is appended to a SELECT that must lock the rows it reads.
	// PostgreSQL needs it; SQLite has no row locks, and needs none because
	// every write transaction holds the database's single write lock from its
	// BEGIN IMMEDIATE on.
	forUpdate string
	// readTx opens read-only transactions that see one snapshot throughout.
	readTx *sql.TxOptions
	goose  goose.Dialect
	// prepare says whether the store prepares its fixed statements itself
	// (see prepared.go).
	prepare bool
	// notifies says whether committed changes reach the change feed through
	// NOTIFY and a listener (every replica hears them), rather than being
	// published in process after the commit (see feed.go).
	notifies bool
}

var (
	sqliteDialect = dialect{
		name: DialectSQLite,
		// A deferred BEGIN in WAL mode takes its snapshot at the first read
		// and keeps it, which is what a read transaction needs.
		readTx:  &sql.TxOptions{ReadOnly: true},
		goose:   goose.DialectSQLite3,
		prepare: true,
	}
	postgresDialect = dialect{
		name:      DialectPostgres,
		forUpdate: " FOR UPDATE",
		// READ COMMITTED takes a new snapshot per statement; a board read
		// made of several statements must see one state.
		readTx:   &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
		goose:    goose.DialectPostgres,
		notifies: true,
	}
)

// isPostgresURL reports whether dsn names a PostgreSQL server rather than a
// SQLite file.
func isPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// sqlitePragmas are run, in this order, on every SQLite connection.
// busy_timeout comes first so that the others wait for a lock instead of
// failing; WAL lets readers run beside the writer; synchronous=NORMAL is safe
// with WAL (a power loss may lose the last commits, never corrupt the file);
// foreign_keys is off by default in SQLite and must be set per connection.
var sqlitePragmas = []string{
	"busy_timeout = 10000",
	"journal_mode = WAL",
	"synchronous = NORMAL",
	"foreign_keys = ON",
}

// openSQLite opens the two pools of a SQLite database file, creating the file
// if needed. All writes go through one connection whose transactions begin
// IMMEDIATE: they queue in database/sql instead of failing with SQLITE_BUSY
// when two deferred transactions both try to upgrade to a write lock. Reads use
// a pool of their own, which WAL lets run while a write is under way.
func openSQLite(ctx context.Context, path string) (write, read *sql.DB, err error) {
	if path == "" || strings.ContainsRune(path, '?') {
		return nil, nil, fmt.Errorf("invalid SQLite path %q", path)
	}
	path = strings.TrimPrefix(path, "sqlite://")
	write, err = openSQLitePool(path+"?_txlock=immediate", 1)
	if err != nil {
		return nil, nil, err
	}
	// The write pool connects first: its first connection switches the file
	// to WAL, which needs a write lock no reader holds yet.
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	readers := max(4, runtime.GOMAXPROCS(0))
	read, err = openSQLitePool(path, readers)
	if err != nil {
		write.Close()
		return nil, nil, err
	}
	return write, read, nil
}

func openSQLitePool(dsn string, conns int) (*sql.DB, error) {
	base, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite connector: %w", err)
	}
	db := sql.OpenDB(pragmaConnector{Connector: base})
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	// Connections are cheap to keep and lose their page cache when closed.
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// pragmaConnector runs sqlitePragmas on each new connection. The driver's own
// _pragma DSN parameters would do, except that it sorts them (busy_timeout
// first, the rest alphabetically), so the order above would not be kept. The
// connection itself is returned unwrapped, keeping every optional interface
// of the driver.
type pragmaConnector struct{ driver.Connector }

func (c pragmaConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	ex, ok := conn.(driver.ExecerContext)
	if !ok {
		conn.Close()
		return nil, errors.New("sqlite connection cannot execute statements directly")
	}
	for _, p := range sqlitePragmas {
		if _, err := ex.ExecContext(ctx, "PRAGMA "+p, nil); err != nil {
			conn.Close()
			return nil, fmt.Errorf("PRAGMA %s: %w", p, err)
		}
	}
	return conn, nil
}

// openPostgres opens one pool for reads and writes. Rows are locked where
// needed (see forUpdate), so READ COMMITTED, the server's default, is enough.
func openPostgres(ctx context.Context, url string) (*sql.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	// Enough connections to keep the server busy while some wait on a row
	// lock (a full column serialises moves into it), few enough that several
	// replicas stay under max_connections.
	conns := 2*runtime.GOMAXPROCS(0) + 16
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	db.SetConnMaxLifetime(time.Hour)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	return db, nil
}

// isUniqueViolation reports whether err is a unique or primary key violation
// on either engine.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	return false
}

// uniqueViolationField returns the column a unique violation is about, as
// the driver reports it: the last column of the violated key ("name" of
// themes' (portfolio_id, name)), which is what the caller names a field
// after. It returns "" when the report says nothing it can read.
func uniqueViolationField(err error) string {
	var cols string
	var se *sqlite.Error
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &se):
		// "... UNIQUE constraint failed: themes.portfolio_id, themes.name (2067)"
		msg := se.Error()
		i := strings.LastIndex(msg, "failed: ")
		if i < 0 {
			return ""
		}
		cols = msg[i+len("failed: "):]
		if j := strings.LastIndex(cols, " ("); j >= 0 {
			cols = cols[:j]
		}
	case errors.As(err, &pe):
		// "Key (portfolio_id, name)=(1, Grow) already exists."
		rest, ok := strings.CutPrefix(pe.Detail, "Key (")
		if !ok {
			return ""
		}
		cols, _, ok = strings.Cut(rest, ")=")
		if !ok {
			return ""
		}
	default:
		return ""
	}
	parts := strings.Split(cols, ",")
	last := strings.TrimSpace(parts[len(parts)-1])
	if _, col, ok := strings.Cut(last, "."); ok {
		last = col
	}
	return last
}
