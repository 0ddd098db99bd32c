package store

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/testenv"
)

// A unique violation no helper catches is still a conflict, and names the
// column the database reports, on both engines.
func TestUnexpectedUniqueViolation(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := Open(ctx, dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		p := &lpm.Portfolio{Name: "Digital", KeyPrefix: "EP"}
		p.WithDefaults(lpm.Now())
		if err := s.CreatePortfolio(ctx, p, lpm.SystemActor("test")); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, insert string
			want         []lpm.Violation
		}{
			{"last column of a composite key", `INSERT INTO themes (portfolio_id, name, status, created_at) VALUES ($1, 'Grow', 'draft', 0)`,
				[]lpm.Violation{{Field: "name", Rule: "unique", Message: "name must be unique, and this value is taken"}}},
			{"single column", `INSERT INTO portfolios (name, currency, key_prefix, pi_start, pi_length_weeks, created_at, updated_at)
				SELECT name, currency, key_prefix, pi_start, pi_length_weeks, created_at, updated_at FROM portfolios WHERE id = $1`,
				[]lpm.Violation{{Field: "name", Rule: "unique", Message: "name must be unique, and this value is taken"}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := s.inTx(ctx, "clash", func(tx *dbtx) error {
					for range 2 {
						if _, err := tx.ExecContext(ctx, tc.insert, p.ID); err != nil {
							return err
						}
					}
					return nil
				})
				ae := lpm.AsError(err)
				if ae == nil || ae.Code != lpm.ECONFLICT {
					t.Fatalf("error %v, want a conflict", err)
				}
				if diff := cmp.Diff(tc.want, ae.Violations); diff != "" {
					t.Errorf("violations (-want +got):\n%s", diff)
				}
			})
		}
	})
}
