package lpm

import (
	"fmt"
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
