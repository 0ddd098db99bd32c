package lpm

import (
	"context"
	"time"
)

// Store is the persistence lpm needs. One implementation on database/sql
// serves SQLite and PostgreSQL. Every method is atomic: it either completes or
// changes nothing.
//
// Every method that changes portfolio data or users takes the Actor who acts.
// It checks, inside its transaction, that the actor may (Actor.Authorize: an
// actor without a role in the portfolio gets the not-found error a missing
// object gives), and appends the change to the audit trail in that same
// transaction. Reads do not check: the adapter asks Actor.Member or
// Authorize(ViewPortfolio) of what it read, and lists take the actor.
type Store interface {
	PortfolioStore
	ValueStreamStore
	ThemeStore
	OKRStore
	CanvasStore
	EstimationStore
	ImpedimentStore
	DependencyStore
	EpicStore
	KanbanStore
	UserStore
	AccessStore
	SessionStore
	AuditStore
	ChangeFeed
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
	// CreatePortfolio stores p (with the default Kanban columns) and sets its
	// ID. Needs CreatePortfolio; the creator becomes its portfolio admin.
	CreatePortfolio(ctx context.Context, p *Portfolio, actor Actor) error
	FindPortfolioByID(ctx context.Context, id int64) (*Portfolio, error)
	// FindPortfolios lists, by ID, the portfolios the actor may see (every
	// one for a site admin); next is the cursor of the next page, "" at the end.
	FindPortfolios(ctx context.Context, actor Actor, page Page) (list []*Portfolio, next string, err error)
	// UpdatePortfolio changes a portfolio (AuthorizePortfolioChange says who
	// may); ECONFLICT when the new name is another portfolio's.
	UpdatePortfolio(ctx context.Context, id int64, upd PortfolioUpdate, actor Actor) (*Portfolio, error)
}

// ValueStreamStore keeps value streams.
type ValueStreamStore interface {
	CreateValueStream(ctx context.Context, v *ValueStream, actor Actor) error
	// UpdateValueStream applies upd and returns the value stream as stored;
	// needs ManageValueStreams in its portfolio.
	UpdateValueStream(ctx context.Context, id int64, upd ValueStreamUpdate, actor Actor) (*ValueStream, error)
	FindValueStreamByID(ctx context.Context, id int64) (*ValueStream, error)
	FindValueStreams(ctx context.Context, portfolioID int64, page Page) ([]*ValueStream, string, error)
}

// ThemeStore keeps strategic themes.
type ThemeStore interface {
	CreateTheme(ctx context.Context, t *StrategicTheme, actor Actor) error
	FindThemeByID(ctx context.Context, id int64) (*StrategicTheme, error)
	FindThemes(ctx context.Context, portfolioID int64, page Page) ([]*StrategicTheme, string, error)
}

// CanvasStore keeps the versions of the portfolio canvas. Versions are only
// ever added; saving and adopting need ManageCanvas in the portfolio and are
// audited in its chain. An actor without a role there is told the portfolio
// (or version) does not exist.
type CanvasStore interface {
	// SaveCanvasVersion stores v as the next version of its state (v.Kind,
	// v.Name) in v.PortfolioID, creating the state with its first version,
	// and sets ID, StateID, Number, SavedBy and SavedAt. AdoptedFrom is
	// ignored. ECONFLICT when v.BasedOn is not the state's latest version;
	// EINVALID for a retired candidate.
	SaveCanvasVersion(ctx context.Context, v *CanvasVersion, actor Actor) error
	// AdoptCanvasVersion stores the content of the future-state version id
	// as the current state's next version, recorded as adopted from it, and
	// returns that new version. EINVALID for a version of the current state
	// or of a retired candidate.
	AdoptCanvasVersion(ctx context.Context, id int64, actor Actor) (*CanvasVersion, error)
	// RetireCanvasCandidate retires (or, retire false, restores) the
	// portfolio's future-state candidate stateID and returns its latest
	// version; already so, it changes nothing.
	RetireCanvasCandidate(ctx context.Context, portfolioID, stateID int64, retire bool, actor Actor) (*CanvasVersion, error)
	FindCanvasVersionByID(ctx context.Context, id int64) (*CanvasVersion, error)
	// LatestCanvasVersions returns the latest version of each state of the
	// portfolio: the current state first (if it has one), then the
	// candidates by name.
	LatestCanvasVersions(ctx context.Context, portfolioID int64) ([]*CanvasVersion, error)
	// FindCanvasVersions lists versions by ID (the order saved).
	FindCanvasVersions(ctx context.Context, f CanvasVersionFilter) ([]*CanvasVersion, string, error)
}

// OKRStore keeps the objectives of strategic themes, their key results and
// the key results' check-ins. Every change needs ManageThemes in the theme's
// portfolio and is audited in that portfolio's chain; an actor without a
// role there is told the theme, objective or key result does not exist.
type OKRStore interface {
	// CreateObjective stores o for o.ThemeID, setting ID and PortfolioID.
	// The owner, when set, must be a user (EINVALID "owner").
	CreateObjective(ctx context.Context, o *Objective, actor Actor) error
	UpdateObjective(ctx context.Context, id int64, upd ObjectiveUpdate, actor Actor) (*Objective, error)
	FindObjectiveByID(ctx context.Context, id int64) (*Objective, error)
	// CreateKeyResult stores k for k.ObjectiveID, setting ID and PortfolioID.
	CreateKeyResult(ctx context.Context, k *KeyResult, actor Actor) error
	UpdateKeyResult(ctx context.Context, id int64, upd KeyResultUpdate, actor Actor) (*KeyResult, error)
	FindKeyResultByID(ctx context.Context, id int64) (*KeyResult, error)
	// AddCheckIns stores check-ins of key results of one portfolio, all or
	// none, setting ID, By and RecordedAt.
	AddCheckIns(ctx context.Context, portfolioID int64, checkIns []*CheckIn, actor Actor) error
	// FindCheckIns lists a key result's check-ins in the order recorded (by ID).
	FindCheckIns(ctx context.Context, keyResultID int64, page Page) ([]*CheckIn, string, error)
	// ThemeOKRs returns a theme's objectives and their key results (by ID)
	// and the latest check-in of each key result, for ComputeOKRs.
	ThemeOKRs(ctx context.Context, themeID int64) ([]*Objective, []*KeyResult, []*CheckIn, error)
}

// EstimationStore keeps WSJF estimation rounds and their estimates. Opening
// and closing a round needs RunEstimation, scoring EstimateWSJF; each change
// is audited in the portfolio's chain.
type EstimationStore interface {
	// CreateRound stores r with its epics (the portfolio's, none done),
	// setting ID, CreatedBy and CreatedAt.
	CreateRound(ctx context.Context, r *EstimationRound, actor Actor) error
	FindRound(ctx context.Context, id int64) (*EstimationRound, error)
	FindRounds(ctx context.Context, portfolioID int64, page Page) ([]*EstimationRound, string, error)
	// SubmitEstimates stores the actor's scores for epics of an open round,
	// all or none, each replacing the actor's earlier one.
	SubmitEstimates(ctx context.Context, roundID int64, estimates []Estimate, actor Actor) error
	RoundEstimates(ctx context.Context, roundID int64) ([]Estimate, error)
	// CloseRound applies the agreed scores (and, with acceptSuggested, the
	// suggestions for the other scored epics) to the round's epics (epic
	// updates, needing EditEpic too) and closes the round, all or nothing.
	CloseRound(ctx context.Context, roundID int64, agreed []Agreement, acceptSuggested bool, actor Actor) ([]*Epic, error)
}

// ImpedimentStore keeps impediments. Changes need ManageImpediments and are
// audited in the portfolio's chain; the epic, value stream and owner named
// must exist (the first two in the portfolio).
type ImpedimentStore interface {
	CreateImpediment(ctx context.Context, m *Impediment, actor Actor) error
	UpdateImpediment(ctx context.Context, id int64, upd ImpedimentUpdate, actor Actor) (*Impediment, error)
	FindImpedimentByID(ctx context.Context, id int64) (*Impediment, error)
	// FindImpediments lists a portfolio's impediments by ID, those with one
	// of statuses (all when empty).
	FindImpediments(ctx context.Context, portfolioID int64, statuses []ImpedimentStatus, page Page) ([]*Impediment, string, error)
	// EpicImpediments lists the impediments raised on the epic, by ID.
	EpicImpediments(ctx context.Context, epicID int64) ([]*Impediment, error)
}

// DependencyStore keeps dependencies between epics and between value
// streams. Changes need ManageDependencies and are audited in the
// portfolio's chain; both sides must be the portfolio's.
type DependencyStore interface {
	CreateDependency(ctx context.Context, d *Dependency, actor Actor) error
	DeleteDependency(ctx context.Context, id int64, actor Actor) error
	FindDependencyByID(ctx context.Context, id int64) (*Dependency, error)
	// FindDependencies lists a portfolio's dependencies by ID.
	FindDependencies(ctx context.Context, portfolioID int64, page Page) ([]*Dependency, string, error)
	// EpicDependencies lists the dependencies with the epic on either
	// side, by ID.
	EpicDependencies(ctx context.Context, epicID int64) ([]*Dependency, error)
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
	// CreateDecision records a decision; needs DecisionAction(d.Kind) on the epic.
	CreateDecision(ctx context.Context, d *Decision, actor Actor) error
	FindDecisions(ctx context.Context, epicID int64) ([]Decision, error)
	// ImportEpic stores an epic with its past history and decisions as they
	// are, without running the Kanban rules: for demo data and imports. The
	// store assigns IDs and the key. In history, DecisionID is a 1-based index
	// into decisions (0 for none); the store replaces it with the stored ID.
	// Decision.NewEpicID must be 0 or an existing epic's ID.
	ImportEpic(ctx context.Context, e *Epic, history []Transition, decisions []Decision, actor Actor) error
	// ForecastInputs returns the ARTs' shares of an epic (none before they
	// are set); SetForecastInputs replaces them, needing EditEpic, each ART
	// one of the epic's value streams'.
	ForecastInputs(ctx context.Context, epicID int64) ([]ARTShare, error)
	SetForecastInputs(ctx context.Context, epicID int64, shares []ARTShare, actor Actor) error
	// PortfolioForecastInputs returns the ARTs' shares of every epic of the
	// portfolio in one of the states that has any, by epic: one read for a
	// roadmap of thousands of epics.
	PortfolioForecastInputs(ctx context.Context, portfolioID int64, states []State) (map[int64][]ARTShare, error)
	// RoadmapEpics returns the portfolio's epics in the states, with only
	// what the roadmap uses of them (id, key, title, type, state and when it
	// was entered, WSJF, creation time, value streams, and for an epic in
	// implementation ImplementationStartedAt), in one read.
	RoadmapEpics(ctx context.Context, portfolioID int64, states []State) ([]*Epic, error)
	// FinishedEpicTimes returns when the portfolio's epics that went through
	// implementation to done (DoneReason.Finished) finished, for those
	// finished at or after since.
	FinishedEpicTimes(ctx context.Context, portfolioID int64, since time.Time) ([]time.Time, error)
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
	UpdateColumn(ctx context.Context, portfolioID int64, state State, upd ColumnUpdate, actor Actor) (*Column, error)
	// UpdateColumns changes several columns, all or nothing, returning them
	// in the order of the changes.
	UpdateColumns(ctx context.Context, portfolioID int64, changes []ColumnChange, actor Actor) ([]Column, error)
	// Board returns every column with its count and its first perColumn cards:
	// in backlog order (CompareBacklog: WSJF, then age), except done, which
	// shows the most recently finished first (CompareDone).
	Board(ctx context.Context, portfolioID int64, f BoardFilter, perColumn int) (*Board, error)
}

// UserStore keeps users, their passwords and their API tokens. Changes to
// users and tokens go to the site's audit chain (portfolio 0).
type UserStore interface {
	// CreateUser stores u, and passwordHash (HashPassword) as its password
	// unless it is "", in one transaction; needs ManageUsers (the command
	// line acts as SystemActor).
	CreateUser(ctx context.Context, u *User, passwordHash string, actor Actor) error
	FindUserByName(ctx context.Context, name string) (*User, error)
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// FindUsers lists every user by ID.
	FindUsers(ctx context.Context, page Page) ([]*User, string, error)
	// UpdateUser changes a user; needs ManageUsers. Disabling a user ends
	// their sessions.
	UpdateUser(ctx context.Context, id int64, upd UserUpdate, actor Actor) (*User, error)
	// SetPassword stores a password hash (HashPassword) for the user and ends
	// their sessions; needs ManageUsers, or to be the user.
	SetPassword(ctx context.Context, userID int64, hash string, actor Actor) error
	// PasswordHash returns the user with that name and their password hash
	// ("" when they have none), ENOTFOUND if there is no such user.
	PasswordHash(ctx context.Context, name string) (*User, string, error)

	// CreateToken stores t for t.UserID (NewToken validates it) and returns
	// its secret, which is not kept. Needs ManageUsers, or to be the user.
	CreateToken(ctx context.Context, t *Token, actor Actor) (secret string, err error)
	// FindTokens lists a user's tokens that are not revoked, by ID.
	FindTokens(ctx context.Context, userID int64, page Page) ([]*Token, string, error)
	// RevokeToken revokes a token of the user; needs ManageUsers, or to be
	// the user. ENOTFOUND if the user has no such token.
	RevokeToken(ctx context.Context, userID, tokenID int64, actor Actor) error
	// Authenticate returns the user and token a token secret belongs to.
	// ENOTFOUND when the token is unknown, revoked or expired, or its user is
	// disabled; the message does not repeat the secret. It notes the use
	// (Token.LastUsedAt, at most once a minute).
	Authenticate(ctx context.Context, secret string) (*User, *Token, error)

	// SignInState returns the failed sign-ins remembered for a user name.
	SignInState(ctx context.Context, name string) (SignInState, error)
	// AttemptSignIn decides an attempt at signing in as the name before its
	// password is checked (SignInState.Attempt, one attempt after another):
	// the wait when there must be one, else the attempt is counted as a
	// failure until ResetSignIn clears it.
	AttemptSignIn(ctx context.Context, name string) (wait time.Duration, locked bool, err error)
	// ResetSignIn forgets the failures of the name (after a right password).
	ResetSignIn(ctx context.Context, name string) error

	// SignInExternal finds the user linked to the identity, or creates one
	// (name from the preferred name or e-mail, made unique) and links it. It
	// stores the identity's groups, which give roles through GroupRoles.
	// ENOTFOUND-free: it fails only on a disabled user (EFORBIDDEN) or I/O.
	SignInExternal(ctx context.Context, id ExternalIdentity) (*User, error)
}

// AccessStore keeps who holds which role in which portfolio.
type AccessStore interface {
	// Access returns the roles a user holds in each portfolio: granted
	// directly, or through a group mapped to a role.
	Access(ctx context.Context, userID int64) (Access, error)
	// FindMembers lists who holds which role in a portfolio, by user name
	// then role; roles through groups carry the group.
	FindMembers(ctx context.Context, portfolioID int64) ([]Membership, error)
	// Grant gives m.UserID (or m.UserName) role m.Role in m.PortfolioID;
	// needs ManageMembers. Granting a role held already is no error.
	Grant(ctx context.Context, m Membership, actor Actor) error
	// Revoke takes a directly granted role away; needs ManageMembers.
	// ENOTFOUND if the user does not hold it directly. The last portfolio
	// admin cannot be revoked (ECONFLICT).
	Revoke(ctx context.Context, m Membership, actor Actor) error
	// FindGroupRoles lists the groups mapped to roles in a portfolio.
	FindGroupRoles(ctx context.Context, portfolioID int64) ([]GroupRole, error)
	// MapGroup maps a group to a role in a portfolio; needs ManageMembers.
	MapGroup(ctx context.Context, g GroupRole, actor Actor) error
	// UnmapGroup removes a mapping; needs ManageMembers. ENOTFOUND if absent.
	UnmapGroup(ctx context.Context, g GroupRole, actor Actor) error
}

// SessionStore keeps signed-in browser sessions.
type SessionStore interface {
	// CreateSession stores a session for s.UserID with the hash of secret.
	CreateSession(ctx context.Context, s *Session, secret string) error
	// FindSession returns the live session a secret belongs to and its user;
	// ENOTFOUND when unknown, expired, idle too long, or the user is disabled.
	// It moves LastSeenAt forward (at most once a minute).
	FindSession(ctx context.Context, secret string) (*Session, *User, error)
	// PeekSession is FindSession without counting as the session's use, for
	// requests a page makes by itself (live refreshes, event streams).
	PeekSession(ctx context.Context, secret string) (*Session, *User, error)
	// DeleteSession ends a session (sign-out); no error if it is gone already.
	DeleteSession(ctx context.Context, secret string) error
}

// AuditStore reads and verifies the audit trail; entries are written by the
// methods that make the changes.
type AuditStore interface {
	// FindAudit lists entries of one chain (f.PortfolioID; 0 for the site)
	// newest first.
	FindAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, string, error)
	// VerifyAudit checks every chain (ChainVerifier), reading entries in
	// order, and returns one report per chain.
	VerifyAudit(ctx context.Context) ([]ChainReport, error)
}

// ChangeFeed tells subscribers what changed, once it is committed: every
// write that appends to the audit trail yields its Changes (AppendChanges),
// on every replica of the server.
type ChangeFeed interface {
	// Subscribe returns a channel that delivers the changes of portfolioID
	// (0: the site's users and tokens) committed after Subscribe returns,
	// in the order they were committed; never those of a write that rolled
	// back. A few committed just before may come too. It does not check
	// who may see the portfolio: the adapter does, as for a read.
	//
	// Writers never wait for a reader: the channel is closed when the
	// subscriber falls too far behind, as well as when ctx ends or the
	// store closes. A closed channel, or a Change with Action ActionResync,
	// means changes may have been missed: the subscriber reloads what it
	// shows (and subscribes again).
	Subscribe(ctx context.Context, portfolioID int64) (<-chan Change, error)
}

// ChainReport is the result of verifying one audit chain.
type ChainReport struct {
	PortfolioID int64
	Entries     int64
	// Break is the first bad entry, nil when the chain verifies.
	Break *ChainBreak
}

// Now is the real clock, in UTC truncated to microseconds (what both stores keep).
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
