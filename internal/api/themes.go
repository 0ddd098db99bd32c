package api

import (
	"context"
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// theme is a strategic theme in JSON.
type theme struct {
	ID          int64           `json:"id"`
	PortfolioID int64           `json:"portfolio_id"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Status      themeStatusName `json:"status"`
	ValidFrom   *date           `json:"valid_from,omitempty"`
	ValidTo     *date           `json:"valid_to,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
}

func toTheme(t *lpm.StrategicTheme) theme {
	return theme{ID: t.ID, PortfolioID: t.PortfolioID, Name: t.Name, Description: t.Description,
		Status: themeStatusName(t.Status), ValidFrom: datePtr(t.ValidFrom), ValidTo: datePtr(t.ValidTo),
		CreatedAt: t.CreatedAt}
}

// themeCreate is the body of POST /portfolios/{portfolio}/themes.
type themeCreate struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Status      themeStatusName `json:"status,omitempty" doc:"Default active."`
	ValidFrom   *date           `json:"valid_from,omitempty"`
	ValidTo     *date           `json:"valid_to,omitempty"`
}

type themePath struct {
	Theme int64 `path:"theme" minimum:"1" doc:"Strategic theme id."`
}

type themePage struct {
	Items      []theme `json:"items"`
	NextCursor string  `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page."`
}

type themeOut struct {
	Body theme
}

type themeCreated struct {
	Location string `header:"Location"`
	Body     theme
}

func (a *apiServer) listThemes(ctx context.Context, in *portfolioListQuery) (*struct{ Body themePage }, error) {
	list, next, err := a.st.FindThemes(ctx, in.Portfolio, in.page())
	if err := a.listed(ctx, in.Portfolio, len(list), err, "themes"); err != nil {
		return nil, err
	}
	out := &struct{ Body themePage }{Body: themePage{Items: make([]theme, len(list)), NextCursor: next}}
	for i, t := range list {
		out.Body.Items[i] = toTheme(t)
	}
	return out, nil
}

func (a *apiServer) createTheme(ctx context.Context, in *portfolioBody[themeCreate]) (*themeCreated, error) {
	b := in.Body
	t := &lpm.StrategicTheme{PortfolioID: in.Portfolio, Name: b.Name, Description: b.Description,
		Status: lpm.ThemeStatus(b.Status), ValidFrom: timePtr(b.ValidFrom), ValidTo: timePtr(b.ValidTo),
		CreatedAt: lpm.Now()}
	if t.Status == "" {
		t.Status = lpm.ThemeActive
	}
	if err := a.st.CreateTheme(ctx, t, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("create theme: %w", err)
	}
	return &themeCreated{Location: fmt.Sprintf("%s/themes/%d", Prefix, t.ID), Body: toTheme(t)}, nil
}

func (a *apiServer) getTheme(ctx context.Context, in *themePath) (*themeOut, error) {
	t, err := visible(ctx, "strategic theme", in.Theme, a.st.FindThemeByID,
		func(t *lpm.StrategicTheme) int64 { return t.PortfolioID })
	if err != nil {
		return nil, err
	}
	return &themeOut{Body: toTheme(t)}, nil
}
