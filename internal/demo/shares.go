package demo

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/lpm-project/lpm/internal/lpm"
)

// sharesSeed seeds the ARTs' shares apart from the rest of the demo, so that
// they did not change a single score, date or detour the demo had before.
const sharesSeed = 20260301

// trainBudget is the share of an ART's velocity the epics in implementation
// take at most between them; the rest goes to features outside epics.
const trainBudget = 0.8

// pointsPerHead is the normalized story points an ART delivers per person
// and PI: a team of eight, a developer's eight points an iteration, four
// development iterations, less the roles that do not estimate.
const pointsPerHead = 20

// planShares gives the ARTs' shares of their remaining work, the input of
// SAFe's epic forecast, to every epic in implementation (the trains that
// pulled them plan them each PI) and to the top half of the Ready backlog by
// WSJF (the trains size what they will pull next); the rest of the backlog
// is left to the Monte Carlo forecast. The train that pulls the epic takes
// most of it; a second ART of its value streams, if there is one, a smaller
// part. Epics whose value streams have no ART get none. The epics in
// implementation, oldest first, share each train's trainBudget; the Ready
// ones are sized as if the train had room for them.
func planShares(ps portfolioSpec, planned []*plannedEpic, rng *rand.Rand) {
	var ready []*lpm.Epic
	byEpic := map[*lpm.Epic]*plannedEpic{}
	used := map[string]float64{}
	for _, p := range planned {
		switch p.epic.State {
		case lpm.ImplementingMVP, lpm.ImplementingPersevere:
			p.shares = epicShares(ps, p, used, rng)
		case lpm.Ready:
			ready = append(ready, &p.epic)
			byEpic[&p.epic] = p
		}
	}
	ordered := lpm.OrderBacklog(ready)
	for _, e := range ordered[:(len(ordered)+1)/2] {
		p := byEpic[e]
		p.shares = epicShares(ps, p, nil, rng)
	}
}

// epicShares sizes one epic's shares: each train's velocity from its
// headcount (the same on every epic: it is the train's), an allocation of 15 to 30 % of it (10 to 20 % for a second
// train; at most what is left of the train's budget in used, if used is
// not nil, but never under 5 %), and remaining points that keep the
// allocation busy for one to four PIs from the PI the forecast starts in.
func epicShares(ps portfolioSpec, p *plannedEpic, used map[string]float64, rng *rand.Rand) []lpm.ARTShare {
	if p.art == "" {
		return nil
	}
	var arts []lpm.ART
	for _, i := range p.streams {
		arts = append(arts, ps.streams[i].arts...)
	}
	// The pulling train first, then at most one more.
	slices.SortStableFunc(arts, func(a, b lpm.ART) int { return boolInt(b.Name == p.art) - boolInt(a.Name == p.art) })
	arts = slices.CompactFunc(arts, func(a, b lpm.ART) bool { return a.Name == b.Name })
	arts = arts[:min(len(arts), 2)]
	pick := func(vals ...float64) float64 { return vals[rng.IntN(len(vals))] }
	pis := map[lpm.State][]float64{
		lpm.ImplementingMVP:       {1.5, 2, 2.5, 3},
		lpm.ImplementingPersevere: {1, 1.5, 2, 3, 4},
		lpm.Ready:                 {1.5, 2, 2.5, 3},
	}[p.epic.State]
	var out []lpm.ARTShare
	for i, a := range arts {
		velocity := roundTo(float64(a.Headcount)*pointsPerHead, 10)
		allocation := pick(0.15, 0.2, 0.25, 0.3)
		if i > 0 {
			allocation = pick(0.1, 0.15, 0.2)
		}
		if used != nil {
			// In steps of 5 %, rounded so that float error cannot drop a step.
			left := math.Floor((trainBudget-used[a.Name])*20+1e-9) / 20
			allocation = max(min(allocation, left), 0.05)
			used[a.Name] += allocation
		}
		remaining := roundTo(velocity*allocation*pick(pis...), 10)
		out = append(out, lpm.ARTShare{ART: a.Name, RemainingPoints: remaining, Velocity: velocity, Allocation: allocation})
	}
	return out
}

// roundTo rounds v to a multiple of step, at least step: estimates are
// never exact, and never nothing.
func roundTo(v, step float64) float64 { return max(math.Round(v/step)*step, step) }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
