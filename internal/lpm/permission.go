package lpm

// Action is something a person may or may not be allowed to do. Roles per
// portfolio arrive later; until then the rule is simple, and it lives here so
// the adapters only ask.
type Action string

// Actions that need more than a valid sign-in.
const (
	ManagePortfolios Action = "manage_portfolios" // create a portfolio, change its settings
	ConfigureKanban  Action = "configure_kanban"  // WIP limits, enforcement, backward moves
	OverrideWIP      Action = "override_wip"      // move into a full, blocking column
)

// adminActions are the actions reserved to admins until roles arrive.
var adminActions = map[Action]string{
	ManagePortfolios: "create or change portfolios",
	ConfigureKanban:  "configure the Kanban",
	OverrideWIP:      "override a WIP limit",
}

// May returns nil when the actor may perform the action, and an EFORBIDDEN
// error saying who may otherwise.
func (a Actor) May(act Action) error {
	what, restricted := adminActions[act]
	if !restricted || a.IsAdmin {
		return nil
	}
	return Errorf(EFORBIDDEN, "only an admin may %s; ask one, or to be made one (lpm user add NAME --admin)", what)
}
