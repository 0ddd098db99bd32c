package lpm

import "time"

// Bounds and defaults of a forecast of the Ready backlog, as the API and
// the pages offer it.
const (
	// ForecastHorizonDays is how far a backlog forecast looks at most: ten
	// years.
	ForecastHorizonDays                                                     = 3653
	MinForecastPeriodDays, MaxForecastPeriodDays, DefaultForecastPeriodDays = 1, 91, 7
	MinHistoryPeriods, MaxHistoryPeriods, DefaultHistoryPeriods             = 1, 520, 26
	MinForecastTrials, MaxForecastTrials, DefaultForecastTrials             = 100, 20000, 10000
)

// ForecastPercentiles are the percentiles a backlog forecast gives: when
// each epic is finished in half of the trials, and in 85 % of them.
var ForecastPercentiles = []float64{0.5, 0.85}

// ReadyForecast is the Monte Carlo forecast of a Ready backlog.
type ReadyForecast struct {
	History []int
	// HorizonDays is how far the forecast looks: ForecastHorizonDays, or
	// less with many trials of short periods.
	HorizonDays int
	// Forecast is false when the history finished no epic: Items then
	// carry no dates.
	Forecast bool
	// Items are the backlog in WSJF order, each with its finish dates at
	// ForecastPercentiles (zero beyond the horizon).
	Items []EpicFinish
}

// ForecastReady forecasts when each epic of the Ready backlog is finished:
// the throughput of the historyPeriods periods of periodDays days ending at
// asOf (finished are the times epics were finished since then), inProgress
// epics (those being implemented) finishing first, over trials draws from
// seed.
func ForecastReady(ready []*Epic, inProgress int, finished []time.Time, asOf time.Time, periodDays, historyPeriods, trials int, seed uint64) (ReadyForecast, error) {
	period := time.Duration(periodDays) * 24 * time.Hour
	horizon := min(ForecastHorizonDays/periodDays, MaxMonteCarloWork/trials)
	out := ReadyForecast{History: Throughput(finished, asOf, period, historyPeriods), HorizonDays: horizon * periodDays}
	if !HasThroughput(out.History) {
		for k, e := range OrderBacklog(ready) {
			out.Items = append(out.Items, EpicFinish{Epic: e, Position: k + 1})
		}
		return out, nil
	}
	finishes, err := ForecastEpics(ready, inProgress, MonteCarloInput{History: out.History, Trials: trials,
		Percentiles: ForecastPercentiles, MaxPeriods: horizon, Seed: seed}, asOf, period)
	if err != nil {
		return out, err
	}
	out.Forecast, out.Items = true, finishes
	return out, nil
}
