package lpm

import (
	"context"
	"time"
)

// Store is the persistence lpm needs. One implementation on database/sql
// serves SQLite and PostgreSQL. Every method is atomic: it either completes or
// changes nothing.
type Store interface {
	PortfolioStore
	ValueStreamStore
	ThemeStore
	EpicStore
	KanbanStore
	UserStore
	// IsEmpty reports whether the store holds no portfolios and no users.
	IsEmpty(ctx context.Context) (bool, error)
	Close() error
}

// Page asks for one page of a list: at most Limit items after Cursor.
type Page struct {
	Limit  int
	Cursor string // opaque; "" for the first page
}

// Page size bounds for every list.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// PortfolioStore keeps portfolios.
type PortfolioStore interface {
	// CreatePortfolio stores p (with the default Kanban columns) and sets its ID.
	CreatePortfolio(ctx context.Context, p *Portfolio) error
	FindPortfolioByID(ctx context.Context, id int64) (*Portfolio, error)
	// FindPortfolios lists portfolios by ID; next is the cursor of the next page, "" at the end.
	FindPortfolios(ctx context.Context, page Page) (list []*Portfolio, next string, err error)
	UpdatePortfolio(ctx context.Context, id int64, upd PortfolioUpdate) (*Portfolio, error)
}

// ValueStreamStore keeps value streams.
type ValueStreamStore interface {
	CreateValueStream(ctx context.Context, v *ValueStream) error
	FindValueStreamByID(ctx context.Context, id int64) (*ValueStream, error)
	FindValueStreams(ctx context.Context, portfolioID int64, page Page) ([]*ValueStream, string, error)
}

// ThemeStore keeps strategic themes.
type ThemeStore interface {
	CreateTheme(ctx context.Context, t *StrategicTheme) error
	FindThemeByID(ctx context.Context, id int64) (*StrategicTheme, error)
	FindThemes(ctx context.Context, portfolioID int64, page Page) ([]*StrategicTheme, string, error)
}

// EpicFilter selects epics of one portfolio. Zero fields do not filter.
type EpicFilter struct {
	PortfolioID   int64
	States        []State
	Type          EpicType
	ThemeID       int64
	ValueStreamID int64
	// Text matches key, title and description, case-insensitively.
	Text string
	Page Page
}

// Validate checks a filter before it reaches a store.
func (f EpicFilter) Validate() error {
	var vs violations
	for _, s := range f.States {
		if !s.Valid() {
			vs.add("states", "enum", "state must be one of %s, got %q", joinStates(States), s)
		}
	}
	if f.Type != "" && !f.Type.Valid() {
		vs.add("type", "enum", "type must be business or enabler, got %q", f.Type)
	}
	if err := ValidateSearch("q", f.Text); err != nil {
		vs = append(vs, AsError(err).Violations...)
	}
	return vs.err(EINVALID, "invalid filter")
}

// EpicStore keeps epics, their decisions and their history.
type EpicStore interface {
	// CreateEpic stores a new funnel epic, assigning ID and Key, and writes the
	// first history entry. The epic owner, themes and value streams must exist
	// in the epic's portfolio.
	CreateEpic(ctx context.Context, e *Epic, actor Actor) error
	FindEpicByID(ctx context.Context, id int64) (*Epic, error)
	FindEpics(ctx context.Context, f EpicFilter) ([]*Epic, string, error)
	UpdateEpic(ctx context.Context, id int64, upd EpicUpdate, actor Actor) (*Epic, error)
	DeleteEpic(ctx context.Context, id int64, actor Actor) error
	// TransitionEpic moves an epic through the Kanban. It runs PlanTransition
	// while holding the target column's lock, so WIP limits hold however many
	// moves race.
	TransitionEpic(ctx context.Context, id int64, req TransitionRequest, actor Actor) (*TransitionResult, error)
	EpicHistory(ctx context.Context, id int64) ([]Transition, error)
	CreateDecision(ctx context.Context, d *Decision) error
	FindDecisions(ctx context.Context, epicID int64) ([]Decision, error)
	// ImportEpic stores an epic with its past history and decisions as they
	// are, without running the Kanban rules: for demo data and imports. The
	// store assigns IDs and the key. In history, DecisionID is a 1-based index
	// into decisions (0 for none); the store replaces it with the stored ID.
	// Decision.NewEpicID must be 0 or an existing epic's ID.
	ImportEpic(ctx context.Context, e *Epic, history []Transition, decisions []Decision) error
}

// TransitionResult is the outcome of an allowed move.
type TransitionResult struct {
	Epic       *Epic
	Transition Transition
	Pivot      *Epic
	Warnings   []string
}

// KanbanStore keeps each portfolio's Kanban configuration and reads the board.
type KanbanStore interface {
	FindColumns(ctx context.Context, portfolioID int64) ([]Column, error)
	UpdateColumn(ctx context.Context, portfolioID int64, state State, upd ColumnUpdate) (*Column, error)
	// Board returns every column with its count and its first perColumn cards:
	// in backlog order (CompareBacklog: WSJF, then age), except done, which
	// shows the most recently finished first (CompareDone).
	Board(ctx context.Context, portfolioID int64, perColumn int) (*Board, error)
}

// UserStore keeps users and API tokens.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error
	FindUserByName(ctx context.Context, name string) (*User, error)
	// CreateToken stores a new token for the user and returns its secret,
	// which is not kept.
	CreateToken(ctx context.Context, userID int64, name string) (secret string, err error)
	// FindUserByToken returns the user a token secret belongs to, ENOTFOUND if none.
	FindUserByToken(ctx context.Context, secret string) (*User, error)
}

// Now is the real clock, in UTC truncated to microseconds (what both stores keep).
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
