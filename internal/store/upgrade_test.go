package store

import (
	"context"
	"database/sql"
	"io/fs"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/testenv"
)

// A database made by the first schema keeps working after the upgrade to
// roles and the audit trail: its users and their API tokens sign in as
// before, its portfolios are there for site admins, and their chains start
// with the first change.
func TestUpgradeFromFirstSchema(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		d, driver := sqliteDialect, "sqlite"
		if isPostgresURL(dsn) {
			d, driver = postgresDialect, "pgx"
		}
		db, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		fsys, err := fs.Sub(migrations, "migrations/"+d.name)
		if err != nil {
			t.Fatal(err)
		}
		p, err := goose.NewProvider(d.goose, db, fsys, goose.WithDisableGlobalRegistry(true))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.UpTo(ctx, 1); err != nil {
			t.Fatal(err)
		}
		const secret = "lpm_from-before-the-upgrade"
		for _, q := range []string{
			`INSERT INTO users (name, display_name, is_admin, created_at) VALUES ('ada', 'Ada', TRUE, 1)`,
			`INSERT INTO api_tokens (user_id, name, hash, created_at) VALUES (1, 'old', '` + lpm.HashToken(secret) + `', 1)`,
			`INSERT INTO portfolios (name, currency, key_prefix, pi_start, pi_length_weeks, created_at, updated_at)
				VALUES ('Old', 'EUR', 'OLD', '2025-01-06', 10, 1, 1)`,
		} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		db.Close()

		s, err := Open(ctx, dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		u, tok, err := s.Authenticate(ctx, secret)
		if err != nil {
			t.Fatalf("a token from before the upgrade: %v", err)
		}
		if !u.IsAdmin || u.Disabled || u.Email != "" || tok.Scope != lpm.ScopeReadWrite || !tok.ExpiresAt.IsZero() {
			t.Errorf("after the upgrade: user %+v, token %+v", u, tok)
		}
		actor := u.Actor()
		list, _, err := s.FindPortfolios(ctx, actor, lpm.Page{})
		if err != nil || len(list) != 1 {
			t.Fatalf("portfolios after the upgrade: %v, %v", list, err)
		}
		members, err := s.FindMembers(ctx, list[0].ID)
		if err != nil || len(members) != 0 {
			t.Errorf("members of an old portfolio: %v, %v", members, err)
		}
		// The old portfolio's chain starts empty, and verifies.
		reports, err := s.VerifyAudit(ctx)
		if err != nil || len(reports) != 1 || reports[0].Entries != 0 || reports[0].Break != nil {
			t.Errorf("audit right after the upgrade: %+v, %v", reports, err)
		}
		if _, err := s.UpdatePortfolio(ctx, list[0].ID, lpm.PortfolioUpdate{Description: ptrTo("now audited")}, actor); err != nil {
			t.Fatal(err)
		}
		reports, err = s.VerifyAudit(ctx)
		if err != nil || len(reports) != 1 || reports[0].Entries != 1 || reports[0].Break != nil {
			t.Errorf("audit after the first change: %+v, %v", reports, err)
		}
	})
}

func ptrTo[T any](v T) *T { return &v }
