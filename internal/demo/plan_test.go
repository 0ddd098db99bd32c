package demo

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lpm-project/lpm/internal/lpm"
)

// planAll plans every demo portfolio with the given random source, giving
// decisions the IDs their 1-based index stands for.
func planAll(t *testing.T, now time.Time, rng *rand.Rand) [][]*plannedEpic {
	t.Helper()
	cadence := lpm.PICadence{Start: cadenceStart(now), LengthWeeks: lpm.DefaultPIWeeks}
	var out [][]*plannedEpic
	for _, ps := range portfolios {
		planned, err := planPortfolio(ps, cadence, now, rng)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, planned)
	}
	return out
}

// TestPlanReplays checks the generated pasts against the Kanban rules for
// many random sources, not only the demo's seed: a detour or a squeezed
// timeline must never produce a history the rules would refuse.
func TestPlanReplays(t *testing.T) {
	now := time.Date(2025, 3, 14, 15, 30, 0, 0, time.UTC)
	for s := uint64(0); s < 40; s++ {
		rng := rand.New(rand.NewPCG(s, seed))
		if s == 0 {
			rng = rand.New(rand.NewPCG(seed, seed))
		}
		var byPortfolio [][]*lpm.Epic
		for pi, planned := range planAll(t, now, rng) {
			var epics []*lpm.Epic
			for i, p := range planned {
				e := p.epic
				e.PortfolioID = int64(pi + 1) // the permission rules need one
				e.Key = portfolios[pi].keyPrefix + "-" + string(rune('A'+i%26))
				for _, v := range p.streams {
					e.ValueStreamIDs = append(e.ValueStreamIDs, int64(v+1))
				}
				decisions := append([]lpm.Decision(nil), p.decisions...)
				for j := range decisions {
					decisions[j].ID = int64(j + 1)
				}
				checkPast(t, &e, p.history, decisions, now.AddDate(0, -12, 0), now)
				epics = append(epics, &e)
			}
			byPortfolio = append(byPortfolio, epics)
		}
		checkContents(t, byPortfolio)
		if t.Failed() {
			t.Fatalf("seed %d fails", s)
		}
	}
}

// TestPlanDeterministic checks that one clock gives one demo.
func TestPlanDeterministic(t *testing.T) {
	now := time.Date(2025, 11, 3, 8, 0, 0, 0, time.UTC)
	a := planAll(t, now, rand.New(rand.NewPCG(seed, seed)))
	b := planAll(t, now, rand.New(rand.NewPCG(seed, seed)))
	if diff := cmp.Diff(a, b, cmp.AllowUnexported(plannedEpic{})); diff != "" {
		t.Errorf("two plans with the same clock differ (-first +second):\n%s", diff)
	}
	if got := len(a[0]) + len(a[1]); got != 60 {
		t.Errorf("demo has %d epics, want 60", got)
	}
}
