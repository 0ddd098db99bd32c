package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/lpm-project/lpm/internal/lpm"
)

// The portfolio canvas and vision: a current state and named future-state
// candidates, each a list of versions only ever appended. Every route names
// the portfolio; a version of another portfolio is not found.

// canvasSections are the sections of the canvas (lpm.CanvasSections); a
// section left out of a save is empty.
type canvasSections struct {
	ValuePropositions     string `json:"value_propositions" required:"false"`
	Customers             string `json:"customers" required:"false"`
	Channels              string `json:"channels" required:"false"`
	CustomerRelationships string `json:"customer_relationships" required:"false"`
	ValueStreamsSolutions string `json:"value_streams_solutions" required:"false" doc:"Value streams and the solutions they deliver."`
	KeyPartners           string `json:"key_partners" required:"false"`
	KeyActivities         string `json:"key_activities" required:"false"`
	KeyResources          string `json:"key_resources" required:"false"`
	CostStructure         string `json:"cost_structure" required:"false"`
	RevenueStreams        string `json:"revenue_streams" required:"false"`
	Budget                string `json:"budget" required:"false"`
	KPIs                  string `json:"kpis" required:"false"`
}

// fields are the sections in the order of lpm.CanvasSections.
func (c *canvasSections) fields() [lpm.NumCanvasSections]*string {
	return [...]*string{&c.ValuePropositions, &c.Customers, &c.Channels, &c.CustomerRelationships, &c.ValueStreamsSolutions,
		&c.KeyPartners, &c.KeyActivities, &c.KeyResources, &c.CostStructure, &c.RevenueStreams, &c.Budget, &c.KPIs}
}

func (c *canvasSections) domain() [lpm.NumCanvasSections]string {
	var out [lpm.NumCanvasSections]string
	for i, f := range c.fields() {
		out[i] = *f
	}
	return out
}

func toCanvasSections(s [lpm.NumCanvasSections]string) canvasSections {
	var c canvasSections
	for i, f := range c.fields() {
		*f = s[i]
	}
	return c
}

// canvasKindName is current or future.
type canvasKindName string

// Schema lists the kinds.
func (canvasKindName) Schema(huma.Registry) *huma.Schema {
	return enumOf("The current state, or a named future-state candidate.", lpm.CanvasKinds)
}

// canvasVersion is one saved version of a state of the canvas.
type canvasVersion struct {
	ID          int64          `json:"id"`
	PortfolioID int64          `json:"portfolio_id"`
	StateID     int64          `json:"state_id" doc:"The state (the current state or a candidate) the version belongs to."`
	Kind        canvasKindName `json:"kind"`
	Name        string         `json:"name" doc:"The candidate's name; empty for the current state."`
	Number      int            `json:"number" doc:"The version's number in its state, from 1."`
	Sections    canvasSections `json:"sections"`
	Vision      string         `json:"vision" doc:"The portfolio vision: the future the portfolio aims at."`
	ReviewedOn  *date          `json:"reviewed_on" doc:"When the canvas was last reviewed; null for never."`
	AdoptedFrom *int64         `json:"adopted_from" doc:"The candidate version this current version was adopted from; null if saved as such."`
	SavedBy     string         `json:"saved_by"`
	SavedAt     time.Time      `json:"saved_at"`
	RetiredAt   *time.Time     `json:"retired_at" doc:"When the version's candidate was retired; null while it is live."`
}

func toCanvasVersion(v *lpm.CanvasVersion) canvasVersion {
	out := canvasVersion{ID: v.ID, PortfolioID: v.PortfolioID, StateID: v.StateID, RetiredAt: v.RetiredAt, Kind: canvasKindName(v.Kind), Name: v.Name, Number: v.Number,
		Sections: toCanvasSections(v.Sections), Vision: v.Vision, ReviewedOn: datePtr(v.ReviewedOn),
		SavedBy: v.SavedBy, SavedAt: v.SavedAt}
	if v.AdoptedFrom != 0 {
		id := v.AdoptedFrom
		out.AdoptedFrom = &id
	}
	return out
}

// canvasReview says when the current state was last reviewed.
type canvasReview struct {
	ReviewedOn *date `json:"reviewed_on" doc:"The current state's review date; null for never."`
	Due        *date `json:"due" doc:"The last day the review holds: three calendar months on (the end of a shorter month)."`
	Stale      bool  `json:"stale" doc:"True when the canvas was never reviewed or its review is older than a quarter."`
}

// canvas is the latest version of each state.
type canvas struct {
	Current    *canvasVersion  `json:"current" doc:"The current state's latest version; null before the first save."`
	Candidates []canvasVersion `json:"candidates" doc:"The latest version of each live future-state candidate, by name."`
	Retired    []canvasVersion `json:"retired" doc:"The latest version of each retired candidate, by name."`
	Review     canvasReview    `json:"review"`
}

// canvasSave is the body of POST /portfolios/{portfolio}/canvas/versions.
type canvasSave struct {
	Kind       canvasKindName `json:"kind"`
	Name       string         `json:"name,omitempty" doc:"The candidate's name (required for a future state; a new name creates the candidate); empty for the current state."`
	Sections   canvasSections `json:"sections" required:"false" doc:"Sections left out are empty."`
	Vision     string         `json:"vision,omitempty"`
	ReviewedOn *date          `json:"reviewed_on,omitempty" doc:"When the canvas was last reviewed."`
	BasedOn    int            `json:"based_on,omitempty" minimum:"0" doc:"The number of the state's version this edit started from. When given and someone has saved the state since, the save is refused (409) so that no one's change is overwritten unseen."`
}

type canvasVersionPath struct {
	Portfolio int64 `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	Version   int64 `path:"version" minimum:"1" doc:"Canvas version id."`
}

type canvasVersionList struct {
	Portfolio int64          `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	Kind      canvasKindName `query:"kind" doc:"Only the versions of this kind of state; with future, name says which candidate. Empty for every version."`
	Name      string         `query:"name" maxLength:"200" doc:"The candidate (with kind=future)."`
	Limit     int            `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Most versions to return."`
	Cursor    string         `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page; empty for the first page."`
}

type canvasCompareQuery struct {
	Portfolio int64 `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	A         int64 `query:"a" minimum:"1" required:"true" doc:"One canvas version id (shown left)."`
	B         int64 `query:"b" minimum:"1" required:"true" doc:"The other canvas version id (shown right)."`
}

// canvasRow compares one section of two versions.
type canvasRow struct {
	Section string `json:"section" doc:"A section key, vision, or reviewed_on."`
	Label   string `json:"label"`
	A       string `json:"a"`
	B       string `json:"b"`
	Changed bool   `json:"changed" doc:"The texts differ (trailing spaces and line ends aside)."`
}

type canvasComparison struct {
	A       canvasVersion `json:"a"`
	B       canvasVersion `json:"b"`
	Rows    []canvasRow   `json:"rows" doc:"Every section, then vision and reviewed_on."`
	Changed int           `json:"changed" doc:"How many rows differ."`
}

type canvasVersionCreated struct {
	Location string `header:"Location"`
	Body     canvasVersion
}

// portfolioCanvasVersion loads a version of the portfolio: one of another
// portfolio is not found, worded as for a missing one.
func (a *apiServer) portfolioCanvasVersion(ctx context.Context, portfolioID, id int64) (*lpm.CanvasVersion, error) {
	if _, err := a.st.FindPortfolioByID(ctx, portfolioID); err != nil {
		return nil, fmt.Errorf("load portfolio %d: %w", portfolioID, err)
	}
	v, err := a.st.FindCanvasVersionByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load canvas version %d: %w", id, err)
	}
	if v.PortfolioID != portfolioID {
		return nil, lpm.Errorf(lpm.ENOTFOUND, "canvas version %d not found", id)
	}
	return v, nil
}

func (a *apiServer) getCanvas(ctx context.Context, in *portfolioPath) (*struct{ Body canvas }, error) {
	if _, err := a.st.FindPortfolioByID(ctx, in.Portfolio); err != nil {
		return nil, fmt.Errorf("load portfolio %d: %w", in.Portfolio, err)
	}
	latest, err := a.st.LatestCanvasVersions(ctx, in.Portfolio)
	if err != nil {
		return nil, err
	}
	out := canvas{Candidates: []canvasVersion{}, Retired: []canvasVersion{}}
	var reviewed *time.Time
	for _, v := range latest {
		cv := toCanvasVersion(v)
		if v.Kind == lpm.CanvasCurrent {
			out.Current, reviewed = &cv, v.ReviewedOn
			continue
		}
		if v.RetiredAt != nil {
			out.Retired = append(out.Retired, cv)
			continue
		}
		out.Candidates = append(out.Candidates, cv)
	}
	out.Review = canvasReview{ReviewedOn: datePtr(reviewed), Stale: lpm.CanvasReviewStale(reviewed, lpm.Now())}
	if reviewed != nil {
		due := lpm.CanvasReviewDue(*reviewed)
		out.Review.Due = &date{due}
	}
	return &struct{ Body canvas }{out}, nil
}

func (a *apiServer) saveCanvasVersion(ctx context.Context, in *portfolioBody[canvasSave]) (*canvasVersionCreated, error) {
	b := in.Body
	v := &lpm.CanvasVersion{PortfolioID: in.Portfolio, Kind: lpm.CanvasKind(b.Kind), Name: b.Name,
		Sections: b.Sections.domain(), Vision: b.Vision, ReviewedOn: timePtr(b.ReviewedOn), BasedOn: b.BasedOn}
	if err := a.st.SaveCanvasVersion(ctx, v, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("save canvas version: %w", err)
	}
	return &canvasVersionCreated{Location: fmt.Sprintf("%s/portfolios/%d/canvas/versions/%d", Prefix, in.Portfolio, v.ID),
		Body: toCanvasVersion(v)}, nil
}

func (a *apiServer) listCanvasVersions(ctx context.Context, in *canvasVersionList) (*struct{ Body page[canvasVersion] }, error) {
	f := lpm.CanvasVersionFilter{PortfolioID: in.Portfolio, Kind: lpm.CanvasKind(in.Kind), Name: in.Name,
		Page: lpm.Page{Limit: in.Limit, Cursor: in.Cursor}}
	if f.Kind == "" && f.Name != "" {
		f.Kind = lpm.CanvasFuture
	}
	if f.Kind == lpm.CanvasCurrent && f.Name != "" {
		return nil, &lpm.Error{Code: lpm.EINVALID, Message: "invalid canvas version filter", Violations: []lpm.Violation{{
			Field: "name", Rule: "empty", Message: "the current state has no name; give name only with kind=future"}}}
	}
	list, next, err := a.st.FindCanvasVersions(ctx, f)
	if err := a.listed(ctx, in.Portfolio, len(list), err, "canvas versions"); err != nil {
		return nil, err
	}
	return pageOf(list, next, toCanvasVersion), nil
}

func (a *apiServer) getCanvasVersion(ctx context.Context, in *canvasVersionPath) (*struct{ Body canvasVersion }, error) {
	v, err := a.portfolioCanvasVersion(ctx, in.Portfolio, in.Version)
	if err != nil {
		return nil, err
	}
	return &struct{ Body canvasVersion }{toCanvasVersion(v)}, nil
}

func (a *apiServer) compareCanvasVersions(ctx context.Context, in *canvasCompareQuery) (*struct{ Body canvasComparison }, error) {
	va, err := a.portfolioCanvasVersion(ctx, in.Portfolio, in.A)
	if err != nil {
		return nil, err
	}
	vb, err := a.portfolioCanvasVersion(ctx, in.Portfolio, in.B)
	if err != nil {
		return nil, err
	}
	out := canvasComparison{A: toCanvasVersion(va), B: toCanvasVersion(vb)}
	for _, r := range lpm.CompareCanvas(va, vb) {
		out.Rows = append(out.Rows, canvasRow{Section: r.Key, Label: r.Label, A: r.A, B: r.B, Changed: r.Changed})
		if r.Changed {
			out.Changed++
		}
	}
	return &struct{ Body canvasComparison }{out}, nil
}

func (a *apiServer) adoptCanvasVersion(ctx context.Context, in *canvasVersionPath) (*canvasVersionCreated, error) {
	if _, err := a.portfolioCanvasVersion(ctx, in.Portfolio, in.Version); err != nil {
		return nil, err
	}
	v, err := a.st.AdoptCanvasVersion(ctx, in.Version, actorFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("adopt canvas version %d: %w", in.Version, err)
	}
	return &canvasVersionCreated{Location: fmt.Sprintf("%s/portfolios/%d/canvas/versions/%d", Prefix, in.Portfolio, v.ID),
		Body: toCanvasVersion(v)}, nil
}

type canvasStatePath struct {
	Portfolio int64 `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	State     int64 `path:"state" minimum:"1" doc:"Canvas state id (a version's state_id)."`
}

func (a *apiServer) retireCanvasCandidate(ctx context.Context, in *canvasStatePath) (*struct{ Body canvasVersion }, error) {
	return a.setCanvasCandidateRetired(ctx, in, true)
}

func (a *apiServer) restoreCanvasCandidate(ctx context.Context, in *canvasStatePath) (*struct{ Body canvasVersion }, error) {
	return a.setCanvasCandidateRetired(ctx, in, false)
}

func (a *apiServer) setCanvasCandidateRetired(ctx context.Context, in *canvasStatePath, retire bool) (*struct{ Body canvasVersion }, error) {
	v, err := a.st.RetireCanvasCandidate(ctx, in.Portfolio, in.State, retire, actorFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("retire canvas state %d: %w", in.State, err)
	}
	return &struct{ Body canvasVersion }{toCanvasVersion(v)}, nil
}

// canvasRoutes are the operations on the portfolio canvas and vision.
func (a *apiServer) canvasRoutes() {
	const tag = "Portfolio canvas"
	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "get-canvas", Method: http.MethodGet, Path: "/portfolios/{portfolio}/canvas",
		Summary: "Get the portfolio canvas", Tags: []string{tag},
		Description: "The latest version of the current state and of each future-state candidate, and whether the canvas " +
			"was reviewed in the last quarter (three calendar months)."}, a.getCanvas)
	register(a, needs(lpm.ManageCanvas, targetPortfolio), huma.Operation{OperationID: "save-canvas-version", Method: http.MethodPost, Path: "/portfolios/{portfolio}/canvas/versions",
		Summary: "Save a version of the canvas", Tags: []string{tag}, DefaultStatus: http.StatusCreated,
		Description: "Appends a version to the current state (kind current) or to the future-state candidate name (kind future); " +
			"saving a candidate's first version creates it. Versions are never changed."}, a.saveCanvasVersion,
		when(kindInvalid, "kind is not current or future, a future state has no name or the current state has one, "+
			"a text is too long or holds control characters, the candidate is retired"),
		when(kindConflict, "based_on names an older version than the state's latest: someone saved it meanwhile"))
	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "list-canvas-versions", Method: http.MethodGet, Path: "/portfolios/{portfolio}/canvas/versions",
		Summary: "List versions of the canvas", Tags: []string{tag},
		Description: "Every version of the portfolio's canvas, or of one state, in the order saved."}, a.listCanvasVersions,
		when(kindInvalid, "kind is unknown, name is given with kind=current, a bad cursor, a limit outside 1–500"))
	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "get-canvas-version", Method: http.MethodGet, Path: "/portfolios/{portfolio}/canvas/versions/{version}",
		Summary: "Get a version of the canvas", Tags: []string{tag}}, a.getCanvasVersion)
	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "compare-canvas-versions", Method: http.MethodGet, Path: "/portfolios/{portfolio}/canvas/compare",
		Summary: "Compare two versions of the canvas", Tags: []string{tag},
		Description: "Any two versions, of any states, section by section: every section, the vision and the review date, each marked changed or not."},
		a.compareCanvasVersions)
	register(a, needs(lpm.ManageCanvas, targetPortfolio), huma.Operation{OperationID: "adopt-canvas-version", Method: http.MethodPost, Path: "/portfolios/{portfolio}/canvas/versions/{version}/adopt",
		Summary: "Adopt a future state as the new target", Tags: []string{tag}, DefaultStatus: http.StatusCreated,
		Description: "Appends the candidate version's content to the current state as its new version, recorded as adopted from it. " +
			"Only the candidate's newest version can be adopted. The candidate and every earlier version stay."}, a.adoptCanvasVersion,
		when(kindInvalid, "the version is of the current state or of a retired candidate"),
		when(kindConflict, "the candidate has a newer version than the one given: someone saved it meanwhile"))
	register(a, needs(lpm.ManageCanvas, targetPortfolio), huma.Operation{OperationID: "retire-canvas-candidate", Method: http.MethodPost, Path: "/portfolios/{portfolio}/canvas/states/{state}/retire",
		Summary: "Retire a future-state candidate", Tags: []string{tag},
		Description: "The candidate is no longer offered: it keeps its versions (listed and comparable) but takes no new version " +
			"and cannot be adopted until restored. Answers its latest version; retiring a retired candidate changes nothing."},
		a.retireCanvasCandidate, when(kindInvalid, "the state is the current state"))
	register(a, needs(lpm.ManageCanvas, targetPortfolio), huma.Operation{OperationID: "restore-canvas-candidate", Method: http.MethodPost, Path: "/portfolios/{portfolio}/canvas/states/{state}/restore",
		Summary: "Restore a retired future-state candidate", Tags: []string{tag},
		Description: "Makes a retired candidate live again. Answers its latest version; restoring a live candidate changes nothing."},
		a.restoreCanvasCandidate, when(kindInvalid, "the state is the current state"))
}
