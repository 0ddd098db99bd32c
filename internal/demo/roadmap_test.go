package demo

import (
	"context"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/roadmap"
	"github.com/lpm-project/lpm/internal/testenv"
)

// TestRoadmap checks that the demo's roadmap shows SAFe's method: every epic
// in implementation has the ARTs' shares, of ARTs of its value streams, so
// that each portfolio's roadmap has bars finished by SAFe's forecast, some
// of them committed, beside the Monte Carlo forecast of the rest of the
// backlog.
func TestRoadmap(t *testing.T) {
	ctx := context.Background()
	now := lpm.Now()
	st, ports := loadedDemo(t, testenv.SQLiteDSN(t), now)
	for _, p := range ports {
		shares, err := st.PortfolioForecastInputs(ctx, p.ID, lpm.RoadmapStates)
		if err != nil {
			t.Fatal(err)
		}
		readyWithShares, ready := 0, 0
		for _, e := range allEpics(t, st, p.ID) {
			switch e.State {
			case lpm.ImplementingMVP, lpm.ImplementingPersevere:
				if len(shares[e.ID]) == 0 {
					t.Errorf("%s (%s) has no ART shares", e.Key, e.State)
				}
			case lpm.Ready:
				ready++
				if len(shares[e.ID]) > 0 {
					readyWithShares++
				}
			}
		}
		if readyWithShares == 0 || readyWithShares == ready {
			t.Errorf("%s: %d of %d Ready epics have shares, want some but not all", p.Name, readyWithShares, ready)
		}

		r, err := roadmap.Load(ctx, st, p.ID, roadmap.Span{}, now)
		if err != nil {
			t.Fatal(err)
		}
		bases := map[string]int{}
		committed := 0
		for _, l := range r.Lanes {
			for _, b := range l.Bars {
				bases[b.FinishBasis]++
				if b.Committed() {
					committed++
				}
			}
		}
		if bases[lpm.FinishSAFe] == 0 || committed == 0 || bases[lpm.FinishMonteCarlo] == 0 {
			t.Errorf("%s: roadmap bars by finish %v, %d committed; want SAFe's forecast, committed bars and Monte Carlo", p.Name, bases, committed)
		}
		for _, m := range r.NotForecastable {
			if m.State != lpm.Analyzing {
				t.Errorf("%s: %s (%s) is not forecastable: %s", p.Name, m.Key, m.State, m.Reason)
			}
		}
	}
}
