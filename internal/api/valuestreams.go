package api

import (
	"context"
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// valueStream is a value stream in JSON.
type valueStream struct {
	ID          int64               `json:"id"`
	PortfolioID int64               `json:"portfolio_id"`
	Name        string              `json:"name"`
	Description string              `json:"description"`
	Kind        valueStreamKindName `json:"kind"`
	ARTs        []art               `json:"arts" doc:"Agile Release Trains realising a development value stream."`
	Solutions   []solution          `json:"solutions" doc:"Products, services and systems a development value stream delivers."`
	Supports    []int64             `json:"supports" doc:"For an operational value stream: ids of the development value streams whose solutions it uses."`
	CreatedAt   time.Time           `json:"created_at"`
}

// art is an Agile Release Train in JSON.
type art struct {
	Name      string `json:"name"`
	Headcount int    `json:"headcount,omitempty" minimum:"0" maximum:"10000"`
}

// solution is a solution in JSON.
type solution struct {
	Name        string           `json:"name"`
	Kind        solutionKindName `json:"kind"`
	Description string           `json:"description,omitempty"`
}

func toValueStream(v *lpm.ValueStream) valueStream {
	out := valueStream{ID: v.ID, PortfolioID: v.PortfolioID, Name: v.Name, Description: v.Description,
		Kind: valueStreamKindName(v.Kind), ARTs: make([]art, len(v.ARTs)), Solutions: make([]solution, len(v.Solutions)),
		Supports: nonNil(v.Supports), CreatedAt: v.CreatedAt}
	for i, a := range v.ARTs {
		out.ARTs[i] = art{Name: a.Name, Headcount: a.Headcount}
	}
	for i, s := range v.Solutions {
		out.Solutions[i] = solution{Name: s.Name, Kind: solutionKindName(s.Kind), Description: s.Description}
	}
	return out
}

// valueStreamCreate is the body of POST /portfolios/{portfolio}/value-streams.
type valueStreamCreate struct {
	Name        string              `json:"name"`
	Description string              `json:"description,omitempty"`
	Kind        valueStreamKindName `json:"kind"`
	ARTs        []art               `json:"arts,omitempty" maxItems:"50"`
	Solutions   []solution          `json:"solutions,omitempty" maxItems:"50"`
	Supports    []int64             `json:"supports,omitempty" maxItems:"50"`
}

// valueStreamPatch is the body of PATCH /value-streams/{value_stream}. A
// list that is given replaces the whole list; an empty one clears it.
type valueStreamPatch struct {
	Name        *string     `json:"name,omitempty"`
	Description *string     `json:"description,omitempty"`
	ARTs        *[]art      `json:"arts,omitempty" maxItems:"50" doc:"Development value streams only."`
	Solutions   *[]solution `json:"solutions,omitempty" maxItems:"50" doc:"Development value streams only."`
	Supports    *[]int64    `json:"supports,omitempty" maxItems:"50" doc:"Operational value streams only: ids of development value streams of the same portfolio."`
}

type valueStreamPatchIn struct {
	ValueStream int64 `path:"value_stream" minimum:"1" doc:"Value stream id."`
	Body        valueStreamPatch
}

type valueStreamPath struct {
	ValueStream int64 `path:"value_stream" minimum:"1" doc:"Value stream id."`
}

type valueStreamPage struct {
	Items      []valueStream `json:"items"`
	NextCursor string        `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page."`
}

type valueStreamOut struct {
	Body valueStream
}

type valueStreamCreated struct {
	Location string `header:"Location"`
	Body     valueStream
}

func (a *apiServer) listValueStreams(ctx context.Context, in *portfolioListQuery) (*struct{ Body valueStreamPage }, error) {
	list, next, err := a.st.FindValueStreams(ctx, in.Portfolio, in.page())
	if err := a.listed(ctx, in.Portfolio, len(list), err, "value streams"); err != nil {
		return nil, err
	}
	out := &struct{ Body valueStreamPage }{Body: valueStreamPage{Items: make([]valueStream, len(list)), NextCursor: next}}
	for i, v := range list {
		out.Body.Items[i] = toValueStream(v)
	}
	return out, nil
}

// toARTs and toSolutions read the JSON lists into the domain's.
func toARTs(in []art) []lpm.ART {
	out := make([]lpm.ART, 0, len(in))
	for _, x := range in {
		out = append(out, lpm.ART{Name: x.Name, Headcount: x.Headcount})
	}
	return out
}

func toSolutions(in []solution) []lpm.Solution {
	out := make([]lpm.Solution, 0, len(in))
	for _, s := range in {
		out = append(out, lpm.Solution{Name: s.Name, Kind: lpm.SolutionKind(s.Kind), Description: s.Description})
	}
	return out
}

func (a *apiServer) createValueStream(ctx context.Context, in *portfolioBody[valueStreamCreate]) (*valueStreamCreated, error) {
	b := in.Body
	v := &lpm.ValueStream{PortfolioID: in.Portfolio, Name: b.Name, Description: b.Description,
		Kind: lpm.ValueStreamKind(b.Kind), Supports: b.Supports, CreatedAt: lpm.Now()}
	for _, x := range b.ARTs {
		v.ARTs = append(v.ARTs, lpm.ART{Name: x.Name, Headcount: x.Headcount})
	}
	for _, s := range b.Solutions {
		v.Solutions = append(v.Solutions, lpm.Solution{Name: s.Name, Kind: lpm.SolutionKind(s.Kind), Description: s.Description})
	}
	if err := a.st.CreateValueStream(ctx, v, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("create value stream: %w", err)
	}
	return &valueStreamCreated{Location: fmt.Sprintf("%s/value-streams/%d", Prefix, v.ID), Body: toValueStream(v)}, nil
}

func (a *apiServer) getValueStream(ctx context.Context, in *valueStreamPath) (*valueStreamOut, error) {
	v, err := visible(ctx, "value stream", in.ValueStream, a.st.FindValueStreamByID,
		func(v *lpm.ValueStream) int64 { return v.PortfolioID })
	if err != nil {
		return nil, err
	}
	return &valueStreamOut{Body: toValueStream(v)}, nil
}

func (a *apiServer) patchValueStream(ctx context.Context, in *valueStreamPatchIn) (*valueStreamOut, error) {
	b := in.Body
	upd := lpm.ValueStreamUpdate{Name: b.Name, Description: b.Description, Supports: b.Supports}
	if b.ARTs != nil {
		arts := toARTs(*b.ARTs)
		upd.ARTs = &arts
	}
	if b.Solutions != nil {
		solutions := toSolutions(*b.Solutions)
		upd.Solutions = &solutions
	}
	v, err := a.st.UpdateValueStream(ctx, in.ValueStream, upd, actorFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("update value stream %d: %w", in.ValueStream, err)
	}
	return &valueStreamOut{Body: toValueStream(v)}, nil
}
