package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

func TestBoard(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		other := createPortfolio(t, s, "Other", "OT")
		wsjf := func(ubv, tc, rr, size int) lpm.WSJFComponents {
			return lpm.WSJFComponents{UserBusinessValue: ubv, TimeCriticality: tc, RiskReduction: rr, JobSize: size}
		}
		// ready epics with everything the policies ask for, but the score.
		ready := func(title string, w lpm.WSJFComponents, created time.Time) *lpm.Epic {
			e := readyEpic(p.ID, "olivia")
			e.Title, e.State, e.WSJF, e.CreatedAt = title, lpm.Ready, w, created
			return importEpic(t, s, e)
		}
		low := ready("low", wsjf(1, 1, 1, 20), time.Time{})
		// Imported as it was before scoring was a policy: the board still
		// puts an unscored epic last.
		unscored := ready("unscored", lpm.WSJFComponents{}, time.Time{})
		tieNew := ready("tie, newer", wsjf(8, 5, 3, 8), time.Time{})
		high := ready("high", wsjf(20, 20, 20, 1), time.Time{})
		// A higher id but older: ties go by age, not by id.
		tieOld := ready("tie, older", wsjf(8, 5, 3, 8), lpm.Now().Add(-time.Hour))
		funnel := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: "idea"})
		importEpic(t, s, lpm.Epic{PortfolioID: p.ID, State: lpm.Done})
		importEpic(t, s, lpm.Epic{PortfolioID: other.ID, State: lpm.Ready, EpicOwner: "olivia"})

		readyKeys := func(perColumn int) []string {
			t.Helper()
			b, err := s.Board(ctx, p.ID, lpm.BoardFilter{}, perColumn)
			must(t, err)
			var keys []string
			for _, c := range b.Columns[3].Cards {
				keys = append(keys, c.Key)
			}
			return keys
		}

		b, err := s.Board(ctx, p.ID, lpm.BoardFilter{}, 10)
		must(t, err)
		if len(b.Columns) != len(lpm.States) {
			t.Fatalf("board has %d columns", len(b.Columns))
		}
		wantCounts := map[lpm.State]int{lpm.Funnel: 1, lpm.Ready: 5, lpm.Done: 1}
		for i, c := range b.Columns {
			if c.State != lpm.States[i] {
				t.Errorf("column %d is %s, want %s", i, c.State, lpm.States[i])
			}
			if c.Count != wantCounts[c.State] || len(c.Cards) != wantCounts[c.State] {
				t.Errorf("%s: count %d with %d cards, want %d", c.State, c.Count, len(c.Cards), wantCounts[c.State])
			}
		}
		diff(t, "default columns on the board", lpm.DefaultColumns()[3], b.Columns[3].Column)
		want := high.Summary()
		diff(t, "first ready card", want, b.Columns[3].Cards[0])
		diff(t, "funnel card", funnel.Summary(), b.Columns[0].Cards[0])

		diff(t, "backlog order", []string{high.Key, tieOld.Key, tieNew.Key, low.Key, unscored.Key}, readyKeys(10))
		diff(t, "first cards only", []string{high.Key, tieOld.Key}, readyKeys(2))

		// Rescoring reorders the column at once.
		_, err = s.UpdateEpic(ctx, high.ID, lpm.EpicUpdate{WSJF: &lpm.WSJFUpdate{JobSize: ptr(20)}}, alice)
		must(t, err)
		_, err = s.UpdateEpic(ctx, unscored.ID, lpm.EpicUpdate{WSJF: &lpm.WSJFUpdate{UserBusinessValue: ptr(20), TimeCriticality: ptr(20),
			RiskReduction: ptr(20), JobSize: ptr(2)}}, alice)
		must(t, err)
		_, err = s.UpdateEpic(ctx, tieOld.ID, lpm.EpicUpdate{WSJF: &lpm.WSJFUpdate{JobSize: ptr(20)}}, alice)
		must(t, err)
		// A ready epic keeps its score: clearing it is refused and moves nothing.
		_, err = s.UpdateEpic(ctx, low.ID, lpm.EpicUpdate{WSJF: &lpm.WSJFUpdate{JobSize: ptr(0)}}, alice)
		wantCode(t, err, lpm.EINVALID, "wsjf_components")
		got := readyKeys(10)
		diff(t, "order after rescoring", []string{unscored.Key, high.Key, tieNew.Key, tieOld.Key, low.Key}, got)

		// The store's order is the domain's.
		list, _, err := s.FindEpics(ctx, lpm.EpicFilter{PortfolioID: p.ID, States: []lpm.State{lpm.Ready}})
		must(t, err)
		items := make([]lpm.BacklogItem, len(list))
		keys := map[int64]string{}
		for i, e := range list {
			w, ok := e.WSJF.WSJF()
			items[i] = lpm.BacklogItem{ID: e.ID, WSJF: w, Scored: ok, CreatedAt: e.CreatedAt}
			keys[e.ID] = e.Key
		}
		lpm.SortBacklog(items)
		var domain []string
		for _, it := range items {
			domain = append(domain, keys[it.ID])
		}
		diff(t, "lpm.SortBacklog order", domain, got)

		_, err = s.Board(ctx, 999, lpm.BoardFilter{}, 10)
		wantCode(t, err, lpm.ENOTFOUND, "")
	})
}

// The done column shows the most recently finished epics first, whatever
// their WSJF: it is a record, not a queue.
func TestBoardDoneColumn(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "Digital", "EP")
		now := lpm.Now()
		done := func(title string, finished time.Time, w lpm.WSJFComponents) *lpm.Epic {
			e := lpm.Epic{PortfolioID: p.ID, Title: title, State: lpm.Done, WSJF: w,
				CreatedAt: now.Add(-30 * 24 * time.Hour), StateEnteredAt: finished}
			return importEpic(t, s, e)
		}
		old := done("finished long ago, high WSJF", now.Add(-72*time.Hour), lpm.WSJFComponents{UserBusinessValue: 20, TimeCriticality: 20, RiskReduction: 20, JobSize: 1})
		recent := done("finished an hour ago", now.Add(-time.Hour), lpm.WSJFComponents{})
		tieA := done("finished yesterday, first", now.Add(-24*time.Hour), lpm.WSJFComponents{})
		tieB := done("finished yesterday, second", now.Add(-24*time.Hour), lpm.WSJFComponents{})
		b, err := s.Board(ctx, p.ID, lpm.BoardFilter{}, 10)
		must(t, err)
		col := b.Columns[len(b.Columns)-1]
		var got []string
		for _, c := range col.Cards {
			got = append(got, c.Key)
		}
		diff(t, "done order", []string{recent.Key, tieB.Key, tieA.Key, old.Key}, got)
		cards := slices.Clone(col.Cards)
		slices.Reverse(cards)
		slices.SortFunc(cards, lpm.CompareDone)
		diff(t, "lpm.CompareDone order", col.Cards, cards)
	})
}

func TestBoardFilter(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		createUser(t, s, "omar", false)
		p := createPortfolio(t, s, "Digital", "EP")
		vs := createValueStream(t, s, p.ID, "Payments")
		other := createValueStream(t, s, p.ID, "Lending")
		theme := createTheme(t, s, p.ID, "Grow online")
		ready := func(title, owner string, typ lpm.EpicType, stream int64, themes ...int64) *lpm.Epic {
			e := readyEpic(p.ID, owner, stream)
			e.Title, e.State, e.Type, e.ThemeIDs = title, lpm.Ready, typ, themes
			return importEpic(t, s, e)
		}
		a := ready("a", "olivia", lpm.Business, vs.ID, theme.ID)
		b := ready("b", "omar", lpm.Enabler, vs.ID)
		c := ready("c", "olivia", lpm.Enabler, other.ID, theme.ID)
		createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: "idea", EpicOwner: "olivia"})

		for _, tc := range []struct {
			name   string
			f      lpm.BoardFilter
			ready  []int64
			funnel int
		}{
			{"none", lpm.BoardFilter{}, []int64{a.ID, b.ID, c.ID}, 1},
			{"type", lpm.BoardFilter{Type: lpm.Enabler}, []int64{b.ID, c.ID}, 0},
			{"theme", lpm.BoardFilter{ThemeID: theme.ID}, []int64{a.ID, c.ID}, 0},
			{"value stream", lpm.BoardFilter{ValueStreamID: vs.ID}, []int64{a.ID, b.ID}, 0},
			{"owner", lpm.BoardFilter{Owner: "olivia"}, []int64{a.ID, c.ID}, 1},
			{"all at once", lpm.BoardFilter{Owner: "olivia", Type: lpm.Enabler, ValueStreamID: other.ID, ThemeID: theme.ID}, []int64{c.ID}, 0},
			{"unknown owner", lpm.BoardFilter{Owner: "nobody"}, nil, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				board, err := s.Board(ctx, p.ID, tc.f, 10)
				must(t, err)
				col := board.Columns[3]
				var got []int64
				for _, card := range col.Cards {
					got = append(got, card.ID)
				}
				slices.Sort(got)
				diff(t, "ready cards", tc.ready, got)
				// WIP counts cover the whole column whatever the filter.
				if col.Count != 3 || col.Matching != len(tc.ready) {
					t.Errorf("ready: count %d, matching %d; want 3 and %d", col.Count, col.Matching, len(tc.ready))
				}
				if f := board.Columns[0]; f.Count != 1 || f.Matching != tc.funnel || len(f.Cards) != tc.funnel {
					t.Errorf("funnel: count %d, matching %d, %d cards; want 1, %d, %d", f.Count, f.Matching, len(f.Cards), tc.funnel, tc.funnel)
				}
			})
		}
		_, err := s.Board(ctx, p.ID, lpm.BoardFilter{Type: "epic"}, 10)
		wantCode(t, err, lpm.EINVALID, "type")
	})
}
