package lpm

import (
	"context"
	"time"
)

// FinishPIs gives epics' forecast finish PIs as of now (0 for an epic
// without a forecast), loading each epic and its ARTs' shares once: what
// flags dependencies between epics late (Dependency.Lateness).
type FinishPIs struct {
	cadence PICadence
	now     time.Time
	load    func(ctx context.Context, epicID int64) (*Epic, []ARTShare, error)
	known   map[int64]int
	done    map[int64]bool
}

// NewFinishPIs returns the finish PIs of a portfolio with cadence, as of
// now; load reads an epic and its ARTs' shares.
func NewFinishPIs(cadence PICadence, now time.Time, load func(ctx context.Context, epicID int64) (*Epic, []ARTShare, error)) *FinishPIs {
	return &FinishPIs{cadence: cadence, now: now, load: load, known: map[int64]int{}, done: map[int64]bool{}}
}

// Of returns the forecast finish PI of the epic, 0 when it has none.
func (f *FinishPIs) Of(ctx context.Context, epicID int64) (int, error) {
	if pi, ok := f.known[epicID]; ok {
		return pi, nil
	}
	e, shares, err := f.load(ctx, epicID)
	if err != nil {
		return 0, err
	}
	fc, ok, _ := ForecastEpicAt(e, shares, f.cadence, f.now)
	if !ok {
		fc.FinishPI = 0
	}
	f.known[epicID], f.done[epicID] = fc.FinishPI, e.State == Done
	return fc.FinishPI, nil
}

// Done reports whether the epic, asked for through Of before, is done: it
// has no forecast because its work is over.
func (f *FinishPIs) Done(epicID int64) bool { return f.done[epicID] }

// Lateness is d.Lateness with the epics' finish PIs from f: their finish
// PIs (0 for none) and whether, and why, d is late. A dependency between
// value streams is never late.
func (f *FinishPIs) Lateness(ctx context.Context, d *Dependency) (fromFinish, toFinish int, late bool, reason string, err error) {
	if !d.BetweenEpics() {
		return 0, 0, false, "", nil
	}
	if fromFinish, err = f.Of(ctx, d.FromEpicID); err != nil {
		return 0, 0, false, "", err
	}
	if toFinish, err = f.Of(ctx, d.ToEpicID); err != nil {
		return 0, 0, false, "", err
	}
	late, reason = d.Lateness(toFinish, fromFinish)
	return fromFinish, toFinish, late, reason, nil
}
