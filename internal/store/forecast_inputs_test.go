package store_test

import (
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// An epic's forecast inputs round-trip in their order, are replaced whole,
// name only the ARTs of the epic's value streams, and go when the epic is
// deleted.
func TestForecastInputs(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "P", "P")
		core, data := createValueStream(t, s, p.ID, "Core"), createValueStream(t, s, p.ID, "Data")
		e := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, ValueStreamIDs: []int64{core.ID, data.ID}})
		shares := []lpm.ARTShare{
			{ART: "Data ART", RemainingPoints: 600, Velocity: 800, Allocation: 0.5},
			{ART: "Core ART", RemainingPoints: 2000, Velocity: 1000, Allocation: 0.25},
		}
		must(t, s.SetForecastInputs(ctx, e.ID, shares, alice))
		got, err := s.ForecastInputs(ctx, e.ID)
		must(t, err)
		diff(t, "forecast inputs", shares, got)

		wantCode(t, s.SetForecastInputs(ctx, e.ID, []lpm.ARTShare{{ART: "Payments ART", RemainingPoints: 1, Velocity: 1, Allocation: 1}}, alice),
			lpm.EINVALID, "shares[0].art")
		viewer := member(createUser(t, s, "vera", false), p.ID, lpm.RoleViewer)
		wantCode(t, s.SetForecastInputs(ctx, e.ID, nil, viewer), lpm.EFORBIDDEN, "")
		got, err = s.ForecastInputs(ctx, e.ID)
		must(t, err)
		diff(t, "forecast inputs after refusals", shares, got)

		must(t, s.SetForecastInputs(ctx, e.ID, shares[1:], alice))
		got, err = s.ForecastInputs(ctx, e.ID)
		must(t, err)
		diff(t, "replaced forecast inputs", shares[1:], got)

		must(t, s.DeleteEpic(ctx, e.ID, alice))
		got, err = s.ForecastInputs(ctx, e.ID)
		must(t, err)
		if len(got) != 0 {
			t.Errorf("a deleted epic keeps forecast inputs %v", got)
		}
		verified(t, s)
	})
}
