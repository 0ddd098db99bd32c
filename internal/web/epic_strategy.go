package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

// The epic page's strategy sections: the impediments holding the epic up,
// its dependencies (flagged late as on the dependencies page) and its SAFe
// forecast from its ARTs' shares.

type epicStrategyView struct {
	PortfolioID  int64
	Impediments  []impedimentView
	Dependencies []dependencyView
	Forecast     epicForecastView
}

// epicForecastView is an epic's forecast: its ARTs' shares and, when there
// is one, the PIs it needs and the PI it is expected to finish in; else why
// it cannot be forecast.
type epicForecastView struct {
	Shares         []artShareView
	OK             bool
	PIs, StartPI   int
	FinishPI       int
	Finish, Reason string
}

type artShareView struct {
	ART                                    string
	Remaining, Velocity, Allocation, PerPI string
	PIs                                    int
}

// epicStrategy reads what the epic page shows of the epic's impediments,
// dependencies and forecast.
func (h *handler) epicStrategy(ctx context.Context, e *lpm.Epic, p *lpm.Portfolio) (epicStrategyView, error) {
	view := epicStrategyView{PortfolioID: p.ID}
	impediments, err := readAll(func(pg lpm.Page) ([]*lpm.Impediment, string, error) {
		return h.store.FindImpediments(ctx, p.ID, nil, pg)
	})
	if err != nil {
		return view, fmt.Errorf("impediments of portfolio %d: %w", p.ID, err)
	}
	for _, m := range impediments {
		if m.EpicID != e.ID {
			continue
		}
		iv := impedimentView{ID: m.ID, Title: m.Title, Description: m.Description, Owner: m.Owner,
			Status: optionLabel(impedimentStatuses, string(m.Status)), StatusValue: string(m.Status), Raised: day(m.CreatedAt)}
		if !m.ResolvedAt.IsZero() {
			iv.Resolved = day(m.ResolvedAt)
		}
		view.Impediments = append(view.Impediments, iv)
	}
	deps, err := readAll(func(pg lpm.Page) ([]*lpm.Dependency, string, error) {
		return h.store.FindDependencies(ctx, p.ID, pg)
	})
	if err != nil {
		return view, fmt.Errorf("dependencies of portfolio %d: %w", p.ID, err)
	}
	var mine []*lpm.Dependency
	for _, d := range deps {
		if d.FromEpicID == e.ID || d.ToEpicID == e.ID {
			mine = append(mine, d)
		}
	}
	if len(mine) > 0 {
		epics, streams, err := h.epicAndStreamNames(ctx, p.ID)
		if err != nil {
			return view, err
		}
		pis := h.finishPIs(p)
		for _, d := range mine {
			dv, err := newDependencyView(ctx, d, pis, epics, streams)
			if err != nil {
				return view, err
			}
			view.Dependencies = append(view.Dependencies, dv)
		}
	}
	shares, err := h.store.ForecastInputs(ctx, e.ID)
	if err != nil {
		return view, fmt.Errorf("forecast inputs of epic %d: %w", e.ID, err)
	}
	for _, s := range shares {
		view.Forecast.Shares = append(view.Forecast.Shares, artShareView{ART: s.ART, Remaining: number(s.RemainingPoints),
			Velocity: number(s.Velocity), Allocation: strconv.FormatFloat(100*s.Allocation, 'f', -1, 64) + " %",
			PerPI: number(s.PointsPerPI()), PIs: s.PIs()})
	}
	f, ok, reason := lpm.ForecastEpicAt(e, shares, p.PICadence, lpm.Now())
	if !ok && len(shares) == 0 {
		// The domain's reason tells API callers what to send.
		reason = "no ART's share of it is given yet"
	}
	view.Forecast.OK, view.Forecast.Reason = ok, strings.TrimSuffix(reason, ".")
	if ok {
		view.Forecast.PIs, view.Forecast.StartPI, view.Forecast.FinishPI = f.PIs, f.StartPI, f.FinishPI
		// Finish is when the PI ends (exclusive): its last day is the day before.
		view.Forecast.Finish = day(f.Finish.AddDate(0, 0, -1))
	}
	return view, nil
}
