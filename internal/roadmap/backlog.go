package roadmap

import (
	"context"
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// BacklogQuery asks for a Monte Carlo forecast of a portfolio's Ready
// backlog: throughput periods of PeriodDays days, HistoryPeriods of them
// ending now, Trials draws from Seed.
type BacklogQuery struct {
	PeriodDays, HistoryPeriods, Trials int
	Seed                               uint64
}

// BacklogForecast is the forecast with what it rests on.
type BacklogForecast struct {
	lpm.ReadyForecast
	// InProgress counts the epics being implemented, finished first.
	InProgress int
}

// LoadBacklogForecast reads the portfolio's Ready and implementing epics
// (all of them, only the fields the forecast uses) and its finished epics
// of the history, and forecasts the Ready backlog at now: what the API and
// the forecast page both answer. The caller checks that the reader may see
// the portfolio and that q is within lpm's bounds.
func LoadBacklogForecast(ctx context.Context, st Reader, portfolioID int64, q BacklogQuery, now time.Time) (BacklogForecast, error) {
	epics, err := st.RoadmapEpics(ctx, portfolioID, []lpm.State{lpm.Ready, lpm.ImplementingMVP, lpm.ImplementingPersevere})
	if err != nil {
		return BacklogForecast{}, fmt.Errorf("read the backlog of portfolio %d: %w", portfolioID, err)
	}
	var ready []*lpm.Epic
	inProgress := 0
	for _, e := range epics {
		if e.State == lpm.Ready {
			ready = append(ready, e)
		} else {
			inProgress++
		}
	}
	period := time.Duration(q.PeriodDays) * 24 * time.Hour
	finished, err := st.FinishedEpicTimes(ctx, portfolioID, now.Add(-time.Duration(q.HistoryPeriods)*period))
	if err != nil {
		return BacklogForecast{}, fmt.Errorf("forecast the backlog of portfolio %d: %w", portfolioID, err)
	}
	fc, err := lpm.ForecastReady(ready, inProgress, finished, now, q.PeriodDays, q.HistoryPeriods, q.Trials, q.Seed)
	if err != nil {
		return BacklogForecast{}, err
	}
	return BacklogForecast{ReadyForecast: fc, InProgress: inProgress}, nil
}
