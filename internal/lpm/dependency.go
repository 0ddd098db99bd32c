package lpm

import (
	"fmt"
	"time"
)

// DependencyRisk is how much a dependency threatens the dependent side.
type DependencyRisk string

// Dependency risks.
const (
	RiskLow    DependencyRisk = "low"
	RiskMedium DependencyRisk = "medium"
	RiskHigh   DependencyRisk = "high"
)

// DependencyRisks lists the risks in the order documents show them.
var DependencyRisks = []DependencyRisk{RiskLow, RiskMedium, RiskHigh}

// Dependency says that one epic needs another, or one value stream
// another: From depends on To. Exactly one pair is set.
type Dependency struct {
	ID          int64
	PortfolioID int64
	FromEpicID  int64
	ToEpicID    int64
	// FromValueStreamID and ToValueStreamID are set instead of the epics
	// for a dependency between value streams.
	FromValueStreamID int64
	ToValueStreamID   int64
	Description       string
	Risk              DependencyRisk
	// DuePI is the PI by which To must deliver; 0 for none.
	DuePI     int
	CreatedBy string
	CreatedAt time.Time
}

// BetweenEpics reports whether the dependency is between epics.
func (d *Dependency) BetweenEpics() bool { return d.FromEpicID != 0 || d.ToEpicID != 0 }

// MaxDuePI bounds a due PI.
const MaxDuePI = 10000

// Validate checks a dependency before it is stored.
func (d *Dependency) Validate() error {
	var vs violations
	epics := d.FromEpicID != 0 || d.ToEpicID != 0
	streams := d.FromValueStreamID != 0 || d.ToValueStreamID != 0
	switch {
	case epics && streams:
		vs.add("from_epic_id", "one_kind", "a dependency is between two epics or between two value streams, not both")
	case epics && (d.FromEpicID <= 0 || d.ToEpicID <= 0):
		vs.add("to_epic_id", "required", "a dependency between epics names both: from_epic_id depends on to_epic_id")
	case streams && (d.FromValueStreamID <= 0 || d.ToValueStreamID <= 0):
		vs.add("to_value_stream_id", "required", "a dependency between value streams names both: from_value_stream_id depends on to_value_stream_id")
	case !epics && !streams:
		vs.add("from_epic_id", "required", "name the two epics (from_epic_id, to_epic_id) or the two value streams (from_value_stream_id, to_value_stream_id)")
	case epics && d.FromEpicID == d.ToEpicID:
		vs.add("to_epic_id", "self", "an epic cannot depend on itself")
	case streams && d.FromValueStreamID == d.ToValueStreamID:
		vs.add("to_value_stream_id", "self", "a value stream cannot depend on itself")
	}
	vs.checkText("description", d.Description, MaxTextLen)
	switch d.Risk {
	case RiskLow, RiskMedium, RiskHigh:
	default:
		vs.add("risk", "enum", "risk must be low, medium or high")
	}
	if d.DuePI < 0 || d.DuePI > MaxDuePI {
		vs.add("due_pi", "range", "due_pi must be a PI number from 1 to %d, or 0 for none", MaxDuePI)
	}
	return vs.err(EINVALID, "invalid dependency")
}

// Lateness flags a dependency between epics whose forecast does not hold:
// the epic depended on is forecast to finish after the dependent one, or
// after the dependency's due PI. toFinish and fromFinish are the epics'
// forecast finish PIs, 0 where there is no forecast (nothing is flagged
// for what is unknown).
func (d *Dependency) Lateness(toFinish, fromFinish int) (late bool, reason string) {
	switch {
	case toFinish == 0:
		return false, ""
	case fromFinish != 0 && toFinish > fromFinish:
		return true, fmt.Sprintf("the epic depended on is forecast to finish in PI %d, after the dependent epic (PI %d)", toFinish, fromFinish)
	case d.DuePI != 0 && toFinish > d.DuePI:
		return true, fmt.Sprintf("the epic depended on is forecast to finish in PI %d, after the due PI %d", toFinish, d.DuePI)
	}
	return false, ""
}

// AuditFields returns the audited fields of the dependency.
func (d *Dependency) AuditFields() Fields {
	return Fields{"from_epic_id": d.FromEpicID, "to_epic_id": d.ToEpicID, "from_value_stream_id": d.FromValueStreamID,
		"to_value_stream_id": d.ToValueStreamID, "description": d.Description, "risk": string(d.Risk), "due_pi": d.DuePI}
}
