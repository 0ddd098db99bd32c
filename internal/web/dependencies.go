package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

// The dependencies page: a portfolio's dependencies between epics and
// between value streams, each between epics flagged when the forecasts say
// it will be late, the form that records one and the buttons that remove
// them (for those who may manage_dependencies).

// sectionDependencies is the navigation entry of the dependencies page.
const sectionDependencies = "dependencies"

type dependenciesView struct {
	chrome
	PortfolioID         int64
	Dependencies        []dependencyView
	CanManage           bool
	Form                dependencyForm
	Epics, ValueStreams []option
	Risks               []option
}

type dependencyView struct {
	ID int64
	// From depends on To; FromEpic and ToEpic link epics (0 for value
	// streams).
	From, To          string
	FromEpic, ToEpic  int64
	Description, Risk string
	DuePI             string
	// Forecast says what the forecasts say of it, Late whether that is a
	// problem.
	Forecast string
	Late     bool
}

type dependencyForm struct {
	FromEpic, ToEpic, FromValueStream, ToValueStream string
	Description, Risk, DuePI                         string
	Errors                                           []string
	Invalid                                          map[string]bool
}

// dependencyRisks are the choices of a dependency's risk.
var dependencyRisks = []option{{string(lpm.RiskLow), "Low"}, {string(lpm.RiskMedium), "Medium"}, {string(lpm.RiskHigh), "High"}}

// dependencies lists the portfolio's dependencies.
func (h *handler) dependencies(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	h.renderDependencies(w, r, v, p, http.StatusOK, dependencyForm{Risk: string(lpm.RiskMedium)})
}

// createDependency records the dependency the form describes.
func (h *handler) createDependency(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	back := link{fmt.Sprintf("/portfolios/%d/dependencies", p.ID), "Back to the dependencies"}
	if err := v.actor.Authorize(lpm.ManageDependencies, lpm.PortfolioTarget(p.ID)); err != nil {
		h.failTo(w, r, http.StatusForbidden, "You may not record dependencies here", explain(err), back)
		return
	}
	f := r.PostForm
	form := dependencyForm{FromEpic: f.Get("from_epic"), ToEpic: f.Get("to_epic"), FromValueStream: f.Get("from_value_stream"),
		ToValueStream: f.Get("to_value_stream"), Description: f.Get("description"), Risk: f.Get("risk"), DuePI: strings.TrimSpace(f.Get("due_pi"))}
	var problems []lpm.Violation
	d := lpm.Dependency{PortfolioID: p.ID, Description: form.Description, Risk: lpm.DependencyRisk(form.Risk)}
	d.FromEpicID = optionalID(form.FromEpic, "from_epic_id", "choose the dependent epic from the list", &problems)
	d.ToEpicID = optionalID(form.ToEpic, "to_epic_id", "choose the epic depended on from the list", &problems)
	d.FromValueStreamID = optionalID(form.FromValueStream, "from_value_stream_id", "choose the dependent value stream from the list", &problems)
	d.ToValueStreamID = optionalID(form.ToValueStream, "to_value_stream_id", "choose the value stream depended on from the list", &problems)
	if form.DuePI != "" {
		n, err := strconv.Atoi(form.DuePI)
		if err != nil || n <= 0 {
			problems = append(problems, lpm.Violation{Field: "due_pi", Message: fmt.Sprintf("the due PI must be a PI number from 1 to %d", lpm.MaxDuePI)})
		}
		d.DuePI = n
	}
	if len(problems) == 0 {
		err := h.store.CreateDependency(r.Context(), &d, v.actor)
		if err == nil {
			h.notify(w, r, "Dependency recorded.")
			http.Redirect(w, r, fmt.Sprintf("/portfolios/%d/dependencies#dependency-%d", p.ID, d.ID), http.StatusSeeOther)
			return
		}
		if h.storeFailed(w, r, "store the dependency", err, &problems) {
			return
		}
	}
	form.Errors, form.Invalid = describeProblems(problems)
	for _, f := range []string{"from_epic", "to_epic", "from_value_stream", "to_value_stream"} {
		form.Invalid[f] = form.Invalid[f+"_id"]
	}
	h.renderDependencies(w, r, v, p, http.StatusUnprocessableEntity, form)
}

// removeDependency removes a dependency; back to the list with a notice.
func (h *handler) removeDependency(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	d, ok := pathObject(h, w, r, p, "dependency", "the dependency", h.store.FindDependencyByID,
		func(d *lpm.Dependency) int64 { return d.PortfolioID })
	if !ok {
		return
	}
	back := fmt.Sprintf("/portfolios/%d/dependencies", p.ID)
	if err := v.actor.Authorize(lpm.ManageDependencies, lpm.PortfolioTarget(p.ID)); err != nil {
		h.failTo(w, r, http.StatusForbidden, "You may not remove dependencies here", explain(err), link{back, "Back to the dependencies"})
		return
	}
	if err := h.store.DeleteDependency(r.Context(), d.ID, v.actor); err != nil {
		if lpm.ErrorCodeOf(err) == lpm.EINTERNAL {
			h.internalError(w, r, "remove the dependency", err)
			return
		}
		h.alert(w, r, "Not removed: "+explain(err))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	h.notify(w, r, "Dependency removed.")
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// renderDependencies shows the dependencies and, for those who may, the form.
func (h *handler) renderDependencies(w http.ResponseWriter, r *http.Request, v *viewer, p *lpm.Portfolio, status int, form dependencyForm) {
	ctx := r.Context()
	view := dependenciesView{PortfolioID: p.ID, Risks: dependencyRisks, CanManage: v.may(lpm.ManageDependencies, lpm.PortfolioTarget(p.ID))}
	list, err := readAll(func(pg lpm.Page) ([]*lpm.Dependency, string, error) {
		return h.store.FindDependencies(ctx, p.ID, pg)
	})
	if err != nil {
		h.internalError(w, r, "list the dependencies", err)
		return
	}
	all, epics, streams, err := h.epicsAndStreamNames(ctx, p.ID)
	if err != nil {
		h.internalError(w, r, "list the epics and value streams", err)
		return
	}
	pis, err := h.portfolioFinishPIs(ctx, p, all)
	if err != nil {
		h.internalError(w, r, "read the ARTs' shares", err)
		return
	}
	for _, d := range list {
		dv, err := newDependencyView(ctx, d, pis, epics, streams)
		if err != nil {
			h.internalError(w, r, "forecast the dependencies", err)
			return
		}
		view.Dependencies = append(view.Dependencies, dv)
	}
	if view.CanManage {
		view.Epics, view.ValueStreams = openEpicChoices(all), streams
		if form.Invalid == nil {
			form.Invalid = map[string]bool{}
		}
		view.Form = form
	}
	view.chrome = h.inPortfolio(w, r, v, p, sectionDependencies, "Dependencies")
	h.render(w, r, status, pageDependencies, view)
}

// finishPIsFrom are the forecast finish PIs of p's epics, as the API
// computes them. Epics in known are not read again; their shares come from
// shares, or when shares is nil are read for each epic when first asked
// for; any other epic is read with its shares.
func (h *handler) finishPIsFrom(p *lpm.Portfolio, known []*lpm.Epic, shares map[int64][]lpm.ARTShare) *lpm.FinishPIs {
	byID := make(map[int64]*lpm.Epic, len(known))
	for _, e := range known {
		byID[e.ID] = e
	}
	return lpm.NewFinishPIs(p.PICadence, lpm.Now(), func(ctx context.Context, epicID int64) (*lpm.Epic, []lpm.ARTShare, error) {
		e, ok := byID[epicID]
		if !ok {
			var err error
			if e, err = h.store.FindEpicByID(ctx, epicID); err != nil {
				return nil, nil, fmt.Errorf("load epic %d: %w", epicID, err)
			}
		}
		if shares != nil {
			return e, shares[epicID], nil
		}
		s, err := h.store.ForecastInputs(ctx, epicID)
		return e, s, err
	})
}

// portfolioFinishPIs is finishPIsFrom for a page showing many of the
// portfolio's dependencies: every not-done epic's shares in one query.
func (h *handler) portfolioFinishPIs(ctx context.Context, p *lpm.Portfolio, known []*lpm.Epic) (*lpm.FinishPIs, error) {
	shares, err := h.store.PortfolioForecastInputs(ctx, p.ID, openStates)
	if err != nil {
		return nil, fmt.Errorf("shares of portfolio %d: %w", p.ID, err)
	}
	return h.finishPIsFrom(p, known, shares), nil
}

// newDependencyView describes d, with what the forecasts say of it.
func newDependencyView(ctx context.Context, d *lpm.Dependency, pis *lpm.FinishPIs, epics, streams []option) (dependencyView, error) {
	dv := dependencyView{ID: d.ID, Description: d.Description, Risk: optionLabel(dependencyRisks, string(d.Risk))}
	if d.DuePI != 0 {
		dv.DuePI = fmt.Sprintf("PI %d", d.DuePI)
	}
	if !d.BetweenEpics() {
		dv.From = "Value stream " + optionLabel(streams, strconv.FormatInt(d.FromValueStreamID, 10))
		dv.To = "value stream " + optionLabel(streams, strconv.FormatInt(d.ToValueStreamID, 10))
		dv.Forecast = "Not forecast: it is between value streams."
		return dv, nil
	}
	dv.FromEpic, dv.ToEpic = d.FromEpicID, d.ToEpicID
	dv.From = optionLabel(epics, strconv.FormatInt(d.FromEpicID, 10))
	dv.To = optionLabel(epics, strconv.FormatInt(d.ToEpicID, 10))
	from, to, late, reason, err := pis.Lateness(ctx, d)
	if err != nil {
		return dv, err
	}
	switch {
	case late:
		dv.Late, dv.Forecast = true, "Late: "+reason+"."
	case to == 0 && pis.Done(d.ToEpicID):
		dv.Forecast = "Met: the epic depended on is done."
	case to == 0:
		dv.Forecast = "Not forecast: the epic depended on has no forecast."
	case from == 0:
		dv.Forecast = fmt.Sprintf("The epic depended on is forecast to finish in PI %d.", to)
	default:
		dv.Forecast = fmt.Sprintf("On time: the epic depended on is forecast to finish in PI %d, the dependent one in PI %d.", to, from)
	}
	return dv, nil
}
