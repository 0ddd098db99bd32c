package lpm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// BacklogForecast is a Monte Carlo forecast of when the items of an ordered
// backlog are finished, drawn from the portfolio's own throughput: each trial
// plays out future periods by drawing, for each, the number of items
// finished in a past period chosen at random, and the backlog is finished in
// its order. The answer for item k at percentile p is the number of periods
// within which k was finished in at least p of the trials.
type BacklogForecast struct {
	// Percentiles are those asked for, in (0, 1), ascending.
	Percentiles []float64
	// Periods[i][k] is the number of periods from now within which item k
	// (0-based, in backlog order) is finished at Percentiles[i]; 0 when the
	// horizon (MaxPeriods) is reached first.
	Periods [][]int
}

// MonteCarloInput is what a backlog forecast is drawn from.
type MonteCarloInput struct {
	// History holds the items finished in each past period (a week, a
	// month, a PI: the caller chooses), oldest first.
	History []int
	// Items is the length of the backlog.
	Items int
	// Trials is how many futures are drawn.
	Trials int
	// Percentiles to answer, in (0, 1); for instance 0.5 and 0.85.
	Percentiles []float64
	// MaxPeriods is the horizon: items not finished within it at a
	// percentile are answered 0.
	MaxPeriods int
	// Seed makes the draws repeatable.
	Seed uint64
}

// Monte Carlo bounds. The work of a forecast grows with trials × periods
// played; MaxMonteCarloWork keeps it under about a second here.
const (
	MaxMonteCarloTrials  = 100_000
	MaxMonteCarloPeriods = 10_000
	MaxMonteCarloWork    = 20_000_000
)

func (in MonteCarloInput) validate() error {
	var vs violations
	finished := false
	if len(in.History) == 0 {
		vs.add("history", "required", "a forecast needs the throughput of at least one past period")
	}
	for i, n := range in.History {
		if n < 0 {
			vs.add(fmt.Sprintf("history[%d]", i), "range", "a period cannot finish %d items", n)
		}
		finished = finished || n > 0
	}
	if len(in.History) > 0 && !finished {
		vs.add("history", "no_throughput", "no item was finished in any past period, so nothing can be forecast from that history")
	}
	if in.Items < 0 {
		vs.add("items", "range", "the backlog cannot hold %d items", in.Items)
	}
	if in.Trials < 1 || in.Trials > MaxMonteCarloTrials {
		vs.add("trials", "range", "trials must be from 1 to %d", MaxMonteCarloTrials)
	}
	if in.MaxPeriods < 1 || in.MaxPeriods > MaxMonteCarloPeriods {
		vs.add("max_periods", "range", "the horizon must be from 1 to %d periods", MaxMonteCarloPeriods)
	} else if in.Trials >= 1 && in.Trials*in.MaxPeriods > MaxMonteCarloWork {
		vs.add("trials", "work", "trials × horizon periods must be at most %d; ask for fewer trials or a shorter horizon", MaxMonteCarloWork)
	}
	if len(in.Percentiles) == 0 {
		vs.add("percentiles", "required", "ask for at least one percentile, such as 0.85")
	}
	for i, p := range in.Percentiles {
		if !(p > 0 && p < 1) {
			vs.add(fmt.Sprintf("percentiles[%d]", i), "range", "a percentile must be more than 0 and less than 1")
		} else if i > 0 && p <= in.Percentiles[i-1] {
			vs.add(fmt.Sprintf("percentiles[%d]", i), "order", "percentiles must be given in ascending order, each once")
		}
	}
	return vs.err(EINVALID, "invalid Monte Carlo forecast input")
}

// ForecastBacklog draws the forecast. Item k is finished by period t in a
// trial exactly when the trial's total throughput up to t reaches k+1, so
// for each period it is enough to know, across trials, the total at each
// percentile: the periods are played in order for all trials at once, which
// takes memory for one total per trial however long the horizon, and time in
// proportion to trials × periods.
func ForecastBacklog(in MonteCarloInput) (BacklogForecast, error) {
	if err := in.validate(); err != nil {
		return BacklogForecast{}, err
	}
	f := BacklogForecast{Percentiles: in.Percentiles, Periods: make([][]int, len(in.Percentiles))}
	for i := range f.Periods {
		f.Periods[i] = make([]int, in.Items)
	}
	rng := rand.New(rand.NewPCG(in.Seed, in.Seed^0x9e3779b97f4a7c15))
	// totals[t] is what trial t has finished so far. Trials are alike, so
	// selecting percentiles in place may reorder them freely.
	totals := make([]int, in.Trials)
	// next[i] is the first item not yet finished at Percentiles[i].
	next := make([]int, len(in.Percentiles))
	for period := 1; period <= in.MaxPeriods; period++ {
		for t := range totals {
			// Totals stop at the backlog's length: past it nothing changes.
			totals[t] = min(totals[t]+in.History[rng.IntN(len(in.History))], in.Items)
		}
		done := true
		for i, p := range in.Percentiles {
			// Items reached in at least p of the trials: the total that
			// ceil(p × trials) trials reach or pass (less a hair, so that
			// 0.85 × 10,000 is 8,500 whatever the float rounding).
			rank := in.Trials - int(math.Ceil(p*float64(in.Trials)-1e-9))
			reached := selectNth(totals, rank)
			for ; next[i] < reached; next[i]++ {
				f.Periods[i][next[i]] = period
			}
			done = done && next[i] == in.Items
		}
		if done {
			break
		}
	}
	return f, nil
}

// selectNth reorders a so that a[n] holds the value it would hold sorted
// ascending, and returns it (Hoare's selection, expected linear time).
func selectNth(a []int, n int) int {
	lo, hi := 0, len(a)-1
	for lo < hi {
		// The middle element as pivot; totals are nearly sorted in no
		// particular way, so this is as good as a random one.
		pivot := a[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for a[i] < pivot {
				i++
			}
			for a[j] > pivot {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case n <= j:
			hi = j
		case n >= i:
			lo = i
		default:
			return a[n]
		}
	}
	return a[n]
}

// Finished reports whether an epic that went to done for this reason went
// through implementation first (completed, stopped after its MVP, or
// pivoted): the epics a portfolio finishes, whose rate a backlog forecast
// draws from. Epics declined, not pursued, refused or cancelled before
// implementation took no delivery capacity.
func (r DoneReason) Finished() bool { return slices.Contains(FinishedReasons, r) }

// FinishedReasons are the done reasons of epics that went through
// implementation (DoneReason.Finished).
var FinishedReasons = []DoneReason{Completed, StoppedAfterMVP, Pivoted}

// Throughput counts the times that fall in each of the n periods of the
// given length that end at asOf, oldest period first; times outside them
// are left out.
func Throughput(times []time.Time, asOf time.Time, period time.Duration, n int) []int {
	counts := make([]int, n)
	from := asOf.Add(-time.Duration(n) * period)
	for _, t := range times {
		if t.Before(from) || !t.Before(asOf) {
			continue
		}
		counts[int(t.Sub(from)/period)]++
	}
	return counts
}

// HasThroughput reports whether a history finished anything at all, without
// which no forecast can be drawn from it.
func HasThroughput(history []int) bool {
	return slices.ContainsFunc(history, func(n int) bool { return n > 0 })
}

// BacklogItem returns what backlog ordering needs to know of e.
func (e *Epic) BacklogItem() BacklogItem {
	w, ok := e.WSJF.WSJF()
	return BacklogItem{ID: e.ID, WSJF: w, Scored: ok, CreatedAt: e.CreatedAt}
}

// OrderBacklog returns the epics in backlog order (CompareBacklog).
func OrderBacklog(epics []*Epic) []*Epic {
	ordered := slices.Clone(epics)
	slices.SortFunc(ordered, func(a, b *Epic) int { return CompareBacklog(a.BacklogItem(), b.BacklogItem()) })
	return ordered
}

// EpicFinish is when an epic of the backlog is forecast to be finished, at
// each percentile asked for: the end of the period, or the zero time when
// the horizon is reached first.
type EpicFinish struct {
	Epic *Epic
	// Position is the epic's place in the backlog, from 1.
	Position int
	Periods  []int
	Dates    []time.Time
}

// ForecastEpics forecasts when each epic of a backlog is finished, in
// backlog order (WSJF, CompareBacklog), from the throughput history of
// periods of the given length ending at asOf. ahead epics (those being
// implemented) finish first: the throughput counts them too. in carries
// everything but Items.
func ForecastEpics(backlog []*Epic, ahead int, in MonteCarloInput, asOf time.Time, period time.Duration) ([]EpicFinish, error) {
	ordered := OrderBacklog(backlog)
	in.Items = ahead + len(ordered)
	f, err := ForecastBacklog(in)
	if err != nil {
		return nil, err
	}
	out := make([]EpicFinish, len(ordered))
	for k, e := range ordered {
		out[k] = EpicFinish{Epic: e, Position: k + 1, Periods: make([]int, len(f.Percentiles)), Dates: make([]time.Time, len(f.Percentiles))}
		for i := range f.Percentiles {
			if n := f.Periods[i][ahead+k]; n > 0 {
				out[k].Periods[i] = n
				out[k].Dates[i] = asOf.Add(time.Duration(n) * period)
			}
		}
	}
	return out, nil
}
