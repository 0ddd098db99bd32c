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

// states parses the state filter, accepting repeated and comma-separated values.
func (q *epicListQuery) states() ([]lpm.State, error) {
	var out []lpm.State
	for _, v := range q.State {
		for s := range strings.SplitSeq(v, ",") {
			st := lpm.State(strings.TrimSpace(s))
			if st == "" {
				continue
			}
			if !st.Valid() {
				return nil, newProblem(kindInvalid, fmt.Sprintf("unknown state %q", st), ProblemError{
					Field: "state", Location: "query.state", Rule: "enum",
					Message: fmt.Sprintf("state must be one of %s; got %q", stateList(), st)})
			}
			out = append(out, st)
		}
	}
	return out, nil
}

// inQuery turns a domain error about query parameters into its problem,
// with each error located in the query.
func inQuery(err error) error {
	p, ok := domainProblem(err)
	if !ok {
		return err
	}
	for i := range p.Errors {
		if p.Errors[i].Field != "" {
			p.Errors[i].Location = "query." + p.Errors[i].Field
		}
	}
	return p
}

func stateList() string {
	parts := make([]string, len(lpm.States))
	for i, s := range lpm.States {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
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
	states, err := in.states()
	if err != nil {
		return nil, err
	}
	if err := lpm.ValidateSearch("q", in.Q); err != nil {
		// Checked here too, before the store, so the problem can say the
		// text is the query parameter q.
		return nil, inQuery(err)
	}
	if _, err := a.st.FindPortfolioByID(ctx, in.Portfolio); err != nil {
		return nil, fmt.Errorf("load portfolio %d: %w", in.Portfolio, err)
	}
	list, next, err := a.st.FindEpics(ctx, lpm.EpicFilter{PortfolioID: in.Portfolio, States: states,
		Type: lpm.EpicType(in.Type), ThemeID: in.Theme, ValueStreamID: in.ValueStream, Text: in.Q, Page: lpm.Page{Limit: in.Limit, Cursor: in.Cursor}})
	if err != nil {
		return nil, fmt.Errorf("list epics of portfolio %d: %w", in.Portfolio, err)
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
	e, err := a.st.FindEpicByID(ctx, in.Epic)
	if err != nil {
		return nil, fmt.Errorf("load epic %d: %w", in.Epic, err)
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
