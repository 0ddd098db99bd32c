package lpm

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// EstimationRound is a round of relative estimation of WSJF: several people
// each score the four components of a set of epics on the WSJF scale, the
// round shows how far their scores spread, and the values agreed on update
// the epics.
type EstimationRound struct {
	ID          int64
	PortfolioID int64
	Title       string
	EpicIDs     []int64
	// Closed is set when the agreed values were applied; a closed round
	// takes no more estimates.
	Closed    bool
	CreatedBy string
	CreatedAt time.Time
	ClosedAt  time.Time
}

// MaxRoundEpics bounds the epics of one estimation round.
const MaxRoundEpics = 100

// Validate checks a round before it is stored.
func (r *EstimationRound) Validate() error {
	var vs violations
	vs.checkName("title", r.Title)
	switch {
	case len(r.EpicIDs) == 0:
		vs.add("epic_ids", "required", "a round estimates at least one epic")
	case len(r.EpicIDs) > MaxRoundEpics:
		vs.add("epic_ids", "max_items", "a round estimates at most %d epics", MaxRoundEpics)
	}
	seen := map[int64]bool{}
	for i, id := range r.EpicIDs {
		if seen[id] {
			vs.add(fmt.Sprintf("epic_ids[%d]", i), "unique", "epic %d is named twice", id)
		}
		seen[id] = true
	}
	return vs.err(EINVALID, "invalid estimation round")
}

// Estimate is one person's scores for one epic of a round; a later estimate
// of the same person for the same epic replaces the earlier.
type Estimate struct {
	RoundID   int64
	EpicID    int64
	Estimator string
	Scores    WSJFComponents
	At        time.Time
}

// Validate checks an estimate: all four components, each on the scale,
// named as estimates and agreements name them (user_business_value…).
func (e *Estimate) Validate() error {
	var vs violations
	vs.checkScores("", e.Scores, true)
	return vs.err(EINVALID, "invalid estimate")
}

// Agreement is the values a round agrees on for one of its epics.
type Agreement struct {
	EpicID int64
	Scores WSJFComponents
}

// Spread is how far the scores of one component spread across estimators.
type Spread struct {
	Min, Max int
	// Median is the middle score, or the mean of the two middle ones.
	Median float64
	// Agreed reports whether everyone gave the same score.
	Agreed bool
}

// EpicSpread is the spread of an epic's estimates, component by component,
// and the scores a round would agree on by default: each median, taken to
// the nearest value of the scale (the lower one on a tie, as relative
// estimation errs towards the smaller job and value).
type EpicSpread struct {
	EpicID                                                     int64
	Estimators                                                 []string
	UserBusinessValue, TimeCriticality, RiskReduction, JobSize Spread
	Suggested                                                  WSJFComponents
}

// Spreads computes, for each epic of the round in order, the spread of its
// estimates; an epic without estimates has a zero spread and no
// suggestion.
func Spreads(epicIDs []int64, estimates []Estimate) []EpicSpread {
	byEpic := map[int64][]Estimate{}
	for _, e := range estimates {
		byEpic[e.EpicID] = append(byEpic[e.EpicID], e)
	}
	out := make([]EpicSpread, len(epicIDs))
	for i, id := range epicIDs {
		list := byEpic[id]
		s := EpicSpread{EpicID: id, Estimators: []string{}}
		if len(list) == 0 {
			out[i] = s
			continue
		}
		for _, e := range list {
			s.Estimators = append(s.Estimators, e.Estimator)
		}
		slices.Sort(s.Estimators)
		component := func(get func(WSJFComponents) int) (Spread, int) {
			scores := make([]int, len(list))
			for j, e := range list {
				scores[j] = get(e.Scores)
			}
			sp := spreadOf(scores)
			return sp, NearestOnScale(sp.Median)
		}
		s.UserBusinessValue, s.Suggested.UserBusinessValue = component(func(c WSJFComponents) int { return c.UserBusinessValue })
		s.TimeCriticality, s.Suggested.TimeCriticality = component(func(c WSJFComponents) int { return c.TimeCriticality })
		s.RiskReduction, s.Suggested.RiskReduction = component(func(c WSJFComponents) int { return c.RiskReduction })
		s.JobSize, s.Suggested.JobSize = component(func(c WSJFComponents) int { return c.JobSize })
		out[i] = s
	}
	return out
}

func spreadOf(scores []int) Spread {
	slices.Sort(scores)
	n := len(scores)
	median := float64(scores[n/2])
	if n%2 == 0 {
		median = float64(scores[n/2-1]+scores[n/2]) / 2
	}
	return Spread{Min: scores[0], Max: scores[n-1], Median: median, Agreed: scores[0] == scores[n-1]}
}

// NearestOnScale returns the value of the WSJF scale nearest to v, the
// lower of two equally near.
func NearestOnScale(v float64) int {
	best := WSJFScale[0]
	for _, s := range WSJFScale[1:] {
		if math.Abs(float64(s)-v) < math.Abs(float64(best)-v) {
			best = s
		}
	}
	return best
}
