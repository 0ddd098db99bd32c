package api

import (
	"context"
	"fmt"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

type epicPath struct {
	Epic int64 `path:"epic" minimum:"1" doc:"Epic id."`
}

// epicBody is the input of an operation on an epic that takes a body.
type epicBody[B any] struct {
	Epic int64 `path:"epic" minimum:"1" doc:"Epic id."`
	Body B
}

// epicListQuery filters the epics of one portfolio.
type epicListQuery struct {
	Portfolio   int64        `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	Limit       int          `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Most items to return."`
	Cursor      string       `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page; empty for the first page."`
	State       []string     `query:"state,explode" doc:"Only epics in these states: repeat the parameter or separate states with commas (funnel, reviewing, analyzing, ready, implementing_mvp, implementing_persevere, done)."`
	Type        epicTypeName `query:"type" doc:"Only epics of this type."`
	Theme       int64        `query:"theme" minimum:"1" doc:"Only epics linked to this strategic theme."`
	ValueStream int64        `query:"value_stream" minimum:"1" doc:"Only epics linked to this value stream."`
	Q           string       `query:"q" maxLength:"200" doc:"Text to find in key, title or description, whatever its case: at most 200 characters on one line, without control characters."`
}

// states parses the state filter, accepting repeated and comma-separated
// values; the domain judges them (lpm.EpicFilter.Validate).
func (q *epicListQuery) states() []lpm.State {
	var out []lpm.State
	for _, v := range q.State {
		for s := range strings.SplitSeq(v, ",") {
			if st := lpm.State(strings.TrimSpace(s)); st != "" {
				out = append(out, st)
			}
		}
	}
	return out
}

// filterParams names the query parameter behind each lpm.EpicFilter field
// that differs from it.
var filterParams = map[string]string{"states": "state"}

// inQuery turns a domain error about the filter into its problem, with each
// error named and located as the query parameter it came from.
func inQuery(err error) error {
	p, ok := domainProblem(err)
	if !ok {
		return err
	}
	for i := range p.Errors {
		if f := p.Errors[i].Field; f != "" {
			if param, ok := filterParams[f]; ok {
				p.Errors[i].Field = param
			}
			p.Errors[i].Location = "query." + p.Errors[i].Field
		}
	}
	return p
}

type epicPage struct {
	Items      []Epic `json:"items"`
	NextCursor string `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page."`
}

type epicOut struct {
	Body Epic
}

type epicCreated struct {
	Location string `header:"Location"`
	Body     Epic
}

func (a *apiServer) listEpics(ctx context.Context, in *epicListQuery) (*struct{ Body epicPage }, error) {
	f := lpm.EpicFilter{PortfolioID: in.Portfolio, States: in.states(), Type: lpm.EpicType(in.Type), ThemeID: in.Theme,
		ValueStreamID: in.ValueStream, Text: in.Q, Page: lpm.Page{Limit: in.Limit, Cursor: in.Cursor}}
	if err := f.Validate(); err != nil {
		// Judged before the store so the problem can name the query parameters.
		return nil, inQuery(err)
	}
	list, next, err := a.st.FindEpics(ctx, f)
	if err := a.listed(ctx, in.Portfolio, len(list), err, "epics"); err != nil {
		return nil, err
	}
	out := &struct{ Body epicPage }{Body: epicPage{Items: make([]Epic, len(list)), NextCursor: next}}
	for i, e := range list {
		out.Body.Items[i] = toEpic(e)
	}
	return out, nil
}

func (a *apiServer) createEpic(ctx context.Context, in *portfolioBody[epicCreate]) (*epicCreated, error) {
	e, err := in.Body.newEpic(in.Portfolio, lpm.Now())
	if err != nil {
		return nil, err
	}
	if err := a.st.CreateEpic(ctx, e, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("create epic: %w", err)
	}
	return &epicCreated{Location: fmt.Sprintf("%s/epics/%d", Prefix, e.ID), Body: toEpic(e)}, nil
}

func (a *apiServer) getEpic(ctx context.Context, in *epicPath) (*epicOut, error) {
	e, err := a.visibleEpic(ctx, in.Epic)
	if err != nil {
		return nil, err
	}
	return &epicOut{Body: toEpic(e)}, nil
}

func (a *apiServer) patchEpic(ctx context.Context, in *epicBody[epicPatch]) (*epicOut, error) {
	e, err := a.st.UpdateEpic(ctx, in.Epic, in.Body.update(), actorFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("update epic %d: %w", in.Epic, err)
	}
	return &epicOut{Body: toEpic(e)}, nil
}

func (a *apiServer) deleteEpic(ctx context.Context, in *epicPath) (*struct{}, error) {
	if err := a.st.DeleteEpic(ctx, in.Epic, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("delete epic %d: %w", in.Epic, err)
	}
	return &struct{}{}, nil
}
