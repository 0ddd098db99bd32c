package lpm

import (
	"fmt"
	"strings"
)

// Action is something a person may or may not be allowed to do. Who may do
// what is decided here and nowhere else: adapters name the action and the
// object, and ask Actor.Authorize.
type Action string

// Actions inside a portfolio.
const (
	ViewPortfolio       Action = "view_portfolio"        // read the portfolio and everything in it
	UpdatePortfolio     Action = "update_portfolio"      // change the portfolio's settings
	ManageMembers       Action = "manage_members"        // grant and revoke roles, map SSO groups
	ManageValueStreams  Action = "manage_value_streams"  // create and change value streams
	ManageThemes        Action = "manage_themes"         // create and change strategic themes
	ProposeEpic         Action = "propose_epic"          // add an epic to the funnel
	EditEpic            Action = "edit_epic"             // change or delete an epic
	MoveEpicInAnalysis  Action = "move_epic_analysis"    // move between funnel, reviewing and analyzing
	MoveEpicInDelivery  Action = "move_epic_delivery"    // move into or out of ready and implementation
	RetireEpic          Action = "retire_epic"           // move an epic to done
	DecideEpic          Action = "decide_epic"           // record go/no-go, persevere/pivot/stop and the like
	RecordMVPEvaluation Action = "record_mvp_evaluation" // record how an MVP measured up
	ConfigureKanban     Action = "configure_kanban"      // WIP limits, enforcement, moves back
	OverrideWIP         Action = "override_wip"          // move into a full, blocking column
	ViewAudit           Action = "view_audit"            // read and export the audit trail
	EstimateWSJF        Action = "estimate_wsjf"         // score epics in a WSJF estimation round
	RunEstimation       Action = "run_wsjf_estimation"   // open WSJF estimation rounds and apply what they agreed
	ManageImpediments   Action = "manage_impediments"    // record and update impediments
	ManageDependencies  Action = "manage_dependencies"   // record and remove dependencies between epics or value streams
	ManageCanvas        Action = "manage_canvas"         // save versions of the portfolio canvas and vision, adopt a future state
)

// Site-wide actions: only site admins may do them.
const (
	CreatePortfolio Action = "create_portfolio" // create a portfolio
	RenamePortfolio Action = "rename_portfolio" // give a portfolio another name (names are unique across the site)
	ManageUsers     Action = "manage_users"     // create users, set passwords, read the site audit trail
)

// Scope narrows a grant to some epics.
type Scope uint8

// Scopes of a grant.
const (
	None        Scope = iota
	OwnEpics          // epics whose epic owner is the actor
	OwnEnablers       // enabler epics, and epics whose epic owner is the actor
	All
)

// actionInfo describes an action for the matrix and for error messages.
type actionInfo struct {
	what string // "change an epic": completes "may not …"
	// read marks actions a read-only token may perform.
	read bool
	// grants says which roles may perform the action, and on which epics.
	grants map[Role]Scope
}

// Short names for the matrix below.
const (
	pa = RolePortfolioAdmin
	dm = RoleDecisionMaker
	ea = RoleEnterpriseArchitect
	eo = RoleEpicOwner
	po = RolePortfolioOperations
	co = RoleContributor
	vi = RoleViewer
)

// Actions lists the portfolio actions in the order documents show them.
var Actions = []Action{
	ViewPortfolio, UpdatePortfolio, ManageMembers, ManageValueStreams, ManageThemes,
	ProposeEpic, EditEpic, MoveEpicInAnalysis, MoveEpicInDelivery, RetireEpic,
	DecideEpic, RecordMVPEvaluation, ConfigureKanban, OverrideWIP, ViewAudit, EstimateWSJF, RunEstimation,
	ManageImpediments, ManageDependencies, ManageCanvas,
}

// SiteActions lists the actions reserved to site admins.
var SiteActions = []Action{CreatePortfolio, RenamePortfolio, ManageUsers}

// matrix is the permission matrix: the one place that says who may do what.
// A portfolio admin may do everything in the portfolio; site admins may do
// everything everywhere.
var matrix = map[Action]actionInfo{
	ViewPortfolio: {what: "read the portfolio", read: true,
		grants: map[Role]Scope{pa: All, dm: All, ea: All, eo: All, po: All, co: All, vi: All}},
	UpdatePortfolio: {what: "change the portfolio's settings",
		grants: map[Role]Scope{pa: All}},
	ManageMembers: {what: "grant or revoke roles in the portfolio",
		grants: map[Role]Scope{pa: All}},
	ManageValueStreams: {what: "create or change value streams",
		grants: map[Role]Scope{pa: All, dm: All, ea: All, po: All}},
	ManageThemes: {what: "create or change strategic themes",
		grants: map[Role]Scope{pa: All, dm: All, po: All}},
	ProposeEpic: {what: "propose an epic",
		grants: map[Role]Scope{pa: All, dm: All, ea: All, eo: All, po: All, co: All}},
	EditEpic: {what: "change or delete this epic",
		grants: map[Role]Scope{pa: All, ea: OwnEnablers, eo: OwnEpics, po: All}},
	MoveEpicInAnalysis: {what: "move this epic between funnel, reviewing and analyzing",
		grants: map[Role]Scope{pa: All, dm: All, ea: OwnEnablers, eo: OwnEpics, po: All, co: All}},
	MoveEpicInDelivery: {what: "move this epic into or out of ready and implementation",
		grants: map[Role]Scope{pa: All, dm: All, ea: OwnEnablers, eo: OwnEpics, po: All}},
	RetireEpic: {what: "move an epic to done",
		grants: map[Role]Scope{pa: All, dm: All, po: All}},
	DecideEpic: {what: "record a portfolio decision (go, no-go, persevere, pivot, stop…)",
		grants: map[Role]Scope{pa: All, dm: All}},
	RecordMVPEvaluation: {what: "record the MVP evaluation of this epic",
		grants: map[Role]Scope{pa: All, dm: All, ea: OwnEnablers, eo: OwnEpics, po: All}},
	ConfigureKanban: {what: "configure the Kanban (WIP limits, enforcement, moves back)",
		grants: map[Role]Scope{pa: All, po: All}},
	OverrideWIP: {what: "override a WIP limit",
		grants: map[Role]Scope{pa: All, dm: All, po: All}},
	ViewAudit: {what: "read the portfolio's audit trail", read: true,
		grants: map[Role]Scope{pa: All, dm: All, po: All}},
	// Scoring is everyone's who shapes the backlog; applying what a round
	// agreed edits every epic of the round, so it takes roles that may edit
	// every epic.
	EstimateWSJF: {what: "score epics in a WSJF estimation round",
		grants: map[Role]Scope{pa: All, dm: All, ea: All, eo: All, po: All, co: All}},
	RunEstimation: {what: "open WSJF estimation rounds and apply the values they agreed on",
		grants: map[Role]Scope{pa: All, po: All}},
	// Whoever meets an impediment in the portfolio's work raises it.
	ManageImpediments: {what: "record or update impediments",
		grants: map[Role]Scope{pa: All, dm: All, ea: All, eo: All, po: All, co: All}},
	ManageDependencies: {what: "record or remove dependencies",
		grants: map[Role]Scope{pa: All, dm: All, ea: All, eo: All, po: All, co: All}},
	// The canvas and vision are the portfolio's strategy: LPM decides them
	// (decision makers, with business owners), portfolio operations (the VMO)
	// keeps them up to date; architects and epic owners read them (the
	// domain's permission matrix: "Themes, OKRs, vision, canvas").
	ManageCanvas: {what: "save the portfolio canvas or vision, or adopt a future state",
		grants: map[Role]Scope{pa: All, dm: All, po: All}},
	CreatePortfolio: {what: "create a portfolio"},
	// Names are unique across the site, so a portfolio admin refused a name
	// would learn that a portfolio they cannot see has it.
	RenamePortfolio: {what: "give a portfolio another name"},
	ManageUsers:     {what: "manage users or read the site audit trail", read: false},
}

// Target is the object an action is about, as far as permissions care.
type Target struct {
	PortfolioID int64
	// EpicOwner and EpicType matter for grants scoped to some epics; they are
	// empty for actions on the portfolio itself.
	EpicOwner string
	EpicType  EpicType
}

// EpicTarget returns the target of an action on e.
func EpicTarget(e *Epic) Target {
	return Target{PortfolioID: e.PortfolioID, EpicOwner: e.EpicOwner, EpicType: e.Type}
}

// PortfolioTarget returns the target of an action on the portfolio itself.
func PortfolioTarget(portfolioID int64) Target { return Target{PortfolioID: portfolioID} }

// Access is what roles a user holds in each portfolio they belong to.
type Access map[int64]RoleSet

// Actor is who acts: the signed-in user, what they hold, and where the
// request came from (for the audit trail).
type Actor struct {
	UserID int64
	Name   string
	// IsAdmin marks a site admin, who may do everything everywhere.
	IsAdmin bool
	// Access holds the actor's roles per portfolio.
	Access Access
	// ReadOnly is set for requests made with a read-only API token.
	ReadOnly bool
	// Address is where the request came from ("" for the command line).
	Address string
}

// SystemActor is lpm itself acting from the command line (demo data, the
// load test): a site admin, named so in the audit trail.
func SystemActor(name string) Actor { return Actor{Name: name, IsAdmin: true} }

// ErrHidden is the error Authorize gives an actor who holds no role in the
// portfolio: the adapter answers as if the object did not exist, with the
// message it would give for a missing one, so nothing leaks.
var ErrHidden = Errorf(ENOTFOUND, "not found")

// Member reports whether the actor may see the portfolio at all.
func (a Actor) Member(portfolioID int64) bool {
	return a.IsAdmin || a.Access[portfolioID] != 0
}

// Authorize returns nil when the actor may perform act on t. It returns
// ErrHidden when the actor holds no role in t's portfolio (so the caller
// answers "not found"), and an EFORBIDDEN error saying what is missing
// otherwise.
func (a Actor) Authorize(act Action, t Target) error {
	info, known := matrix[act]
	if !known {
		return Errorf(EINTERNAL, "unknown action %q", act)
	}
	if t.PortfolioID != 0 && !a.Member(t.PortfolioID) {
		return ErrHidden
	}
	if a.ReadOnly && !info.read {
		return Errorf(EFORBIDDEN, "this API token is read-only; to %s, use a read-write token", info.what)
	}
	if a.IsAdmin {
		return nil
	}
	if t.PortfolioID == 0 {
		return Errorf(EFORBIDDEN, "only a site admin may %s", info.what)
	}
	roles := a.Access[t.PortfolioID]
	for r, scope := range info.grants {
		if roles.Has(r) && scope.covers(a.Name, t) {
			return nil
		}
	}
	return Errorf(EFORBIDDEN, "your roles in this portfolio (%s) do not allow you to %s; %s",
		join(roles.List(), ", "), info.what, whoMay(act))
}

// AuthorizeEpic is Authorize for an action on e; an actor who may not see
// the portfolio is told the epic does not exist, as if it did not.
func (a Actor) AuthorizeEpic(act Action, e *Epic) error {
	return a.AuthorizeObject(act, EpicTarget(e), "epic", e.ID)
}

// AuthorizeObject is Authorize for an action on the object named what with
// the given id: ErrHidden becomes the not-found error a missing object of
// that kind gives ("epic 42 not found"), so the two cannot be told apart.
func (a Actor) AuthorizeObject(act Action, t Target, what string, id any) error {
	err := a.Authorize(act, t)
	if err == ErrHidden {
		return Errorf(ENOTFOUND, "%s %v not found", what, id)
	}
	return err
}

// Allowed reports whether holding roles (and nothing else) allows act on t
// for the user named actor: the matrix without the site admin and the token
// scope, for tests and documents.
func Allowed(roles RoleSet, actor string, act Action, t Target) bool {
	for r, scope := range matrix[act].grants {
		if roles.Has(r) && scope.covers(actor, t) {
			return true
		}
	}
	return false
}

func (s Scope) covers(actor string, t Target) bool {
	switch s {
	case All:
		return true
	case OwnEnablers:
		return t.EpicType == Enabler || (t.EpicOwner != "" && t.EpicOwner == actor)
	case OwnEpics:
		return t.EpicOwner != "" && t.EpicOwner == actor
	}
	return false
}

// whoMay says which roles may perform act, for error messages.
func whoMay(act Action) string {
	var parts []string
	for _, r := range Roles {
		switch matrix[act].grants[r] {
		case All:
			parts = append(parts, string(r))
		case OwnEpics:
			parts = append(parts, string(r)+" (own epics)")
		case OwnEnablers:
			parts = append(parts, string(r)+" (enablers and own epics)")
		}
	}
	if len(parts) == 0 {
		return "only a site admin may"
	}
	return "it takes one of: " + strings.Join(parts, ", ")
}

// MoveAction is the action a Kanban move from one state to another needs.
func MoveAction(from, to State) Action {
	inAnalysis := func(s State) bool { return s == Funnel || s == Reviewing || s == Analyzing }
	switch {
	case to == Done:
		return RetireEpic
	case inAnalysis(from) && inAnalysis(to):
		return MoveEpicInAnalysis
	}
	return MoveEpicInDelivery
}

// DecisionAction is the action recording a decision of kind k needs.
func DecisionAction(k DecisionKind) Action {
	if k == DecisionMVPEvaluation {
		return RecordMVPEvaluation
	}
	return DecideEpic
}

// IsRead reports whether act only reads (a read-only token may do it).
func (act Action) IsRead() bool { return matrix[act].read }

// Describe says what the action lets a person do.
func (act Action) Describe() string { return matrix[act].what }

// String renders a scope for documents.
func (s Scope) String() string {
	switch s {
	case All:
		return "yes"
	case OwnEpics:
		return "own epics"
	case OwnEnablers:
		return "enablers and own epics"
	}
	return "—"
}

// Grant returns the scope in which role r may perform act.
func Grant(r Role, act Action) Scope { return matrix[act].grants[r] }

// PermissionMatrix renders the whole matrix as Markdown: docs/PERMISSIONS.md
// is this text, and a test keeps the two equal.
func PermissionMatrix() string {
	var b strings.Builder
	b.WriteString("# Permissions\n\n")
	b.WriteString("Generated from `internal/lpm/permission.go` by `go run ./cmd/lpm permissions`; a test fails when the two differ.\n\n")
	b.WriteString("A person holds roles per portfolio, granted by a portfolio admin or mapped from a single sign-on group. ")
	b.WriteString("Someone with no role in a portfolio cannot see it: every route answers 404 for its objects, as if they did not exist. ")
	b.WriteString("A site admin may do everything in every portfolio, and alone may create portfolios and manage users. ")
	b.WriteString("A read-only API token allows only the actions marked read.\n\n")
	b.WriteString("## Roles\n\n")
	for _, r := range Roles {
		fmt.Fprintf(&b, "- `%s`: %s.\n", r, r.Title())
	}
	b.WriteString("\n## Matrix\n\n| Action | Read |")
	for _, r := range Roles {
		fmt.Fprintf(&b, " %s |", r)
	}
	b.WriteString(" site admin |\n|---|---|")
	for range Roles {
		b.WriteString("---|")
	}
	b.WriteString("---|\n")
	row := func(act Action) {
		read := ""
		if act.IsRead() {
			read = "read"
		}
		fmt.Fprintf(&b, "| `%s`: %s | %s |", act, act.Describe(), read)
		for _, r := range Roles {
			fmt.Fprintf(&b, " %s |", Grant(r, act))
		}
		b.WriteString(" yes |\n")
	}
	for _, act := range Actions {
		row(act)
	}
	for _, act := range SiteActions {
		row(act)
	}
	b.WriteString("\n## Kanban moves\n\n")
	b.WriteString("A move into done needs `retire_epic`; a move between funnel, reviewing and analyzing needs `move_epic_analysis`; ")
	b.WriteString("any other move needs `move_epic_delivery`. Recording an `mvp_evaluation` needs `record_mvp_evaluation`; ")
	b.WriteString("every other decision needs `decide_epic`. A move past a full, blocking WIP limit also needs `override_wip`.\n")
	return b.String()
}
