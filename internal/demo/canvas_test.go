package demo

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
)

// TestCanvas: each portfolio has a current canvas and one candidate; the
// Digital Banking review is fresh, the Core Platforms one is flagged.
func TestCanvas(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		now := lpm.Now()
		st, ports := loadedDemo(t, dsn, now)
		stale := map[string]bool{}
		for _, p := range ports {
			latest, err := st.LatestCanvasVersions(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(latest) != 2 || latest[0].Kind != lpm.CanvasCurrent || latest[1].Kind != lpm.CanvasFuture || latest[1].Name == "" {
				t.Fatalf("%s: canvas %+v", p.Name, latest)
			}
			for i, s := range latest[0].Sections {
				if s == "" || latest[1].Sections[i] == "" {
					t.Errorf("%s: section %s empty", p.Name, lpm.CanvasSections[i].Key)
				}
			}
			stale[p.KeyPrefix] = lpm.CanvasReviewStale(latest[0].ReviewedOn, now)
		}
		if stale[digital] || !stale[core] {
			t.Errorf("stale reviews %v: want Digital Banking fresh and Core Platforms flagged", stale)
		}
	})
}

// loadedDemo is a store at dsn with the demo loaded as of now, and its
// portfolios.
func loadedDemo(t *testing.T, dsn string, now time.Time) (*store.Store, []*lpm.Portfolio) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := Load(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	ports, _, err := st.FindPortfolios(ctx, lpm.SystemActor("test"), lpm.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	return st, ports
}
