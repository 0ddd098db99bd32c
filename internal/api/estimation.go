package api

import (
	"context"
	"fmt"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/lpm-project/lpm/internal/lpm"
)

// WSJF estimation rounds live under their portfolio, so that a caller
// without a role there is refused before anything is looked up.

// estimationRound is a round in JSON.
type estimationRound struct {
	ID          int64      `json:"id"`
	PortfolioID int64      `json:"portfolio_id"`
	Title       string     `json:"title"`
	EpicIDs     []int64    `json:"epic_ids" doc:"The epics the round scores, in the order given."`
	Closed      bool       `json:"closed" doc:"The agreed values were applied; the round takes no more estimates."`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	ClosedAt    *time.Time `json:"closed_at"`
}

func toRound(r *lpm.EstimationRound) estimationRound {
	out := estimationRound{ID: r.ID, PortfolioID: r.PortfolioID, Title: r.Title, EpicIDs: nonNil(r.EpicIDs), Closed: r.Closed,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, ClosedAt: timeOrNil(r.ClosedAt)}
	return out
}

// roundCreate is the body of POST /portfolios/{portfolio}/estimation-rounds.
type roundCreate struct {
	Title   string  `json:"title"`
	EpicIDs []int64 `json:"epic_ids" minItems:"1" maxItems:"100" doc:"Epics of the portfolio, none done."`
}

// spread is how far one component's scores spread.
type spread struct {
	Min    int     `json:"min"`
	Max    int     `json:"max"`
	Median float64 `json:"median"`
	Agreed bool    `json:"agreed" doc:"Everyone gave the same score."`
}

func toSpread(s lpm.Spread) spread { return spread(s) }

// roundEpic is an epic of a round with the spread of its estimates.
type roundEpic struct {
	EpicID     int64           `json:"epic_id"`
	Key        string          `json:"key"`
	Title      string          `json:"title"`
	Current    wsjfComponents  `json:"current" doc:"The epic's WSJF components now."`
	Estimators []string        `json:"estimators" doc:"Who scored it, by name."`
	Spread     *wsjfSpread     `json:"spread" doc:"null until someone scores it."`
	Suggested  *wsjfComponents `json:"suggested" doc:"Each component's median taken to the nearest value of the scale (the lower on a tie); null until someone scores it."`
}

type wsjfSpread struct {
	UserBusinessValue spread `json:"user_business_value"`
	TimeCriticality   spread `json:"time_criticality"`
	RiskReduction     spread `json:"risk_reduction_opportunity_enablement"`
	JobSize           spread `json:"job_size"`
}

// roundDetail is a round with the spread of each epic's estimates.
type roundDetail struct {
	estimationRound
	Epics []roundEpic `json:"epics"`
}

// estimateInput is one epic's scores in POST …/estimates.
type estimateInput struct {
	EpicID            int64         `json:"epic_id" minimum:"1"`
	UserBusinessValue estimateScore `json:"user_business_value"`
	TimeCriticality   estimateScore `json:"time_criticality"`
	RiskReduction     estimateScore `json:"risk_reduction_opportunity_enablement"`
	JobSize           estimateScore `json:"job_size"`
}

func (e estimateInput) components() lpm.WSJFComponents {
	return lpm.WSJFComponents{UserBusinessValue: int(e.UserBusinessValue), TimeCriticality: int(e.TimeCriticality),
		RiskReduction: int(e.RiskReduction), JobSize: int(e.JobSize)}
}

// estimateScore is one WSJF component of an estimate: a value of the scale,
// never "not scored".
type estimateScore int

// Schema documents the scale without 0.
func (estimateScore) Schema(huma.Registry) *huma.Schema {
	enum := make([]any, len(lpm.WSJFScale))
	for i, v := range lpm.WSJFScale {
		enum[i] = float64(v)
	}
	return &huma.Schema{Type: huma.TypeInteger, Format: "int32", Enum: enum,
		Description: "Relative score on the modified Fibonacci scale 1, 2, 3, 5, 8, 13, 20."}
}

type estimatesInput struct {
	Estimates []estimateInput `json:"estimates" minItems:"1" maxItems:"100" doc:"The caller's scores; each replaces the caller's earlier score of that epic."`
}

// roundClose is the body of POST …/close.
type roundClose struct {
	Agreed []estimateInput `json:"agreed,omitempty" maxItems:"100" doc:"The values agreed for epics of the round."`
	// AcceptSuggested takes the suggestion for every scored epic that
	// Agreed does not name.
	AcceptSuggested bool `json:"accept_suggested,omitempty" doc:"Apply the suggested values to every scored epic agreed does not name."`
}

type roundPath struct {
	Portfolio int64 `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	Round     int64 `path:"round" minimum:"1" doc:"Estimation round id."`
}

type roundBody[B any] struct {
	Portfolio int64 `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	Round     int64 `path:"round" minimum:"1" doc:"Estimation round id."`
	Body      B
}

// portfolioRound loads a round of the portfolio; a round of another
// portfolio is not found.
func (a *apiServer) portfolioRound(ctx context.Context, portfolioID, id int64) (*lpm.EstimationRound, error) {
	r, err := a.st.FindRound(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load estimation round %d: %w", id, err)
	}
	if r.PortfolioID != portfolioID {
		return nil, lpm.Errorf(lpm.ENOTFOUND, "estimation round %d not found", id)
	}
	return r, nil
}

func (a *apiServer) createRound(ctx context.Context, in *portfolioBody[roundCreate]) (*struct {
	Location string `header:"Location"`
	Body     estimationRound
}, error) {
	r := &lpm.EstimationRound{PortfolioID: in.Portfolio, Title: in.Body.Title, EpicIDs: in.Body.EpicIDs}
	if err := a.st.CreateRound(ctx, r, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("create estimation round: %w", err)
	}
	return &struct {
		Location string `header:"Location"`
		Body     estimationRound
	}{Location: fmt.Sprintf("%s/portfolios/%d/estimation-rounds/%d", Prefix, r.PortfolioID, r.ID), Body: toRound(r)}, nil
}

func (a *apiServer) listRounds(ctx context.Context, in *portfolioListQuery) (*struct{ Body page[estimationRound] }, error) {
	list, next, err := a.st.FindRounds(ctx, in.Portfolio, in.page())
	if err := a.listed(ctx, in.Portfolio, len(list), err, "estimation rounds"); err != nil {
		return nil, err
	}
	return pageOf(list, next, toRound), nil
}

func (a *apiServer) getRound(ctx context.Context, in *roundPath) (*struct{ Body roundDetail }, error) {
	r, err := a.portfolioRound(ctx, in.Portfolio, in.Round)
	if err != nil {
		return nil, err
	}
	return a.roundDetail(ctx, r)
}

// roundDetail answers a round with each epic's spread.
func (a *apiServer) roundDetail(ctx context.Context, r *lpm.EstimationRound) (*struct{ Body roundDetail }, error) {
	estimates, err := a.st.RoundEstimates(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	out := roundDetail{estimationRound: toRound(r), Epics: make([]roundEpic, 0, len(r.EpicIDs))}
	for _, s := range lpm.Spreads(r.EpicIDs, estimates) {
		e, err := a.st.FindEpicByID(ctx, s.EpicID)
		if err != nil {
			return nil, fmt.Errorf("load epic %d of estimation round %d: %w", s.EpicID, r.ID, err)
		}
		re := roundEpic{EpicID: e.ID, Key: e.Key, Title: e.Title, Current: toWSJFComponents(e.WSJF), Estimators: s.Estimators}
		if len(s.Estimators) > 0 {
			re.Spread = &wsjfSpread{UserBusinessValue: toSpread(s.UserBusinessValue), TimeCriticality: toSpread(s.TimeCriticality),
				RiskReduction: toSpread(s.RiskReduction), JobSize: toSpread(s.JobSize)}
			suggested := toWSJFComponents(s.Suggested)
			re.Suggested = &suggested
		}
		out.Epics = append(out.Epics, re)
	}
	return &struct{ Body roundDetail }{out}, nil
}

func (a *apiServer) submitEstimates(ctx context.Context, in *roundBody[estimatesInput]) (*struct{ Body roundDetail }, error) {
	if _, err := a.portfolioRound(ctx, in.Portfolio, in.Round); err != nil {
		return nil, err
	}
	list := make([]lpm.Estimate, len(in.Body.Estimates))
	for i, e := range in.Body.Estimates {
		list[i] = lpm.Estimate{RoundID: in.Round, EpicID: e.EpicID, Scores: e.components()}
	}
	if err := a.st.SubmitEstimates(ctx, in.Round, list, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("submit estimates: %w", err)
	}
	r, err := a.st.FindRound(ctx, in.Round)
	if err != nil {
		return nil, fmt.Errorf("load estimation round %d: %w", in.Round, err)
	}
	return a.roundDetail(ctx, r)
}

func (a *apiServer) closeRound(ctx context.Context, in *roundBody[roundClose]) (*struct{ Body roundDetail }, error) {
	r, err := a.portfolioRound(ctx, in.Portfolio, in.Round)
	if err != nil {
		return nil, err
	}
	agreed := make([]lpm.Agreement, len(in.Body.Agreed))
	for i, e := range in.Body.Agreed {
		agreed[i] = lpm.Agreement{EpicID: e.EpicID, Scores: e.components()}
	}
	if _, err := a.st.CloseRound(ctx, r.ID, agreed, in.Body.AcceptSuggested, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("close estimation round %d: %w", r.ID, err)
	}
	if r, err = a.st.FindRound(ctx, r.ID); err != nil {
		return nil, fmt.Errorf("load estimation round %d: %w", in.Round, err)
	}
	return a.roundDetail(ctx, r)
}
