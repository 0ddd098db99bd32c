package api

import (
	"context"
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// column is the configuration of one Kanban column in JSON.
type column struct {
	State         stateName       `json:"state"`
	WIPLimit      *int            `json:"wip_limit" doc:"Most epics the column may hold; null for no limit."`
	Enforcement   enforcementName `json:"enforcement"`
	AllowBackward bool            `json:"allow_backward" doc:"Whether the backward move out of this column is enabled, where one exists."`
}

func toColumn(c lpm.Column) column {
	return column{State: stateName(c.State), WIPLimit: c.WIPLimit, Enforcement: enforcementName(c.Enforcement),
		AllowBackward: c.AllowBackward}
}

// board is the portfolio Kanban as people look at it.
type board struct {
	PortfolioID int64         `json:"portfolio_id"`
	Columns     []boardColumn `json:"columns" doc:"In Kanban order."`
}

// boardColumn is one column with its first cards.
type boardColumn struct {
	State         stateName       `json:"state"`
	WIPLimit      *int            `json:"wip_limit" doc:"Most epics the column may hold; null for no limit."`
	Enforcement   enforcementName `json:"enforcement"`
	AllowBackward bool            `json:"allow_backward" doc:"Whether the backward move out of this column is enabled, where one exists."`
	Count         int             `json:"count" doc:"How many epics are in the column (whatever the filter: what the WIP limit counts)."`
	Matching      int             `json:"matching" doc:"How many of them the filter lets through (count without a filter)."`
	AtLimit       bool            `json:"at_limit" doc:"The column is at or over its WIP limit."`
	Epics         []card          `json:"epics" doc:"The first cards: in backlog order (highest WSJF first, unscored last, then oldest first), except in done, where the most recently finished come first."`
}

// card is the short form of an epic shown on the board.
type card struct {
	ID             int64        `json:"id"`
	Key            string       `json:"key"`
	Title          string       `json:"title"`
	Type           epicTypeName `json:"type"`
	State          stateName    `json:"state"`
	EpicOwner      string       `json:"epic_owner"`
	WSJF           *float64     `json:"wsjf" doc:"null until all four components are scored."`
	StateEnteredAt time.Time    `json:"state_entered_at"`
	CreatedAt      time.Time    `json:"created_at"`
}

func toBoard(b *lpm.Board) board {
	out := board{PortfolioID: b.PortfolioID, Columns: make([]boardColumn, len(b.Columns))}
	for i, c := range b.Columns {
		bc := boardColumn{State: stateName(c.State), WIPLimit: c.WIPLimit, Enforcement: enforcementName(c.Enforcement),
			AllowBackward: c.AllowBackward, Count: c.Count, Matching: c.Matching, AtLimit: c.AtLimit(), Epics: make([]card, len(c.Cards))}
		for j, s := range c.Cards {
			bc.Epics[j] = card{ID: s.ID, Key: s.Key, Title: s.Title, Type: epicTypeName(s.Type), State: stateName(s.State),
				EpicOwner: s.EpicOwner, WSJF: s.WSJF, StateEnteredAt: s.StateEnteredAt, CreatedAt: s.CreatedAt}
		}
		out.Columns[i] = bc
	}
	return out
}

type boardQuery struct {
	Portfolio   int64        `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	Limit       int          `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Most cards to return per column."`
	Type        epicTypeName `query:"type" doc:"Only epics of this type."`
	Theme       int64        `query:"theme" minimum:"0" doc:"Only epics linked to this strategic theme."`
	ValueStream int64        `query:"value_stream" minimum:"0" doc:"Only epics linked to this value stream."`
	Owner       string       `query:"owner" maxLength:"200" doc:"Only epics whose epic owner has this user name."`
}

func (a *apiServer) getBoard(ctx context.Context, in *boardQuery) (*struct{ Body board }, error) {
	// The board names an unknown portfolio itself: no lookup needed; whether
	// the caller may see it was checked before the handler ran.
	f := lpm.BoardFilter{Type: lpm.EpicType(in.Type), ThemeID: in.Theme, ValueStreamID: in.ValueStream, Owner: in.Owner}
	b, err := a.st.Board(ctx, in.Portfolio, f, in.Limit)
	if err != nil {
		return nil, fmt.Errorf("load board of portfolio %d: %w", in.Portfolio, err)
	}
	return &struct{ Body board }{Body: toBoard(b)}, nil
}

// columnPatch is the body of PATCH /portfolios/{portfolio}/kanban/{state}.
type columnPatch struct {
	WIPLimit      nullableLimit    `json:"wip_limit,omitempty"`
	Enforcement   *enforcementName `json:"enforcement,omitempty"`
	AllowBackward *bool            `json:"allow_backward,omitempty"`
}

func (a *apiServer) patchColumn(ctx context.Context, in *struct {
	Portfolio int64     `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	State     stateName `path:"state" doc:"The column's Kanban state."`
	Body      columnPatch
}) (*struct{ Body column }, error) {
	b := in.Body
	upd := lpm.ColumnUpdate{AllowBackward: b.AllowBackward}
	if b.WIPLimit.Set {
		if b.WIPLimit.Null {
			upd.ClearWIPLimit = true
		} else {
			n := b.WIPLimit.Value
			upd.WIPLimit = &n
		}
	}
	if b.Enforcement != nil {
		e := lpm.Enforcement(*b.Enforcement)
		upd.Enforcement = &e
	}
	c, err := a.st.UpdateColumn(ctx, in.Portfolio, lpm.State(in.State), upd, actorFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("update column %s of portfolio %d: %w", in.State, in.Portfolio, err)
	}
	return &struct{ Body column }{Body: toColumn(*c)}, nil
}
