// Package demo loads a realistic demo into an empty store: a retail bank with
// two portfolios, their value streams and strategic themes, the people of its
// LPM function with a role each in the portfolios they work in (all signing in
// with one published password), and about sixty epics with a year of Kanban
// history behind them and, for those in implementation and the top of the
// Ready backlog, the ARTs' shares that SAFe's epic forecast needs.
//
// The data is deterministic: the same clock gives the same demo, so screenshots
// and tests can rely on it. Every epic's past is a path the Kanban rules allow,
// with the decisions its policies need recorded when they were taken, and
// each move made by someone whose roles allow it.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Summary counts what Load stored.
type Summary struct {
	Portfolios   int
	ValueStreams int
	Themes       int
	Epics        int
	Users        int
	// Grants counts the roles given to users, over both portfolios.
	Grants      int
	Transitions int
	Decisions   int
	// Objectives, KeyResults and CheckIns are the themes' OKRs.
	Objectives, KeyResults, CheckIns int
}

// seed fixes the demo's random choices (WSJF scores, dwell times, detours).
const seed = 20240611

// Load stores the demo in st, with all times relative to now: the users
// (Admin a site admin, everyone with Password) and their roles, then each
// portfolio with its past. It acts as lpm.SystemActor("demo"), which the
// audit trail names. The store should be empty: the demo's user names and
// portfolio keys would clash with existing ones.
func Load(ctx context.Context, st lpm.Store, now time.Time) (*Summary, error) {
	now = now.UTC().Truncate(time.Second)
	rng := rand.New(rand.NewPCG(seed, seed))
	sharesRNG := rand.New(rand.NewPCG(sharesSeed, sharesSeed))
	cadence := lpm.PICadence{Start: cadenceStart(now), LengthWeeks: lpm.DefaultPIWeeks}
	actor := lpm.SystemActor("demo")
	sum := &Summary{}

	if err := createPeople(ctx, st, cadence.Start, actor); err != nil {
		return nil, err
	}
	sum.Users = len(people)
	for _, ps := range portfolios {
		planned, err := planPortfolio(ps, cadence, now, rng)
		if err != nil {
			return nil, err
		}
		planShares(ps, planned, sharesRNG)
		ids, err := createStructure(ctx, st, ps, cadence.Start, now, actor)
		if err != nil {
			return nil, err
		}
		sum.Portfolios++
		sum.ValueStreams += len(ids.streams)
		sum.Themes += len(ids.themes)
		// Roles come before the epics, whose owners hold them.
		grants, err := grantRoles(ctx, st, ids.portfolio, actor)
		if err != nil {
			return nil, err
		}
		sum.Grants += grants
		objectives, keyResults, checkIns, err := createOKRs(ctx, st, ps, ids, now, actor)
		if err != nil {
			return nil, err
		}
		sum.Objectives += objectives
		sum.KeyResults += keyResults
		sum.CheckIns += checkIns
		if err := createCanvas(ctx, st, ps, ids, now, actor); err != nil {
			return nil, err
		}
		for _, p := range planned {
			if err := importEpic(ctx, st, ids, p, actor); err != nil {
				return nil, err
			}
			sum.Epics++
			sum.Transitions += len(p.history)
			sum.Decisions += len(p.decisions)
		}
		for _, p := range planned {
			if len(p.shares) == 0 {
				continue
			}
			if err := st.SetForecastInputs(ctx, p.id, p.shares, actor); err != nil {
				return nil, fmt.Errorf("set the ARTs' shares of demo epic %s: %w", p.key, err)
			}
		}
	}
	return sum, nil
}

// cadenceStart is the Monday a little over a year before now, so that the
// whole demo history falls in numbered PIs.
func cadenceStart(now time.Time) time.Time {
	d := now.AddDate(0, 0, -365)
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// importEpic stores one planned epic with its past. A pivot's new epic
// comes after the epic it was pivoted from (it is younger), so the parent's
// ID and key are known by then.
func importEpic(ctx context.Context, st lpm.Store, ids *portfolioIDs, p *plannedEpic, actor lpm.Actor) error {
	e := p.epic
	e.PortfolioID = ids.portfolio.ID
	e.ThemeIDs, e.ValueStreamIDs = nil, nil
	for _, i := range p.themes {
		e.ThemeIDs = append(e.ThemeIDs, ids.themes[i])
	}
	for _, i := range p.streams {
		e.ValueStreamIDs = append(e.ValueStreamIDs, ids.streams[i].ID)
	}
	history := append([]lpm.Transition(nil), p.history...)
	if p.parent != nil {
		if p.parent.id == 0 {
			return fmt.Errorf("import demo epic %q: the epic it pivots from is not stored yet", e.Title)
		}
		e.PivotedFrom = p.parent.id
		history[0].Reason = "Created by the pivot of " + p.parent.key
	}
	if err := e.Validate(); err != nil {
		return fmt.Errorf("demo epic %q: %w", e.Title, err)
	}
	decisions := append([]lpm.Decision(nil), p.decisions...)
	if err := st.ImportEpic(ctx, &e, history, decisions, actor); err != nil {
		return fmt.Errorf("import demo epic %q: %w", e.Title, err)
	}
	if e.ID == 0 {
		return fmt.Errorf("import demo epic %q: the store assigned no ID", e.Title)
	}
	p.id, p.key = e.ID, e.Key
	return nil
}
