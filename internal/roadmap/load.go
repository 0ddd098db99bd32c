package roadmap

import (
	"context"
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Reader is what the roadmap reads from the store.
type Reader interface {
	FindPortfolioByID(ctx context.Context, id int64) (*lpm.Portfolio, error)
	FindValueStreams(ctx context.Context, portfolioID int64, page lpm.Page) ([]*lpm.ValueStream, string, error)
	RoadmapEpics(ctx context.Context, portfolioID int64, states []lpm.State) ([]*lpm.Epic, error)
	PortfolioForecastInputs(ctx context.Context, portfolioID int64, states []lpm.State) (map[int64][]lpm.ARTShare, error)
	FinishedEpicTimes(ctx context.Context, portfolioID int64, since time.Time) ([]time.Time, error)
}

// The Monte Carlo forecast behind the roadmap: weekly throughput over the
// last 26 weeks, 10,000 trials, a fixed seed (the same data give the same
// roadmap), looking ten years ahead.
const (
	Period         = 7 * 24 * time.Hour
	HistoryPeriods = 26
	Trials         = 10_000
	Seed           = 1
	HorizonPeriods = 3653 / 7
)

// Span is the part of the timeline asked for: From any day in the first PI
// (zero: now), PIs the number of PIs (0: lpm.DefaultRoadmapPIs).
type Span struct {
	From time.Time
	PIs  int
}

// Result is a computed roadmap with what it was computed for.
type Result struct {
	Portfolio *lpm.Portfolio
	Now       time.Time
	*lpm.Roadmap
}

// Load reads the portfolio's epics from analysis through implementation,
// its value streams, the ARTs' shares and the throughput history, and
// computes the roadmap at now. The caller checks that the reader may see
// the portfolio. EINVALID for a span longer than three years, checked
// before anything else is read.
func Load(ctx context.Context, st Reader, portfolioID int64, span Span, now time.Time) (*Result, error) {
	p, err := st.FindPortfolioByID(ctx, portfolioID)
	if err != nil {
		return nil, fmt.Errorf("load portfolio %d: %w", portfolioID, err)
	}
	if _, _, _, err := lpm.RoadmapSpan(p.PICadence, now, span.From, span.PIs); err != nil {
		return nil, err
	}
	in := lpm.RoadmapInput{Cadence: p.PICadence, Now: now, From: span.From, PIs: span.PIs}
	for page := (lpm.Page{Limit: lpm.MaxPageSize}); ; {
		list, next, err := st.FindValueStreams(ctx, portfolioID, page)
		if err != nil {
			return nil, fmt.Errorf("read the value streams of portfolio %d: %w", portfolioID, err)
		}
		in.ValueStreams = append(in.ValueStreams, list...)
		if next == "" {
			break
		}
		page.Cursor = next
	}
	if in.Epics, err = st.RoadmapEpics(ctx, portfolioID, lpm.RoadmapStates); err != nil {
		return nil, err
	}
	if in.Shares, err = st.PortfolioForecastInputs(ctx, portfolioID, lpm.RoadmapStates); err != nil {
		return nil, err
	}
	finished, err := st.FinishedEpicTimes(ctx, portfolioID, now.Add(-HistoryPeriods*Period))
	if err != nil {
		return nil, fmt.Errorf("roadmap of portfolio %d: %w", portfolioID, err)
	}
	history := lpm.Throughput(finished, now, Period, HistoryPeriods)
	if !lpm.HasThroughput(history) {
		in.MonteCarloReason = fmt.Sprintf("no epic was finished in the last %d weeks, so the Monte Carlo forecast has no throughput to draw from", HistoryPeriods)
	} else {
		var implementing, ready []*lpm.Epic
		for _, e := range in.Epics {
			switch e.State {
			case lpm.ImplementingMVP, lpm.ImplementingPersevere:
				implementing = append(implementing, e)
			case lpm.Ready:
				ready = append(ready, e)
			}
		}
		in.MonteCarlo, err = lpm.RoadmapMonteCarlo(implementing, ready,
			lpm.MonteCarloInput{History: history, Trials: Trials, MaxPeriods: HorizonPeriods, Seed: Seed}, now, Period)
		if err != nil {
			return nil, err
		}
	}
	r, err := lpm.ComputeRoadmap(in)
	if err != nil {
		return nil, err
	}
	return &Result{Portfolio: p, Now: now, Roadmap: r}, nil
}

// Title is the chart's title.
func (r *Result) Title() string {
	return fmt.Sprintf("Roadmap of %s, PI %d to PI %d", r.Portfolio.Name, firstPI(r.Roadmap), lastPI(r.Roadmap))
}

// Chart lays the roadmap out for drawing.
func (r *Result) Chart() *Chart { return New(r.Roadmap, r.Title(), r.Now) }

// FileName is the download's name without extension: roadmap-NAME-piN-piM.
func (r *Result) FileName() string {
	return fmt.Sprintf("roadmap-portfolio-%d-pi%d-pi%d", r.Portfolio.ID, firstPI(r.Roadmap), lastPI(r.Roadmap))
}
