package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

// The impediments page: a portfolio's impediments, filtered by status, the
// form that raises one and, on each, the form that changes its status (for
// those who may manage_impediments).

// sectionImpediments is the navigation entry of the impediments page.
const sectionImpediments = "impediments"

type impedimentsView struct {
	chrome
	PortfolioID int64
	Status      string
	Statuses    []option
	Impediments []impedimentView
	CanManage   bool
	Form        impedimentForm
	// Epics and ValueStreams are what an impediment may hold up.
	Epics, ValueStreams []option
}

type impedimentView struct {
	ID                        int64
	Title, Description, Owner string
	Status, StatusValue       string
	// HoldsUp names the epic or value stream it holds up, EpicID links the
	// epic.
	HoldsUp, ValueStream string
	EpicID               int64
	Raised, Resolved     string
}

type impedimentForm struct {
	Title, Description, Owner, Status, Epic, ValueStream string
	Errors                                               []string
	Invalid                                              map[string]bool
}

// impedimentStatuses are the choices of an impediment's status.
var impedimentStatuses = []option{
	{string(lpm.ImpedimentOpen), "Open"}, {string(lpm.ImpedimentInProgress), "In progress"}, {string(lpm.ImpedimentResolved), "Resolved"},
}

// impediments lists the portfolio's impediments, ?status= filtering.
func (h *handler) impediments(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	h.renderImpediments(w, r, v, p, http.StatusOK, impedimentForm{Status: string(lpm.ImpedimentOpen)})
}

// createImpediment raises the impediment the form describes.
func (h *handler) createImpediment(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	back := link{fmt.Sprintf("/portfolios/%d/impediments", p.ID), "Back to the impediments"}
	if err := v.actor.Authorize(lpm.ManageImpediments, lpm.PortfolioTarget(p.ID)); err != nil {
		h.failTo(w, r, http.StatusForbidden, "You may not raise impediments here", explain(err), back)
		return
	}
	f := r.PostForm
	form := impedimentForm{Title: f.Get("title"), Description: f.Get("description"), Owner: strings.TrimSpace(f.Get("owner")),
		Status: f.Get("status"), Epic: f.Get("epic"), ValueStream: f.Get("value_stream")}
	var problems []lpm.Violation
	m := lpm.Impediment{PortfolioID: p.ID, Title: strings.TrimSpace(form.Title), Description: form.Description, Owner: form.Owner,
		Status: lpm.ImpedimentStatus(form.Status)}
	m.EpicID = optionalID(form.Epic, "epic_id", "choose the epic from the list", &problems)
	m.ValueStreamID = optionalID(form.ValueStream, "value_stream_id", "choose the value stream from the list", &problems)
	if len(problems) == 0 {
		err := h.store.CreateImpediment(r.Context(), &m, v.actor)
		if err == nil {
			h.notify(w, r, fmt.Sprintf("Impediment %s raised.", m.Title))
			http.Redirect(w, r, fmt.Sprintf("/portfolios/%d/impediments#impediment-%d", p.ID, m.ID), http.StatusSeeOther)
			return
		}
		if h.storeFailed(w, r, "store the impediment", err, &problems) {
			return
		}
	}
	form.Errors, form.Invalid = describeProblems(problems)
	form.Invalid["epic"], form.Invalid["value_stream"] = form.Invalid["epic_id"], form.Invalid["value_stream_id"]
	h.renderImpediments(w, r, v, p, http.StatusUnprocessableEntity, form)
}

// optionalID reads the ID a select sent, 0 for none.
func optionalID(s, field, message string, problems *[]lpm.Violation) int64 {
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		*problems = append(*problems, lpm.Violation{Field: field, Message: message})
		return 0
	}
	return id
}

// changeImpediment sets an impediment's status; back to the list either way,
// with a notice.
func (h *handler) changeImpediment(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	m, ok := pathObject(h, w, r, p, "impediment", "the impediment", h.store.FindImpedimentByID,
		func(m *lpm.Impediment) int64 { return m.PortfolioID })
	if !ok {
		return
	}
	list := fmt.Sprintf("/portfolios/%d/impediments", p.ID)
	filter := ""
	if q, err := url.ParseQuery(r.PostForm.Get("filter")); err == nil && isImpedimentStatus(q.Get("status")) {
		filter = q.Get("status")
		list += "?status=" + filter
	}
	back := list + fmt.Sprintf("#impediment-%d", m.ID)
	if err := v.actor.Authorize(lpm.ManageImpediments, lpm.PortfolioTarget(p.ID)); err != nil {
		h.failTo(w, r, http.StatusForbidden, "You may not change impediments here", explain(err), link{back, "Back to the impediments"})
		return
	}
	status := lpm.ImpedimentStatus(r.PostForm.Get("status"))
	upd, err := h.store.UpdateImpediment(r.Context(), m.ID, lpm.ImpedimentUpdate{Status: &status}, v.actor)
	if err != nil {
		if lpm.ErrorCodeOf(err) == lpm.EINTERNAL {
			h.internalError(w, r, "change the impediment", err)
			return
		}
		h.alert(w, r, "Not changed: "+explain(err))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	notice := fmt.Sprintf("Impediment %s is now %s.", upd.Title, strings.ToLower(optionLabel(impedimentStatuses, string(upd.Status))))
	if filter != "" && filter != string(upd.Status) {
		// It left the filtered list: no row to come back to.
		notice += " It is no longer listed under this filter; show all impediments to see it."
		back = list
	}
	h.notify(w, r, notice)
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// isImpedimentStatus reports whether s is an impediment status.
func isImpedimentStatus(s string) bool {
	for _, o := range impedimentStatuses {
		if o.Value == s {
			return true
		}
	}
	return false
}

// renderImpediments shows the impediments and, for those who may, the forms.
func (h *handler) renderImpediments(w http.ResponseWriter, r *http.Request, v *viewer, p *lpm.Portfolio, status int, form impedimentForm) {
	ctx := r.Context()
	view := impedimentsView{PortfolioID: p.ID, Statuses: impedimentStatuses, CanManage: v.may(lpm.ManageImpediments, lpm.PortfolioTarget(p.ID))}
	var statuses []lpm.ImpedimentStatus
	if s := r.URL.Query().Get("status"); isImpedimentStatus(s) {
		view.Status, statuses = s, []lpm.ImpedimentStatus{lpm.ImpedimentStatus(s)}
	}
	list, err := readAll(func(pg lpm.Page) ([]*lpm.Impediment, string, error) {
		return h.store.FindImpediments(ctx, p.ID, statuses, pg)
	})
	if err != nil {
		h.internalError(w, r, "list the impediments", err)
		return
	}
	all, epics, streams, err := h.epicsAndStreamNames(ctx, p.ID)
	if err != nil {
		h.internalError(w, r, "list the epics and value streams", err)
		return
	}
	for _, m := range list {
		iv := impedimentView{ID: m.ID, Title: m.Title, Description: m.Description, Owner: m.Owner,
			Status: optionLabel(impedimentStatuses, string(m.Status)), StatusValue: string(m.Status), Raised: day(m.CreatedAt)}
		if !m.ResolvedAt.IsZero() {
			iv.Resolved = day(m.ResolvedAt)
		}
		if m.EpicID != 0 {
			iv.EpicID, iv.HoldsUp = m.EpicID, optionLabel(epics, strconv.FormatInt(m.EpicID, 10))
		}
		if m.ValueStreamID != 0 {
			iv.ValueStream = optionLabel(streams, strconv.FormatInt(m.ValueStreamID, 10))
		}
		view.Impediments = append(view.Impediments, iv)
	}
	if view.CanManage {
		view.Epics, view.ValueStreams = openEpicChoices(all), streams
		if form.Invalid == nil {
			form.Invalid = map[string]bool{}
		}
		view.Form = form
	}
	view.chrome = h.inPortfolio(w, r, v, p, sectionImpediments, "Impediments")
	h.render(w, r, status, pageImpediments, view)
}

// openStates are the states of epics not done: the ones forms offer.
var openStates = slices.DeleteFunc(slices.Clone(lpm.States), func(s lpm.State) bool { return s == lpm.Done })

// openEpicChoices are the epics of list not done, as choices: what a form
// offers (a done epic takes no new impediment, dependency or estimate).
func openEpicChoices(list []*lpm.Epic) []option {
	var out []option
	for _, e := range list {
		if e.State != lpm.Done {
			out = append(out, option{strconv.FormatInt(e.ID, 10), e.Key + " " + e.Title})
		}
	}
	return out
}

// epicsAndStreamNames are the portfolio's epics, their names ("KEY Title")
// and its value streams' as choices, by ID; the epics in the lean form the
// roadmap reads (every epic, only the fields it needs; enough for names and
// forecasts).
func (h *handler) epicsAndStreamNames(ctx context.Context, portfolioID int64) (list []*lpm.Epic, epics, streams []option, err error) {
	list, err = h.store.RoadmapEpics(ctx, portfolioID, lpm.States)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("epics of portfolio %d: %w", portfolioID, err)
	}
	for _, e := range list {
		epics = append(epics, option{strconv.FormatInt(e.ID, 10), e.Key + " " + e.Title})
	}
	vs, err := readAll(func(pg lpm.Page) ([]*lpm.ValueStream, string, error) {
		return h.store.FindValueStreams(ctx, portfolioID, pg)
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("value streams of portfolio %d: %w", portfolioID, err)
	}
	for _, s := range vs {
		streams = append(streams, option{strconv.FormatInt(s.ID, 10), s.Name})
	}
	return list, epics, streams, nil
}
