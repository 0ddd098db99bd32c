package lpm

import (
	"fmt"
	"slices"
)

// State is a column of the portfolio Kanban.
type State string

// The SAFe 6 portfolio Kanban states, in flow order.
const (
	Funnel                State = "funnel"
	Reviewing             State = "reviewing"
	Analyzing             State = "analyzing"
	Ready                 State = "ready"
	ImplementingMVP       State = "implementing_mvp"
	ImplementingPersevere State = "implementing_persevere"
	Done                  State = "done"
)

// States lists the Kanban states in board order.
var States = []State{Funnel, Reviewing, Analyzing, Ready, ImplementingMVP, ImplementingPersevere, Done}

// Valid reports whether s is a Kanban state.
func (s State) Valid() bool { return slices.Contains(States, s) }

// HasWIPLimit reports whether the state can carry a WIP limit: funnel and done
// never do.
func (s State) HasWIPLimit() bool { return s != Funnel && s != Done && s.Valid() }

// DoneReason says why an epic left portfolio governance.
type DoneReason string

// Done reasons.
const (
	Completed       DoneReason = "completed"
	StoppedAfterMVP DoneReason = "stopped_after_mvp"
	Pivoted         DoneReason = "pivoted"
	NoGo            DoneReason = "no_go"
	NotPursued      DoneReason = "not_pursued"
	Declined        DoneReason = "declined"
	Cancelled       DoneReason = "cancelled"
	Rerouted        DoneReason = "rerouted"
)

// Enforcement says what a full WIP limit does to a move into its column.
type Enforcement string

// WIP enforcement modes.
const (
	Block Enforcement = "block" // refuse, unless an admin overrides with a reason
	Warn  Enforcement = "warn"  // allow, and flag the move in the history
)

// Column is the configuration of one Kanban state in a portfolio.
type Column struct {
	State State
	// WIPLimit is nil when the column has no limit.
	WIPLimit    *int
	Enforcement Enforcement
	// AllowBackward enables the backward move out of this state (for example
	// analyzing → reviewing), where one exists.
	AllowBackward bool
}

// HasRoom reports whether one more epic fits under the column's WIP limit when
// count epics are in it now.
func (c Column) HasRoom(count int) bool {
	return c.WIPLimit == nil || count < *c.WIPLimit
}

// Max WIP limit accepted; a column bigger than this is no limit at all.
const MaxWIPLimit = 10000

// DefaultColumns returns the Kanban configuration a new portfolio starts with.
func DefaultColumns() []Column {
	limit := func(n int) *int { return &n }
	return []Column{
		{State: Funnel, Enforcement: Block},
		{State: Reviewing, WIPLimit: limit(8), Enforcement: Block, AllowBackward: true},
		{State: Analyzing, WIPLimit: limit(5), Enforcement: Block, AllowBackward: true},
		{State: Ready, WIPLimit: limit(15), Enforcement: Block},
		{State: ImplementingMVP, WIPLimit: limit(6), Enforcement: Block, AllowBackward: true},
		{State: ImplementingPersevere, WIPLimit: limit(8), Enforcement: Block, AllowBackward: true},
		{State: Done, Enforcement: Block},
	}
}

// ColumnUpdate changes a column's configuration; nil fields stay as they are.
// ClearWIPLimit removes the limit.
type ColumnUpdate struct {
	WIPLimit      *int
	ClearWIPLimit bool
	Enforcement   *Enforcement
	AllowBackward *bool
}

// ColumnChange is an update of one column, for changing several at once.
type ColumnChange struct {
	State  State
	Update ColumnUpdate
}

// Apply copies the update onto c and validates the result. When the update is
// invalid, c is left as it was.
func (u ColumnUpdate) Apply(orig *Column) error {
	c := new(Column)
	*c = *orig
	var vs violations
	if u.WIPLimit != nil && u.ClearWIPLimit {
		vs.add("wip_limit", "conflict", "set wip_limit or clear it, not both")
	}
	if u.WIPLimit != nil {
		if !c.State.HasWIPLimit() {
			vs.add("wip_limit", "no_limit_state", "%s cannot have a WIP limit", c.State)
		} else if *u.WIPLimit < 0 || *u.WIPLimit > MaxWIPLimit {
			vs.add("wip_limit", "range", "wip_limit must be between 0 and %d", MaxWIPLimit)
		} else {
			n := *u.WIPLimit
			c.WIPLimit = &n
		}
	}
	if u.ClearWIPLimit {
		c.WIPLimit = nil
	}
	if u.Enforcement != nil {
		switch *u.Enforcement {
		case Block, Warn:
			c.Enforcement = *u.Enforcement
		default:
			vs.add("enforcement", "enum", "enforcement must be block or warn")
		}
	}
	if u.AllowBackward != nil {
		if _, ok := backwardMoves[c.State]; !ok {
			vs.add("allow_backward", "no_backward_move", "%s has no backward move to allow or forbid", c.State)
		} else {
			c.AllowBackward = *u.AllowBackward
		}
	}
	if err := vs.err(EINVALID, fmt.Sprintf("invalid configuration for column %s", c.State)); err != nil {
		return err
	}
	*orig = *c
	return nil
}

// Board is the portfolio Kanban as people look at it.
type Board struct {
	PortfolioID int64
	Columns     []BoardColumn
}

// BoardColumn is one column on the board with its first cards.
type BoardColumn struct {
	Column
	// Count is every epic in the column; Matching those the filter lets
	// through (Count when there is no filter). Cards are the first of them.
	Count    int
	Matching int
	Cards    []EpicSummary
}

// AtLimit reports whether the column is at or over its WIP limit.
func (c BoardColumn) AtLimit() bool { return c.WIPLimit != nil && c.Count >= *c.WIPLimit }

// BoardFilter narrows the cards a board shows; zero fields do not filter.
// Column counts (and so WIP) always cover every epic of the column.
type BoardFilter struct {
	Type          EpicType
	ThemeID       int64
	ValueStreamID int64
	// Owner is the epic owner's user name.
	Owner string
}

// IsZero reports whether the filter lets every card through.
func (f BoardFilter) IsZero() bool { return f == BoardFilter{} }

// Validate checks a filter before it reaches a store.
func (f BoardFilter) Validate() error {
	var vs violations
	if f.Type != "" && !f.Type.Valid() {
		vs.add("type", "enum", "type must be business or enabler, got %q", f.Type)
	}
	if f.ThemeID < 0 {
		vs.add("theme", "range", "theme must be a theme's ID")
	}
	if f.ValueStreamID < 0 {
		vs.add("value_stream", "range", "value_stream must be a value stream's ID")
	}
	if len(f.Owner) > MaxNameLen {
		vs.add("owner", "length", "owner must be a user name of at most %d bytes", MaxNameLen)
	}
	return vs.err(EINVALID, "invalid board filter")
}

// stateTitles name the columns for people.
var stateTitles = map[State]string{
	Funnel: "Funnel", Reviewing: "Reviewing", Analyzing: "Analyzing", Ready: "Ready",
	ImplementingMVP: "Implementing: MVP", ImplementingPersevere: "Implementing: persevere", Done: "Done",
}

// Title is the column's name as people read it.
func (s State) Title() string {
	if t, ok := stateTitles[s]; ok {
		return t
	}
	return string(s)
}

// doneReasonTitles say why an epic is done, for people.
var doneReasonTitles = map[DoneReason]string{
	Completed: "completed", StoppedAfterMVP: "stopped after the MVP", Pivoted: "pivoted", NoGo: "no-go",
	NotPursued: "not pursued", Declined: "declined", Cancelled: "cancelled", Rerouted: "rerouted",
}

// Title is the done reason as people read it.
func (r DoneReason) Title() string {
	if t, ok := doneReasonTitles[r]; ok {
		return t
	}
	return string(r)
}

// IsBackward reports whether the move from → to goes back against the flow.
func IsBackward(from, to State) bool {
	back, ok := backwardMoves[from]
	return ok && back == to
}

// MoveNeedsReason reports whether a move from → to must say why: moves to
// done and moves back.
func MoveNeedsReason(from, to State) bool { return to == Done || IsBackward(from, to) }
