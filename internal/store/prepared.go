package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lpm-project/lpm/internal/lpm"
)

// On modernc SQLite, parsing SQL took about 40% of a Kanban move (measured
// with BenchmarkTransition), so on SQLite every statement whose text is fixed
// is prepared once per pool at Open and reused: database/sql prepares it
// again on each further connection of the pool as needed, and a transaction
// reuses its connection's copy. PostgreSQL needs none of this: pgx already
// keeps a cache of prepared statements on each connection.
//
// A fixed statement is declared with fixed() as a package-level variable.
// Statements built at run time (filters, lists of ids) run unprepared.

// fixedSQL lists the fixed statements.
var fixedSQL = map[string]bool{}

// fixed registers query as a statement to prepare on SQLite and returns it.
// Call it only to initialise package-level variables.
func fixed(query string) string {
	fixedSQL[query] = true
	return query
}

// dbpool is a connection pool with its prepared statements (none on
// PostgreSQL).
type dbpool struct {
	*sql.DB
	stmts map[string]*sql.Stmt
}

// prepare prepares every fixed statement on the pool. It must run before
// the pool is used: it takes a connection of its own, which on the single
// connection write pool would wait forever inside a transaction.
func (p *dbpool) prepare(ctx context.Context) error {
	p.stmts = make(map[string]*sql.Stmt, len(fixedSQL))
	for q := range fixedSQL {
		st, err := p.DB.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		p.stmts[q] = st
	}
	return nil
}

func (p *dbpool) close() error {
	var err error
	for _, st := range p.stmts {
		err = errors.Join(err, st.Close())
	}
	return errors.Join(err, p.DB.Close())
}

func (p *dbpool) begin(ctx context.Context, opts *sql.TxOptions) (*dbtx, error) {
	tx, err := p.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &dbtx{Tx: tx, stmts: p.stmts}, nil
}

// ExecContext runs query, prepared if it is a fixed statement.
func (p *dbpool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := p.stmts[query]; st != nil {
		return st.ExecContext(ctx, args...)
	}
	return p.DB.ExecContext(ctx, query, args...)
}

// QueryContext runs query, prepared if it is a fixed statement.
func (p *dbpool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.stmts[query]; st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.DB.QueryContext(ctx, query, args...)
}

// QueryRowContext runs query, prepared if it is a fixed statement.
func (p *dbpool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.stmts[query]; st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.DB.QueryRowContext(ctx, query, args...)
}

// dbtx is a transaction that runs fixed statements prepared, and collects
// the changes audit notes for the change feed (feed.go).
type dbtx struct {
	*sql.Tx
	stmts   map[string]*sql.Stmt
	changes []lpm.Change
}

// ExecContext runs query, prepared if it is a fixed statement.
func (t *dbtx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmts[query]; st != nil {
		return t.Tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

// QueryContext runs query, prepared if it is a fixed statement.
func (t *dbtx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmts[query]; st != nil {
		return t.Tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs query, prepared if it is a fixed statement.
func (t *dbtx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmts[query]; st != nil {
		return t.Tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}
