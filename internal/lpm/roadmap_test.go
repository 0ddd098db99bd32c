package lpm

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// The cadence of these tests: PIs of ten weeks from Monday 2026-01-05, so
// PI n starts 70·(n-1) days later: PI 5 2026-10-12, PI 6 2026-12-21, PI 7
// 2027-03-01, PI 8 2027-05-10, PI 9 2027-07-19, PI 10 2027-09-27, PI 11
// 2027-12-06. Now (2026-11-26) is in PI 5.
var (
	roadmapCadence = PICadence{Start: day(2026, 1, 5), LengthWeeks: 10}
	roadmapNow     = time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
)

func TestRoadmapSpan(t *testing.T) {
	for _, tc := range []struct {
		name       string
		from       time.Time
		pis        int
		first      int
		start, end time.Time
		err        string
	}{
		{"default: six PIs from the current one", time.Time{}, 0, 5, day(2026, 10, 12), day(2027, 12, 6), ""},
		{"from a day inside PI 7", day(2027, 4, 30), 2, 7, day(2027, 3, 1), day(2027, 7, 19), ""},
		{"from a PI's first day", day(2026, 12, 21), 1, 6, day(2026, 12, 21), day(2027, 3, 1), ""},
		{"before the cadence: PI 0", day(2025, 12, 1), 1, 0, day(2025, 10, 27), day(2026, 1, 5), ""},
		// 2026-10-12 to 2029-10-12 is 1,096 days: 15 PIs of 70 days (1,050) fit, 16 (1,120) do not.
		{"fifteen PIs fit in three years", time.Time{}, 15, 5, day(2026, 10, 12), day(2029, 8, 27), ""},
		{"sixteen do not", time.Time{}, 16, 0, time.Time{}, time.Time{}, "at most 3 years: 15 PIs of 10 weeks (16 asked for)"},
		{"a huge count does not overflow", time.Time{}, 1 << 62, 0, time.Time{}, time.Time{}, "at most 3 years"},
		{"no PI", time.Time{}, -1, 0, time.Time{}, time.Time{}, "at least one PI"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first, start, end, err := RoadmapSpan(roadmapCadence, roadmapNow, tc.from, tc.pis)
			if tc.err != "" {
				if err == nil || !strings.Contains(AsError(err).Violations[0].Message, tc.err) || AsError(err).Code != EINVALID {
					t.Fatalf("err = %v, want EINVALID with %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if first != tc.first || !start.Equal(tc.start) || !end.Equal(tc.end) {
				t.Errorf("span = PI %d, %s–%s; want PI %d, %s–%s", first, start, end, tc.first, tc.start, tc.end)
			}
		})
	}
}

func TestRoadmapQuartersAcrossYears(t *testing.T) {
	// Weekly PIs from 2026-12-28 (a Monday), span of 14: to 2027-04-05.
	qs := quarters(day(2026, 12, 28), day(2027, 4, 5))
	want := []RoadmapQuarter{
		{2026, 4, day(2026, 12, 28), day(2027, 1, 1)},
		{2027, 1, day(2027, 1, 1), day(2027, 4, 1)},
		{2027, 2, day(2027, 4, 1), day(2027, 4, 5)},
	}
	if d := cmp.Diff(want, qs); d != "" {
		t.Error(d)
	}
	if qs[1].Label() != "2027 Q1" {
		t.Errorf("label %q", qs[1].Label())
	}
}

func TestComputeRoadmap(t *testing.T) {
	epic := func(id int64, s State, entered time.Time, vs ...int64) *Epic {
		return &Epic{ID: id, Key: "EP-" + string(rune('0'+id)), Title: "Epic", State: s, StateEnteredAt: entered, ValueStreamIDs: vs}
	}
	epics := []*Epic{
		// 1: implementing since 2026-09-01, 100 points at 25 a PI: 4 PIs from PI 5, finishes in PI 8.
		epic(1, ImplementingMVP, day(2026, 9, 1), 10),
		// 2: Ready in two value streams, Monte Carlo p85 on 2027-06-01.
		epic(2, Ready, day(2026, 11, 1), 10, 20),
		// 3: in analysis, no shares: not forecastable.
		epic(3, Analyzing, day(2026, 11, 1), 20),
		// 4: Ready, no value stream, one PI from PI 6: ends with PI 6.
		epic(4, Ready, day(2026, 11, 2)),
		// 5: implementing, Monte Carlo only (p85 2027-02-01): forecast, not committed.
		epic(5, ImplementingPersevere, day(2026, 10, 20), 20),
		// 6: implementing from 2026-11-02, ten PIs from PI 5: ends with PI 14, after the span.
		epic(6, ImplementingMVP, day(2026, 11, 2), 20),
		// 7, 8: done and in the funnel: not on the roadmap.
		epic(7, Done, day(2026, 11, 1), 10),
		epic(8, Funnel, day(2026, 11, 1), 10),
		// 9: Ready without shares, beyond the Monte Carlo horizon.
		epic(9, Ready, day(2026, 11, 3), 10),
		// 10: implementing, finished before the span by Monte Carlo: outside it.
		epic(10, ImplementingMVP, day(2026, 1, 10), 10),
	}
	in := RoadmapInput{
		Cadence: roadmapCadence, Now: roadmapNow,
		Epics:        epics,
		ValueStreams: []*ValueStream{{ID: 10, Name: "Retail"}, {ID: 20, Name: "Payments"}},
		Shares: map[int64][]ARTShare{
			1: {{ART: "A", RemainingPoints: 100, Velocity: 100, Allocation: 0.25}},
			4: {{ART: "B", RemainingPoints: 10, Velocity: 10, Allocation: 1}},
			6: {{ART: "B", RemainingPoints: 100, Velocity: 10, Allocation: 1}},
		},
		MonteCarlo: map[int64]time.Time{2: day(2027, 6, 1), 5: day(2027, 2, 1), 9: {}, 10: day(2026, 6, 1)},
	}
	r, err := ComputeRoadmap(in)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Start.Equal(day(2026, 10, 12)) || !r.End.Equal(day(2027, 12, 6)) || r.CurrentPI != 5 || !r.CommittedUntil.Equal(day(2027, 3, 1)) {
		t.Errorf("span %s–%s, current PI %d, committed until %s", r.Start, r.End, r.CurrentPI, r.CommittedUntil)
	}
	wantPIs := []RoadmapPI{
		{5, day(2026, 10, 12), day(2026, 12, 21), true},
		{6, day(2026, 12, 21), day(2027, 3, 1), true},
		{7, day(2027, 3, 1), day(2027, 5, 10), false},
		{8, day(2027, 5, 10), day(2027, 7, 19), false},
		{9, day(2027, 7, 19), day(2027, 9, 27), false},
		{10, day(2027, 9, 27), day(2027, 12, 6), false},
	}
	if d := cmp.Diff(wantPIs, r.PIs); d != "" {
		t.Errorf("PIs (-want +got):\n%s", d)
	}
	wantQuarters := []RoadmapQuarter{
		{2026, 4, day(2026, 10, 12), day(2027, 1, 1)},
		{2027, 1, day(2027, 1, 1), day(2027, 4, 1)},
		{2027, 2, day(2027, 4, 1), day(2027, 7, 1)},
		{2027, 3, day(2027, 7, 1), day(2027, 10, 1)},
		{2027, 4, day(2027, 10, 1), day(2027, 12, 6)},
	}
	if d := cmp.Diff(wantQuarters, r.Quarters); d != "" {
		t.Errorf("quarters (-want +got):\n%s", d)
	}

	bar := func(id int64, s State, start, end time.Time, sb, fb string, row int, clipS, clipE bool, segs ...RoadmapSegment) RoadmapBar {
		return RoadmapBar{EpicID: id, Key: "EP-" + string(rune('0'+id)), Title: "Epic", State: s, Start: start, End: end,
			StartBasis: sb, FinishBasis: fb, Segments: segs, ClippedStart: clipS, ClippedEnd: clipE, Row: row}
	}
	seg := func(s, e time.Time, committed bool) RoadmapSegment { return RoadmapSegment{s, e, committed} }
	b1 := bar(1, ImplementingMVP, day(2026, 9, 1), day(2027, 7, 19), StartImplementation, FinishSAFe, 0, true, false,
		seg(day(2026, 10, 12), day(2027, 3, 1), true), seg(day(2027, 3, 1), day(2027, 7, 19), false))
	b2 := bar(2, Ready, day(2026, 12, 21), day(2027, 6, 1), StartNextPI, FinishMonteCarlo, 1, false, false,
		seg(day(2026, 12, 21), day(2027, 6, 1), false))
	b2p := b2
	b2p.Row = 2
	b4 := bar(4, Ready, day(2026, 12, 21), day(2027, 3, 1), StartNextPI, FinishSAFe, 0, false, false,
		seg(day(2026, 12, 21), day(2027, 3, 1), false))
	b5 := bar(5, ImplementingPersevere, day(2026, 10, 20), day(2027, 2, 1), StartImplementation, FinishMonteCarlo, 0, false, false,
		seg(day(2026, 10, 20), day(2027, 2, 1), false))
	b6 := bar(6, ImplementingMVP, day(2026, 11, 2), day(2028, 9, 11), StartImplementation, FinishSAFe, 1, false, true,
		seg(day(2026, 11, 2), day(2027, 3, 1), true), seg(day(2027, 3, 1), day(2027, 12, 6), false))
	want := []RoadmapLane{
		{ValueStreamID: 10, Name: "Retail", Bars: []RoadmapBar{b1, b2}, Rows: 2},
		{ValueStreamID: 20, Name: "Payments", Bars: []RoadmapBar{b5, b6, b2p}, Rows: 3},
		{ValueStreamID: 0, Name: NoValueStreamLane, Bars: []RoadmapBar{b4}, Rows: 1},
	}
	if d := cmp.Diff(want, r.Lanes); d != "" {
		t.Errorf("lanes (-want +got):\n%s", d)
	}
	if !b1.Committed() || b2.Committed() || b5.Committed() {
		t.Error("Committed: only implementing epics with SAFe's forecast")
	}
	if len(r.NotForecastable) != 2 || r.NotForecastable[0].EpicID != 3 || r.NotForecastable[1].EpicID != 9 ||
		!strings.Contains(r.NotForecastable[0].Reason, "in analysis") || !strings.Contains(r.NotForecastable[1].Reason, "beyond its horizon") {
		t.Errorf("not forecastable: %+v", r.NotForecastable)
	}
	if r.OutsideSpan != 1 {
		t.Errorf("outside the span: %d, want 1 (epic 10)", r.OutsideSpan)
	}

	// A later span: everything is forecast, epic 1 (ends 2027-07-19) is
	// clipped at the start of PI 8.
	in.From, in.PIs = day(2027, 5, 10), 2
	r, err = ComputeRoadmap(in)
	if err != nil {
		t.Fatal(err)
	}
	got := r.Lanes[0].Bars[0]
	if got.EpicID != 1 || !got.ClippedStart || got.Committed() || len(got.Segments) != 1 ||
		!got.Segments[0].Start.Equal(day(2027, 5, 10)) || !got.Segments[0].End.Equal(day(2027, 7, 19)) {
		t.Errorf("epic 1 in PIs 8–9: %+v", got)
	}

	// Without any throughput the reason says so.
	in.From, in.PIs, in.MonteCarlo, in.MonteCarloReason = time.Time{}, 0, nil, "no epic was finished in the last 26 weeks"
	r, _ = ComputeRoadmap(in)
	if len(r.NotForecastable) != 5 || !strings.Contains(r.NotForecastable[0].Reason, "no epic was finished") {
		t.Errorf("not forecastable without throughput: %+v", r.NotForecastable)
	}

	in.PIs = 16
	if _, err := ComputeRoadmap(in); err == nil || AsError(err).Code != EINVALID {
		t.Errorf("16 PIs: %v, want EINVALID", err)
	}
}

func TestRoadmapMonteCarlo(t *testing.T) {
	// Exactly one epic a week: the n-th epic finishes after n weeks, the
	// implementing ones first, oldest first, then Ready by WSJF.
	asOf := day(2026, 11, 23)
	old := &Epic{ID: 1, State: ImplementingMVP, StateEnteredAt: day(2026, 1, 1)}
	recent := &Epic{ID: 2, State: ImplementingMVP, StateEnteredAt: day(2026, 6, 1)}
	low := &Epic{ID: 3, State: Ready, WSJF: WSJFComponents{UserBusinessValue: 1, TimeCriticality: 1, RiskReduction: 1, JobSize: 20}}
	high := &Epic{ID: 4, State: Ready, WSJF: WSJFComponents{UserBusinessValue: 20, TimeCriticality: 20, RiskReduction: 20, JobSize: 1}}
	got, err := RoadmapMonteCarlo([]*Epic{recent, old}, []*Epic{low, high},
		MonteCarloInput{History: []int{1, 1, 1}, Trials: 100, MaxPeriods: 3, Seed: 1}, asOf, 7*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]time.Time{1: day(2026, 11, 30), 2: day(2026, 12, 7), 4: day(2026, 12, 14), 3: {}}
	if d := cmp.Diff(want, got); d != "" {
		t.Error(d)
	}
}

// An epic in persevere starts where its implementation started, not where
// it entered persevere; without that start (imported straight into
// persevere, or a history that disagrees) it starts when it entered its
// state.
func TestRoadmapImplementationStart(t *testing.T) {
	shares := []ARTShare{{ART: "A", RemainingPoints: 100, Velocity: 100, Allocation: 0.5}}
	in := RoadmapInput{
		Cadence: roadmapCadence, Now: roadmapNow,
		Epics: []*Epic{
			// Entered implementing_mvp on 2026-08-03 (X), persevere on 2026-10-20 (Y).
			{ID: 1, State: ImplementingPersevere, ImplementationStartedAt: day(2026, 8, 3), StateEnteredAt: day(2026, 10, 20)},
			// Imported straight into persevere: no move into implementing_mvp.
			{ID: 2, State: ImplementingPersevere, StateEnteredAt: day(2026, 10, 21)},
			// A first move after the state's entry cannot be right.
			{ID: 3, State: ImplementingMVP, ImplementationStartedAt: day(2026, 11, 1), StateEnteredAt: day(2026, 10, 22)},
			// Not in implementation: the next PI, whatever it says.
			{ID: 4, State: Ready, ImplementationStartedAt: day(2026, 8, 3), StateEnteredAt: day(2026, 10, 23)},
		},
		Shares: map[int64][]ARTShare{1: shares, 2: shares, 3: shares, 4: shares},
	}
	r, err := ComputeRoadmap(in)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]time.Time{}
	for _, b := range r.Lanes[0].Bars {
		got[b.EpicID] = b.Start
		if wantBasis := map[bool]string{true: StartImplementation, false: StartNextPI}[b.EpicID != 4]; b.StartBasis != wantBasis {
			t.Errorf("epic %d: start basis %q, want %q", b.EpicID, b.StartBasis, wantBasis)
		}
	}
	want := map[int64]time.Time{1: day(2026, 8, 3), 2: day(2026, 10, 21), 3: day(2026, 10, 22), 4: day(2026, 12, 21)}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("bar starts (-want +got):\n%s", d)
	}

	// The Monte Carlo forecast takes the epics in implementation in the
	// order they started it: epic 1 (since 2026-08-03) before epic 2 (since
	// 2026-10-21), though epic 1 entered persevere later (2026-10-25).
	in.Epics[0].StateEnteredAt = day(2026, 10, 25)
	mc, err := RoadmapMonteCarlo([]*Epic{in.Epics[1], in.Epics[0]}, nil,
		MonteCarloInput{History: []int{1, 1, 1}, Trials: 100, MaxPeriods: 3, Seed: 1}, day(2026, 11, 23), 7*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[int64]time.Time{1: day(2026, 11, 30), 2: day(2026, 12, 7)}, mc); d != "" {
		t.Errorf("Monte Carlo (-want +got):\n%s", d)
	}
}
