package store_test

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
)

// Opening a store again runs no migration twice and keeps the data.
func TestOpenTwice(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		first := openStore(t, dsn)
		p := createPortfolio(t, first, "Digital", "EP")
		createEpic(t, first, lpm.Epic{PortfolioID: p.ID})
		must(t, first.Close())

		second := openStore(t, dsn)
		got, err := second.FindPortfolioByID(ctx, p.ID)
		must(t, err)
		diff(t, "portfolio after reopening", p, got)
		e := createEpic(t, second, lpm.Epic{PortfolioID: p.ID})
		if e.Key != "EP-2" {
			t.Errorf("key after reopening = %s, want EP-2", e.Key)
		}
		must(t, second.Ping(ctx))
	})
}

// Replicas starting at once against one PostgreSQL database take turns on
// the migration lock: all of them start.
func TestOpenConcurrentlyPostgres(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			s, err := store.Open(ctx, dsn, nil)
			if err != nil {
				t.Errorf("concurrent open: %v", err)
				return
			}
			s.Close()
		})
	}
	wg.Wait()
	s := openStore(t, dsn)
	if s.Dialect() != store.DialectPostgres {
		t.Errorf("dialect %q", s.Dialect())
	}
	createPortfolio(t, s, "Digital", "EP")
}

func TestOpenSQLite(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, filepath.Join(dir, "new", "..", "lpm.db"))
	if s.Dialect() != store.DialectSQLite {
		t.Errorf("dialect %q", s.Dialect())
	}
	if _, err := store.Open(ctx, filepath.Join(dir, "missing-dir", "lpm.db"), nil); err == nil {
		t.Error("opening a file in a missing directory succeeded")
	}
	if _, err := store.Open(ctx, filepath.Join(dir, "x.db?mode=ro"), nil); err == nil {
		t.Error("a path with a query string was accepted")
	}
}
