package api

import (
	"context"
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// portfolio is a portfolio in JSON.
type portfolio struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Currency    string    `json:"currency" doc:"ISO-4217 code all money of the portfolio is kept in; amounts are integers in its minor unit."`
	KeyPrefix   string    `json:"key_prefix" doc:"Starts every epic key of the portfolio (EP gives EP-1, EP-2…)."`
	PICadence   piCadence `json:"pi_cadence"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// piCadence is the Planning Interval rhythm in JSON.
type piCadence struct {
	Start       date `json:"start" doc:"First day of the first PI."`
	LengthWeeks int  `json:"length_weeks" minimum:"1" maximum:"26" doc:"Length of each PI in weeks."`
}

func toPortfolio(p *lpm.Portfolio) portfolio {
	return portfolio{ID: p.ID, Name: p.Name, Description: p.Description, Currency: p.Currency,
		KeyPrefix: p.KeyPrefix, PICadence: piCadence{Start: date{p.PICadence.Start}, LengthWeeks: p.PICadence.LengthWeeks},
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

// portfolioCreate is the body of POST /portfolios.
type portfolioCreate struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Currency    string          `json:"currency,omitempty" doc:"Default EUR."`
	KeyPrefix   string          `json:"key_prefix,omitempty" doc:"Default EP; 1–10 upper-case letters or digits, starting with a letter."`
	PICadence   *piCadenceInput `json:"pi_cadence,omitempty"`
}

// piCadenceInput sets or changes the PI cadence; absent fields keep their
// default or current value.
type piCadenceInput struct {
	Start       *date `json:"start,omitempty" doc:"Default: today (on create)."`
	LengthWeeks int   `json:"length_weeks,omitempty" minimum:"1" maximum:"26" doc:"Default 10 (on create)."`
}

func (c *piCadenceInput) cadence() lpm.PICadence {
	var out lpm.PICadence
	if c.Start != nil {
		out.Start = c.Start.Time
	}
	out.LengthWeeks = c.LengthWeeks
	return out
}

// portfolioPatch is the body of PATCH /portfolios/{portfolio}.
type portfolioPatch struct {
	Name        *string         `json:"name,omitempty"`
	Description *string         `json:"description,omitempty"`
	Currency    *string         `json:"currency,omitempty"`
	PICadence   *piCadenceInput `json:"pi_cadence,omitempty"`
}

// The inputs below name their parameters field by field: huma ignores
// parameters in embedded structs of unexported types.

type portfolioPath struct {
	Portfolio int64 `path:"portfolio" minimum:"1" doc:"Portfolio id."`
}

// portfolioBody is the input of an operation on a portfolio that takes a body.
type portfolioBody[B any] struct {
	Portfolio int64 `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	Body      B
}

// pageQuery is the paging of every list.
type pageQuery struct {
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Most items to return."`
	Cursor string `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page; empty for the first page."`
}

func (q pageQuery) page() lpm.Page { return lpm.Page{Limit: q.Limit, Cursor: q.Cursor} }

// portfolioListQuery pages through a list belonging to a portfolio.
type portfolioListQuery struct {
	Portfolio int64  `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	Limit     int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Most items to return."`
	Cursor    string `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page; empty for the first page."`
}

func (q portfolioListQuery) page() lpm.Page { return lpm.Page{Limit: q.Limit, Cursor: q.Cursor} }

// listed checks the answer to a list of what belongs to a portfolio. The store
// answers an unknown portfolio with an empty list, so only an empty or failed
// answer needs the portfolio looked up: to answer 404 for it, before any other
// problem, without a lookup on every list. Whether the caller may see the
// portfolio was checked before the handler ran (preauthorize).
func (a *apiServer) listed(ctx context.Context, portfolioID int64, n int, err error, what string) error {
	if err == nil && n > 0 {
		return nil
	}
	if _, perr := a.st.FindPortfolioByID(ctx, portfolioID); perr != nil {
		return fmt.Errorf("load portfolio %d: %w", portfolioID, perr)
	}
	if err != nil {
		return fmt.Errorf("list %s of portfolio %d: %w", what, portfolioID, err)
	}
	return nil
}

type portfolioPage struct {
	Items      []portfolio `json:"items"`
	NextCursor string      `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page."`
}

type portfolioOut struct {
	Body portfolio
}

type portfolioCreated struct {
	Location string `header:"Location"`
	Body     portfolio
}

func (a *apiServer) listPortfolios(ctx context.Context, in *pageQuery) (*struct{ Body portfolioPage }, error) {
	list, next, err := a.st.FindPortfolios(ctx, actorFrom(ctx), in.page())
	if err != nil {
		return nil, fmt.Errorf("list portfolios: %w", err)
	}
	out := &struct{ Body portfolioPage }{Body: portfolioPage{Items: make([]portfolio, len(list)), NextCursor: next}}
	for i, p := range list {
		out.Body.Items[i] = toPortfolio(p)
	}
	return out, nil
}

func (a *apiServer) createPortfolio(ctx context.Context, in *struct{ Body portfolioCreate }) (*portfolioCreated, error) {
	b := in.Body
	p := &lpm.Portfolio{Name: b.Name, Description: b.Description, Currency: b.Currency, KeyPrefix: b.KeyPrefix}
	if b.PICadence != nil {
		p.PICadence = b.PICadence.cadence()
	}
	p.WithDefaults(lpm.Now())
	// The store validates and stamps the portfolio.
	if err := a.st.CreatePortfolio(ctx, p, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("create portfolio: %w", err)
	}
	return &portfolioCreated{Location: fmt.Sprintf("%s/portfolios/%d", Prefix, p.ID), Body: toPortfolio(p)}, nil
}

func (a *apiServer) getPortfolio(ctx context.Context, in *portfolioPath) (*portfolioOut, error) {
	p, err := a.st.FindPortfolioByID(ctx, in.Portfolio)
	if err != nil {
		return nil, fmt.Errorf("load portfolio %d: %w", in.Portfolio, err)
	}
	return &portfolioOut{Body: toPortfolio(p)}, nil
}

func (a *apiServer) patchPortfolio(ctx context.Context, in *portfolioBody[portfolioPatch]) (*portfolioOut, error) {
	b := in.Body
	upd := lpm.PortfolioUpdate{Name: b.Name, Description: b.Description, Currency: b.Currency}
	if b.PICadence != nil {
		c := b.PICadence.cadence()
		upd.PICadence = &c
	}
	p, err := a.st.UpdatePortfolio(ctx, in.Portfolio, upd, actorFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("update portfolio %d: %w", in.Portfolio, err)
	}
	return &portfolioOut{Body: toPortfolio(p)}, nil
}
