package store_test

import (
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// An epic's impediments and dependencies (on either side) are read by the
// epic, without the rest of the portfolio's.
func TestEpicImpedimentsAndDependencies(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "P", "P")
		a := createEpic(t, s, lpm.Epic{PortfolioID: p.ID})
		b := createEpic(t, s, lpm.Epic{PortfolioID: p.ID})
		c := createEpic(t, s, lpm.Epic{PortfolioID: p.ID})
		v1, v2 := createValueStream(t, s, p.ID, "One"), createValueStream(t, s, p.ID, "Two")
		onA := &lpm.Impediment{PortfolioID: p.ID, Title: "On A", EpicID: a.ID}
		onB := &lpm.Impediment{PortfolioID: p.ID, Title: "On B", EpicID: b.ID}
		loose := &lpm.Impediment{PortfolioID: p.ID, Title: "On no epic", ValueStreamID: v1.ID}
		onA2 := &lpm.Impediment{PortfolioID: p.ID, Title: "On A again", EpicID: a.ID}
		for _, m := range []*lpm.Impediment{onA, onB, loose, onA2} {
			must(t, s.CreateImpediment(ctx, m, alice))
		}
		aOnB := &lpm.Dependency{PortfolioID: p.ID, FromEpicID: a.ID, ToEpicID: b.ID, Risk: lpm.RiskLow}
		cOnA := &lpm.Dependency{PortfolioID: p.ID, FromEpicID: c.ID, ToEpicID: a.ID, Risk: lpm.RiskLow}
		cOnB := &lpm.Dependency{PortfolioID: p.ID, FromEpicID: c.ID, ToEpicID: b.ID, Risk: lpm.RiskLow}
		streams := &lpm.Dependency{PortfolioID: p.ID, FromValueStreamID: v1.ID, ToValueStreamID: v2.ID, Risk: lpm.RiskLow}
		for _, d := range []*lpm.Dependency{aOnB, cOnA, cOnB, streams} {
			must(t, s.CreateDependency(ctx, d, alice))
		}

		ims, err := s.EpicImpediments(ctx, a.ID)
		must(t, err)
		if len(ims) != 2 || ims[0].ID != onA.ID || ims[1].ID != onA2.ID {
			t.Errorf("impediments of A: %+v", ims)
		}
		deps, err := s.EpicDependencies(ctx, a.ID)
		must(t, err)
		if len(deps) != 2 || deps[0].ID != aOnB.ID || deps[1].ID != cOnA.ID {
			t.Errorf("dependencies of A: %+v", deps)
		}
		diff(t, "dependency read by epic", cOnA, deps[1])
		deps, err = s.EpicDependencies(ctx, b.ID)
		must(t, err)
		if len(deps) != 2 || deps[0].ID != aOnB.ID || deps[1].ID != cOnB.ID {
			t.Errorf("dependencies of B: %+v", deps)
		}
		none, err := s.EpicImpediments(ctx, c.ID)
		must(t, err)
		if len(none) != 0 {
			t.Errorf("impediments of C: %+v", none)
		}
	})
}
