package api

import (
	"context"
	"fmt"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/lpm-project/lpm/internal/lpm"
)

// impediment is an impediment in JSON.
type impediment struct {
	ID            int64                `json:"id"`
	PortfolioID   int64                `json:"portfolio_id"`
	Title         string               `json:"title"`
	Description   string               `json:"description"`
	Owner         string               `json:"owner" doc:"Who removes it; empty while nobody does."`
	Status        impedimentStatusName `json:"status"`
	EpicID        *int64               `json:"epic_id" doc:"The epic it holds up; null for none."`
	ValueStreamID *int64               `json:"value_stream_id" doc:"The value stream it holds up; null for none."`
	CreatedAt     time.Time            `json:"created_at"`
	UpdatedAt     time.Time            `json:"updated_at"`
	ResolvedAt    *time.Time           `json:"resolved_at" doc:"When it was resolved; null while it is not."`
}

func idOrNil(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func toImpediment(m *lpm.Impediment) impediment {
	return impediment{ID: m.ID, PortfolioID: m.PortfolioID, Title: m.Title, Description: m.Description, Owner: m.Owner,
		Status: impedimentStatusName(m.Status), EpicID: idOrNil(m.EpicID), ValueStreamID: idOrNil(m.ValueStreamID),
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, ResolvedAt: timeOrNil(m.ResolvedAt)}
}

// impedimentStatusName is where an impediment is in its life.
type impedimentStatusName string

// Schema lists the statuses.
func (impedimentStatusName) Schema(huma.Registry) *huma.Schema {
	return enumOf("Where an impediment is: open, in_progress or resolved.", lpm.ImpedimentStatuses)
}

// impedimentCreate is the body of POST /portfolios/{portfolio}/impediments.
type impedimentCreate struct {
	Title         string               `json:"title"`
	Description   string               `json:"description,omitempty"`
	Owner         string               `json:"owner,omitempty" doc:"User name of whoever removes it."`
	Status        impedimentStatusName `json:"status,omitempty" doc:"Default open."`
	EpicID        int64                `json:"epic_id,omitempty" minimum:"1" doc:"An epic of the portfolio it holds up."`
	ValueStreamID int64                `json:"value_stream_id,omitempty" minimum:"1" doc:"A value stream of the portfolio it holds up."`
}

// impedimentPatch is the body of PATCH …/impediments/{impediment}.
type impedimentPatch struct {
	Title         *string               `json:"title,omitempty"`
	Description   *string               `json:"description,omitempty"`
	Owner         *string               `json:"owner,omitempty" doc:"Empty for nobody."`
	Status        *impedimentStatusName `json:"status,omitempty" doc:"resolved stamps resolved_at; any other status clears it."`
	EpicID        *int64                `json:"epic_id,omitempty" minimum:"0" doc:"0 removes the link."`
	ValueStreamID *int64                `json:"value_stream_id,omitempty" minimum:"0" doc:"0 removes the link."`
}

type impedimentListQuery struct {
	Portfolio int64                  `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	Status    []impedimentStatusName `query:"status" doc:"Only impediments with one of these statuses (repeat or separate with commas)."`
	Limit     int                    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Most items to return."`
	Cursor    string                 `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page; empty for the first page."`
}

type impedimentBody[B any] struct {
	Portfolio  int64 `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	Impediment int64 `path:"impediment" minimum:"1" doc:"Impediment id."`
	Body       B
}

type impedimentPath struct {
	Portfolio  int64 `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	Impediment int64 `path:"impediment" minimum:"1" doc:"Impediment id."`
}

// portfolioImpediment loads an impediment of the portfolio; one of another
// portfolio is not found.
func (a *apiServer) portfolioImpediment(ctx context.Context, portfolioID, id int64) (*lpm.Impediment, error) {
	m, err := a.st.FindImpedimentByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load impediment %d: %w", id, err)
	}
	if m.PortfolioID != portfolioID {
		return nil, lpm.Errorf(lpm.ENOTFOUND, "impediment %d not found", id)
	}
	return m, nil
}

func (a *apiServer) listImpediments(ctx context.Context, in *impedimentListQuery) (*struct{ Body page[impediment] }, error) {
	statuses := make([]lpm.ImpedimentStatus, len(in.Status))
	for i, s := range in.Status {
		statuses[i] = lpm.ImpedimentStatus(s)
	}
	list, next, err := a.st.FindImpediments(ctx, in.Portfolio, statuses, lpm.Page{Limit: in.Limit, Cursor: in.Cursor})
	if err := a.listed(ctx, in.Portfolio, len(list), err, "impediments"); err != nil {
		return nil, err
	}
	return pageOf(list, next, toImpediment), nil
}

func (a *apiServer) createImpediment(ctx context.Context, in *portfolioBody[impedimentCreate]) (*struct {
	Location string `header:"Location"`
	Body     impediment
}, error) {
	b := in.Body
	m := &lpm.Impediment{PortfolioID: in.Portfolio, Title: b.Title, Description: b.Description, Owner: b.Owner,
		Status: lpm.ImpedimentStatus(b.Status), EpicID: b.EpicID, ValueStreamID: b.ValueStreamID}
	if err := a.st.CreateImpediment(ctx, m, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("create impediment: %w", err)
	}
	return &struct {
		Location string `header:"Location"`
		Body     impediment
	}{Location: fmt.Sprintf("%s/portfolios/%d/impediments/%d", Prefix, m.PortfolioID, m.ID), Body: toImpediment(m)}, nil
}

func (a *apiServer) getImpediment(ctx context.Context, in *impedimentPath) (*struct{ Body impediment }, error) {
	m, err := a.portfolioImpediment(ctx, in.Portfolio, in.Impediment)
	if err != nil {
		return nil, err
	}
	return &struct{ Body impediment }{toImpediment(m)}, nil
}

func (a *apiServer) patchImpediment(ctx context.Context, in *impedimentBody[impedimentPatch]) (*struct{ Body impediment }, error) {
	if _, err := a.portfolioImpediment(ctx, in.Portfolio, in.Impediment); err != nil {
		return nil, err
	}
	b := in.Body
	upd := lpm.ImpedimentUpdate{Title: b.Title, Description: b.Description, Owner: b.Owner, EpicID: b.EpicID, ValueStreamID: b.ValueStreamID}
	if b.Status != nil {
		st := lpm.ImpedimentStatus(*b.Status)
		upd.Status = &st
	}
	m, err := a.st.UpdateImpediment(ctx, in.Impediment, upd, actorFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("update impediment %d: %w", in.Impediment, err)
	}
	return &struct{ Body impediment }{toImpediment(m)}, nil
}
