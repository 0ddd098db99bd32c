package api

import (
	"context"
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/roadmap"
)

// backlogForecastQuery asks for a Monte Carlo forecast of the Ready backlog.
type backlogForecastQuery struct {
	Portfolio      int64  `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	PeriodDays     int    `query:"period_days" minimum:"1" maximum:"91" default:"7" doc:"Length of a throughput period, in days (7: weekly)."`
	HistoryPeriods int    `query:"history_periods" minimum:"1" maximum:"520" default:"26" doc:"How many past periods the throughput is drawn from, ending now."`
	Trials         int    `query:"trials" minimum:"100" maximum:"20000" default:"10000" doc:"How many futures are drawn."`
	Seed           uint64 `query:"seed" default:"1" doc:"Seed of the draws: the same seed and data give the same forecast."`
}

// backlogForecast is the answer.
type backlogForecast struct {
	PortfolioID int64          `json:"portfolio_id"`
	AsOf        time.Time      `json:"as_of" doc:"The forecast counts from here: the end of the newest history period."`
	PeriodDays  int            `json:"period_days"`
	History     []int          `json:"history" doc:"Epics finished (done after implementation: completed, stopped after the MVP, pivoted) in each period, oldest first."`
	Trials      int            `json:"trials"`
	InProgress  int            `json:"in_progress" doc:"Epics being implemented: they finish first, so the throughput goes to them before the Ready backlog."`
	HorizonDays int            `json:"horizon_days" doc:"How far the forecast looks: ten years, or less with many trials of short periods; dates beyond it are null."`
	Seed        uint64         `json:"seed"`
	Forecast    bool           `json:"forecast" doc:"false when the history finished no epic, so no dates can be drawn; reason says so."`
	Reason      string         `json:"reason,omitempty"`
	Items       []forecastItem `json:"items" doc:"The Ready backlog in WSJF order (CompareBacklog), each with its forecast finish."`
}

// forecastItem is one epic of the backlog and when it is forecast to finish.
type forecastItem struct {
	Position int      `json:"position" doc:"Place in the backlog, from 1."`
	ID       int64    `json:"id"`
	Key      string   `json:"key"`
	Title    string   `json:"title"`
	WSJF     *float64 `json:"wsjf" doc:"null until all four components are scored."`
	// The finish at each percentile: the end of the period by which the epic
	// was finished in that share of the trials.
	P50 *time.Time `json:"p50" doc:"Finished by this time in half of the trials; null without a forecast or beyond the horizon."`
	P85 *time.Time `json:"p85" doc:"Finished by this time in 85 % of the trials; null without a forecast or beyond the horizon."`
}

func (a *apiServer) forecastBacklog(ctx context.Context, in *backlogForecastQuery) (*struct{ Body backlogForecast }, error) {
	if _, err := a.st.FindPortfolioByID(ctx, in.Portfolio); err != nil {
		return nil, fmt.Errorf("load portfolio %d: %w", in.Portfolio, err)
	}
	asOf := lpm.Now()
	fc, err := roadmap.LoadBacklogForecast(ctx, a.st, in.Portfolio, roadmap.BacklogQuery{PeriodDays: in.PeriodDays,
		HistoryPeriods: in.HistoryPeriods, Trials: in.Trials, Seed: in.Seed}, asOf)
	if err != nil {
		return nil, err
	}
	out := backlogForecast{PortfolioID: in.Portfolio, AsOf: asOf, PeriodDays: in.PeriodDays, History: fc.History,
		Trials: in.Trials, Seed: in.Seed, InProgress: fc.InProgress, HorizonDays: fc.HorizonDays, Forecast: fc.Forecast,
		Items: make([]forecastItem, 0, len(fc.Items))}
	if !fc.Forecast {
		out.Reason = fmt.Sprintf("no epic was finished in the last %d periods of %d days, so there is no throughput "+
			"to forecast from; ask for a longer history (history_periods) or finish an epic first", in.HistoryPeriods, in.PeriodDays)
	}
	for _, f := range fc.Items {
		item := toForecastItem(f.Position, f.Epic)
		if fc.Forecast {
			item.P50, item.P85 = timeOrNil(f.Dates[0]), timeOrNil(f.Dates[1])
		}
		out.Items = append(out.Items, item)
	}
	return &struct{ Body backlogForecast }{out}, nil
}

func toForecastItem(position int, e *lpm.Epic) forecastItem {
	item := forecastItem{Position: position, ID: e.ID, Key: e.Key, Title: e.Title}
	if w, ok := e.WSJF.WSJF(); ok {
		item.WSJF = &w
	}
	return item
}

// allEpics reads every epic f selects, page by page.
func (a *apiServer) allEpics(ctx context.Context, f lpm.EpicFilter) ([]*lpm.Epic, error) {
	f.Page = lpm.Page{Limit: lpm.MaxPageSize}
	var all []*lpm.Epic
	for {
		list, next, err := a.st.FindEpics(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("read the epics of portfolio %d: %w", f.PortfolioID, err)
		}
		all = append(all, list...)
		if next == "" {
			return all, nil
		}
		f.Page.Cursor = next
	}
}

// timeOrNil is nil for the zero time.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// artShare is one ART's part in an epic, as SAFe's epic forecast uses it.
type artShare struct {
	ART             string  `json:"art" doc:"An ART of one of the epic's value streams."`
	RemainingPoints float64 `json:"remaining_points" minimum:"0" maximum:"1000000000" doc:"The epic's remaining size on this ART, in normalized story points."`
	Velocity        float64 `json:"velocity" exclusiveMinimum:"0" maximum:"1000000000" doc:"The ART's points per PI (the mean of its recent PIs)."`
	Allocation      float64 `json:"allocation" exclusiveMinimum:"0" maximum:"1" doc:"The share of the velocity the ART gives the epic."`
}

// artShareForecast is an ART's share with what it gives the forecast.
type artShareForecast struct {
	artShare
	PointsPerPI float64 `json:"points_per_pi" doc:"velocity × allocation."`
	PIs         int     `json:"pis" doc:"ceil(remaining_points ÷ points_per_pi): the PIs this ART needs."`
}

// epicForecastInputs is the body of PUT /epics/{epic}/forecast.
type epicForecastInputs struct {
	Shares []artShare `json:"shares" maxItems:"20" doc:"Every ART working on the epic; an empty list removes the inputs."`
}

// epicForecast is SAFe's forecast of when an epic finishes.
type epicForecast struct {
	EpicID   int64              `json:"epic_id"`
	Shares   []artShareForecast `json:"shares"`
	Forecast *epicForecastDates `json:"forecast" doc:"null without inputs, for an epic in done, or beyond the horizon; reason says why."`
	Reason   string             `json:"reason,omitempty"`
}

type epicForecastDates struct {
	PIs      int  `json:"pis" doc:"PIs the epic still needs: as many as its slowest ART (ARTs work in parallel)."`
	StartPI  int  `json:"start_pi" doc:"The PI the forecast counts from: the current one once the epic is implemented, else the next."`
	FinishPI int  `json:"finish_pi"`
	Finish   date `json:"finish" doc:"The last day of the finish PI."`
}

func (a *apiServer) getEpicForecast(ctx context.Context, in *epicPath) (*struct{ Body epicForecast }, error) {
	e, err := a.visibleEpic(ctx, in.Epic)
	if err != nil {
		return nil, err
	}
	return a.epicForecast(ctx, e)
}

func (a *apiServer) setEpicForecast(ctx context.Context, in *epicBody[epicForecastInputs]) (*struct{ Body epicForecast }, error) {
	e, err := a.visibleEpic(ctx, in.Epic)
	if err != nil {
		return nil, err
	}
	shares := make([]lpm.ARTShare, len(in.Body.Shares))
	for i, s := range in.Body.Shares {
		shares[i] = lpm.ARTShare{ART: s.ART, RemainingPoints: s.RemainingPoints, Velocity: s.Velocity, Allocation: s.Allocation}
	}
	if err := a.st.SetForecastInputs(ctx, in.Epic, shares, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("set forecast inputs of epic %d: %w", in.Epic, err)
	}
	// Setting the inputs changes nothing else of the epic.
	return a.epicForecast(ctx, e)
}

// epicForecast answers the epic's forecast from its stored inputs and its
// portfolio's PI cadence.
func (a *apiServer) epicForecast(ctx context.Context, e *lpm.Epic) (*struct{ Body epicForecast }, error) {
	shares, err := a.st.ForecastInputs(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	p, err := a.st.FindPortfolioByID(ctx, e.PortfolioID)
	if err != nil {
		return nil, fmt.Errorf("load portfolio %d: %w", e.PortfolioID, err)
	}
	out := epicForecast{EpicID: e.ID, Shares: make([]artShareForecast, len(shares))}
	for i, s := range shares {
		out.Shares[i] = artShareForecast{artShare: artShare{ART: s.ART, RemainingPoints: s.RemainingPoints, Velocity: s.Velocity,
			Allocation: s.Allocation}, PointsPerPI: s.PointsPerPI(), PIs: s.PIs()}
	}
	if f, ok, reason := lpm.ForecastEpicAt(e, shares, p.PICadence, lpm.Now()); ok {
		out.Forecast = &epicForecastDates{PIs: f.PIs, StartPI: f.StartPI, FinishPI: f.FinishPI, Finish: date{f.Finish.AddDate(0, 0, -1)}}
	} else {
		out.Reason = reason
	}
	return &struct{ Body epicForecast }{out}, nil
}
