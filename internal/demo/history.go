package demo

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// flow is the forward path through the portfolio Kanban: every state but done.
var flow = lpm.States[:slices.Index(lpm.States, lpm.Done)]

// exitState is the state an epic leaves for done with each done reason:
// lpm.DoneReasonsFrom read backwards.
var exitState = func() map[lpm.DoneReason]lpm.State {
	m := map[lpm.DoneReason]lpm.State{}
	for _, s := range flow {
		for _, r := range lpm.DoneReasonsFrom(s) {
			m[r] = s
		}
	}
	return m
}()

// kanbanPath returns the states an epic went through, in order, from the
// funnel to its current state. Some epics take a realistic detour: back from
// analyzing to reviewing when the hypothesis needed rework, or from the MVP
// back to ready when its ART was pulled onto a deadline for a while.
func kanbanPath(state lpm.State, done lpm.DoneReason, rng *rand.Rand) []lpm.State {
	last := state
	if state == lpm.Done {
		last = exitState[done]
	}
	path := slices.Clone(flow[:slices.Index(flow, last)+1])
	if state == lpm.Done {
		path = append(path, lpm.Done)
	}
	if i := slices.Index(path, lpm.Analyzing); i >= 0 && rng.IntN(5) == 0 {
		path = slices.Insert(path, i+1, lpm.Reviewing, lpm.Analyzing)
	}
	if i := slices.Index(path, lpm.ImplementingMVP); i >= 0 && i < len(path)-1 && rng.IntN(6) == 0 {
		path = slices.Insert(path, i+1, lpm.Ready, lpm.ImplementingMVP)
	}
	return path
}

// dwell is how long, in days, an epic stays in a state before it moves on;
// sofar is how long it has been in its current state (for done: since it
// left the Kanban).
var (
	dwell = map[lpm.State][2]int{
		lpm.Funnel: {7, 45}, lpm.Reviewing: {10, 35}, lpm.Analyzing: {20, 60}, lpm.Ready: {7, 50},
		lpm.ImplementingMVP: {40, 100}, lpm.ImplementingPersevere: {40, 120},
	}
	sofar = map[lpm.State][2]int{
		lpm.Funnel: {2, 90}, lpm.Reviewing: {3, 30}, lpm.Analyzing: {5, 40}, lpm.Ready: {3, 45},
		lpm.ImplementingMVP: {10, 70}, lpm.ImplementingPersevere: {10, 90}, lpm.Done: {2, 150},
	}
)

// maxAge bounds how long ago the oldest demo epic was proposed: the demo
// shows one year of history.
const maxAge = 350 * 24 * time.Hour

// timeline returns when the epic entered each state of path: strictly
// increasing, on working days during office hours, the first no more than
// maxAge before now and the last at least a day before it.
func timeline(path []lpm.State, now time.Time, rng *rand.Rand) []time.Time {
	days := func(r [2]int) time.Duration { return time.Duration(r[0]+rng.IntN(r[1]-r[0]+1)) * 24 * time.Hour }
	last := len(path) - 1
	spans := make([]time.Duration, len(path))
	var total time.Duration
	for i, s := range path[:last] {
		spans[i] = days(dwell[s])
		total += spans[i]
	}
	spans[last] = min(days(sofar[path[last]]), maxAge/3)
	// Squeeze the completed stays, not the current one, so that long paths
	// still fit in the year shown.
	if room := maxAge - spans[last]; total > room {
		for i := range spans[:last] {
			spans[i] = time.Duration(float64(spans[i]) * float64(room) / float64(total))
		}
	}
	at := make([]time.Time, len(path))
	t := now
	for i := last; i >= 0; i-- {
		t = t.Add(-spans[i])
		at[i] = officeHours(t, rng)
	}
	for i := 1; i < len(at); i++ {
		if !at[i].After(at[i-1]) { // two stays squeezed into one weekend
			at[i] = at[i-1].Add(time.Hour)
		}
	}
	return at
}

// officeHours moves t to a time between 08:00 and 17:00 on its day, or on the
// Friday before when it falls on a weekend: Kanban moves happen at work.
func officeHours(t time.Time, rng *rand.Rand) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 8, 0, 0, 0, time.UTC)
	switch d.Weekday() {
	case time.Saturday:
		d = d.AddDate(0, 0, -1)
	case time.Sunday:
		d = d.AddDate(0, 0, -2)
	}
	return d.Add(time.Duration(rng.IntN(9*60)) * time.Minute)
}

// between returns the moment a fraction f of the way from a to b, to the
// second: when a decision is taken during a stay.
func between(a, b time.Time, f float64) time.Time {
	return a.Add(time.Duration(float64(b.Sub(a)) * f)).Truncate(time.Second)
}
