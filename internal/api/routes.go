package api

import (
	"fmt"
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
		forecasts  = "Forecasts"
		estimation = "WSJF estimation"
		operations = "Portfolio operations"
	)
	// A clash with a concurrent request on a value that must be unique.
	raced := when(kindConflict, "a concurrent request took a value that must be unique; send the request again")

	visiblePortfolios := permission{Action: lpm.ViewPortfolio, Target: targetPortfolio,
		Note: "The list holds only the portfolios the caller may read, so it needs no role anywhere."}
	register(a, visiblePortfolios, huma.Operation{OperationID: "list-portfolios", Method: http.MethodGet, Path: "/portfolios",
		Summary: "List portfolios", Tags: []string{portfolios},
		Description: "Lists the portfolios the caller holds a role in; a site admin sees every one."}, a.listPortfolios)
	register(a, needs(lpm.CreatePortfolio, targetSite), huma.Operation{OperationID: "create-portfolio", Method: http.MethodPost, Path: "/portfolios",
		Summary: "Create a portfolio", Tags: []string{portfolios}, DefaultStatus: http.StatusCreated,
		Description: "Creates a portfolio with the default Kanban columns; the caller becomes its portfolio admin. Only name is required."}, a.createPortfolio,
		when(kindConflict, "another portfolio has the name"))
	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "get-portfolio", Method: http.MethodGet, Path: "/portfolios/{portfolio}",
		Summary: "Get a portfolio", Tags: []string{portfolios}}, a.getPortfolio)
	register(a, needsPerBody(targetPortfolio, "A new `name` needs `rename_portfolio` as well, which only site admins hold: names are unique across the site.",
		lpm.UpdatePortfolio, lpm.RenamePortfolio), huma.Operation{OperationID: "update-portfolio", Method: http.MethodPatch, Path: "/portfolios/{portfolio}",
		Summary: "Change a portfolio", Tags: []string{portfolios}}, a.patchPortfolio,
		when(kindConflict, "another portfolio has the name"))

	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "list-value-streams", Method: http.MethodGet, Path: "/portfolios/{portfolio}/value-streams",
		Summary: "List the value streams of a portfolio", Tags: []string{streams}}, a.listValueStreams)
	register(a, needs(lpm.ManageValueStreams, targetPortfolio), huma.Operation{OperationID: "create-value-stream", Method: http.MethodPost, Path: "/portfolios/{portfolio}/value-streams",
		Summary: "Create a value stream", Tags: []string{streams}, DefaultStatus: http.StatusCreated}, a.createValueStream,
		when(kindConflict, "the portfolio already has a value stream of that name"))
	register(a, needs(lpm.ViewPortfolio, targetValueStream), huma.Operation{OperationID: "get-value-stream", Method: http.MethodGet, Path: "/value-streams/{value_stream}",
		Summary: "Get a value stream", Tags: []string{streams}}, a.getValueStream)
	register(a, needs(lpm.ManageValueStreams, targetValueStream), huma.Operation{OperationID: "update-value-stream", Method: http.MethodPatch, Path: "/value-streams/{value_stream}",
		Summary: "Change a value stream", Tags: []string{streams},
		Description: "Renames it, changes its description, replaces its ARTs and solutions or, for an operational value stream, the development value streams it uses. Its kind does not change."}, a.patchValueStream,
		when(kindInvalid, "the supported value streams are not development value streams of the portfolio"),
		when(kindConflict, "the portfolio already has a value stream of that name"))

	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "list-themes", Method: http.MethodGet, Path: "/portfolios/{portfolio}/themes",
		Summary: "List the strategic themes of a portfolio", Tags: []string{themes}}, a.listThemes)
	register(a, needs(lpm.ManageThemes, targetPortfolio), huma.Operation{OperationID: "create-theme", Method: http.MethodPost, Path: "/portfolios/{portfolio}/themes",
		Summary: "Create a strategic theme", Tags: []string{themes}, DefaultStatus: http.StatusCreated}, a.createTheme,
		when(kindConflict, "the portfolio already has a strategic theme of that name"))
	register(a, needs(lpm.ViewPortfolio, targetTheme), huma.Operation{OperationID: "get-theme", Method: http.MethodGet, Path: "/themes/{theme}",
		Summary: "Get a strategic theme", Tags: []string{themes}}, a.getTheme)

	register(a, needs(lpm.ViewPortfolio, targetTheme), huma.Operation{OperationID: "get-theme-okrs", Method: http.MethodGet, Path: "/themes/{theme}/okrs",
		Summary: "Get a theme's objectives and key results with their progress", Tags: []string{themes},
		Description: "A key result's progress is (latest value − baseline) ÷ (target − baseline), from 0 to 1, also for targets below the baseline; " +
			"an objective's is its key results' weighted by weight; the theme's the mean of its objectives that have key results."}, a.getThemeOKRs)
	register(a, needs(lpm.ViewPortfolio, targetTheme), huma.Operation{OperationID: "get-theme-epics", Method: http.MethodGet, Path: "/themes/{theme}/epics",
		Summary: "Get a theme's epics, their states and its share of the portfolio's spend", Tags: []string{themes},
		Description: "Spend is estimated as committed cost until budgets record actuals: an epic's MVP cost from implementing_mvp on " +
			"(and when it stopped or pivoted after the MVP), its full cost once it persevered, split evenly among its themes."}, a.getThemeEpics)
	register(a, needs(lpm.ManageThemes, targetTheme), huma.Operation{OperationID: "create-objective", Method: http.MethodPost, Path: "/themes/{theme}/objectives",
		Summary: "Add an objective to a theme", Tags: []string{themes}, DefaultStatus: http.StatusCreated}, a.createObjective,
		when(kindInvalid, "the owner is not a user, period_end is before period_start"))
	register(a, needs(lpm.ManageThemes, targetTheme), huma.Operation{OperationID: "update-objective", Method: http.MethodPatch, Path: "/themes/{theme}/objectives/{objective}",
		Summary: "Change an objective", Tags: []string{themes}}, a.patchObjective)
	register(a, needs(lpm.ManageThemes, targetTheme), huma.Operation{OperationID: "create-key-result", Method: http.MethodPost, Path: "/themes/{theme}/objectives/{objective}/key-results",
		Summary: "Add a key result to an objective", Tags: []string{themes}, DefaultStatus: http.StatusCreated}, a.createKeyResult,
		when(kindInvalid, "the target equals the baseline, the weight is out of range"))
	register(a, needs(lpm.ManageThemes, targetTheme), huma.Operation{OperationID: "update-key-result", Method: http.MethodPatch, Path: "/themes/{theme}/key-results/{key_result}",
		Summary: "Change a key result", Tags: []string{themes},
		Description: "A new baseline or target changes the progress every check-in shows; the audit trail keeps the old values."}, a.patchKeyResult)
	register(a, needs(lpm.ViewPortfolio, targetTheme), huma.Operation{OperationID: "list-check-ins", Method: http.MethodGet, Path: "/themes/{theme}/key-results/{key_result}/check-ins",
		Summary: "List a key result's check-ins", Tags: []string{themes},
		Description: "In the order they were recorded."}, a.listCheckIns)
	register(a, needs(lpm.ManageThemes, targetTheme), huma.Operation{OperationID: "add-check-ins", Method: http.MethodPost, Path: "/themes/{theme}/check-ins",
		Summary: "Record measured values of key results", Tags: []string{themes}, DefaultStatus: http.StatusCreated,
		Description: "Up to 500 check-ins of the theme's key results, stored all or none."}, a.addCheckIns,
		when(kindInvalid, "a key result is not the theme's, a confidence is outside 0–10"))
	register(a, needs(lpm.ManageThemes, targetTheme), huma.Operation{OperationID: "import-check-ins", Method: http.MethodPost, Path: "/themes/{theme}/check-ins/csv",
		Summary: "Import check-ins from CSV", Tags: []string{themes}, DefaultStatus: http.StatusCreated,
		Description: "A text/csv body with a header row naming key_result_id, at (RFC 3339, or YYYY-MM-DD for midnight UTC), value, " +
			fmt.Sprintf("confidence, status and optionally note, in any order; up to %d rows, stored all or none. Problems name the line.", lpm.MaxCheckInRows)}, a.importCheckIns,
		when(kindInvalid, "a column is missing or unknown, a cell is not what its column needs, a key result is not the theme's"))

	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "list-epics", Method: http.MethodGet, Path: "/portfolios/{portfolio}/epics",
		Summary: "List the epics of a portfolio", Tags: []string{epics}}, a.listEpics,
		when(kindInvalid, "a query parameter is out of bounds: an unknown state or type, a bad cursor, a limit outside 1–500, "+
			"or a q longer than 200 characters or holding control characters"))
	register(a, needs(lpm.ProposeEpic, targetPortfolio), huma.Operation{OperationID: "create-epic", Method: http.MethodPost, Path: "/portfolios/{portfolio}/epics",
		Summary: "Propose an epic", Tags: []string{epics}, DefaultStatus: http.StatusCreated,
		Description: "Adds an epic to the funnel. Only title and type are required."}, a.createEpic, raced,
		when(kindInvalid, "a field is invalid (too long, off the WSJF scale, holding control characters…), or epic_owner, "+
			"theme_ids or value_stream_ids name no user, or no strategic theme or value stream of the portfolio; errors names each"))
	register(a, needs(lpm.ViewPortfolio, targetEpic), huma.Operation{OperationID: "get-epic", Method: http.MethodGet, Path: "/epics/{epic}",
		Summary: "Get an epic", Tags: []string{epics}}, a.getEpic)
	register(a, needs(lpm.EditEpic, targetEpic), huma.Operation{OperationID: "update-epic", Method: http.MethodPatch, Path: "/epics/{epic}",
		Summary: "Change an epic", Tags: []string{epics},
		Description: "Every field is optional, nested fields individually. The state changes only through transitions. " +
			"An edit may not take away what the Kanban policies required for the epic to be where it is."}, a.patchEpic, raced,
		when(kindInvalid, "a field is invalid or names nothing in the portfolio, the body has a field the operation does not take "+
			"(state changes only through transitions), or the edit would take away what the epic's state requires: "+
			"the epic owner outside funnel and done, the hypothesis or a WSJF component in analyzing or beyond, "+
			"mvp_description or a cost estimate in ready or beyond, the value streams in implementation; errors names each field"))
	register(a, needs(lpm.EditEpic, targetEpic), huma.Operation{OperationID: "delete-epic", Method: http.MethodDelete, Path: "/epics/{epic}",
		Summary: "Delete an epic", Tags: []string{epics},
		Description: "Only an epic that never left the funnel and has no decisions may be deleted (a proposal entered by mistake); " +
			"any other keeps its history and leaves the board through done."}, a.deleteEpic,
		when(kindConflict, "the epic is outside the funnel, has been outside it before, or has decisions"))
	register(a, needs(lpm.ViewPortfolio, targetEpic), huma.Operation{OperationID: "get-epic-history", Method: http.MethodGet, Path: "/epics/{epic}/history",
		Summary: "Get the Kanban history of an epic", Tags: []string{epics}}, a.epicHistory)
	register(a, needs(lpm.ViewPortfolio, targetEpic), huma.Operation{OperationID: "list-decisions", Method: http.MethodGet, Path: "/epics/{epic}/decisions",
		Summary: "List the decisions about an epic", Tags: []string{epics}}, a.listDecisions)
	register(a, needsPerBody(targetEpic, "An mvp_evaluation needs record_mvp_evaluation; every other kind needs decide_epic.",
		lpm.DecideEpic, lpm.RecordMVPEvaluation), huma.Operation{OperationID: "create-decision", Method: http.MethodPost, Path: "/epics/{epic}/decisions",
		Summary: "Record a decision about an epic", Tags: []string{epics}, DefaultStatus: http.StatusCreated,
		Description: "Each kind of decision is taken about an epic in certain states (see kind). " +
			"override is not recorded by hand: lpm records it when someone moves an epic past a full WIP limit with override_wip."}, a.createDecision,
		when(kindInvalid, "kind does not fit the state the epic is in (rule decision_fits_state), outcome is missing for "+
			"an mvp_evaluation or given for another kind, or rationale is missing, too long or holds control characters"))
	register(a, needsPerBody(targetEpic, "A move into done needs retire_epic; a move between funnel, reviewing and analyzing needs move_epic_analysis; "+
		"any other move needs move_epic_delivery; override_wip also needs override_wip, whether or not the column is full.",
		lpm.MoveEpicInAnalysis, lpm.MoveEpicInDelivery, lpm.RetireEpic, lpm.OverrideWIP), huma.Operation{OperationID: "transition-epic", Method: http.MethodPost, Path: "/epics/{epic}/transitions",
		Summary: "Move an epic through the Kanban", Tags: []string{epics, kanban},
		Description: "Moves the epic if the move exists, its policies hold and the target column has room. " +
			"A move that rests on a decision (reviewing → analyzing: advance_to_analyzing; analyzing → ready: go; " +
			"implementing_mvp → implementing_persevere: persevere; the exits to done other than from funnel and ready) " +
			"takes the latest qualifying decision recorded since the epic entered its state, or the one named by decision_id."},
		a.transitionEpic,
		when(kindWIPLimit, "the target column is at its WIP limit and blocks; someone holding override_wip may override with a reason"),
		when(kindInvalid, "the request is malformed: to is not a state, done_reason is missing or does not fit the state left, "+
			"reason is missing where a move needs one (back, to done, overrides), or reason or pivot_title holds control characters"),
		when(kindPolicy, "policies of the move are unmet; errors lists every one: a missing field (epic_owner, the hypothesis, "+
			"wsjf_components, the business case, value_stream_ids), a missing or outvoted decision (decision_id), an MVP "+
			"evaluation that does not allow the move (mvp_evaluation), or a decision_id on a move that rests on no decision "+
			"(rule not_applicable)"),
		when(kindNotAllowed, "the Kanban has no such move, the epic is already in that state, or moving back is disabled for the column"))

	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "get-kanban", Method: http.MethodGet, Path: "/portfolios/{portfolio}/kanban",
		Summary: "Get the portfolio Kanban board", Tags: []string{kanban},
		Description: "Every column in Kanban order with its count and its first cards: in backlog (WSJF) order, except done, most recently finished first."}, a.getBoard)
	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "list-dependencies", Method: http.MethodGet, Path: "/portfolios/{portfolio}/dependencies",
		Summary: "List a portfolio's dependencies", Tags: []string{operations},
		Description: "A dependency between epics is flagged late when the epic depended on is forecast to finish after the dependent one, or after the due PI."}, a.listDependencies)
	register(a, needs(lpm.ManageDependencies, targetPortfolio), huma.Operation{OperationID: "create-dependency", Method: http.MethodPost, Path: "/portfolios/{portfolio}/dependencies",
		Summary: "Record a dependency between epics or between value streams", Tags: []string{operations}, DefaultStatus: http.StatusCreated}, a.createDependency,
		when(kindInvalid, "not exactly one pair named, a side not the portfolio's, a dependency on itself"))
	register(a, needs(lpm.ManageDependencies, targetPortfolio), huma.Operation{OperationID: "delete-dependency", Method: http.MethodDelete, Path: "/portfolios/{portfolio}/dependencies/{dependency}",
		Summary: "Remove a dependency", Tags: []string{operations}, DefaultStatus: http.StatusNoContent,
		Description: "For one met or recorded by mistake; the audit trail keeps what it was."}, a.deleteDependency)
	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "list-impediments", Method: http.MethodGet, Path: "/portfolios/{portfolio}/impediments",
		Summary: "List a portfolio's impediments", Tags: []string{operations}}, a.listImpediments)
	register(a, needs(lpm.ManageImpediments, targetPortfolio), huma.Operation{OperationID: "create-impediment", Method: http.MethodPost, Path: "/portfolios/{portfolio}/impediments",
		Summary: "Record an impediment", Tags: []string{operations}, DefaultStatus: http.StatusCreated}, a.createImpediment,
		when(kindInvalid, "the epic or value stream is not the portfolio's, the owner is not a user"))
	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "get-impediment", Method: http.MethodGet, Path: "/portfolios/{portfolio}/impediments/{impediment}",
		Summary: "Get an impediment", Tags: []string{operations}}, a.getImpediment)
	register(a, needs(lpm.ManageImpediments, targetPortfolio), huma.Operation{OperationID: "update-impediment", Method: http.MethodPatch, Path: "/portfolios/{portfolio}/impediments/{impediment}",
		Summary: "Change an impediment", Tags: []string{operations}}, a.patchImpediment,
		when(kindInvalid, "the epic or value stream is not the portfolio's, the owner is not a user"))
	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "list-estimation-rounds", Method: http.MethodGet, Path: "/portfolios/{portfolio}/estimation-rounds",
		Summary: "List the WSJF estimation rounds of a portfolio", Tags: []string{estimation}}, a.listRounds)
	register(a, needs(lpm.RunEstimation, targetPortfolio), huma.Operation{OperationID: "create-estimation-round", Method: http.MethodPost, Path: "/portfolios/{portfolio}/estimation-rounds",
		Summary: "Open a WSJF estimation round", Tags: []string{estimation}, DefaultStatus: http.StatusCreated,
		Description: "Several people then each score the four WSJF components of the round's epics on the scale 1, 2, 3, 5, 8, 13, 20."}, a.createRound,
		when(kindInvalid, "an epic is not the portfolio's, is done, or is named twice"))
	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "get-estimation-round", Method: http.MethodGet, Path: "/portfolios/{portfolio}/estimation-rounds/{round}",
		Summary: "Get a WSJF estimation round with the spread of its scores", Tags: []string{estimation},
		Description: "For each epic: who scored it, each component's minimum, maximum and median, whether everyone agreed, and the suggested values."}, a.getRound)
	register(a, needs(lpm.EstimateWSJF, targetPortfolio), huma.Operation{OperationID: "submit-estimates", Method: http.MethodPost, Path: "/portfolios/{portfolio}/estimation-rounds/{round}/estimates",
		Summary: "Score epics of a WSJF estimation round", Tags: []string{estimation},
		Description: "The caller's scores, all four components of each epic; a later score of the same epic replaces the caller's earlier one."}, a.submitEstimates,
		when(kindInvalid, "an epic is not in the round, a component is missing or off the scale"),
		when(kindConflict, "the round is closed"))
	register(a, needs(lpm.RunEstimation, targetPortfolio), huma.Operation{OperationID: "close-estimation-round", Method: http.MethodPost, Path: "/portfolios/{portfolio}/estimation-rounds/{round}/close",
		Summary: "Apply the agreed WSJF values and close the round", Tags: []string{estimation},
		Description: "Updates the WSJF components of each agreed epic (an epic update each, versioned and audited) and closes the round, all or nothing."}, a.closeRound,
		when(kindInvalid, "an agreed epic is not in the round, or a value is off the scale"),
		when(kindConflict, "the round is closed already"))
	register(a, needs(lpm.ViewPortfolio, targetEpic), huma.Operation{OperationID: "get-epic-forecast", Method: http.MethodGet, Path: "/epics/{epic}/forecast",
		Summary: "Forecast when an epic finishes, SAFe's way", Tags: []string{forecasts},
		Description: "Each ART working on the epic needs ceil(remaining points ÷ (velocity × allocation)) PIs; the ARTs work in parallel, " +
			"so the epic needs as many PIs as its slowest ART, counted from the current PI once it is implemented, else from the next."}, a.getEpicForecast)
	register(a, needs(lpm.EditEpic, targetEpic), huma.Operation{OperationID: "set-epic-forecast", Method: http.MethodPut, Path: "/epics/{epic}/forecast",
		Summary: "Set the ARTs' shares an epic's forecast rests on", Tags: []string{forecasts},
		Description: "Replaces every ART's remaining points, velocity and allocation; each ART must be one of the epic's value streams'. Answers the new forecast."}, a.setEpicForecast,
		when(kindInvalid, "an ART is not one of the epic's value streams', is named twice, or a number is out of range"))
	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "forecast-backlog", Method: http.MethodGet, Path: "/portfolios/{portfolio}/forecasts/backlog",
		Summary: "Forecast when the Ready backlog is finished", Tags: []string{forecasts},
		Description: "A Monte Carlo forecast from the portfolio's own throughput: each trial draws, for every future period, " +
			"the number of epics finished in a past period picked at random, and finishes the Ready backlog in WSJF order. " +
			"Each epic gets the dates by which it was finished in 50 % and in 85 % of the trials. Epics count as finished when " +
			"they went to done after implementation (completed, stopped after the MVP, pivoted)."}, a.forecastBacklog)
	register(a, needs(lpm.ConfigureKanban, targetPortfolio), huma.Operation{OperationID: "update-kanban-column", Method: http.MethodPatch, Path: "/portfolios/{portfolio}/kanban/{state}",
		Summary: "Configure a Kanban column", Tags: []string{kanban}}, a.patchColumn,
		when(kindInvalid, "wip_limit is outside 0–10000 or set on funnel or done, enforcement is not block or warn, "+
			"or allow_backward is set on a column with no move back"))
	a.accessRoutes()
	a.canvasRoutes()
	a.roadmapRoutes()
}

// accessRoutes are the operations about who may do what: the caller's own
// account and tokens, users, portfolio members and group mappings, and the
// audit trails.
func (a *apiServer) accessRoutes() {
	const (
		account = "Account"
		users   = "Users"
		members = "Members"
		audit   = "Audit"
	)
	register(a, self, huma.Operation{OperationID: "get-me", Method: http.MethodGet, Path: "/me",
		Summary: "Who am I", Tags: []string{account},
		Description: "The caller's account, whether they are a site admin, their roles in each portfolio, and how the request was authenticated."}, a.getMe)
	register(a, self, huma.Operation{OperationID: "change-my-password", Method: http.MethodPost, Path: "/me/password",
		Summary: "Change my password", Tags: []string{account},
		Description: "Checks the current password, then sets the new one and ends every session of the caller. " +
			"Wrong current passwords count as failed sign-ins: after a few, checks are slowed down, then locked for a while."},
		a.changeMyPassword,
		when(kindInvalid, "current_password is wrong (rule mismatch), or new_password is shorter than 12 characters, longer than 256 bytes or holds control characters"),
		when(kindThrottled, "too many wrong current passwords: wait as Retry-After says"))
	register(a, self, huma.Operation{OperationID: "list-my-tokens", Method: http.MethodGet, Path: "/me/tokens",
		Summary: "List my API tokens", Tags: []string{account},
		Description: "The caller's tokens that are not revoked, without their secrets."}, a.listMyTokens)
	register(a, self, huma.Operation{OperationID: "create-my-token", Method: http.MethodPost, Path: "/me/tokens",
		Summary: "Create an API token", Tags: []string{account}, DefaultStatus: http.StatusCreated,
		Description: "Answers with the token's secret in token, this once: lpm keeps only its hash."}, a.createMyToken,
		when(kindInvalid, "name is missing or too long, scope is not read or read_write, or expires_at is not in the future or more than two years ahead"))
	register(a, self, huma.Operation{OperationID: "revoke-my-token", Method: http.MethodDelete, Path: "/me/tokens/{token}",
		Summary: "Revoke one of my API tokens", Tags: []string{account},
		Description: "The token stops working at once."}, a.revokeMyToken)

	register(a, needs(lpm.ManageUsers, targetSite), huma.Operation{OperationID: "list-users", Method: http.MethodGet, Path: "/users",
		Summary: "List users", Tags: []string{users}}, a.listUsers)
	register(a, needs(lpm.ManageUsers, targetSite), huma.Operation{OperationID: "create-user", Method: http.MethodPost, Path: "/users",
		Summary: "Create a user", Tags: []string{users}, DefaultStatus: http.StatusCreated,
		Description: "Only name is required. A user without a password signs in through single sign-on or uses API tokens."},
		a.createUser, when(kindConflict, "another user has the name"),
		when(kindInvalid, "name is not 1–64 lower-case letters, digits, '.', '_' or '-', email is not an address, or password is shorter than 12 characters"))
	register(a, needs(lpm.ManageUsers, targetSite), huma.Operation{OperationID: "get-user", Method: http.MethodGet, Path: "/users/{user}",
		Summary: "Get a user", Tags: []string{users}}, a.getUser)
	register(a, needs(lpm.ManageUsers, targetSite), huma.Operation{OperationID: "update-user", Method: http.MethodPatch, Path: "/users/{user}",
		Summary: "Change a user", Tags: []string{users},
		Description: "Every field is optional. Disabling a user ends their sessions and stops their tokens."}, a.patchUser,
		when(kindConflict, "the change would leave no active site admin"))
	register(a, needs(lpm.ManageUsers, targetSite), huma.Operation{OperationID: "set-user-password", Method: http.MethodPut, Path: "/users/{user}/password",
		Summary: "Set a user's password", Tags: []string{users},
		Description: "Sets the password without knowing the old one, and ends every session of the user."}, a.setUserPassword)
	register(a, needs(lpm.ManageUsers, targetSite), huma.Operation{OperationID: "list-user-tokens", Method: http.MethodGet, Path: "/users/{user}/tokens",
		Summary: "List a user's API tokens", Tags: []string{users}}, a.listUserTokens)
	register(a, needs(lpm.ManageUsers, targetSite), huma.Operation{OperationID: "create-user-token", Method: http.MethodPost, Path: "/users/{user}/tokens",
		Summary: "Create an API token for a user", Tags: []string{users}, DefaultStatus: http.StatusCreated,
		Description: "Answers with the token's secret in token, this once: lpm keeps only its hash."}, a.createUserToken,
		when(kindInvalid, "name is missing or too long, scope is not read or read_write, or expires_at is not in the future or more than two years ahead"))
	register(a, needs(lpm.ManageUsers, targetSite), huma.Operation{OperationID: "revoke-user-token", Method: http.MethodDelete, Path: "/users/{user}/tokens/{token}",
		Summary: "Revoke a user's API token", Tags: []string{users}}, a.revokeUserToken)

	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "list-members", Method: http.MethodGet, Path: "/portfolios/{portfolio}/members",
		Summary: "List who holds which role in a portfolio", Tags: []string{members},
		Description: "Every role held in the portfolio, by user name then role: granted directly, or through a single sign-on group (group says which)."}, a.listMembers)
	register(a, needs(lpm.ManageMembers, targetPortfolio), huma.Operation{OperationID: "grant-role", Method: http.MethodPost, Path: "/portfolios/{portfolio}/members",
		Summary: "Grant a role in a portfolio", Tags: []string{members}, DefaultStatus: http.StatusCreated,
		Description: "Granting a role the user holds already changes nothing."}, a.grantRole,
		when(kindInvalid, "user names no user, or role is not a role"))
	register(a, needs(lpm.ManageMembers, targetPortfolio), huma.Operation{OperationID: "revoke-role", Method: http.MethodDelete, Path: "/portfolios/{portfolio}/members/{user}/{role}",
		Summary: "Revoke a role in a portfolio", Tags: []string{members},
		Description: "Takes away a directly granted role; a role through a group goes with the group mapping."}, a.revokeRole,
		when(kindConflict, "it is the portfolio's last portfolio admin"))
	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "list-group-roles", Method: http.MethodGet, Path: "/portfolios/{portfolio}/group-roles",
		Summary: "List the single sign-on groups mapped to roles", Tags: []string{members}}, a.listGroupRoles)
	register(a, needs(lpm.ManageMembers, targetPortfolio), huma.Operation{OperationID: "map-group", Method: http.MethodPost, Path: "/portfolios/{portfolio}/group-roles",
		Summary: "Map a single sign-on group to a role", Tags: []string{members}, DefaultStatus: http.StatusCreated,
		Description: "Every member of the group, as the identity provider reports it at sign-in, holds the role in the portfolio."}, a.mapGroup)
	register(a, needs(lpm.ManageMembers, targetPortfolio), huma.Operation{OperationID: "unmap-group", Method: http.MethodDelete, Path: "/portfolios/{portfolio}/group-roles/{group}/{role}",
		Summary: "Remove a group mapping", Tags: []string{members}}, a.unmapGroup)

	register(a, needs(lpm.ViewAudit, targetPortfolio), huma.Operation{OperationID: "list-audit", Method: http.MethodGet, Path: "/portfolios/{portfolio}/audit",
		Summary: "List a portfolio's audit trail", Tags: []string{audit},
		Description: "Every change to the portfolio and what belongs to it, newest first."}, a.listAudit,
		when(kindInvalid, "a filter is invalid: object_type is not an audited type, object_id without object_type, to not after from, a bad cursor"))
	register(a, needs(lpm.ViewAudit, targetPortfolio), huma.Operation{OperationID: "export-audit", Method: http.MethodGet, Path: "/portfolios/{portfolio}/audit/export",
		Summary: "Export a portfolio's audit trail", Tags: []string{audit}, Responses: exportResponses(),
		Description: "Streams every entry the filters select, as a file download."}, a.exportAudit,
		when(kindInvalid, "a filter is invalid: object_type is not an audited type, object_id without object_type, to not after from"))
	register(a, needs(lpm.ManageUsers, targetSite), huma.Operation{OperationID: "list-site-audit", Method: http.MethodGet, Path: "/audit",
		Summary: "List the site's audit trail", Tags: []string{audit},
		Description: "Changes to users and tokens, newest first."}, a.listSiteAudit,
		when(kindInvalid, "a filter is invalid: object_type is not an audited type, object_id without object_type, to not after from, a bad cursor"))
	register(a, needs(lpm.ManageUsers, targetSite), huma.Operation{OperationID: "export-site-audit", Method: http.MethodGet, Path: "/audit/export",
		Summary: "Export the site's audit trail", Tags: []string{audit}, Responses: exportResponses(),
		Description: "Streams every entry the filters select, as a file download."}, a.exportSiteAudit,
		when(kindInvalid, "a filter is invalid: object_type is not an audited type, object_id without object_type, to not after from"))
}
