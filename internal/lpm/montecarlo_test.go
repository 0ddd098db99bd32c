package lpm

import (
	"slices"
	"testing"
	"time"
)

func forecast(t *testing.T, in MonteCarloInput) BacklogForecast {
	t.Helper()
	f, err := ForecastBacklog(in)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// A steady two items a period: item k (1-based) is finished in period
// ceil(k/2) at every percentile.
func TestForecastBacklogSteady(t *testing.T) {
	f := forecast(t, MonteCarloInput{History: []int{2, 2, 2}, Items: 7, Trials: 100,
		Percentiles: []float64{0.5, 0.85}, MaxPeriods: 52, Seed: 1})
	want := []int{1, 1, 2, 2, 3, 3, 4}
	for i := range f.Percentiles {
		if !slices.Equal(f.Periods[i], want) {
			t.Errorf("p%.0f: %v, want %v", 100*f.Percentiles[i], f.Periods[i], want)
		}
	}
}

// Throughput drawn from {1, 1, 3}, by hand:
//   - item 2: one period finishes it with probability 1/3 (a 3), two
//     periods always (at least 1 + 1): p50 = p85 = 2.
//   - item 4: two periods reach 4 unless both draws are 1s, so with
//     probability 1 − 4/9 = 5/9 ≈ 0.56: p50 = 2. Three periods reach it
//     unless all three are 1s: 1 − 8/27 = 19/27 ≈ 0.70, still under 0.85;
//     four periods always do: p85 = 4.
//
// With 20,000 trials the estimated probabilities are within about 0.004
// (one standard error) of these, far from the 0.5 and 0.85 they are
// compared with, so any seed gives the same answer.
func TestForecastBacklogByHand(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		f := forecast(t, MonteCarloInput{History: []int{1, 1, 3}, Items: 4, Trials: 20_000,
			Percentiles: []float64{0.5, 0.85}, MaxPeriods: 52, Seed: seed})
		if got := []int{f.Periods[0][1], f.Periods[1][1]}; !slices.Equal(got, []int{2, 2}) {
			t.Errorf("seed %d: item 2 at p50, p85 = %v, want [2 2]", seed, got)
		}
		if got := []int{f.Periods[0][3], f.Periods[1][3]}; !slices.Equal(got, []int{2, 4}) {
			t.Errorf("seed %d: item 4 at p50, p85 = %v, want [2 4]", seed, got)
		}
		// Item 1 is finished in the first period whatever is drawn.
		if f.Periods[0][0] != 1 || f.Periods[1][0] != 1 {
			t.Errorf("seed %d: item 1 = %d, %d, want 1, 1", seed, f.Periods[0][0], f.Periods[1][0])
		}
	}
}

// Statistical properties on a bursty history: the same seed gives the same
// forecast; every item's p85 is at or after its p50; items finish in
// backlog order; and far down the backlog the p50 comes close to items ÷
// mean throughput (here 500 items at 2.5 a period: period 200).
func TestForecastBacklogProperties(t *testing.T) {
	in := MonteCarloInput{History: []int{0, 1, 5, 2, 0, 7, 3, 2}, Items: 500, Trials: 5_000,
		Percentiles: []float64{0.5, 0.85}, MaxPeriods: 1000, Seed: 42}
	f := forecast(t, in)
	again := forecast(t, in)
	for i := range f.Periods {
		if !slices.Equal(f.Periods[i], again.Periods[i]) {
			t.Fatal("the same seed gave another forecast")
		}
		if !slices.IsSorted(f.Periods[i]) {
			t.Errorf("p%.0f: items do not finish in backlog order", 100*f.Percentiles[i])
		}
	}
	for k := range in.Items {
		if f.Periods[0][k] < 1 || f.Periods[1][k] < f.Periods[0][k] {
			t.Fatalf("item %d: p50 %d, p85 %d", k+1, f.Periods[0][k], f.Periods[1][k])
		}
	}
	// The total of 200 draws has mean 500 and a standard deviation of
	// sqrt(200 × 5.25) ≈ 32 items, about 13 periods: the p50 is within a
	// few periods of 200, the p85 about one deviation later.
	p50, p85 := f.Periods[0][in.Items-1], f.Periods[1][in.Items-1]
	if p50 < 195 || p50 > 205 {
		t.Errorf("p50 of the last item = %d, want about 200", p50)
	}
	if p85 < p50+8 || p85 > p50+20 {
		t.Errorf("p85 of the last item = %d, want about 13 periods after the p50 (%d)", p85, p50)
	}
	// Another seed moves the far estimates by a little, not a lot.
	in.Seed = 7
	other := forecast(t, in)
	if d := other.Periods[0][in.Items-1] - p50; d < -3 || d > 3 {
		t.Errorf("another seed moved the last p50 by %d periods", d)
	}
}

// Items the horizon does not reach are answered 0; an empty backlog is an
// empty answer.
func TestForecastBacklogHorizon(t *testing.T) {
	f := forecast(t, MonteCarloInput{History: []int{1}, Items: 5, Trials: 10, Percentiles: []float64{0.5}, MaxPeriods: 3})
	if want := []int{1, 2, 3, 0, 0}; !slices.Equal(f.Periods[0], want) {
		t.Errorf("periods = %v, want %v", f.Periods[0], want)
	}
	f = forecast(t, MonteCarloInput{History: []int{1}, Items: 0, Trials: 10, Percentiles: []float64{0.5}, MaxPeriods: 3})
	if len(f.Periods[0]) != 0 {
		t.Errorf("empty backlog: %v", f.Periods)
	}
}

func TestForecastBacklogInvalid(t *testing.T) {
	ok := MonteCarloInput{History: []int{1, 2}, Items: 3, Trials: 10, Percentiles: []float64{0.5, 0.85}, MaxPeriods: 10}
	for _, tc := range []struct {
		field  string
		change func(*MonteCarloInput)
	}{
		{"history", func(in *MonteCarloInput) { in.History = nil }},
		{"history", func(in *MonteCarloInput) { in.History = []int{0, 0} }},
		{"history[1]", func(in *MonteCarloInput) { in.History = []int{1, -1} }},
		{"items", func(in *MonteCarloInput) { in.Items = -1 }},
		{"trials", func(in *MonteCarloInput) { in.Trials = 0 }},
		{"trials", func(in *MonteCarloInput) { in.Trials = MaxMonteCarloTrials + 1 }},
		{"max_periods", func(in *MonteCarloInput) { in.MaxPeriods = 0 }},
		{"percentiles", func(in *MonteCarloInput) { in.Percentiles = nil }},
		{"percentiles[0]", func(in *MonteCarloInput) { in.Percentiles = []float64{1} }},
		{"percentiles[1]", func(in *MonteCarloInput) { in.Percentiles = []float64{0.85, 0.5} }},
	} {
		in := ok
		tc.change(&in)
		if _, err := ForecastBacklog(in); !hasViolation(err, tc.field) {
			t.Errorf("%s: error %v, want a violation of it", tc.field, err)
		}
	}
}

// selectNth agrees with sorting, duplicates and all.
func TestSelectNth(t *testing.T) {
	for _, a := range [][]int{{5}, {3, 1, 2}, {2, 2, 2, 1, 1}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, {1, 5, 1, 5, 1, 5, 3}} {
		sorted := slices.Sorted(slices.Values(a))
		for n := range a {
			b := slices.Clone(a)
			if got := selectNth(b, n); got != sorted[n] {
				t.Errorf("selectNth(%v, %d) = %d, want %d", a, n, got, sorted[n])
			}
		}
	}
}

// Weekly buckets ending at asOf: the last week holds [asOf-7d, asOf).
func TestThroughput(t *testing.T) {
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	week := 7 * 24 * time.Hour
	times := []time.Time{
		asOf.Add(-time.Nanosecond),        // last week
		asOf.Add(-week),                   // last week, its first instant
		asOf.Add(-week - time.Nanosecond), // the week before
		asOf.Add(-3 * week),               // the oldest week
		asOf.Add(-3*week - time.Second),   // before the window
		asOf,                              // after it
	}
	if got, want := Throughput(times, asOf, week, 3), []int{1, 1, 2}; !slices.Equal(got, want) {
		t.Errorf("throughput = %v, want %v", got, want)
	}
	if HasThroughput([]int{0, 0}) || !HasThroughput([]int{0, 1}) {
		t.Error("HasThroughput")
	}
	for r, want := range map[DoneReason]bool{Completed: true, StoppedAfterMVP: true, Pivoted: true,
		Declined: false, Rerouted: false, NotPursued: false, NoGo: false, Cancelled: false} {
		if r.Finished() != want {
			t.Errorf("%s.Finished() = %v", r, !want)
		}
	}
}

// The backlog is forecast in WSJF order whatever order it comes in: at a
// steady 2 epics a week, the two highest WSJF finish in the first week, the
// next in the second, and an unscored epic last.
func TestForecastEpics(t *testing.T) {
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	week := 7 * 24 * time.Hour
	epic := func(id int64, c WSJFComponents) *Epic {
		return &Epic{ID: id, WSJF: c, CreatedAt: asOf.Add(time.Duration(id-10) * time.Hour)}
	}
	low := epic(1, WSJFComponents{1, 1, 1, 8})     // 0.38
	high := epic(2, WSJFComponents{8, 8, 8, 1})    // 24
	mid := epic(3, WSJFComponents{5, 5, 5, 3})     // 5
	unscored := epic(4, WSJFComponents{})          // last
	midAlso := epic(5, WSJFComponents{5, 5, 5, 3}) // 5, but newer than mid
	got, err := ForecastEpics([]*Epic{low, unscored, midAlso, high, mid}, 0,
		MonteCarloInput{History: []int{2}, Trials: 10, Percentiles: []float64{0.5, 0.85}, MaxPeriods: 52}, asOf, week)
	if err != nil {
		t.Fatal(err)
	}
	wantOrder := []*Epic{high, mid, midAlso, low, unscored}
	wantWeeks := []int{1, 1, 2, 2, 3}
	for k, f := range got {
		if f.Epic != wantOrder[k] || f.Position != k+1 {
			t.Errorf("position %d: epic %d, want %d", k+1, f.Epic.ID, wantOrder[k].ID)
		}
		for i := range f.Periods {
			if f.Periods[i] != wantWeeks[k] || !f.Dates[i].Equal(asOf.Add(time.Duration(wantWeeks[k])*week)) {
				t.Errorf("epic %d: weeks %v dates %v, want %d", f.Epic.ID, f.Periods, f.Dates, wantWeeks[k])
			}
		}
	}
}

// Epics being implemented finish first: with 3 ahead at a steady 2 a week,
// the first Ready epic is the fourth to finish, in week 2, the second the
// fifth, in week 3.
func TestForecastEpicsAhead(t *testing.T) {
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	a, b := &Epic{ID: 1, WSJF: WSJFComponents{8, 8, 8, 1}}, &Epic{ID: 2, WSJF: WSJFComponents{1, 1, 1, 1}}
	got, err := ForecastEpics([]*Epic{b, a}, 3, MonteCarloInput{History: []int{2}, Trials: 10, Percentiles: []float64{0.85}, MaxPeriods: 52},
		asOf, 7*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Epic != a || got[0].Periods[0] != 2 || got[1].Epic != b || got[1].Periods[0] != 3 {
		t.Errorf("forecast %+v, want epic 1 in week 2 and epic 2 in week 3", got)
	}
	// Too much work for one forecast is refused, not run.
	_, err = ForecastBacklog(MonteCarloInput{History: []int{1}, Items: 1, Trials: 100_000, Percentiles: []float64{0.5}, MaxPeriods: 1000})
	if !hasViolation(err, "trials") {
		t.Errorf("10^8 trial-periods: %v, want refused", err)
	}
}
