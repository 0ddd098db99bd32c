package lpm

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// WSJFScale is the modified Fibonacci scale every WSJF component is scored on.
var WSJFScale = []int{1, 2, 3, 5, 8, 13, 20}

// OnWSJFScale reports whether v is a value of the WSJF scale.
func OnWSJFScale(v int) bool { return slices.Contains(WSJFScale, v) }

// WSJFComponents are the relative scores behind an epic's WSJF. Zero means
// "not scored yet".
type WSJFComponents struct {
	UserBusinessValue int
	TimeCriticality   int
	// RiskReduction is risk reduction and/or opportunity enablement.
	RiskReduction int
	JobSize       int
}

// Scored reports whether all four components carry a value.
func (c WSJFComponents) Scored() bool {
	return c.UserBusinessValue != 0 && c.TimeCriticality != 0 && c.RiskReduction != 0 && c.JobSize != 0
}

// CostOfDelay is user-business value + time criticality + risk reduction /
// opportunity enablement.
func (c WSJFComponents) CostOfDelay() int {
	return c.UserBusinessValue + c.TimeCriticality + c.RiskReduction
}

// WSJF returns cost of delay divided by job size, rounded to two decimals so
// that what people see and what the backlog is ordered by are the same number.
// ok is false until every component is scored.
func (c WSJFComponents) WSJF() (wsjf float64, ok bool) {
	if !c.Scored() {
		return 0, false
	}
	return math.Round(float64(c.CostOfDelay())/float64(c.JobSize)*100) / 100, true
}

func (vs *violations) checkWSJF(c WSJFComponents) { vs.checkScores("wsjf_components.", c, false) }

// checkScores checks each component of c, named with prefix: on the scale,
// or 0 for not scored unless every component is required.
func (vs *violations) checkScores(prefix string, c WSJFComponents, required bool) {
	for _, f := range []struct {
		name string
		v    int
	}{
		{prefix + "user_business_value", c.UserBusinessValue},
		{prefix + "time_criticality", c.TimeCriticality},
		{prefix + "risk_reduction_opportunity_enablement", c.RiskReduction},
		{prefix + "job_size", c.JobSize},
	} {
		switch {
		case f.v == 0 && required:
			vs.add(f.name, "required", "%s must be scored: one of 1, 2, 3, 5, 8, 13, 20", f.name)
		case f.v != 0 && !OnWSJFScale(f.v) && required:
			vs.add(f.name, "wsjf_scale", "%s must be one of 1, 2, 3, 5, 8, 13, 20, got %d", f.name, f.v)
		case f.v != 0 && !OnWSJFScale(f.v):
			vs.add(f.name, "wsjf_scale", "%s must be one of 1, 2, 3, 5, 8, 13, 20 (or 0 for not scored), got %d", f.name, f.v)
		}
	}
}

// BacklogItem is what backlog ordering needs to know of an epic.
type BacklogItem struct {
	ID        int64
	WSJF      float64
	Scored    bool
	CreatedAt time.Time
}

// CompareBacklog orders the portfolio backlog: highest WSJF first, unscored
// epics last, ties by age (older first), then by id so the order is total.
func CompareBacklog(a, b BacklogItem) int {
	if a.Scored != b.Scored {
		if a.Scored {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(b.WSJF, a.WSJF); c != 0 {
		return c
	}
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// SortBacklog sorts items in backlog order.
func SortBacklog(items []BacklogItem) { slices.SortFunc(items, CompareBacklog) }

// CompareDone orders the done column: the most recently finished epic
// first, then by id, newest first. Finished epics are no longer sequenced, so
// WSJF says nothing about them; recency is what people look for there.
func CompareDone(a, b EpicSummary) int {
	if c := b.StateEnteredAt.Compare(a.StateEnteredAt); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}
