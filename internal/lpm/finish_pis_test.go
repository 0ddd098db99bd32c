package lpm

import (
	"context"
	"testing"
	"time"
)

func TestFinishPIs(t *testing.T) {
	cadence := PICadence{Start: time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC), LengthWeeks: 10}
	now := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)
	epics := map[int64]*Epic{1: {ID: 1, State: Ready}, 2: {ID: 2, State: Ready}, 3: {ID: 3, State: Ready}, 4: {ID: 4, State: Done}}
	shares := map[int64][]ARTShare{
		1: {{ART: "Rails", RemainingPoints: 100, Velocity: 100, Allocation: 1}}, // one PI
		2: {{ART: "Rails", RemainingPoints: 400, Velocity: 100, Allocation: 1}}, // four PIs
	}
	loads := 0
	f := NewFinishPIs(cadence, now, func(_ context.Context, id int64) (*Epic, []ARTShare, error) {
		loads++
		return epics[id], shares[id], nil
	})
	want := func(id int64) int {
		fc, ok, _ := ForecastEpicAt(epics[id], shares[id], cadence, now)
		if !ok {
			return 0
		}
		return fc.FinishPI
	}
	// Epic 1 depends on epic 2, which finishes later: late.
	from, to, late, reason, err := f.Lateness(context.Background(), &Dependency{FromEpicID: 1, ToEpicID: 2})
	if err != nil || from != want(1) || to != want(2) || to <= from || !late || reason == "" {
		t.Errorf("1 on 2: %d, %d, %v, %q, %v", from, to, late, reason, err)
	}
	// Epic 2 depends on epic 1, which finishes first: not late; epic 3 has
	// no forecast: nothing flagged.
	if _, _, late, _, _ := f.Lateness(context.Background(), &Dependency{FromEpicID: 2, ToEpicID: 1}); late {
		t.Error("2 on 1 flagged late")
	}
	if _, to, late, _, _ := f.Lateness(context.Background(), &Dependency{FromEpicID: 1, ToEpicID: 3, DuePI: 1}); late || to != 0 {
		t.Errorf("1 on 3 (no forecast): finish %d, late %v", to, late)
	}
	if _, _, late, _, _ := f.Lateness(context.Background(), &Dependency{FromValueStreamID: 1, ToValueStreamID: 2}); late {
		t.Error("value streams flagged late")
	}
	// Epic 4 is done: no forecast, and Done says why.
	if _, to, late, _, _ := f.Lateness(context.Background(), &Dependency{FromEpicID: 1, ToEpicID: 4}); late || to != 0 || !f.Done(4) || f.Done(3) {
		t.Errorf("1 on 4 (done): finish %d, late %v, done %v (epic 3: %v)", to, late, f.Done(4), f.Done(3))
	}
	if loads != 4 {
		t.Errorf("%d loads, want 4 (each epic once)", loads)
	}
}
