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
