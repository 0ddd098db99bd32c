package lpm

import (
	"cmp"
	"container/heap"
	"fmt"
	"slices"
	"time"
)

// The portfolio roadmap: the epics from analysis through implementation on a
// timeline of PIs and calendar quarters, in lanes by value stream, revised
// as a rolling wave. The near term (the current PI and the next) is
// committed for epics in implementation with SAFe's forecast; everything
// later, and every epic not yet pulled into implementation, is forecast.
//
// Where a bar starts and ends:
//   - start: an epic in implementation starts when it first entered
//     implementation (implementationStart), so an epic in persevere keeps
//     the start of its MVP; an epic in analysis or
//     Ready starts at the start of the next PI (ForecastStartPI: work is
//     pulled at PI boundaries), whichever forecast gives its finish, or at
//     now when the Monte Carlo forecast finishes it before that PI starts.
//   - finish: SAFe's epic forecast (ForecastEpicAt: the end of its finish
//     PI) when the ARTs' shares are set; else the 85th percentile of the
//     Monte Carlo forecast (RoadmapMonteCarlo), which covers the epics in
//     implementation and the Ready backlog; else the epic is not
//     forecastable, and listed with the reason instead of drawn.

// RoadmapStates are the states whose epics the roadmap shows.
var RoadmapStates = []State{Analyzing, Ready, ImplementingMVP, ImplementingPersevere}

// Roadmap span bounds: by default six PIs from the current one; never more
// than three years.
const (
	DefaultRoadmapPIs = 6
	MaxRoadmapYears   = 3
)

// Roadmap bases: where a bar's start and finish come from.
const (
	StartImplementation = "implementation_started" // when it first entered implementation
	StartNextPI         = "next_pi"                // the next PI's start
	StartNow            = "now"                    // Monte Carlo finishes it before the next PI
	FinishSAFe          = "safe_forecast"          // SAFe's epic forecast from the ARTs' shares
	FinishMonteCarlo    = "monte_carlo_p85"        // the Monte Carlo forecast's 85th percentile
)

// RoadmapInput is everything the roadmap is computed from.
type RoadmapInput struct {
	Cadence PICadence
	Now     time.Time
	// From is any time in the first PI of the span (zero: Now); PIs the
	// span's length in PIs (0: DefaultRoadmapPIs).
	From time.Time
	PIs  int
	// Epics may hold any states; those outside RoadmapStates are ignored.
	Epics []*Epic
	// ValueStreams name the lanes, in this order.
	ValueStreams []*ValueStream
	// Shares are the ARTs' shares of each epic (SAFe's forecast input).
	Shares map[int64][]ARTShare
	// MonteCarlo is the 85th-percentile finish of each epic the Monte Carlo
	// forecast reached (RoadmapMonteCarlo); MonteCarloReason says why an
	// epic without an entry has none (no throughput, say).
	MonteCarlo       map[int64]time.Time
	MonteCarloReason string
}

// RoadmapPI is one PI of the span.
type RoadmapPI struct {
	Number     int
	Start, End time.Time // end exclusive
	// Committed: the current PI or the next (the rolling wave's near term).
	Committed bool
}

// RoadmapQuarter is one calendar quarter overlapping the span, clipped to it.
type RoadmapQuarter struct {
	Year, Quarter int
	Start, End    time.Time // end exclusive
}

// Label is "2026 Q4".
func (q RoadmapQuarter) Label() string { return fmt.Sprintf("%d Q%d", q.Year, q.Quarter) }

// RoadmapSegment is a part of a bar within the span, committed or forecast.
type RoadmapSegment struct {
	Start, End time.Time
	Committed  bool
}

// RoadmapBar is one epic in one lane.
type RoadmapBar struct {
	EpicID int64
	Key    string
	Title  string
	State  State
	// Start and End (exclusive) are the epic's, before clipping to the span.
	Start, End              time.Time
	StartBasis, FinishBasis string
	// Segments are the bar within the span: a committed part (at most up to
	// the end of the next PI) and a forecast part.
	Segments []RoadmapSegment
	// ClippedStart, ClippedEnd: the bar goes on before or after the span.
	ClippedStart, ClippedEnd bool
	// Row is the bar's row within its lane; bars that do not overlap share
	// a row.
	Row int
}

// Committed reports whether part of the bar is committed.
func (b RoadmapBar) Committed() bool {
	return slices.ContainsFunc(b.Segments, func(s RoadmapSegment) bool { return s.Committed })
}

// RoadmapLane is a value stream's lane (ValueStreamID 0: no value stream).
type RoadmapLane struct {
	ValueStreamID int64
	Name          string
	Bars          []RoadmapBar
	Rows          int
}

// RoadmapMiss is an epic the roadmap cannot place, and why.
type RoadmapMiss struct {
	EpicID int64
	Key    string
	Title  string
	State  State
	Reason string
}

// Roadmap is the computed roadmap.
type Roadmap struct {
	Start, End time.Time // the span, end exclusive
	CurrentPI  int
	// CommittedUntil is the end of the next PI: the committed near term.
	CommittedUntil time.Time
	PIs            []RoadmapPI
	Quarters       []RoadmapQuarter
	Lanes          []RoadmapLane
	// NotForecastable lists the epics with no finish, each once.
	NotForecastable []RoadmapMiss
	// OutsideSpan counts the epics placed wholly before or after the span.
	OutsideSpan int
}

// NoValueStreamLane names the lane of epics without a value stream.
const NoValueStreamLane = "No value stream"

// RoadmapSpan returns the span's first PI and its start and end: the PI
// containing from (zero: now) and pis PIs (0: the default). EINVALID when
// pis is below 1 or the span is longer than three years.
func RoadmapSpan(c PICadence, now, from time.Time, pis int) (first int, start, end time.Time, err error) {
	if from.IsZero() {
		from = now
	}
	if pis == 0 {
		pis = DefaultRoadmapPIs
	}
	if c.LengthWeeks < MinPIWeeks {
		return 0, time.Time{}, time.Time{}, Errorf(EINVALID, "the portfolio has no PI cadence")
	}
	first, start, _ = c.PIAt(from)
	var vs violations
	if pis < 1 {
		vs.add("pis", "range", "the roadmap spans at least one PI")
		return 0, time.Time{}, time.Time{}, vs.err(EINVALID, "invalid roadmap span")
	}
	// Compare counts, not times: a huge count must not overflow.
	if most := maxRoadmapPIs(c, start); pis > most {
		vs.add("pis", "range", "the roadmap spans at most %d years: %d PIs of %d weeks (%d asked for)",
			MaxRoadmapYears, most, c.LengthWeeks, pis)
		return 0, time.Time{}, time.Time{}, vs.err(EINVALID, "invalid roadmap span")
	}
	end = c.PIEnd(first - 1 + pis)
	return first, start, end, nil
}

// maxRoadmapPIs is how many PIs from start fit in MaxRoadmapYears.
func maxRoadmapPIs(c PICadence, start time.Time) int {
	limit := start.AddDate(MaxRoadmapYears, 0, 0)
	return int(limit.Sub(start) / (time.Duration(c.LengthWeeks) * 7 * 24 * time.Hour))
}

// ComputeRoadmap computes the roadmap (see the comment at the top of this
// file for where bars start and end). EINVALID for a span RoadmapSpan
// refuses.
func ComputeRoadmap(in RoadmapInput) (*Roadmap, error) {
	first, start, end, err := RoadmapSpan(in.Cadence, in.Now, in.From, in.PIs)
	if err != nil {
		return nil, err
	}
	current, _, _ := in.Cadence.PIAt(in.Now)
	r := &Roadmap{Start: start, End: end, CurrentPI: current, CommittedUntil: in.Cadence.PIEnd(current + 1)}
	for n := first; ; n++ {
		_, s, e := in.Cadence.PIAt(in.Cadence.PIEnd(n - 1))
		if !s.Before(end) {
			break
		}
		r.PIs = append(r.PIs, RoadmapPI{Number: n, Start: s, End: e, Committed: n == current || n == current+1})
	}
	r.Quarters = quarters(start, end)

	lanes := map[int64]*RoadmapLane{}
	var order []*RoadmapLane
	for _, v := range in.ValueStreams {
		if lanes[v.ID] == nil {
			l := &RoadmapLane{ValueStreamID: v.ID, Name: v.Name}
			lanes[v.ID] = l
			order = append(order, l)
		}
	}
	lane := func(id int64) *RoadmapLane {
		if l := lanes[id]; l != nil {
			return l
		}
		name := NoValueStreamLane
		if id != 0 {
			name = fmt.Sprintf("Value stream %d", id)
		}
		l := &RoadmapLane{ValueStreamID: id, Name: name}
		lanes[id] = l
		order = append(order, l)
		return l
	}
	for _, e := range in.Epics {
		if !slices.Contains(RoadmapStates, e.State) {
			continue
		}
		bar, reason := placeEpic(e, in)
		if reason != "" {
			r.NotForecastable = append(r.NotForecastable, RoadmapMiss{EpicID: e.ID, Key: e.Key, Title: e.Title, State: e.State, Reason: reason})
			continue
		}
		if !bar.End.After(start) || !bar.Start.Before(end) {
			r.OutsideSpan++
			continue
		}
		bar.ClippedStart, bar.ClippedEnd = bar.Start.Before(start), bar.End.After(end)
		s, f := maxTime(bar.Start, start), minTime(bar.End, end)
		committedTo := minTime(f, r.CommittedUntil)
		if bar.FinishBasis == FinishSAFe && isImplementing(e.State) && s.Before(committedTo) {
			bar.Segments = append(bar.Segments, RoadmapSegment{Start: s, End: committedTo, Committed: true})
			s = committedTo
		}
		if s.Before(f) {
			bar.Segments = append(bar.Segments, RoadmapSegment{Start: s, End: f})
		}
		if len(e.ValueStreamIDs) == 0 {
			lane(0).Bars = append(lane(0).Bars, bar)
		}
		for _, id := range e.ValueStreamIDs {
			lane(id).Bars = append(lane(id).Bars, bar)
		}
	}
	// The lane without a value stream goes last.
	slices.SortStableFunc(order, func(a, b *RoadmapLane) int {
		return cmp.Compare(boolInt(a.ValueStreamID == 0), boolInt(b.ValueStreamID == 0))
	})
	for _, l := range order {
		packRows(l)
		r.Lanes = append(r.Lanes, *l)
	}
	slices.SortFunc(r.NotForecastable, func(a, b RoadmapMiss) int { return cmp.Compare(a.EpicID, b.EpicID) })
	return r, nil
}

// placeEpic gives the epic's bar before clipping, or why it has none.
func placeEpic(e *Epic, in RoadmapInput) (RoadmapBar, string) {
	bar := RoadmapBar{EpicID: e.ID, Key: e.Key, Title: e.Title, State: e.State}
	startPI, _ := ForecastStartPI(e, in.Cadence, in.Now)
	nextPI := in.Cadence.PIEnd(startPI - 1)
	if isImplementing(e.State) {
		bar.Start, bar.StartBasis = implementationStart(e), StartImplementation
	} else {
		bar.Start, bar.StartBasis = nextPI, StartNextPI
	}
	shares := in.Shares[e.ID]
	if f, ok, _ := ForecastEpicAt(e, shares, in.Cadence, in.Now); ok && len(shares) > 0 {
		bar.End, bar.FinishBasis = f.Finish, FinishSAFe
	} else if p85, ok := in.MonteCarlo[e.ID]; ok && !p85.IsZero() {
		bar.End, bar.FinishBasis = p85, FinishMonteCarlo
	} else {
		switch {
		case e.State == Analyzing:
			return bar, "in analysis without the ARTs' shares: SAFe's forecast needs them, and the Monte Carlo forecast covers only epics in Ready and in implementation"
		case len(shares) > 0:
			// The shares reach beyond SAFe's horizon.
			_, _, reason := ForecastEpicAt(e, shares, in.Cadence, in.Now)
			return bar, reason
		case ok:
			return bar, "no ART's share is given, and the Monte Carlo forecast's 85th percentile lies beyond its horizon"
		case in.MonteCarloReason != "":
			return bar, "no ART's share is given, and " + in.MonteCarloReason
		}
		return bar, "no ART's share is given, and the Monte Carlo forecast did not reach it"
	}
	if !bar.End.After(bar.Start) {
		if bar.StartBasis == StartNextPI {
			bar.Start, bar.StartBasis = minTime(in.Now, bar.End), StartNow
		}
		if !bar.End.After(bar.Start) {
			// Due already: show it up to now at least.
			bar.End = maxTime(in.Now, bar.Start.Add(24*time.Hour))
		}
	}
	return bar, ""
}

func isImplementing(s State) bool { return s == ImplementingMVP || s == ImplementingPersevere }

// implementationStart is when an epic in implementation started it: its
// first move into implementing_mvp, or, when that is unknown (imported
// straight into persevere, history missing), when it entered its current
// state. A first move later than that cannot be right (the history
// disagrees with the epic), so the state's entry wins then too.
func implementationStart(e *Epic) time.Time {
	if s := e.ImplementationStartedAt; !s.IsZero() && s.Before(e.StateEnteredAt) {
		return s
	}
	return e.StateEnteredAt
}

// packRows orders a lane's bars by start (then end, then epic) and puts
// each on the row that came free first (ties: the lowest row), opening a
// row only when none is free: the fewest rows that hold the bars. A heap
// of the rows by the end of their last bar keeps this n·log(rows), which
// matters at thousands of bars in one lane.
func packRows(l *RoadmapLane) {
	slices.SortFunc(l.Bars, func(a, b RoadmapBar) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		if c := a.End.Compare(b.End); c != 0 {
			return c
		}
		return cmp.Compare(a.EpicID, b.EpicID)
	})
	var rows rowHeap
	for i := range l.Bars {
		b := &l.Bars[i]
		start, end := b.Segments[0].Start.UnixMicro(), b.Segments[len(b.Segments)-1].End.UnixMicro()
		if len(rows) > 0 && rows[0].end <= start {
			b.Row = rows[0].row
			rows[0].end = end
			heap.Fix(&rows, 0)
			continue
		}
		b.Row = len(rows)
		heap.Push(&rows, rowEnd{end: end, row: len(rows)})
	}
	l.Rows = len(rows)
}

// rowEnd is a row of a lane and when its last bar ends (Unix µs).
type rowEnd struct {
	end int64
	row int
}

// rowHeap orders rows by the end of their last bar, then by row.
type rowHeap []rowEnd

func (h rowHeap) Len() int { return len(h) }
func (h rowHeap) Less(i, j int) bool {
	return h[i].end < h[j].end || h[i].end == h[j].end && h[i].row < h[j].row
}
func (h rowHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *rowHeap) Push(x any)   { *h = append(*h, x.(rowEnd)) }
func (h *rowHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// quarters lists the calendar quarters overlapping [start, end), clipped.
func quarters(start, end time.Time) []RoadmapQuarter {
	var qs []RoadmapQuarter
	y, m, _ := start.UTC().Date()
	q := time.Date(y, m-(m-1)%3, 1, 0, 0, 0, 0, time.UTC)
	for q.Before(end) {
		next := q.AddDate(0, 3, 0)
		qs = append(qs, RoadmapQuarter{Year: q.Year(), Quarter: int(q.Month()-1)/3 + 1, Start: maxTime(q, start), End: minTime(next, end)})
		q = next
	}
	return qs
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// RoadmapMonteCarlo is the 85th-percentile finish of the epics in
// implementation and of the Ready backlog from the Monte Carlo forecast:
// the epics in implementation first, oldest start first (they were pulled
// first), then the backlog in WSJF order (ForecastEpics). in carries
// everything but Items; its Percentiles are replaced by the 85th. An epic
// the horizon does not reach gets the zero time.
func RoadmapMonteCarlo(implementing, backlog []*Epic, in MonteCarloInput, asOf time.Time, period time.Duration) (map[int64]time.Time, error) {
	ordered := slices.Clone(implementing)
	slices.SortFunc(ordered, func(a, b *Epic) int {
		if c := implementationStart(a).Compare(implementationStart(b)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	ordered = append(ordered, OrderBacklog(backlog)...)
	in.Items, in.Percentiles = len(ordered), []float64{0.85}
	out := make(map[int64]time.Time, len(ordered))
	if in.Items == 0 {
		return out, nil
	}
	f, err := ForecastBacklog(in)
	if err != nil {
		return nil, err
	}
	for k, e := range ordered {
		if n := f.Periods[0][k]; n > 0 {
			out[e.ID] = asOf.Add(time.Duration(n) * period)
		} else {
			out[e.ID] = time.Time{}
		}
	}
	return out, nil
}
