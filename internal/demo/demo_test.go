package demo

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
)

// TestLoad loads the demo into a real store of each kind and reads it back the
// way the server would: the board, the epics, their history and decisions.
func TestLoad(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st, err := store.Open(ctx, dsn, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })

		now := lpm.Now()
		sum, err := Load(ctx, st, now)
		if err != nil {
			t.Fatal(err)
		}
		ports, _, err := st.FindPortfolios(ctx, lpm.Page{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(ports) != 2 {
			t.Fatalf("got %d portfolios, want 2", len(ports))
		}
		empty, err := st.IsEmpty(ctx)
		if err != nil || empty {
			t.Errorf("IsEmpty after Load = %v, %v; want false", empty, err)
		}

		var byPortfolio [][]*lpm.Epic
		transitions, decisions, pivots := 0, 0, 0
		for _, p := range ports {
			epics := allEpics(t, st, p.ID)
			byPortfolio = append(byPortfolio, epics)
			checkBoard(t, st, p.ID, epics)
			byID := map[int64]*lpm.Epic{}
			for _, e := range epics {
				byID[e.ID] = e
			}
			for _, e := range epics {
				history, err := st.EpicHistory(ctx, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				ds, err := st.FindDecisions(ctx, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				transitions += len(history)
				decisions += len(ds)
				checkPast(t, e, history, ds, now.AddDate(0, -13, 0), now)
				if e.PivotedFrom != 0 {
					pivots++
					parent := byID[e.PivotedFrom]
					if parent == nil || parent.DoneReason != lpm.Pivoted || e.State != lpm.Funnel {
						t.Errorf("%s (%s) is pivoted from %d, which is not a pivoted epic of its portfolio", e.Key, e.State, e.PivotedFrom)
					}
					// The parent's pivot decision names the epic it created.
					pds, err := st.FindDecisions(ctx, e.PivotedFrom)
					if err != nil {
						t.Fatal(err)
					}
					linked := false
					for _, d := range pds {
						linked = linked || (d.Kind == lpm.DecisionPivot && d.NewEpicID == e.ID)
					}
					if !linked {
						t.Errorf("no pivot decision of epic %d names %s as the epic it created", e.PivotedFrom, e.Key)
					}
				}
			}
		}
		checkContents(t, byPortfolio)
		if pivots != 1 {
			t.Errorf("found %d epics created by a pivot, want 1", pivots)
		}
		want := Summary{Portfolios: 2, ValueStreams: 6, Themes: 6, Epics: 60, Users: len(people),
			Transitions: transitions, Decisions: decisions}
		if diff := cmp.Diff(want, *sum); diff != "" {
			t.Errorf("summary does not match the store (-store +summary):\n%s", diff)
		}
		for _, p := range people {
			if u, err := st.FindUserByName(ctx, p.name); err != nil || u.IsAdmin {
				t.Errorf("demo user %s: %+v, %v; want a stored non-admin", p.name, u, err)
			}
		}
	})
}

// allEpics reads every epic of a portfolio, page by page.
func allEpics(t *testing.T, st lpm.Store, portfolioID int64) []*lpm.Epic {
	t.Helper()
	var out []*lpm.Epic
	page := lpm.Page{Limit: 7} // small pages, so paging is exercised too
	for {
		list, next, err := st.FindEpics(context.Background(), lpm.EpicFilter{PortfolioID: portfolioID, Page: page})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, list...)
		if next == "" {
			return out
		}
		page.Cursor = next
	}
}

// checkBoard compares the board's column counts with the epics' states and
// with the default WIP limits.
func checkBoard(t *testing.T, st lpm.Store, portfolioID int64, epics []*lpm.Epic) {
	t.Helper()
	board, err := st.Board(context.Background(), portfolioID, lpm.DefaultPageSize)
	if err != nil {
		t.Fatal(err)
	}
	want := map[lpm.State]int{}
	for _, e := range epics {
		want[e.State]++
	}
	got := map[lpm.State]int{}
	for _, c := range board.Columns {
		got[c.State] = c.Count
		if c.WIPLimit != nil && c.Count > *c.WIPLimit {
			t.Errorf("portfolio %d: %s holds %d epics, over its WIP limit of %d", portfolioID, c.State, c.Count, *c.WIPLimit)
		}
		if len(c.Cards) != min(c.Count, lpm.DefaultPageSize) {
			t.Errorf("portfolio %d: %s shows %d cards of %d", portfolioID, c.State, len(c.Cards), c.Count)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("portfolio %d: board counts differ from the epics' states (-epics +board):\n%s", portfolioID, diff)
	}
}

// TestLoadTwiceConflicts checks that a second Load into the same store fails
// cleanly instead of doubling the demo.
func TestLoadTwiceConflicts(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.SQLiteDSN(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	if _, err := Load(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	// The second load clashes with the first one's users.
	_, err = Load(ctx, st, now)
	if code := lpm.ErrorCodeOf(err); code != lpm.ECONFLICT {
		t.Errorf("second Load: error %v (code %q), want a conflict", err, code)
	}
}
