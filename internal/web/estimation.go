package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

// The pages of WSJF estimation rounds: the list of a portfolio's rounds with
// the form that opens one, and a round's page where each participant scores
// its epics, everyone sees how far the scores spread, and a closer applies
// the agreed values.

// sectionEstimation is the navigation entry of the estimation pages.
const sectionEstimation = "estimation"

// estimationView lists a portfolio's estimation rounds.
type estimationView struct {
	chrome
	PortfolioID int64
	Rounds      []roundRow
	// CanRun shows the form that opens a round.
	CanRun bool
	Form   roundForm
}

// roundRow is a round in the list.
type roundRow struct {
	ID                int64
	Title, State, Who string
	Created           string
	Epics             int
}

// roundForm is the form that opens a round, as typed.
type roundForm struct {
	Title   string
	Epics   []checkOption
	Errors  []string
	Invalid map[string]bool
}

// roundView is a round's page.
type roundView struct {
	chrome
	PortfolioID int64
	ID          int64
	Title       string
	Closed      bool
	Status      string
	Epics       []roundEpicView
	// CanEstimate shows the scoring form, CanClose the closing form (both
	// only while the round is open).
	CanEstimate, CanClose bool
	// Errors are the scoring form's problems, CloseErrors the closing
	// form's.
	Errors, CloseErrors []string
}

// roundEpicView is an epic of a round: its scores now, who scored it and
// the spread of each component.
type roundEpicView struct {
	ID         int64
	Key, Title string
	Current    string
	Estimators string
	Scored     bool
	// Done: the epic went to done since the round opened; closing leaves
	// its WSJF as it is.
	Done       bool
	Components []roundComponentView
}

// roundComponentView is one WSJF component of an epic in a round.
type roundComponentView struct {
	Label string
	// Min, Max, Median, Agreement and Suggested describe the spread once
	// someone scored the epic.
	Min, Max, Median, Agreement, Suggested string
	Agreed                                 bool
	// Mine is the viewer's score, Close the value the closing form offers.
	Mine, Close scaleSelect
}

// scaleSelect is a select of the WSJF scale with a blank first choice.
type scaleSelect struct {
	ID, Name, Label, Blank string
	Value                  int
	Scale                  []int
	Invalid                bool
}

// wsjfComponents name the four components: the domain's field name, which
// the forms use too, and the words people read.
var wsjfComponents = []struct{ field, label string }{
	{"user_business_value", "User-business value"},
	{"time_criticality", "Time criticality"},
	{"risk_reduction_opportunity_enablement", "Risk reduction / opportunity enablement"},
	{"job_size", "Job size"},
}

// component returns the i-th component of c, in the order of wsjfComponents.
func component(c lpm.WSJFComponents, i int) int {
	return [4]int{c.UserBusinessValue, c.TimeCriticality, c.RiskReduction, c.JobSize}[i]
}

// componentSpread returns the i-th component's spread of s.
func componentSpread(s lpm.EpicSpread, i int) lpm.Spread {
	return [4]lpm.Spread{s.UserBusinessValue, s.TimeCriticality, s.RiskReduction, s.JobSize}[i]
}

// estimation lists the portfolio's estimation rounds.
func (h *handler) estimation(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	h.renderEstimation(w, r, v, p, http.StatusOK, roundForm{}, nil)
}

// createRound opens the round the form describes.
func (h *handler) createRound(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	back := link{fmt.Sprintf("/portfolios/%d/estimation", p.ID), "Back to the estimation rounds"}
	if err := v.actor.Authorize(lpm.RunEstimation, lpm.PortfolioTarget(p.ID)); err != nil {
		h.failTo(w, r, http.StatusForbidden, "You may not open estimation rounds here", explain(err), back)
		return
	}
	form := roundForm{Title: r.PostForm.Get("title")}
	round := lpm.EstimationRound{PortfolioID: p.ID, Title: strings.TrimSpace(form.Title)}
	var problems []lpm.Violation
	picked := map[int64]bool{}
	for _, s := range r.PostForm["epic"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			problems = append(problems, lpm.Violation{Field: "epic_ids", Message: "the form named an epic that is none; pick the epics from the list"})
			continue
		}
		if !picked[id] {
			round.EpicIDs = append(round.EpicIDs, id)
		}
		picked[id] = true
	}
	if len(problems) == 0 {
		err := h.store.CreateRound(r.Context(), &round, v.actor)
		if err == nil {
			h.notify(w, r, fmt.Sprintf("Estimation round %s opened with %d epics.", round.Title, len(round.EpicIDs)))
			http.Redirect(w, r, fmt.Sprintf("/portfolios/%d/estimation/%d", p.ID, round.ID), http.StatusSeeOther)
			return
		}
		if h.storeFailed(w, r, "open the estimation round", err, &problems) {
			return
		}
	}
	form.Errors, form.Invalid = describeProblems(problems)
	for f := range form.Invalid {
		if strings.HasPrefix(f, "epic_ids") {
			form.Invalid["epic_ids"] = true
		}
	}
	h.renderEstimation(w, r, v, p, http.StatusUnprocessableEntity, form, picked)
}

// renderEstimation shows the rounds and, for those who may, the form with
// the epics that are not done to pick from.
func (h *handler) renderEstimation(w http.ResponseWriter, r *http.Request, v *viewer, p *lpm.Portfolio, status int, form roundForm, picked map[int64]bool) {
	ctx := r.Context()
	view := estimationView{PortfolioID: p.ID, CanRun: v.may(lpm.RunEstimation, lpm.PortfolioTarget(p.ID))}
	rounds, err := readAll(func(pg lpm.Page) ([]*lpm.EstimationRound, string, error) {
		return h.store.FindRounds(ctx, p.ID, pg)
	})
	if err != nil {
		h.internalError(w, r, "list the estimation rounds", err)
		return
	}
	// Newest first.
	for i := len(rounds) - 1; i >= 0; i-- {
		ro := rounds[i]
		row := roundRow{ID: ro.ID, Title: ro.Title, Who: ro.CreatedBy, Created: day(ro.CreatedAt), Epics: len(ro.EpicIDs), State: "open"}
		if ro.Closed {
			row.State = "closed on " + day(ro.ClosedAt)
		}
		view.Rounds = append(view.Rounds, row)
	}
	if view.CanRun {
		epics, err := h.store.RoadmapEpics(ctx, p.ID, openStates)
		if err != nil {
			h.internalError(w, r, "list the epics", err)
			return
		}
		for _, e := range epics {
			form.Epics = append(form.Epics, checkOption{ID: e.ID, Label: e.Key + " " + e.Title + " (" + e.State.Title() + ")",
				Checked: picked[e.ID]})
		}
		if form.Invalid == nil {
			form.Invalid = map[string]bool{}
		}
		view.Form = form
	}
	view.chrome = h.inPortfolio(w, r, v, p, sectionEstimation, "WSJF estimation")
	h.render(w, r, status, pageEstimation, view)
}

// round loads the round named by the path value "round" of portfolio p,
// answering the not-found page for a round of another portfolio.
func (h *handler) round(w http.ResponseWriter, r *http.Request, p *lpm.Portfolio) (*lpm.EstimationRound, bool) {
	return pathObject(h, w, r, p, "round", "the estimation round", h.store.FindRound,
		func(ro *lpm.EstimationRound) int64 { return ro.PortfolioID })
}

// roundPage shows a round.
func (h *handler) roundPage(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	ro, ok := h.round(w, r, p)
	if !ok {
		return
	}
	h.renderRound(w, r, v, p, ro, http.StatusOK, roundInput{})
}

// roundInput is what a refused form sent, to show again: the scores by
// epic and component, the problems and the fields they are about.
type roundInput struct {
	mine, close           map[int64][4]int
	errors, closeErrors   []string
	invalid, closeInvalid map[string]bool
}

// renderRound shows a round: its epics with the spread of their scores,
// and the forms the viewer may use.
func (h *handler) renderRound(w http.ResponseWriter, r *http.Request, v *viewer, p *lpm.Portfolio, ro *lpm.EstimationRound, status int, in roundInput) {
	ctx := r.Context()
	estimates, err := h.store.RoundEstimates(ctx, ro.ID)
	if err != nil {
		h.internalError(w, r, "read the estimates", err)
		return
	}
	target := lpm.PortfolioTarget(p.ID)
	view := roundView{PortfolioID: p.ID, ID: ro.ID, Title: ro.Title, Closed: ro.Closed,
		Status:      fmt.Sprintf("Opened by %s on %s; open: scores may still change.", ro.CreatedBy, day(ro.CreatedAt)),
		CanEstimate: !ro.Closed && v.may(lpm.EstimateWSJF, target), CanClose: !ro.Closed && v.may(lpm.RunEstimation, target),
		Errors: in.errors, CloseErrors: in.closeErrors}
	if ro.Closed {
		view.Status = fmt.Sprintf("Opened by %s on %s; closed on %s: the agreed values were applied to the epics.",
			ro.CreatedBy, day(ro.CreatedAt), day(ro.ClosedAt))
	}
	mine := map[int64]lpm.WSJFComponents{}
	for _, e := range estimates {
		if e.Estimator == v.actor.Name {
			mine[e.EpicID] = e.Scores
		}
	}
	for _, s := range lpm.Spreads(ro.EpicIDs, estimates) {
		e, err := h.store.FindEpicByID(ctx, s.EpicID)
		if err != nil {
			h.internalError(w, r, "load the epics of the round", err)
			return
		}
		ev := roundEpicView{ID: e.ID, Key: e.Key, Title: e.Title, Current: wsjfWords(e.WSJF),
			Estimators: strings.Join(s.Estimators, ", "), Scored: len(s.Estimators) > 0, Done: e.State == lpm.Done}
		for i, c := range wsjfComponents {
			cv := roundComponentView{Label: c.label}
			if ev.Scored {
				sp := componentSpread(s, i)
				cv.Min, cv.Max, cv.Median = strconv.Itoa(sp.Min), strconv.Itoa(sp.Max), number(sp.Median)
				cv.Agreed, cv.Agreement = sp.Agreed, "apart"
				if sp.Agreed {
					cv.Agreement = "agreed"
				}
				cv.Suggested = strconv.Itoa(component(s.Suggested, i))
			}
			name := fmt.Sprintf("e%d.%s", e.ID, c.field)
			cv.Mine = scaleSelect{ID: fmt.Sprintf("mine-%d-%d", e.ID, i), Name: name, Label: c.label, Blank: "not scored",
				Value: component(mine[e.ID], i), Scale: lpm.WSJFScale, Invalid: in.invalid[name]}
			if vals, ok := in.mine[e.ID]; ok {
				cv.Mine.Value = vals[i]
			}
			closeName := "agreed." + name
			cv.Close = scaleSelect{ID: fmt.Sprintf("agreed-%d-%d", e.ID, i), Name: closeName, Label: c.label, Blank: "keep as it is",
				Scale: lpm.WSJFScale, Invalid: in.closeInvalid[closeName]}
			if ev.Scored && !ev.Done {
				cv.Close.Value = component(s.Suggested, i)
			}
			if vals, ok := in.close[e.ID]; ok {
				cv.Close.Value = vals[i]
			}
			ev.Components = append(ev.Components, cv)
		}
		view.Epics = append(view.Epics, ev)
	}
	view.chrome = h.inPortfolio(w, r, v, p, sectionEstimation, "Estimation round "+ro.Title)
	h.render(w, r, status, pageRound, view)
}

// wsjfWords says an epic's WSJF components and WSJF.
func wsjfWords(c lpm.WSJFComponents) string {
	wsjf, ok := c.WSJF()
	if !ok {
		return "not fully scored yet"
	}
	return fmt.Sprintf("cost of delay %d (%d, %d and %d) over job size %d: WSJF %s", c.CostOfDelay(), c.UserBusinessValue,
		c.TimeCriticality, c.RiskReduction, c.JobSize, strconv.FormatFloat(wsjf, 'f', 2, 64))
}

// readScores reads, for each epic of the round, the four selects named
// prefix+"e<ID>.<component>": the epics with at least one score, in the
// round's order, and every epic's values as sent. A value that is not a
// number is a problem; the domain judges the rest.
func readScores(f url.Values, prefix string, epicIDs []int64) (ids []int64, values map[int64][4]int, problems []lpm.Violation) {
	values = map[int64][4]int{}
	for _, id := range epicIDs {
		var vals [4]int
		scored := false
		for i, c := range wsjfComponents {
			name := fmt.Sprintf("%se%d.%s", prefix, id, c.field)
			s := strings.TrimSpace(f.Get(name))
			if s == "" {
				continue
			}
			n, err := strconv.Atoi(s)
			if err != nil {
				problems = append(problems, lpm.Violation{Field: name, Message: c.label + " must be one of 1, 2, 3, 5, 8, 13, 20"})
				continue
			}
			vals[i], scored = n, true
		}
		values[id] = vals
		if scored {
			ids = append(ids, id)
		}
	}
	return ids, values, problems
}

// scoresOf is the components of values.
func scoresOf(v [4]int) lpm.WSJFComponents {
	return lpm.WSJFComponents{UserBusinessValue: v[0], TimeCriticality: v[1], RiskReduction: v[2], JobSize: v[3]}
}

// roundProblems turns the store's violations about the list named list
// ("estimates", "agreed") of the epics ids into the form's fields and
// sentences that name the epic and the component in words.
func roundProblems(err error, list, prefix string, ids []int64, keys map[int64]string) ([]string, map[string]bool) {
	var problems []lpm.Violation
	for _, vi := range asViolations(err) {
		rest, found := strings.CutPrefix(vi.Field, list+"[")
		idx, field, ok := strings.Cut(rest, "].")
		if i, err := strconv.Atoi(idx); found && ok && err == nil && i >= 0 && i < len(ids) {
			msg := vi.Message
			for _, c := range wsjfComponents {
				msg = strings.ReplaceAll(msg, c.field, strings.ToLower(c.label))
			}
			vi.Message = keys[ids[i]] + ": " + msg
			vi.Field = fmt.Sprintf("%se%d.%s", prefix, ids[i], field)
		}
		problems = append(problems, vi)
	}
	return describeProblems(problems)
}

// submitEstimates stores the viewer's scores of the round's epics.
func (h *handler) submitEstimates(w http.ResponseWriter, r *http.Request) {
	h.roundForm(w, r, false)
}

// closeRound applies the agreed values and closes the round.
func (h *handler) closeRound(w http.ResponseWriter, r *http.Request) {
	h.roundForm(w, r, true)
}

// roundForm handles the scoring form and, with closing, the closing form
// of a round.
func (h *handler) roundForm(w http.ResponseWriter, r *http.Request, closing bool) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	ro, ok := h.round(w, r, p)
	if !ok {
		return
	}
	back := fmt.Sprintf("/portfolios/%d/estimation/%d", p.ID, ro.ID)
	act, title := lpm.EstimateWSJF, "You may not score epics here"
	if closing {
		act, title = lpm.RunEstimation, "You may not close estimation rounds here"
	}
	if err := v.actor.Authorize(act, lpm.PortfolioTarget(p.ID)); err != nil {
		h.failTo(w, r, http.StatusForbidden, title, explain(err), link{back, "Back to the round"})
		return
	}
	prefix, list := "", "estimates"
	if closing {
		prefix, list = "agreed.", "agreed"
	}
	ids, values, problems := readScores(r.PostForm, prefix, ro.EpicIDs)
	if len(problems) == 0 && len(ids) == 0 && !closing {
		problems = append(problems, lpm.Violation{Message: "score at least one epic: all four of its components"})
	}
	var err error
	if len(problems) == 0 {
		if closing {
			agreed := make([]lpm.Agreement, len(ids))
			for i, id := range ids {
				agreed[i] = lpm.Agreement{EpicID: id, Scores: scoresOf(values[id])}
			}
			var updated []*lpm.Epic
			updated, err = h.store.CloseRound(r.Context(), ro.ID, agreed, false, v.actor)
			if err == nil {
				h.notify(w, r, fmt.Sprintf("Estimation round %s closed: the agreed values were applied to %d epics.", ro.Title, len(updated)))
				http.Redirect(w, r, back, http.StatusSeeOther)
				return
			}
		} else {
			list := make([]lpm.Estimate, len(ids))
			for i, id := range ids {
				list[i] = lpm.Estimate{RoundID: ro.ID, EpicID: id, Scores: scoresOf(values[id])}
			}
			err = h.store.SubmitEstimates(r.Context(), ro.ID, list, v.actor)
			if err == nil {
				h.notify(w, r, fmt.Sprintf("Your scores of %s were saved.", plural(len(ids), "epic", "epics")))
				http.Redirect(w, r, back, http.StatusSeeOther)
				return
			}
		}
		if lpm.ErrorCodeOf(err) == lpm.EINTERNAL {
			h.internalError(w, r, "store the scores", err)
			return
		}
	}
	var errs []string
	var invalid map[string]bool
	if err != nil {
		keys := map[int64]string{}
		for _, id := range ids {
			if e, ferr := h.store.FindEpicByID(r.Context(), id); ferr == nil {
				keys[id] = e.Key
			}
		}
		errs, invalid = roundProblems(err, list, prefix, ids, keys)
	} else {
		errs, invalid = describeProblems(problems)
	}
	in := roundInput{}
	if closing {
		in.close, in.closeErrors, in.closeInvalid = values, errs, invalid
	} else {
		in.mine, in.errors, in.invalid = values, errs, invalid
	}
	if fresh, ferr := h.store.FindRound(r.Context(), ro.ID); ferr == nil {
		ro = fresh
	}
	h.renderRound(w, r, v, p, ro, http.StatusUnprocessableEntity, in)
}

// plural writes n with the noun's singular or plural form.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
