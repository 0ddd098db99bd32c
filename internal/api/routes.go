package api

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/lpm-project/lpm/internal/lpm"
)

// routes is the whole URL surface of the API, in one place. Paths are relative
// to Prefix.
func (a *apiServer) routes() {
	const (
		portfolios = "Portfolios"
		streams    = "Value streams"
		themes     = "Strategic themes"
		epics      = "Epics"
		kanban     = "Kanban"
	)
	// A clash with a concurrent request on a value that must be unique.
	raced := when(kindConflict, "a concurrent request took a value that must be unique; send the request again")

	register(a, anyUser, huma.Operation{OperationID: "list-portfolios", Method: http.MethodGet, Path: "/portfolios",
		Summary: "List portfolios", Tags: []string{portfolios}}, a.listPortfolios)
	register(a, lpm.ManagePortfolios, huma.Operation{OperationID: "create-portfolio", Method: http.MethodPost, Path: "/portfolios",
		Summary: "Create a portfolio", Tags: []string{portfolios}, DefaultStatus: http.StatusCreated,
		Description: "Creates a portfolio with the default Kanban columns. Only name is required."}, a.createPortfolio,
		when(kindConflict, "another portfolio has the name"))
	register(a, anyUser, huma.Operation{OperationID: "get-portfolio", Method: http.MethodGet, Path: "/portfolios/{portfolio}",
		Summary: "Get a portfolio", Tags: []string{portfolios}}, a.getPortfolio)
	register(a, lpm.ManagePortfolios, huma.Operation{OperationID: "update-portfolio", Method: http.MethodPatch, Path: "/portfolios/{portfolio}",
		Summary: "Change a portfolio", Tags: []string{portfolios}}, a.patchPortfolio,
		when(kindConflict, "another portfolio has the name"))

	register(a, anyUser, huma.Operation{OperationID: "list-value-streams", Method: http.MethodGet, Path: "/portfolios/{portfolio}/value-streams",
		Summary: "List the value streams of a portfolio", Tags: []string{streams}}, a.listValueStreams)
	register(a, anyUser, huma.Operation{OperationID: "create-value-stream", Method: http.MethodPost, Path: "/portfolios/{portfolio}/value-streams",
		Summary: "Create a value stream", Tags: []string{streams}, DefaultStatus: http.StatusCreated}, a.createValueStream,
		when(kindConflict, "the portfolio already has a value stream of that name"))
	register(a, anyUser, huma.Operation{OperationID: "get-value-stream", Method: http.MethodGet, Path: "/value-streams/{value_stream}",
		Summary: "Get a value stream", Tags: []string{streams}}, a.getValueStream)

	register(a, anyUser, huma.Operation{OperationID: "list-themes", Method: http.MethodGet, Path: "/portfolios/{portfolio}/themes",
		Summary: "List the strategic themes of a portfolio", Tags: []string{themes}}, a.listThemes)
	register(a, anyUser, huma.Operation{OperationID: "create-theme", Method: http.MethodPost, Path: "/portfolios/{portfolio}/themes",
		Summary: "Create a strategic theme", Tags: []string{themes}, DefaultStatus: http.StatusCreated}, a.createTheme,
		when(kindConflict, "the portfolio already has a strategic theme of that name"))
	register(a, anyUser, huma.Operation{OperationID: "get-theme", Method: http.MethodGet, Path: "/themes/{theme}",
		Summary: "Get a strategic theme", Tags: []string{themes}}, a.getTheme)

	register(a, anyUser, huma.Operation{OperationID: "list-epics", Method: http.MethodGet, Path: "/portfolios/{portfolio}/epics",
		Summary: "List the epics of a portfolio", Tags: []string{epics}}, a.listEpics,
		when(kindInvalid, "a query parameter is out of bounds: an unknown state or type, a bad cursor, a limit outside 1–500, "+
			"or a q longer than 200 characters or holding control characters"))
	register(a, anyUser, huma.Operation{OperationID: "create-epic", Method: http.MethodPost, Path: "/portfolios/{portfolio}/epics",
		Summary: "Propose an epic", Tags: []string{epics}, DefaultStatus: http.StatusCreated,
		Description: "Adds an epic to the funnel. Only title and type are required."}, a.createEpic, raced,
		when(kindInvalid, "a field is invalid (too long, off the WSJF scale, holding control characters…), or epic_owner, "+
			"theme_ids or value_stream_ids name no user, or no strategic theme or value stream of the portfolio; errors names each"))
	register(a, anyUser, huma.Operation{OperationID: "get-epic", Method: http.MethodGet, Path: "/epics/{epic}",
		Summary: "Get an epic", Tags: []string{epics}}, a.getEpic)
	register(a, anyUser, huma.Operation{OperationID: "update-epic", Method: http.MethodPatch, Path: "/epics/{epic}",
		Summary: "Change an epic", Tags: []string{epics},
		Description: "Every field is optional, nested fields individually. The state changes only through transitions. " +
			"An edit may not take away what the Kanban policies required for the epic to be where it is."}, a.patchEpic, raced,
		when(kindInvalid, "a field is invalid or names nothing in the portfolio, the body has a field the operation does not take "+
			"(state changes only through transitions), or the edit would take away what the epic's state requires: "+
			"the epic owner outside funnel and done, the hypothesis or a WSJF component in analyzing or beyond, "+
			"mvp_description or a cost estimate in ready or beyond, the value streams in implementation; errors names each field"))
	register(a, anyUser, huma.Operation{OperationID: "delete-epic", Method: http.MethodDelete, Path: "/epics/{epic}",
		Summary: "Delete an epic", Tags: []string{epics},
		Description: "Only an epic that never left the funnel and has no decisions may be deleted (a proposal entered by mistake); " +
			"any other keeps its history and leaves the board through done."}, a.deleteEpic,
		when(kindConflict, "the epic is outside the funnel, has been outside it before, or has decisions"))
	register(a, anyUser, huma.Operation{OperationID: "get-epic-history", Method: http.MethodGet, Path: "/epics/{epic}/history",
		Summary: "Get the Kanban history of an epic", Tags: []string{epics}}, a.epicHistory)
	register(a, anyUser, huma.Operation{OperationID: "list-decisions", Method: http.MethodGet, Path: "/epics/{epic}/decisions",
		Summary: "List the decisions about an epic", Tags: []string{epics}}, a.listDecisions)
	register(a, anyUser, huma.Operation{OperationID: "create-decision", Method: http.MethodPost, Path: "/epics/{epic}/decisions",
		Summary: "Record a decision about an epic", Tags: []string{epics}, DefaultStatus: http.StatusCreated,
		Description: "Each kind of decision is taken about an epic in certain states (see kind). " +
			"override is not recorded by hand: lpm records it when an admin moves an epic past a full WIP limit."}, a.createDecision,
		when(kindInvalid, "kind does not fit the state the epic is in (rule decision_fits_state), outcome is missing for "+
			"an mvp_evaluation or given for another kind, or rationale is missing, too long or holds control characters"))
	register(a, anyUser, huma.Operation{OperationID: "transition-epic", Method: http.MethodPost, Path: "/epics/{epic}/transitions",
		Summary: "Move an epic through the Kanban", Tags: []string{epics, kanban},
		Description: "Moves the epic if the move exists, its policies hold and the target column has room. " +
			"A move that rests on a decision (reviewing → analyzing: advance_to_analyzing; analyzing → ready: go; " +
			"implementing_mvp → implementing_persevere: persevere; the exits to done other than from funnel and ready) " +
			"takes the latest qualifying decision recorded since the epic entered its state, or the one named by decision_id."},
		a.transitionEpic,
		when(kindWIPLimit, "the target column is at its WIP limit and blocks; an admin may override with a reason"),
		when(kindForbidden, "a non-admin asks to override a WIP limit"),
		when(kindInvalid, "the request is malformed: to is not a state, done_reason is missing or does not fit the state left, "+
			"reason is missing where a move needs one (back, to done, overrides), or reason or pivot_title holds control characters"),
		when(kindPolicy, "policies of the move are unmet; errors lists every one: a missing field (epic_owner, the hypothesis, "+
			"wsjf_components, the business case, value_stream_ids), a missing or outvoted decision (decision_id), an MVP "+
			"evaluation that does not allow the move (mvp_evaluation), or a decision_id on a move that rests on no decision "+
			"(rule not_applicable)"),
		when(kindNotAllowed, "the Kanban has no such move, the epic is already in that state, or moving back is disabled for the column"))

	register(a, anyUser, huma.Operation{OperationID: "get-kanban", Method: http.MethodGet, Path: "/portfolios/{portfolio}/kanban",
		Summary: "Get the portfolio Kanban board", Tags: []string{kanban},
		Description: "Every column in Kanban order with its count and its first cards: in backlog (WSJF) order, except done, most recently finished first."}, a.getBoard)
	register(a, lpm.ConfigureKanban, huma.Operation{OperationID: "update-kanban-column", Method: http.MethodPatch, Path: "/portfolios/{portfolio}/kanban/{state}",
		Summary: "Configure a Kanban column", Tags: []string{kanban}}, a.patchColumn,
		when(kindInvalid, "wip_limit is outside 0–10000 or set on funnel or done, enforcement is not block or warn, "+
			"or allow_backward is set on a column with no move back"))
}
