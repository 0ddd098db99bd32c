package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/roadmap"
)

// The forecast page: the Monte Carlo forecast of the portfolio's Ready
// backlog in WSJF order (lpm.ForecastReady, as the API), with the settings
// of the API within its limits.

// sectionForecast is the navigation entry of the forecast page.
const sectionForecast = "forecast"

type forecastView struct {
	chrome
	PortfolioID                        int64
	PeriodDays, HistoryPeriods, Trials string
	Errors                             []string
	Invalid                            map[string]bool
	// Limits say the settings' bounds.
	Limits     forecastLimits
	Forecast   bool
	Reason     string
	History    string
	InProgress int
	Horizon    string
	Items      []forecastRow
	Shown      bool
}

type forecastLimits struct {
	MinPeriod, MaxPeriod, MinHistory, MaxHistory, MinTrials, MaxTrials int
}

type forecastRow struct {
	Position       int
	ID             int64
	Key, Title     string
	WSJF, P50, P85 string
}

// forecastPage shows the forecast with the settings of the query.
func (h *handler) forecastPage(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	view := forecastView{PortfolioID: p.ID, Invalid: map[string]bool{},
		Limits: forecastLimits{lpm.MinForecastPeriodDays, lpm.MaxForecastPeriodDays, lpm.MinHistoryPeriods, lpm.MaxHistoryPeriods,
			lpm.MinForecastTrials, lpm.MaxForecastTrials}}
	setting := func(name, words string, def, lo, hi int, into *string) int {
		s := strings.TrimSpace(q.Get(name))
		if s == "" {
			*into = strconv.Itoa(def)
			return def
		}
		*into = s
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			view.Errors = append(view.Errors, fmt.Sprintf("%s must be a whole number from %d to %d.", words, lo, hi))
			view.Invalid[name] = true
		}
		return n
	}
	period := setting("period_days", "The length of a period in days", lpm.DefaultForecastPeriodDays, lpm.MinForecastPeriodDays, lpm.MaxForecastPeriodDays, &view.PeriodDays)
	history := setting("history_periods", "The number of past periods", lpm.DefaultHistoryPeriods, lpm.MinHistoryPeriods, lpm.MaxHistoryPeriods, &view.HistoryPeriods)
	trials := setting("trials", "The number of trials", lpm.DefaultForecastTrials, lpm.MinForecastTrials, lpm.MaxForecastTrials, &view.Trials)
	view.chrome = h.inPortfolio(w, r, v, p, sectionForecast, "Backlog forecast")
	if len(view.Errors) > 0 {
		h.render(w, r, http.StatusUnprocessableEntity, pageForecast, view)
		return
	}
	fc, err := roadmap.LoadBacklogForecast(ctx, h.store, p.ID, roadmap.BacklogQuery{PeriodDays: period, HistoryPeriods: history,
		Trials: trials, Seed: 1}, lpm.Now())
	if err != nil {
		h.internalError(w, r, "forecast the backlog", err)
		return
	}
	view.InProgress = fc.InProgress
	view.Shown, view.Forecast = true, fc.Forecast
	view.Horizon = fmt.Sprintf("%d days", fc.HorizonDays)
	var hist []string
	for _, n := range fc.History {
		hist = append(hist, strconv.Itoa(n))
	}
	view.History = strings.Join(hist, ", ")
	if !fc.Forecast {
		view.Reason = fmt.Sprintf("no epic was finished in the last %d periods of %d days, so there is no throughput to forecast from; look at a longer history or finish an epic first", history, period)
	}
	for _, f := range fc.Items {
		row := forecastRow{Position: f.Position, ID: f.Epic.ID, Key: f.Epic.Key, Title: f.Epic.Title, WSJF: "not scored"}
		if w, ok := f.Epic.WSJF.WSJF(); ok {
			row.WSJF = strconv.FormatFloat(w, 'f', 2, 64)
		}
		if fc.Forecast {
			row.P50, row.P85 = finishDay(f.Dates[0]), finishDay(f.Dates[1])
		}
		view.Items = append(view.Items, row)
	}
	h.render(w, r, http.StatusOK, pageForecast, view)
}

// finishDay writes a forecast finish date; zero is beyond the horizon.
func finishDay(t time.Time) string {
	if t.IsZero() {
		return "beyond the horizon"
	}
	return day(t)
}
