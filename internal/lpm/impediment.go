package lpm

import "time"

// ImpedimentStatus is where an impediment is in its life.
type ImpedimentStatus string

// Impediment statuses.
const (
	ImpedimentOpen       ImpedimentStatus = "open"
	ImpedimentInProgress ImpedimentStatus = "in_progress"
	ImpedimentResolved   ImpedimentStatus = "resolved"
)

// ImpedimentStatuses lists the statuses in the order documents show them.
var ImpedimentStatuses = []ImpedimentStatus{ImpedimentOpen, ImpedimentInProgress, ImpedimentResolved}

// Impediment is something that stops the portfolio's work and that someone
// owns the removal of, as the portfolio sync tracks it. It may name the
// epic or value stream it holds up.
type Impediment struct {
	ID          int64
	PortfolioID int64
	Title       string
	Description string
	// Owner is the user name of whoever removes it, "" while nobody does.
	Owner  string
	Status ImpedimentStatus
	// EpicID and ValueStreamID name what it holds up; 0 for none.
	EpicID        int64
	ValueStreamID int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// ResolvedAt is when it was last resolved; zero while it is not.
	ResolvedAt time.Time
}

// Validate checks an impediment before it is stored.
func (m *Impediment) Validate() error {
	var vs violations
	vs.checkName("title", m.Title)
	vs.checkText("description", m.Description, MaxTextLen)
	if m.Owner != "" {
		vs.checkName("owner", m.Owner)
	}
	switch m.Status {
	case ImpedimentOpen, ImpedimentInProgress, ImpedimentResolved:
	default:
		vs.add("status", "enum", "status must be open, in_progress or resolved")
	}
	if m.EpicID < 0 {
		vs.add("epic_id", "range", "epic_id must be an epic's id")
	}
	if m.ValueStreamID < 0 {
		vs.add("value_stream_id", "range", "value_stream_id must be a value stream's id")
	}
	return vs.err(EINVALID, "invalid impediment")
}

// NewImpediment returns m as raised at now: open unless a status is given,
// stamped resolved if raised as resolved, validated.
func NewImpediment(m Impediment, now time.Time) (*Impediment, error) {
	if m.Status == "" {
		m.Status = ImpedimentOpen
	}
	m.CreatedAt, m.UpdatedAt, m.ResolvedAt = now, now, time.Time{}
	if m.Status == ImpedimentResolved {
		m.ResolvedAt = now
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// ImpedimentUpdate changes an impediment; nil fields stay as they are, and
// 0 for EpicID or ValueStreamID removes the link.
type ImpedimentUpdate struct {
	Title, Description, Owner *string
	Status                    *ImpedimentStatus
	EpicID, ValueStreamID     *int64
}

// Apply returns m with the update applied at now, validated: resolving it
// stamps ResolvedAt, reopening it clears it.
func (u ImpedimentUpdate) Apply(m Impediment, now time.Time) (*Impediment, error) {
	was := m.Status
	if u.Title != nil {
		m.Title = *u.Title
	}
	if u.Description != nil {
		m.Description = *u.Description
	}
	if u.Owner != nil {
		m.Owner = *u.Owner
	}
	if u.Status != nil {
		m.Status = *u.Status
	}
	if u.EpicID != nil {
		m.EpicID = *u.EpicID
	}
	if u.ValueStreamID != nil {
		m.ValueStreamID = *u.ValueStreamID
	}
	switch {
	case m.Status == ImpedimentResolved && was != ImpedimentResolved:
		m.ResolvedAt = now
	case m.Status != ImpedimentResolved:
		m.ResolvedAt = time.Time{}
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	m.UpdatedAt = now
	return &m, nil
}

// AuditFields returns the audited fields of the impediment.
func (m *Impediment) AuditFields() Fields {
	return Fields{"title": m.Title, "description": m.Description, "owner": m.Owner, "status": string(m.Status),
		"epic_id": m.EpicID, "value_stream_id": m.ValueStreamID}
}
