package lpm

import (
	"math"
	"time"
)

// Objective is what a strategic theme aims at in a period, measured by its
// key results (OKRs).
type Objective struct {
	ID          int64
	ThemeID     int64
	PortfolioID int64
	Title       string
	Description string
	// Owner is the user name of whoever answers for the objective, "" none.
	Owner string
	// PeriodStart and PeriodEnd are dates (UTC midnight); either may be nil.
	PeriodStart *time.Time
	PeriodEnd   *time.Time
	CreatedAt   time.Time
}

// Validate checks an objective before it is stored.
func (o *Objective) Validate() error {
	var vs violations
	vs.checkName("title", o.Title)
	vs.checkText("description", o.Description, MaxTextLen)
	if o.Owner != "" {
		vs.checkName("owner", o.Owner)
	}
	if o.PeriodStart != nil && o.PeriodEnd != nil && o.PeriodEnd.Before(*o.PeriodStart) {
		vs.add("period_end", "order", "period_end must not be before period_start")
	}
	return vs.err(EINVALID, "invalid objective")
}

// KeyResult is a measurable result of an objective: a value moving from a
// baseline to a target in a unit. The target may lie below the baseline
// (fewer incidents, a shorter lead time).
type KeyResult struct {
	ID          int64
	ObjectiveID int64
	PortfolioID int64
	Title       string
	// Unit is what the values count: "%", "days", "EUR", "incidents"…
	Unit     string
	Baseline float64
	Target   float64
	// Weight is the key result's share in its objective's progress,
	// relative to the others (1 each by default).
	Weight    float64
	CreatedAt time.Time
}

// MaxKeyResultWeight bounds the relative weight of a key result.
const MaxKeyResultWeight = 100

// MaxMeasure bounds baselines, targets and measured values (in magnitude),
// so that every difference of two of them is a finite number.
const MaxMeasure = 1e15

// Validate checks a key result before it is stored.
func (k *KeyResult) Validate() error {
	var vs violations
	vs.checkName("title", k.Title)
	vs.checkName("unit", k.Unit)
	for _, f := range []struct {
		name string
		v    float64
	}{{"baseline", k.Baseline}, {"target", k.Target}} {
		if !(math.Abs(f.v) <= MaxMeasure) {
			vs.add(f.name, "number", "%s must be a number from -10^15 to 10^15", f.name)
		}
	}
	if k.Target == k.Baseline {
		vs.add("target", "differs", "target must differ from baseline: progress is measured from one to the other")
	}
	if !(k.Weight > 0 && k.Weight <= MaxKeyResultWeight) {
		vs.add("weight", "range", "weight must be more than 0 and at most %d", MaxKeyResultWeight)
	}
	return vs.err(EINVALID, "invalid key result")
}

// Progress is how far value has come from the baseline to the target, from
// 0 to 1: (value − baseline) / (target − baseline), clamped. The sign of
// target − baseline makes it work for targets below the baseline too.
func (k *KeyResult) Progress(value float64) float64 {
	return min(max((value-k.Baseline)/(k.Target-k.Baseline), 0), 1)
}

// CheckInStatus is how the person checking in judges a key result.
type CheckInStatus string

// Check-in statuses.
const (
	OnTrack  CheckInStatus = "on_track"
	AtRisk   CheckInStatus = "at_risk"
	OffTrack CheckInStatus = "off_track"
)

// CheckInStatuses lists the statuses in the order documents show them.
var CheckInStatuses = []CheckInStatus{OnTrack, AtRisk, OffTrack}

// CheckIn is a measured value of a key result, with the confidence (0 to
// 10) and status of whoever recorded it.
type CheckIn struct {
	ID          int64
	KeyResultID int64
	// At is when the value was measured; RecordedAt when it was entered.
	At         time.Time
	Value      float64
	Confidence int
	Status     CheckInStatus
	Note       string
	// By is the user name of whoever recorded it.
	By         string
	RecordedAt time.Time
}

// MaxConfidence is the top of the confidence scale of a check-in.
const MaxConfidence = 10

// Validate checks a check-in before it is stored.
func (c *CheckIn) Validate() error {
	var vs violations
	if c.At.IsZero() {
		vs.add("at", "required", "at (when the value was measured) is required")
	}
	if !(math.Abs(c.Value) <= MaxMeasure) {
		vs.add("value", "number", "value must be a number from -10^15 to 10^15")
	}
	if c.Confidence < 0 || c.Confidence > MaxConfidence {
		vs.add("confidence", "range", "confidence must be from 0 to %d", MaxConfidence)
	}
	switch c.Status {
	case OnTrack, AtRisk, OffTrack:
	default:
		vs.add("status", "enum", "status must be on_track, at_risk or off_track")
	}
	vs.checkText("note", c.Note, MaxReasonLen)
	return vs.err(EINVALID, "invalid check-in")
}

// MaxCheckInAhead is how far after now a measurement may be dated: a day,
// for time zones. A check-in dated years ahead would stay the latest for
// good.
const MaxCheckInAhead = 24 * time.Hour

// earliestCheckIn is the earliest date a measurement may carry.
var earliestCheckIn = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// ValidateAt checks when the value was measured against now.
func (c *CheckIn) ValidateAt(now time.Time) error {
	switch {
	case c.At.After(now.Add(MaxCheckInAhead)):
		return Errorf(EINVALID, "at (%s) lies in the future; a check-in records a value already measured", c.At.Format(time.RFC3339))
	case c.At.Before(earliestCheckIn):
		return Errorf(EINVALID, "at (%s) is before 1970; give the time the value was measured", c.At.Format(time.RFC3339))
	}
	return nil
}

// Latest reports whether c is a later measurement than other: by the time
// measured, then by the order recorded.
func (c *CheckIn) Latest(other *CheckIn) bool {
	if other == nil {
		return true
	}
	if !c.At.Equal(other.At) {
		return c.At.After(other.At)
	}
	return c.ID > other.ID
}

// Band is the colour band of a progress score, after Measure What Matters:
// red below 0.4, yellow below 0.7, green from 0.7.
type Band string

// Progress bands.
const (
	Red    Band = "red"
	Yellow Band = "yellow"
	Green  Band = "green"
)

// BandOf returns the band of a progress score.
func BandOf(progress float64) Band {
	switch {
	case progress < 0.4:
		return Red
	case progress < 0.7:
		return Yellow
	default:
		return Green
	}
}

// KeyResultProgress is a key result with its latest check-in (nil before
// the first) and the progress that check-in shows (0 before the first).
type KeyResultProgress struct {
	KeyResult *KeyResult
	Latest    *CheckIn
	Progress  float64
}

// ObjectiveProgress is an objective with its key results' progress and its
// own: their mean weighted by Weight; nil while it has no key results.
type ObjectiveProgress struct {
	Objective  *Objective
	KeyResults []KeyResultProgress
	Progress   *float64
}

// ThemeProgress is a theme's objectives and its progress: the mean of the
// objectives that have one; nil while none has.
type ThemeProgress struct {
	Theme      *StrategicTheme
	Objectives []ObjectiveProgress
	Progress   *float64
}

// ComputeOKRs computes the progress of a theme from its objectives, their key
// results and the key results' check-ins (in any order; only the latest of
// each key result counts).
func ComputeOKRs(theme *StrategicTheme, objectives []*Objective, keyResults []*KeyResult, checkIns []*CheckIn) ThemeProgress {
	latest := map[int64]*CheckIn{}
	for _, c := range checkIns {
		if c.Latest(latest[c.KeyResultID]) {
			latest[c.KeyResultID] = c
		}
	}
	byObjective := map[int64][]*KeyResult{}
	for _, k := range keyResults {
		byObjective[k.ObjectiveID] = append(byObjective[k.ObjectiveID], k)
	}
	tp := ThemeProgress{Theme: theme, Objectives: make([]ObjectiveProgress, 0, len(objectives))}
	var themeSum float64
	measured := 0
	for _, o := range objectives {
		op := ObjectiveProgress{Objective: o, KeyResults: make([]KeyResultProgress, 0, len(byObjective[o.ID]))}
		var sum, weights float64
		for _, k := range byObjective[o.ID] {
			kp := KeyResultProgress{KeyResult: k, Latest: latest[k.ID]}
			if kp.Latest != nil {
				kp.Progress = k.Progress(kp.Latest.Value)
			}
			op.KeyResults = append(op.KeyResults, kp)
			sum += k.Weight * kp.Progress
			weights += k.Weight
		}
		if weights > 0 {
			p := sum / weights
			op.Progress = &p
			themeSum += p
			measured++
		}
		tp.Objectives = append(tp.Objectives, op)
	}
	if measured > 0 {
		p := themeSum / float64(measured)
		tp.Progress = &p
	}
	return tp
}

// ObjectiveUpdate changes an objective; nil fields stay as they are.
type ObjectiveUpdate struct {
	Title       *string
	Description *string
	Owner       *string
	PeriodStart *time.Time
	PeriodEnd   *time.Time
	// ClearPeriodStart and ClearPeriodEnd remove a date (and win over a
	// date given in the same update).
	ClearPeriodStart bool
	ClearPeriodEnd   bool
}

// Apply returns o with the update applied, validated.
func (u ObjectiveUpdate) Apply(o Objective) (*Objective, error) {
	if u.Title != nil {
		o.Title = *u.Title
	}
	if u.Description != nil {
		o.Description = *u.Description
	}
	if u.Owner != nil {
		o.Owner = *u.Owner
	}
	if u.PeriodStart != nil {
		o.PeriodStart = u.PeriodStart
	}
	if u.ClearPeriodStart {
		o.PeriodStart = nil
	}
	if u.PeriodEnd != nil {
		o.PeriodEnd = u.PeriodEnd
	}
	if u.ClearPeriodEnd {
		o.PeriodEnd = nil
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return &o, nil
}

// KeyResultUpdate changes a key result; nil fields stay as they are.
// Changing the baseline or target changes the progress every check-in
// shows, which the audit trail keeps.
type KeyResultUpdate struct {
	Title    *string
	Unit     *string
	Baseline *float64
	Target   *float64
	Weight   *float64
}

// Apply returns k with the update applied, validated.
func (u KeyResultUpdate) Apply(k KeyResult) (*KeyResult, error) {
	if u.Title != nil {
		k.Title = *u.Title
	}
	if u.Unit != nil {
		k.Unit = *u.Unit
	}
	if u.Baseline != nil {
		k.Baseline = *u.Baseline
	}
	if u.Target != nil {
		k.Target = *u.Target
	}
	if u.Weight != nil {
		k.Weight = *u.Weight
	}
	if err := k.Validate(); err != nil {
		return nil, err
	}
	return &k, nil
}
