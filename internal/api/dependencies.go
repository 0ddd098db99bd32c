package api

import (
	"context"
	"fmt"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/lpm-project/lpm/internal/lpm"
)

// dependency is a dependency in JSON, with what the forecasts say of it.
type dependency struct {
	ID                int64     `json:"id"`
	PortfolioID       int64     `json:"portfolio_id"`
	FromEpicID        *int64    `json:"from_epic_id" doc:"The dependent epic; null for a dependency between value streams."`
	ToEpicID          *int64    `json:"to_epic_id" doc:"The epic depended on."`
	FromValueStreamID *int64    `json:"from_value_stream_id" doc:"The dependent value stream; null for a dependency between epics."`
	ToValueStreamID   *int64    `json:"to_value_stream_id" doc:"The value stream depended on."`
	Description       string    `json:"description"`
	Risk              riskName  `json:"risk"`
	DuePI             *int      `json:"due_pi" doc:"The PI by which the other side must deliver; null for none."`
	CreatedBy         string    `json:"created_by"`
	CreatedAt         time.Time `json:"created_at"`
	// For dependencies between epics: their forecast finish PIs (SAFe's
	// forecast, GET /epics/{e}/forecast) and whether they hold.
	FromFinishPI *int   `json:"from_finish_pi,omitempty" doc:"The dependent epic's forecast finish PI, when it has a forecast."`
	ToFinishPI   *int   `json:"to_finish_pi,omitempty" doc:"The forecast finish PI of the epic depended on, when it has a forecast."`
	Late         bool   `json:"late" doc:"The epic depended on is forecast to finish after the dependent one, or after the due PI."`
	LateReason   string `json:"late_reason,omitempty"`
}

// riskName is how much a dependency threatens the dependent side.
type riskName string

// Schema lists the risks.
func (riskName) Schema(huma.Registry) *huma.Schema {
	return enumOf("How much the dependency threatens the dependent side.", lpm.DependencyRisks)
}

// dependencyCreate is the body of POST /portfolios/{portfolio}/dependencies.
type dependencyCreate struct {
	FromEpicID        int64    `json:"from_epic_id,omitempty" minimum:"1" doc:"With to_epic_id: this epic depends on that one."`
	ToEpicID          int64    `json:"to_epic_id,omitempty" minimum:"1"`
	FromValueStreamID int64    `json:"from_value_stream_id,omitempty" minimum:"1" doc:"With to_value_stream_id, instead of the epics."`
	ToValueStreamID   int64    `json:"to_value_stream_id,omitempty" minimum:"1"`
	Description       string   `json:"description,omitempty"`
	Risk              riskName `json:"risk,omitempty" doc:"Default medium."`
	DuePI             int      `json:"due_pi,omitempty" minimum:"1" maximum:"10000"`
}

type dependencyPath struct {
	Portfolio  int64 `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	Dependency int64 `path:"dependency" minimum:"1" doc:"Dependency id."`
}

func intOrNil(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

// finishPIs answers the forecast finish PIs of epics, each read once per
// request however many dependencies name it.
func (a *apiServer) finishPIs(cadence lpm.PICadence) *lpm.FinishPIs {
	return lpm.NewFinishPIs(cadence, lpm.Now(), func(ctx context.Context, epicID int64) (*lpm.Epic, []lpm.ARTShare, error) {
		e, err := a.st.FindEpicByID(ctx, epicID)
		if err != nil {
			return nil, nil, fmt.Errorf("load epic %d: %w", epicID, err)
		}
		shares, err := a.st.ForecastInputs(ctx, epicID)
		return e, shares, err
	})
}

// toDependency answers d with its epics' forecasts.
func toDependency(ctx context.Context, d *lpm.Dependency, pis *lpm.FinishPIs) (dependency, error) {
	out := dependency{ID: d.ID, PortfolioID: d.PortfolioID, FromEpicID: idOrNil(d.FromEpicID), ToEpicID: idOrNil(d.ToEpicID),
		FromValueStreamID: idOrNil(d.FromValueStreamID), ToValueStreamID: idOrNil(d.ToValueStreamID), Description: d.Description,
		Risk: riskName(d.Risk), DuePI: intOrNil(d.DuePI), CreatedBy: d.CreatedBy, CreatedAt: d.CreatedAt}
	if !d.BetweenEpics() {
		return out, nil
	}
	from, to, late, reason, err := pis.Lateness(ctx, d)
	if err != nil {
		return out, err
	}
	out.FromFinishPI, out.ToFinishPI = intOrNil(from), intOrNil(to)
	out.Late, out.LateReason = late, reason
	return out, nil
}

func (a *apiServer) listDependencies(ctx context.Context, in *portfolioListQuery) (*struct{ Body page[dependency] }, error) {
	list, next, err := a.st.FindDependencies(ctx, in.Portfolio, in.page())
	if err := a.listed(ctx, in.Portfolio, len(list), err, "dependencies"); err != nil {
		return nil, err
	}
	p, err := a.st.FindPortfolioByID(ctx, in.Portfolio)
	if err != nil {
		return nil, fmt.Errorf("load portfolio %d: %w", in.Portfolio, err)
	}
	pis := a.finishPIs(p.PICadence)
	out := page[dependency]{Items: make([]dependency, len(list)), NextCursor: next}
	for i, d := range list {
		if out.Items[i], err = toDependency(ctx, d, pis); err != nil {
			return nil, err
		}
	}
	return &struct{ Body page[dependency] }{out}, nil
}

func (a *apiServer) createDependency(ctx context.Context, in *portfolioBody[dependencyCreate]) (*struct {
	Location string `header:"Location"`
	Body     dependency
}, error) {
	b := in.Body
	d := &lpm.Dependency{PortfolioID: in.Portfolio, FromEpicID: b.FromEpicID, ToEpicID: b.ToEpicID,
		FromValueStreamID: b.FromValueStreamID, ToValueStreamID: b.ToValueStreamID, Description: b.Description,
		Risk: lpm.DependencyRisk(b.Risk), DuePI: b.DuePI}
	if d.Risk == "" {
		d.Risk = lpm.RiskMedium
	}
	if err := a.st.CreateDependency(ctx, d, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("create dependency: %w", err)
	}
	p, err := a.st.FindPortfolioByID(ctx, in.Portfolio)
	if err != nil {
		return nil, fmt.Errorf("load portfolio %d: %w", in.Portfolio, err)
	}
	out, err := toDependency(ctx, d, a.finishPIs(p.PICadence))
	if err != nil {
		return nil, err
	}
	return &struct {
		Location string `header:"Location"`
		Body     dependency
	}{Location: fmt.Sprintf("%s/portfolios/%d/dependencies", Prefix, d.PortfolioID), Body: out}, nil
}

func (a *apiServer) deleteDependency(ctx context.Context, in *dependencyPath) (*struct{}, error) {
	d, err := a.st.FindDependencyByID(ctx, in.Dependency)
	if err != nil {
		return nil, fmt.Errorf("load dependency %d: %w", in.Dependency, err)
	}
	if d.PortfolioID != in.Portfolio {
		return nil, lpm.Errorf(lpm.ENOTFOUND, "dependency %d not found", in.Dependency)
	}
	if err := a.st.DeleteDependency(ctx, in.Dependency, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("delete dependency %d: %w", in.Dependency, err)
	}
	return &struct{}{}, nil
}
