package store_test

import (
	"testing"

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
