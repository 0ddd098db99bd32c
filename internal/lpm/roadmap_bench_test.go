package lpm

import (
	"fmt"
	"testing"
	"time"
)

// roadmapBenchInput is a portfolio of n epics from analysis through
// implementation (a tenth in analysis, 40 % Ready, half implementing) in
// ten value streams, half of them with the ARTs' shares, and a year of
// weekly throughput of about n/500 epics a week.
func roadmapBenchInput(n int) (RoadmapInput, []*Epic, []*Epic, MonteCarloInput) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	in := RoadmapInput{Cadence: PICadence{Start: time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC), LengthWeeks: 10}, Now: now,
		Shares: map[int64][]ARTShare{}}
	for v := 1; v <= 10; v++ {
		in.ValueStreams = append(in.ValueStreams, &ValueStream{ID: int64(v), Name: fmt.Sprintf("Stream %d", v)})
	}
	var implementing, ready []*Epic
	for i := 1; i <= n; i++ {
		e := &Epic{ID: int64(i), Key: fmt.Sprintf("EP-%d", i), Title: fmt.Sprintf("Epic number %d with a title of ordinary length", i),
			ValueStreamIDs: []int64{int64(i%10 + 1)}, StateEnteredAt: now.AddDate(0, 0, -(i % 300)),
			WSJF: WSJFComponents{UserBusinessValue: WSJFScale[i%7], TimeCriticality: 3, RiskReduction: 2, JobSize: WSJFScale[(i/7)%7]}}
		switch {
		case i%10 == 0:
			e.State = Analyzing
		case i%10 < 5:
			e.State = Ready
			ready = append(ready, e)
		case i%10 < 8:
			e.State = ImplementingMVP
			implementing = append(implementing, e)
		default:
			e.State = ImplementingPersevere
			implementing = append(implementing, e)
		}
		if i%2 == 0 {
			in.Shares[e.ID] = []ARTShare{{ART: "A", RemainingPoints: float64(100 + i%2000), Velocity: 1000, Allocation: 0.25}}
		}
		in.Epics = append(in.Epics, e)
	}
	history := make([]int, 52)
	for k := range history {
		if k%4 != 0 {
			history[k] = max(1, n/500) + k%3
		}
	}
	mc := MonteCarloInput{History: history, Trials: 10_000, MaxPeriods: 521, Seed: 1}
	return in, implementing, ready, mc
}

// BenchmarkRoadmap computes the roadmap alone (forecasts given), and the
// roadmap with its forecasts: SAFe's for every epic with shares, and the
// Monte Carlo forecast of 10,000 trials over every implementing and Ready
// epic.
func BenchmarkRoadmap(b *testing.B) {
	for _, n := range []int{1000, 10_000} {
		in, implementing, ready, mc := roadmapBenchInput(n)
		var err error
		in.MonteCarlo, err = RoadmapMonteCarlo(implementing, ready, mc, in.Now, 7*24*time.Hour)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("epics=%d/roadmap", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := ComputeRoadmap(in); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("epics=%d/montecarlo", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := RoadmapMonteCarlo(implementing, ready, mc, in.Now, 7*24*time.Hour); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("epics=%d/roadmap+forecasts", n), func(b *testing.B) {
			for b.Loop() {
				f, err := RoadmapMonteCarlo(implementing, ready, mc, in.Now, 7*24*time.Hour)
				if err != nil {
					b.Fatal(err)
				}
				in.MonteCarlo = f
				if _, err := ComputeRoadmap(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
