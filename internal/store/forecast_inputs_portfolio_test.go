package store_test

import (
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// Every share of a portfolio's epics in the states asked for comes back in
// one read, in each epic's order; other portfolios' and other states' do
// not.
func TestPortfolioForecastInputs(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p, q := createPortfolio(t, s, "P", "P"), createPortfolio(t, s, "Q", "Q")
		core, other := createValueStream(t, s, p.ID, "Core"), createValueStream(t, s, q.ID, "Core")
		a := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, ValueStreamIDs: []int64{core.ID}})
		b := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, ValueStreamIDs: []int64{core.ID}})
		createEpic(t, s, lpm.Epic{PortfolioID: p.ID, ValueStreamIDs: []int64{core.ID}}) // no shares
		c := createEpic(t, s, lpm.Epic{PortfolioID: q.ID, ValueStreamIDs: []int64{other.ID}})
		one := []lpm.ARTShare{
			{ART: "Core ART", RemainingPoints: 10, Velocity: 100, Allocation: 0.5},
		}
		must(t, s.SetForecastInputs(ctx, a.ID, one, alice))
		must(t, s.SetForecastInputs(ctx, b.ID, one, alice))
		must(t, s.SetForecastInputs(ctx, c.ID, one, alice))
		got, err := s.PortfolioForecastInputs(ctx, p.ID, []lpm.State{lpm.Funnel, lpm.Ready})
		must(t, err)
		diff(t, "shares by epic", map[int64][]lpm.ARTShare{a.ID: one, b.ID: one}, got)
		got, err = s.PortfolioForecastInputs(ctx, p.ID, []lpm.State{lpm.Ready})
		must(t, err)
		diff(t, "shares of Ready epics", map[int64][]lpm.ARTShare{}, got)
		_, err = s.PortfolioForecastInputs(ctx, p.ID, []lpm.State{"nowhere"})
		wantCode(t, err, lpm.EINVALID, "")
	})
}
