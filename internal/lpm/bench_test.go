package lpm

import (
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkPlanTransition measures the domain's part of a Kanban move: the
// policy check of the heaviest guard (analyzing → ready reads the decisions).
func BenchmarkPlanTransition(b *testing.B) {
	e := inState(Analyzing)
	var ds []Decision
	for i := range 20 {
		ds = append(ds, decision(int64(i+1), DecisionGo, "", t0.Add(time.Duration(i)*time.Minute)))
	}
	in := input(e, Ready, ds...)
	in.TargetCount = 3
	req := TransitionRequest{To: Ready}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PlanTransition(in, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanTransitionRefused measures a move refused by the WIP limit.
func BenchmarkPlanTransitionRefused(b *testing.B) {
	in := input(inState(Funnel), Reviewing)
	in.TargetCount = 8
	req := TransitionRequest{To: Reviewing}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PlanTransition(in, req); err == nil {
			b.Fatal("allowed")
		}
	}
}

// BenchmarkSortBacklog orders a 10,000-epic backlog by WSJF.
func BenchmarkSortBacklog(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	items := make([]BacklogItem, 10_000)
	for i := range items {
		c := WSJFComponents{WSJFScale[r.IntN(7)], WSJFScale[r.IntN(7)], WSJFScale[r.IntN(7)], WSJFScale[r.IntN(7)]}
		w, ok := c.WSJF()
		items[i] = BacklogItem{ID: int64(i), WSJF: w, Scored: ok, CreatedAt: t0.Add(time.Duration(r.IntN(1e6)) * time.Second)}
	}
	work := make([]BacklogItem, len(items))
	b.ReportAllocs()
	for b.Loop() {
		copy(work, items)
		SortBacklog(work)
	}
}

// BenchmarkWSJF computes one epic's WSJF.
func BenchmarkWSJF(b *testing.B) {
	c := WSJFComponents{13, 8, 2, 3}
	for b.Loop() {
		if _, ok := c.WSJF(); !ok {
			b.Fatal("unscored")
		}
	}
}

// benchHistory is a year of weekly throughput with the given mean, bursty:
// a quarter of the weeks finish nothing.
func benchHistory(mean int) []int {
	h := make([]int, 52)
	for i := range h {
		if i%4 != 0 {
			// Three weeks in four carry the throughput: 4/3 of the mean,
			// spread from a third to twice that around it.
			h[i] = mean * 4 / 3 * (1 + i%5) / 3
		}
	}
	return h
}

// BenchmarkForecastBacklog: 10,000 trials for a Ready backlog of 1,000
// epics (a tenth of a 10,000-epic portfolio) at about 5 a week, and for all
// 10,000 at about 20 a week.
func BenchmarkForecastBacklog(b *testing.B) {
	for _, c := range []struct {
		name        string
		items, mean int
	}{{"items1000", 1000, 5}, {"items10000", 10000, 20}} {
		in := MonteCarloInput{History: benchHistory(c.mean), Items: c.items, Trials: 10_000,
			Percentiles: []float64{0.5, 0.85}, MaxPeriods: 1040, Seed: 1} // 1.04e7 trial-periods at most
		b.Run(c.name, func(b *testing.B) {
			var f BacklogForecast
			for b.Loop() {
				var err error
				if f, err = ForecastBacklog(in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(f.Periods[1][c.items-1]), "p85-periods")
		})
	}
}
