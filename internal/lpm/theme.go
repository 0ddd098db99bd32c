package lpm

import (
	"fmt"
	"slices"
	"time"
)

// ThemeStatus is where a strategic theme is in its life.
type ThemeStatus string

// Strategic theme statuses.
const (
	ThemeDraft   ThemeStatus = "draft"
	ThemeActive  ThemeStatus = "active"
	ThemeRetired ThemeStatus = "retired"
)

// StrategicTheme is a differentiating business objective linking enterprise
// strategy to the portfolio. OKRs hang off it in a later release.
type StrategicTheme struct {
	ID          int64
	PortfolioID int64
	Name        string
	Description string
	Status      ThemeStatus
	ValidFrom   *time.Time
	ValidTo     *time.Time
	CreatedAt   time.Time
}

// Validate checks a theme before it is stored.
func (t *StrategicTheme) Validate() error {
	var vs violations
	vs.checkName("name", t.Name)
	vs.checkText("description", t.Description, MaxTextLen)
	switch t.Status {
	case ThemeDraft, ThemeActive, ThemeRetired:
	default:
		vs.add("status", "enum", "status must be draft, active or retired")
	}
	if t.ValidFrom != nil && t.ValidTo != nil && t.ValidTo.Before(*t.ValidFrom) {
		vs.add("valid_to", "order", "valid_to must not be before valid_from")
	}
	return vs.err(EINVALID, "invalid strategic theme")
}

func indexed(list string, i int, field string) string {
	return fmt.Sprintf("%s[%d].%s", list, i, field)
}

// CommittedCost is the estimated cost of what the portfolio has put into an
// epic so far: nothing before implementation; the MVP's cost while the MVP
// is built and when the epic stopped or pivoted after it; the full cost once
// it persevered. Estimates stand in for spend until budgets record actuals.
func (e *Epic) CommittedCost() int64 {
	switch {
	case e.State == ImplementingMVP, e.DoneReason == StoppedAfterMVP, e.DoneReason == Pivoted:
		return e.Costs.MVP()
	case e.State == ImplementingPersevere, e.DoneReason == Completed:
		return e.Costs.Full()
	}
	return 0
}

// ThemeSpend is how much of a portfolio's committed cost goes to each of its
// strategic themes: an epic's committed cost is split evenly among the
// themes it is linked to (the first themes by ID taking a remaining minor
// unit each), so that the themes' shares never add up to more than the
// whole; epics without a theme count only in the total.
type ThemeSpend struct {
	ByTheme map[int64]int64
	Total   int64
}

// SpendByTheme adds up the committed cost of the epics by theme.
func SpendByTheme(epics []*Epic) ThemeSpend {
	s := ThemeSpend{ByTheme: map[int64]int64{}}
	for _, e := range epics {
		cost := e.CommittedCost()
		s.Total += cost
		if cost == 0 || len(e.ThemeIDs) == 0 {
			continue
		}
		themes := slices.Sorted(slices.Values(e.ThemeIDs))
		n := int64(len(themes))
		for i, t := range themes {
			part := cost / n
			if int64(i) < cost%n {
				part++
			}
			s.ByTheme[t] += part
		}
	}
	return s
}

// Share is the theme's part of the total, from 0 to 1 (0 when nothing is
// committed).
func (s ThemeSpend) Share(themeID int64) float64 {
	if s.Total == 0 {
		return 0
	}
	return float64(s.ByTheme[themeID]) / float64(s.Total)
}
