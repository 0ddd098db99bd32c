package store_test

import (
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// RoadmapEpics reads the fields the roadmap uses exactly as FindEpics does,
// for the states asked for and the portfolio only.
func TestRoadmapEpics(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p, q := createPortfolio(t, s, "P", "P"), createPortfolio(t, s, "Q", "Q")
		a, b := createValueStream(t, s, p.ID, "A"), createValueStream(t, s, p.ID, "B")
		one := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, ValueStreamIDs: []int64{a.ID, b.ID},
			WSJF: lpm.WSJFComponents{UserBusinessValue: 8, TimeCriticality: 5, RiskReduction: 3, JobSize: 2}})
		createEpic(t, s, lpm.Epic{PortfolioID: p.ID})
		createEpic(t, s, lpm.Epic{PortfolioID: q.ID})
		got, err := s.RoadmapEpics(ctx, p.ID, []lpm.State{lpm.Funnel})
		must(t, err)
		full, _, err := s.FindEpics(ctx, lpm.EpicFilter{PortfolioID: p.ID, States: []lpm.State{lpm.Funnel}})
		must(t, err)
		if len(got) != 2 || len(full) != 2 || got[0].ID != one.ID {
			t.Fatalf("RoadmapEpics = %v, FindEpics = %v", got, full)
		}
		for i, e := range full {
			want := &lpm.Epic{ID: e.ID, PortfolioID: e.PortfolioID, Key: e.Key, Title: e.Title, Type: e.Type, State: e.State,
				WSJF: e.WSJF, CreatedAt: e.CreatedAt, StateEnteredAt: e.StateEnteredAt, ValueStreamIDs: e.ValueStreamIDs}
			diff(t, "roadmap epic", want, got[i])
		}
		got, err = s.RoadmapEpics(ctx, p.ID, []lpm.State{lpm.Ready})
		must(t, err)
		if len(got) != 0 {
			t.Errorf("Ready epics: %v", got)
		}
		_, err = s.RoadmapEpics(ctx, p.ID, []lpm.State{"nowhere"})
		wantCode(t, err, lpm.EINVALID, "")
	})
}

// RoadmapEpics gives an epic in implementation its first move into
// implementing_mvp: an epic in persevere keeps the start of its MVP, one
// imported straight into persevere has none (the roadmap then takes when
// it entered its state), and epics not in implementation have none.
func TestRoadmapEpicsImplementationStart(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "P", "P")
		imp := func(state lpm.State, history ...lpm.Transition) *lpm.Epic {
			t.Helper()
			e := lpm.Epic{PortfolioID: p.ID, Type: lpm.Business, Title: "Imported", State: state,
				StateEnteredAt: history[len(history)-1].At}
			must(t, s.ImportEpic(ctx, &e, history, nil, admin))
			return &e
		}
		mvp, persevere := lpm.ImplementingMVP, lpm.ImplementingPersevere
		// Into implementing_mvp on 2026-08-03 (X), persevere on 2026-10-20 (Y).
		persevering := imp(persevere,
			lpm.Transition{To: lpm.Funnel, At: day(5, 4)},
			lpm.Transition{From: lpm.Funnel, To: lpm.Ready, At: day(6, 1)},
			lpm.Transition{From: lpm.Ready, To: mvp, At: day(8, 3)},
			lpm.Transition{From: mvp, To: persevere, At: day(10, 20)})
		straight := imp(persevere, lpm.Transition{To: persevere, At: day(10, 21)})
		started := imp(mvp, lpm.Transition{To: lpm.Ready, At: day(9, 1)}, lpm.Transition{From: lpm.Ready, To: mvp, At: day(9, 14)})
		// Its history went through implementing_mvp, but it is Ready now.
		ready := imp(lpm.Ready, lpm.Transition{To: mvp, At: day(7, 1)}, lpm.Transition{From: mvp, To: lpm.Ready, At: day(7, 2)})

		got, err := s.RoadmapEpics(ctx, p.ID, lpm.RoadmapStates)
		must(t, err)
		want := map[int64]time.Time{persevering.ID: day(8, 3), straight.ID: {}, started.ID: day(9, 14), ready.ID: {}}
		gotStarts := map[int64]time.Time{}
		for _, e := range got {
			gotStarts[e.ID] = e.ImplementationStartedAt
		}
		diff(t, "implementation starts", want, gotStarts)
		if len(got) != 4 || !got[0].StateEnteredAt.Equal(day(10, 20)) {
			t.Errorf("RoadmapEpics = %+v", got)
		}
	})
}
