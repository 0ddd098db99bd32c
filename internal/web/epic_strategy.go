package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
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
	// Rows are the form that sets the ARTs' shares: one per ART of the
	// epic's value streams, as stored or as typed; Errors what was wrong.
	Rows   []shareRow
	Errors []string
}

// shareRow is one ART's share in the form.
type shareRow struct {
	Index                           int
	ART                             string
	Remaining, Velocity, Allocation string
}

type artShareView struct {
	ART                                    string
	Remaining, Velocity, Allocation, PerPI string
	PIs                                    int
}

// epicStrategy reads what the epic page shows of the epic's impediments,
// dependencies and forecast; streams are the portfolio's value streams, read
// once for the whole page.
func (h *handler) epicStrategy(ctx context.Context, e *lpm.Epic, p *lpm.Portfolio, streams []*lpm.ValueStream) (epicStrategyView, error) {
	view := epicStrategyView{PortfolioID: p.ID}
	impediments, err := h.store.EpicImpediments(ctx, e.ID)
	if err != nil {
		return view, err
	}
	for _, m := range impediments {
		iv := impedimentView{ID: m.ID, Title: m.Title, Description: m.Description, Owner: m.Owner,
			Status: optionLabel(impedimentStatuses, string(m.Status)), StatusValue: string(m.Status), Raised: day(m.CreatedAt)}
		if !m.ResolvedAt.IsZero() {
			iv.Resolved = day(m.ResolvedAt)
		}
		view.Impediments = append(view.Impediments, iv)
	}
	deps, err := h.store.EpicDependencies(ctx, e.ID)
	if err != nil {
		return view, err
	}
	if len(deps) > 0 {
		linked, epics, err := h.dependencyEpics(ctx, e, deps)
		if err != nil {
			return view, err
		}
		var streamNames []option
		for _, s := range streams {
			streamNames = append(streamNames, option{strconv.FormatInt(s.ID, 10), s.Name})
		}
		pis := h.finishPIsFrom(p, linked, nil)
		for _, d := range deps {
			dv, err := newDependencyView(ctx, d, pis, epics, streamNames)
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
	view.Forecast.Rows = shareRows(e, streams, shares)
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

// shareRows are the form's rows: each ART of the epic's value streams, with
// its share when one is stored.
func shareRows(e *lpm.Epic, streams []*lpm.ValueStream, shares []lpm.ARTShare) []shareRow {
	var rows []shareRow
	seen := map[string]bool{}
	for _, vs := range streams {
		if !slices.Contains(e.ValueStreamIDs, vs.ID) {
			continue
		}
		for _, a := range vs.ARTs {
			if seen[a.Name] {
				continue
			}
			seen[a.Name] = true
			row := shareRow{Index: len(rows), ART: a.Name}
			for _, s := range shares {
				if s.ART == a.Name {
					row.Remaining, row.Velocity, row.Allocation = number(s.RemainingPoints), number(s.Velocity), number(s.Allocation)
				}
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// setForecast sets the epic's ARTs' shares from the form: rows left blank
// are ARTs not working on it.
func (h *handler) setForecast(w http.ResponseWriter, r *http.Request) {
	v, e, p, ok := h.signedInEpic(w, r)
	if !ok {
		return
	}
	back := fmt.Sprintf("/epics/%d", e.ID)
	if err := v.actor.AuthorizeEpic(lpm.EditEpic, e); err != nil {
		h.failTo(w, r, http.StatusForbidden, "You may not change this epic's forecast", explain(err), link{back, "Back to the epic"})
		return
	}
	f := r.PostForm
	var rows []shareRow
	var shares []lpm.ARTShare
	var problems []lpm.Violation
	for i := 0; i < lpm.MaxListLen; i++ {
		art := f.Get(fmt.Sprintf("art.%d", i))
		if art == "" {
			break
		}
		row := shareRow{Index: i, ART: art, Remaining: strings.TrimSpace(f.Get(fmt.Sprintf("remaining.%d", i))),
			Velocity: strings.TrimSpace(f.Get(fmt.Sprintf("velocity.%d", i))), Allocation: strings.TrimSpace(f.Get(fmt.Sprintf("allocation.%d", i)))}
		rows = append(rows, row)
		if row.Remaining == "" && row.Velocity == "" && row.Allocation == "" {
			continue
		}
		s := lpm.ARTShare{ART: art}
		s.RemainingPoints = readNumber("remaining", art+": the remaining points", row.Remaining, &problems)
		s.Velocity = readNumber("velocity", art+": the velocity", row.Velocity, &problems)
		s.Allocation = readNumber("allocation", art+": the allocation", row.Allocation, &problems)
		shares = append(shares, s)
	}
	if len(problems) == 0 {
		err := h.store.SetForecastInputs(r.Context(), e.ID, shares, v.actor)
		if err == nil {
			h.notify(w, r, fmt.Sprintf("The ARTs' shares of %s were saved.", e.Key))
			http.Redirect(w, r, back+"#forecast", http.StatusSeeOther)
			return
		}
		if h.storeFailed(w, r, "store the ARTs' shares", err, &problems) {
			return
		}
	}
	view, err := h.epicView(r.Context(), v, e, p)
	if err != nil {
		h.internalError(w, r, "load the epic", err)
		return
	}
	view.Strategy.Forecast.Rows = rows
	view.Strategy.Forecast.Errors, _ = describeProblems(problems)
	view.chrome = h.inPortfolio(w, r, v, p, sectionBoard, e.Key+" "+e.Title)
	h.render(w, r, http.StatusUnprocessableEntity, pageEpic, view)
}

// dependencyEpics are e and the epics on the other side of its
// dependencies, read one by one (an epic has few, a portfolio thousands),
// with their names.
func (h *handler) dependencyEpics(ctx context.Context, e *lpm.Epic, deps []*lpm.Dependency) ([]*lpm.Epic, []option, error) {
	epics := []*lpm.Epic{e}
	names := []option{{strconv.FormatInt(e.ID, 10), e.Key + " " + e.Title}}
	seen := map[int64]bool{e.ID: true}
	for _, d := range deps {
		for _, id := range []int64{d.FromEpicID, d.ToEpicID} {
			if id == 0 || seen[id] {
				continue
			}
			seen[id] = true
			other, err := h.store.FindEpicByID(ctx, id)
			if err != nil {
				return nil, nil, fmt.Errorf("epic %d of dependency %d: %w", id, d.ID, err)
			}
			epics = append(epics, other)
			names = append(names, option{strconv.FormatInt(id, 10), other.Key + " " + other.Title})
		}
	}
	return epics, names, nil
}
