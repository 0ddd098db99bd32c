package api

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"
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
	conflict, forbidden := http.StatusConflict, http.StatusForbidden

	register(a, anyUser, huma.Operation{OperationID: "list-portfolios", Method: http.MethodGet, Path: "/portfolios",
		Summary: "List portfolios", Tags: []string{portfolios}}, a.listPortfolios)
	register(a, adminOnly, huma.Operation{OperationID: "create-portfolio", Method: http.MethodPost, Path: "/portfolios",
		Summary: "Create a portfolio", Tags: []string{portfolios}, DefaultStatus: http.StatusCreated,
		Description: "Creates a portfolio with the default Kanban columns. Only name is required."}, a.createPortfolio, conflict)
	register(a, anyUser, huma.Operation{OperationID: "get-portfolio", Method: http.MethodGet, Path: "/portfolios/{portfolio}",
		Summary: "Get a portfolio", Tags: []string{portfolios}}, a.getPortfolio)
	register(a, adminOnly, huma.Operation{OperationID: "update-portfolio", Method: http.MethodPatch, Path: "/portfolios/{portfolio}",
		Summary: "Change a portfolio", Tags: []string{portfolios}}, a.patchPortfolio, conflict)

	register(a, anyUser, huma.Operation{OperationID: "list-value-streams", Method: http.MethodGet, Path: "/portfolios/{portfolio}/value-streams",
		Summary: "List the value streams of a portfolio", Tags: []string{streams}}, a.listValueStreams)
	register(a, anyUser, huma.Operation{OperationID: "create-value-stream", Method: http.MethodPost, Path: "/portfolios/{portfolio}/value-streams",
		Summary: "Create a value stream", Tags: []string{streams}, DefaultStatus: http.StatusCreated}, a.createValueStream, conflict)
	register(a, anyUser, huma.Operation{OperationID: "get-value-stream", Method: http.MethodGet, Path: "/value-streams/{value_stream}",
		Summary: "Get a value stream", Tags: []string{streams}}, a.getValueStream)

	register(a, anyUser, huma.Operation{OperationID: "list-themes", Method: http.MethodGet, Path: "/portfolios/{portfolio}/themes",
		Summary: "List the strategic themes of a portfolio", Tags: []string{themes}}, a.listThemes)
	register(a, anyUser, huma.Operation{OperationID: "create-theme", Method: http.MethodPost, Path: "/portfolios/{portfolio}/themes",
		Summary: "Create a strategic theme", Tags: []string{themes}, DefaultStatus: http.StatusCreated}, a.createTheme, conflict)
	register(a, anyUser, huma.Operation{OperationID: "get-theme", Method: http.MethodGet, Path: "/themes/{theme}",
		Summary: "Get a strategic theme", Tags: []string{themes}}, a.getTheme)

	register(a, anyUser, huma.Operation{OperationID: "list-epics", Method: http.MethodGet, Path: "/portfolios/{portfolio}/epics",
		Summary: "List the epics of a portfolio", Tags: []string{epics}}, a.listEpics)
	register(a, anyUser, huma.Operation{OperationID: "create-epic", Method: http.MethodPost, Path: "/portfolios/{portfolio}/epics",
		Summary: "Propose an epic", Tags: []string{epics}, DefaultStatus: http.StatusCreated,
		Description: "Adds an epic to the funnel. Only title and type are required."}, a.createEpic, conflict)
	register(a, anyUser, huma.Operation{OperationID: "get-epic", Method: http.MethodGet, Path: "/epics/{epic}",
		Summary: "Get an epic", Tags: []string{epics}}, a.getEpic)
	register(a, anyUser, huma.Operation{OperationID: "update-epic", Method: http.MethodPatch, Path: "/epics/{epic}",
		Summary: "Change an epic", Tags: []string{epics},
		Description: "Every field is optional, nested fields individually. The state changes only through transitions."}, a.patchEpic, conflict)
	register(a, anyUser, huma.Operation{OperationID: "delete-epic", Method: http.MethodDelete, Path: "/epics/{epic}",
		Summary: "Delete an epic", Tags: []string{epics},
		Description: "Only epics still in the funnel may be deleted; others leave the board through done."}, a.deleteEpic, conflict)
	register(a, anyUser, huma.Operation{OperationID: "get-epic-history", Method: http.MethodGet, Path: "/epics/{epic}/history",
		Summary: "Get the Kanban history of an epic", Tags: []string{epics}}, a.epicHistory)
	register(a, anyUser, huma.Operation{OperationID: "list-decisions", Method: http.MethodGet, Path: "/epics/{epic}/decisions",
		Summary: "List the decisions about an epic", Tags: []string{epics}}, a.listDecisions)
	register(a, anyUser, huma.Operation{OperationID: "create-decision", Method: http.MethodPost, Path: "/epics/{epic}/decisions",
		Summary: "Record a decision about an epic", Tags: []string{epics}, DefaultStatus: http.StatusCreated}, a.createDecision)
	register(a, anyUser, huma.Operation{OperationID: "transition-epic", Method: http.MethodPost, Path: "/epics/{epic}/transitions",
		Summary: "Move an epic through the Kanban", Tags: []string{epics, kanban},
		Description: "Moves the epic if the move exists, its policies hold and the target column has room. " +
			"409 wip-limit when the column is full; 422 policy-not-met lists every unmet condition; " +
			"422 transition-not-allowed when the Kanban has no such move; 403 when a non-admin asks to override a WIP limit."},
		a.transitionEpic, conflict, forbidden)

	register(a, anyUser, huma.Operation{OperationID: "get-kanban", Method: http.MethodGet, Path: "/portfolios/{portfolio}/kanban",
		Summary: "Get the portfolio Kanban board", Tags: []string{kanban},
		Description: "Every column in Kanban order with its count and its first cards in backlog (WSJF) order."}, a.getBoard)
	register(a, adminOnly, huma.Operation{OperationID: "update-kanban-column", Method: http.MethodPatch, Path: "/portfolios/{portfolio}/kanban/{state}",
		Summary: "Configure a Kanban column", Tags: []string{kanban}}, a.patchColumn)
}
