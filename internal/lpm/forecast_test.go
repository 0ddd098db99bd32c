package lpm

import (
	"math"
	"slices"
	"testing"
	"time"
)

// The worked example of the domain reference, by hand: ART A has 2,000
// points left at 1,000 a PI of which it gives the epic a quarter: 250 a PI,
// 8 PIs. ART B has 600 left at 800 a PI, half of it: 400 a PI, 2 PIs (1.5
// rounded up). The trains work in parallel: 8 PIs. Counting from PI 5 of a
// cadence of 10-week PIs from 5 Jan 2026, the epic finishes in PI 12, which
// ends 12 × 10 = 120 weeks after the start: 24 Apr 2028.
func TestForecastEpicWorkedExample(t *testing.T) {
	cadence := PICadence{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), LengthWeeks: 10}
	f, err := ForecastEpic([]ARTShare{
		{ART: "A", RemainingPoints: 2000, Velocity: 1000, Allocation: 0.25},
		{ART: "B", RemainingPoints: 600, Velocity: 800, Allocation: 0.5},
	}, cadence, 5)
	if err != nil {
		t.Fatal(err)
	}
	if f.PIs != 8 || !slices.Equal(f.PerART, []int{8, 2}) || f.StartPI != 5 || f.FinishPI != 12 {
		t.Errorf("forecast = %+v, want 8 PIs (A 8, B 2), PI 5 to 12", f)
	}
	if want := time.Date(2028, 4, 24, 0, 0, 0, 0, time.UTC); !f.Finish.Equal(want) {
		t.Errorf("finish = %s, want %s (the end of PI 12)", f.Finish, want)
	}
	// The finish is where PIAt says PI 12 ends.
	if n, _, end := cadence.PIAt(f.Finish.Add(-time.Hour)); n != 12 || !end.Equal(f.Finish) {
		t.Errorf("PIAt(finish - 1h) = PI %d ending %s", n, end)
	}
}

func TestForecastEpicEdges(t *testing.T) {
	cadence := PICadence{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), LengthWeeks: 10}
	for _, tc := range []struct {
		name   string
		shares []ARTShare
		pis    int
	}{
		// 300 / (1,000 × 0.3) is 1.0000000000000002 in floating point: 1 PI.
		{"exact quotient", []ARTShare{{ART: "A", RemainingPoints: 300, Velocity: 1000, Allocation: 0.3}}, 1},
		{"a point over", []ARTShare{{ART: "A", RemainingPoints: 301, Velocity: 1000, Allocation: 0.3}}, 2},
		{"nothing left", []ARTShare{{ART: "A", RemainingPoints: 0, Velocity: 1000, Allocation: 1}}, 0},
		{"whole velocity", []ARTShare{{ART: "A", RemainingPoints: 2500, Velocity: 1000, Allocation: 1}}, 3},
	} {
		f, err := ForecastEpic(tc.shares, cadence, 3)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if f.PIs != tc.pis || f.FinishPI != 3+tc.pis-1 {
			t.Errorf("%s: %d PIs finishing in PI %d, want %d", tc.name, f.PIs, f.FinishPI, tc.pis)
		}
	}

	for _, tc := range []struct {
		name   string
		shares []ARTShare
		field  string
	}{
		{"no train", nil, "shares"},
		{"no velocity", []ARTShare{{ART: "A", RemainingPoints: 10, Velocity: 0, Allocation: 0.5}}, "shares[0].velocity"},
		{"allocation over 1", []ARTShare{{ART: "A", RemainingPoints: 10, Velocity: 10, Allocation: 1.5}}, "shares[0].allocation"},
		{"allocation 0", []ARTShare{{ART: "A", RemainingPoints: 10, Velocity: 10}}, "shares[0].allocation"},
		{"negative size", []ARTShare{{ART: "A", RemainingPoints: -1, Velocity: 10, Allocation: 1}}, "shares[0].remaining_points"},
		{"NaN size", []ARTShare{{ART: "A", RemainingPoints: math.NaN(), Velocity: 10, Allocation: 1}}, "shares[0].remaining_points"},
		{"unnamed train", []ARTShare{{RemainingPoints: 1, Velocity: 10, Allocation: 1}}, "shares[0].art"},
		{"train twice", []ARTShare{{ART: "A", RemainingPoints: 1, Velocity: 10, Allocation: 1},
			{ART: "A", RemainingPoints: 1, Velocity: 10, Allocation: 1}}, "shares[1].art"},
	} {
		_, err := ForecastEpic(tc.shares, cadence, 1)
		if !hasViolation(err, tc.field) {
			t.Errorf("%s: error %v, want a violation of %s", tc.name, err, tc.field)
		}
	}
	// Beyond the horizon: an error, not a date in the next century.
	_, err := ForecastEpic([]ARTShare{{ART: "A", RemainingPoints: 1000, Velocity: 10, Allocation: 0.1}}, cadence, 1)
	if ErrorCodeOf(err) != EINVALID {
		t.Errorf("1,000 PIs: %v, want invalid", err)
	}
}

// hasViolation reports whether err is an lpm error naming field.
func hasViolation(err error, field string) bool {
	e := AsError(err)
	if e == nil {
		return false
	}
	return slices.ContainsFunc(e.Violations, func(v Violation) bool { return v.Field == field })
}

func TestForecastInputs(t *testing.T) {
	share := ARTShare{ART: "A", RemainingPoints: 10, Velocity: 10, Allocation: 1}
	if err := ValidateShares(nil); err != nil {
		t.Errorf("no shares: %v", err)
	}
	many := make([]ARTShare, MaxARTShares+1)
	for i := range many {
		many[i] = share
		many[i].ART = string(rune('A' + i))
	}
	if !hasViolation(ValidateShares(many), "shares") {
		t.Errorf("%d shares accepted", len(many))
	}
	if err := CheckShareARTs([]ARTShare{share}, []string{"B", "A"}); err != nil {
		t.Errorf("A of A, B: %v", err)
	}
	err := CheckShareARTs([]ARTShare{share, {ART: "C"}}, []string{"A", "B"})
	if !hasViolation(err, "shares[1].art") || hasViolation(err, "shares[0].art") {
		t.Errorf("C of A, B: %v", err)
	}
	if !hasViolation(CheckShareARTs([]ARTShare{share}, nil), "shares[0].art") {
		t.Error("an ART accepted for an epic without any")
	}

	// 10-week PIs from 5 Jan 2026; 20 Mar 2026 is in week 11, PI 2.
	cadence := PICadence{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), LengthWeeks: 10}
	now := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
	for state, want := range map[State]int{Funnel: 3, Ready: 3, ImplementingMVP: 2, ImplementingPersevere: 2, Done: 0} {
		pi, ok := ForecastStartPI(&Epic{State: state}, cadence, now)
		if pi != want || ok != (state != Done) {
			t.Errorf("%s: start PI %d (%v), want %d", state, pi, ok, want)
		}
	}
}
