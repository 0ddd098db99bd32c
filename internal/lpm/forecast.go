package lpm

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// ARTShare is one Agile Release Train's part in an epic, as SAFe's epic
// forecast uses it: the epic's size still to do on that train, the train's
// velocity, and the share of that velocity it allocates to the epic.
type ARTShare struct {
	ART string
	// RemainingPoints is the epic's remaining size on this train, in
	// normalized story points.
	RemainingPoints float64
	// Velocity is the train's points per PI (the mean of its recent PIs).
	Velocity float64
	// Allocation is the share of Velocity the train gives the epic, in (0, 1].
	Allocation float64
}

// PointsPerPI is the capacity the train gives the epic each PI: velocity ×
// allocation.
func (s ARTShare) PointsPerPI() float64 { return s.Velocity * s.Allocation }

// PIs is how many PIs the train needs for its part: remaining points divided
// by the points it gives the epic per PI, rounded up (0 when nothing remains).
// A quotient beyond MaxForecastPIs is answered MaxForecastPIs+1, which the
// forecast refuses.
func (s ARTShare) PIs() int {
	if s.RemainingPoints <= 0 {
		return 0
	}
	q := s.RemainingPoints / s.PointsPerPI()
	if !(q <= MaxForecastPIs) { // also NaN and infinity
		return MaxForecastPIs + 1
	}
	// A quotient a hair above a whole number from float rounding
	// (1.0000000000000002) is that whole number; the tolerance is relative,
	// so any work left, however small, takes a PI.
	return max(int(math.Ceil(q*(1-1e-12))), 1)
}

// MaxPoints bounds remaining points and velocities: far beyond any train,
// and far from float trouble.
const MaxPoints = 1e9

// Validate checks a share before it is forecast.
func (s ARTShare) validate(vs *violations, field string) {
	vs.checkName(field+".art", s.ART)
	if !(s.RemainingPoints >= 0 && s.RemainingPoints <= MaxPoints) {
		vs.add(field+".remaining_points", "range", "the remaining points of %s must be a number from 0 to %.0f", s.ART, float64(MaxPoints))
	}
	if !(s.Velocity > 0 && s.Velocity <= MaxPoints) {
		vs.add(field+".velocity", "range", "the velocity of %s must be more than 0 and at most %.0f points per PI", s.ART, float64(MaxPoints))
	}
	if !(s.Allocation > 0 && s.Allocation <= 1) {
		vs.add(field+".allocation", "range", "the allocation of %s must be more than 0 and at most 1 (the share of its velocity)", s.ART)
	}
}

// EpicForecast is SAFe's forecast of when an epic finishes: the trains work
// in parallel, so the epic needs as many PIs as its slowest train.
type EpicForecast struct {
	// PIs is the number of PIs the epic still needs, from StartPI on; 0 when
	// nothing remains.
	PIs int
	// PerART is each train's PIs, in the order given.
	PerART []int
	// StartPI is the PI the forecast counts from; FinishPI the PI the epic is
	// expected to finish in (StartPI-1 when nothing remains), and Finish that
	// PI's end (exclusive: the first day of the next PI).
	StartPI, FinishPI int
	Finish            time.Time
}

// MaxForecastPIs bounds a forecast: an epic that needs longer (a share of a
// point per PI, say) is answered with an error instead of a date decades out.
const MaxForecastPIs = 200

// ForecastEpic applies SAFe's epic forecast to the shares of the trains
// working on an epic, counting PIs from startPI of the cadence: each train
// needs ceil(remaining / (velocity × allocation)) PIs, and the epic the most
// of these. EINVALID when a share is not usable or no train is given.
func ForecastEpic(shares []ARTShare, cadence PICadence, startPI int) (EpicForecast, error) {
	if len(shares) == 0 {
		return EpicForecast{}, &Error{Code: EINVALID, Message: "invalid forecast input", Violations: []Violation{{Field: "shares",
			Rule: "required", Message: "name at least one ART working on the epic, with its remaining points, velocity and allocation"}}}
	}
	if err := ValidateShares(shares); err != nil {
		return EpicForecast{}, err
	}
	f := EpicForecast{StartPI: startPI, PerART: make([]int, len(shares))}
	for i, s := range shares {
		f.PerART[i] = s.PIs()
		f.PIs = max(f.PIs, f.PerART[i])
	}
	if f.PIs > MaxForecastPIs {
		return EpicForecast{}, Errorf(EINVALID, "the epic would need more than the %d PIs a forecast looks ahead; "+
			"raise the allocations or split the epic", MaxForecastPIs)
	}
	f.FinishPI = startPI + f.PIs - 1
	f.Finish = cadence.PIEnd(f.FinishPI)
	return f, nil
}

// MaxARTShares bounds the trains one epic's forecast names.
const MaxARTShares = 20

// ValidateShares checks the trains' shares of an epic: each usable, each
// train once, at most MaxARTShares (none is valid: the epic has no forecast
// input yet).
func ValidateShares(shares []ARTShare) error {
	var vs violations
	if len(shares) > MaxARTShares {
		vs.add("shares", "max_items", "an epic's forecast names at most %d ARTs", MaxARTShares)
	}
	seen := map[string]bool{}
	for i, s := range shares {
		field := fmt.Sprintf("shares[%d]", i)
		s.validate(&vs, field)
		if seen[s.ART] {
			vs.add(field+".art", "unique", "ART %s is named twice; give each train once, with its whole remaining part", s.ART)
		}
		seen[s.ART] = true
	}
	return vs.err(EINVALID, "invalid forecast input")
}

// CheckShareARTs refuses shares of trains that are not ARTs of the epic's
// value streams (arts holds their names).
func CheckShareARTs(shares []ARTShare, arts []string) error {
	var vs violations
	for i, s := range shares {
		if !slices.Contains(arts, s.ART) {
			if len(arts) == 0 {
				vs.add(fmt.Sprintf("shares[%d].art", i), "exists", "the epic's value streams have no ARTs; link the epic to a value stream whose ARTs work on it")
			} else {
				vs.add(fmt.Sprintf("shares[%d].art", i), "exists", "%s is not an ART of the epic's value streams (%s)", s.ART, strings.Join(arts, ", "))
			}
		}
	}
	return vs.err(EINVALID, "invalid forecast input")
}

// ForecastStartPI is the PI an epic's forecast counts from at now: the
// current PI once it is being implemented, the next one before that (work
// is planned at PI boundaries). An epic in done has no forecast: ok is
// false.
func ForecastStartPI(e *Epic, cadence PICadence, now time.Time) (pi int, ok bool) {
	current, _, _ := cadence.PIAt(now)
	switch e.State {
	case Done:
		return 0, false
	case ImplementingMVP, ImplementingPersevere:
		// Before the cadence starts, its first PI is the first there is.
		return max(current, 1), true
	}
	return max(current+1, 1), true
}

// ForecastEpicAt is the epic's forecast at now from its ARTs' shares
// (ForecastStartPI, ForecastEpic), or, with ok false, why there is none: it
// is done, no share is given yet, or it lies beyond the horizon.
func ForecastEpicAt(e *Epic, shares []ARTShare, cadence PICadence, now time.Time) (f EpicForecast, ok bool, reason string) {
	start, ok := ForecastStartPI(e, cadence, now)
	switch {
	case !ok:
		return EpicForecast{}, false, "the epic is done"
	case len(shares) == 0:
		return EpicForecast{}, false, "no ART's share is given yet: PUT the remaining points, velocity and allocation of each ART working on the epic"
	}
	f, err := ForecastEpic(shares, cadence, start)
	if err != nil {
		// Stored shares are valid; only the horizon can refuse them.
		return EpicForecast{}, false, AsError(err).Message
	}
	return f, true, ""
}

// PIEnd returns when PI number n of the cadence ends (exclusive): the start
// of PI n+1.
func (c PICadence) PIEnd(n int) time.Time {
	return c.Start.AddDate(0, 0, 7*c.LengthWeeks*n)
}
