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

// epicFormView is the form that proposes or edits an epic. Its fields are
// named as the API's JSON fields, so the domain's violations point at them.
type epicFormView struct {
	chrome
	Action  string
	Editing bool
	Epic    lpm.Epic
	// Costs are as typed (major units), so a mistyped amount comes back as
	// it was.
	Costs        map[string]string
	Lists        map[string]string
	Scale        []int
	Themes       []checkOption
	ValueStreams []checkOption
	Owners       []string
	Errors       []string
	Invalid      map[string]bool
	Back         string
}

type checkOption struct {
	ID      int64
	Label   string
	Checked bool
}

// Cost fields of the form, as in the API.
var costFields = []string{"costs.mvp_internal", "costs.mvp_supplier", "costs.full_internal", "costs.full_supplier"}

// newEpicForm shows an empty epic form.
func (h *handler) newEpicForm(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	if err := v.actor.Authorize(lpm.ProposeEpic, lpm.PortfolioTarget(p.ID)); err != nil {
		h.failTo(w, r, http.StatusForbidden, "You may not propose epics here", explain(err), link{fmt.Sprintf("/portfolios/%d/board", p.ID), "Back to the board"})
		return
	}
	e := lpm.Epic{PortfolioID: p.ID, Type: lpm.Business, EpicOwner: v.user.Name}
	h.renderEpicForm(w, r, v, p, http.StatusOK, e, nil, nil)
}

// createEpic proposes the epic the form describes.
func (h *handler) createEpic(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	e, costs, problems := readEpicForm(r.PostForm)
	e.PortfolioID = p.ID
	if len(problems) == 0 {
		created, err := lpm.NewEpic(e, lpm.Now())
		if err == nil {
			err = h.store.CreateEpic(r.Context(), created, v.actor)
		}
		if err == nil {
			h.notify(w, r, fmt.Sprintf("%s proposed into the funnel.", created.Key))
			http.Redirect(w, r, fmt.Sprintf("/epics/%d", created.ID), http.StatusSeeOther)
			return
		}
		if h.storeFailed(w, r, "store the epic", err, &problems) {
			return
		}
	}
	h.renderEpicForm(w, r, v, p, http.StatusUnprocessableEntity, e, costs, problems)
}

// editEpicForm shows the form filled with the epic.
func (h *handler) editEpicForm(w http.ResponseWriter, r *http.Request) {
	v, e, p, ok := h.signedInEpic(w, r)
	if !ok {
		return
	}
	if err := v.actor.AuthorizeEpic(lpm.EditEpic, e); err != nil {
		h.failTo(w, r, http.StatusForbidden, "You may not edit this epic", explain(err), link{fmt.Sprintf("/epics/%d", e.ID), "Back to the epic"})
		return
	}
	h.renderEpicForm(w, r, v, p, http.StatusOK, *e, nil, nil)
}

// editEpic saves the form: every field as the form has it, applied only to
// the version the form was opened on.
func (h *handler) editEpic(w http.ResponseWriter, r *http.Request) {
	v, current, p, ok := h.signedInEpic(w, r)
	if !ok {
		return
	}
	e, costs, problems := readEpicForm(r.PostForm)
	e.ID, e.Key, e.PortfolioID, e.State = current.ID, current.Key, current.PortfolioID, current.State
	version, err := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err != nil || version <= 0 {
		problems = append(problems, lpm.Violation{Field: "version", Message: "the form lost track of the epic's version; reload it and make the change again"})
	}
	e.Version = version
	if len(problems) == 0 {
		upd := fullUpdate(e)
		upd.IfVersion = version
		saved, err := h.store.UpdateEpic(r.Context(), current.ID, upd, v.actor)
		if err == nil {
			h.notify(w, r, fmt.Sprintf("%s saved.", saved.Key))
			http.Redirect(w, r, fmt.Sprintf("/epics/%d", saved.ID), http.StatusSeeOther)
			return
		}
		if h.storeFailed(w, r, "save the epic", err, &problems) {
			return
		}
		if lpm.ErrorCodeOf(err) == lpm.ECONFLICT {
			// The form now stands for the version saved meanwhile: sending it
			// again replaces that version, knowingly.
			if latest, lerr := h.store.FindEpicByID(r.Context(), current.ID); lerr == nil {
				e.Version = latest.Version
				problems = append(problems, lpm.Violation{Message: fmt.Sprintf("your changes are kept below; "+
					"compare them with the epic's page (version %d), then save again to replace that version with this form", latest.Version)})
			}
		}
	}
	h.renderEpicForm(w, r, v, p, http.StatusUnprocessableEntity, e, costs, problems)
}

// fullUpdate is an update setting every editable field to e's.
func fullUpdate(e lpm.Epic) lpm.EpicUpdate {
	h, c, b := e.Hypothesis, e.Costs, e.BusinessCase
	return lpm.EpicUpdate{
		Title: &e.Title, Description: &e.Description, Type: &e.Type, EpicOwner: &e.EpicOwner,
		Hypothesis: &lpm.HypothesisUpdate{ForCustomers: &h.ForCustomers, Who: &h.Who, SolutionName: &h.SolutionName, IsA: &h.IsA,
			That: &h.That, Unlike: &h.Unlike, OurSolution: &h.OurSolution,
			BusinessOutcomes: &h.BusinessOutcomes, LeadingIndicators: &h.LeadingIndicators, NFRs: &h.NFRs},
		WSJF: &lpm.WSJFUpdate{UserBusinessValue: &e.WSJF.UserBusinessValue, TimeCriticality: &e.WSJF.TimeCriticality,
			RiskReduction: &e.WSJF.RiskReduction, JobSize: &e.WSJF.JobSize},
		Costs:          &lpm.CostsUpdate{MVPInternal: &c.MVPInternal, MVPSupplier: &c.MVPSupplier, FullInternal: &c.FullInternal, FullSupplier: &c.FullSupplier},
		MVPDescription: &e.MVPDescription,
		BusinessCase: &lpm.BusinessCaseUpdate{Sponsors: &b.Sponsors, ExpectedTimeline: &b.ExpectedTimeline,
			AnalysisSummary: &b.AnalysisSummary, ImplementationStrategy: &b.ImplementationStrategy},
		Runway: &e.Runway, ThemeIDs: &e.ThemeIDs, ValueStreamIDs: &e.ValueStreamIDs,
	}
}

// readEpicForm reads the form into an epic; costs are the amounts as typed,
// and problems what could not be read at all (a score off the scale, an
// amount that is not a number). The domain validates the rest.
func readEpicForm(form url.Values) (lpm.Epic, map[string]string, []lpm.Violation) {
	var problems []lpm.Violation
	// Browsers send line breaks as CRLF; the API and the store keep LF, so an
	// untouched text must not change by passing through the form.
	f := url.Values{}
	for k, vs := range form {
		for _, v := range vs {
			f.Add(k, strings.ReplaceAll(v, "\r\n", "\n"))
		}
	}
	e := lpm.Epic{
		Title: f.Get("title"), Description: f.Get("description"), Type: lpm.EpicType(f.Get("type")),
		EpicOwner: strings.TrimSpace(f.Get("epic_owner")), MVPDescription: f.Get("mvp_description"),
		Runway: lines(f.Get("runway")),
		Hypothesis: lpm.Hypothesis{
			ForCustomers: f.Get("hypothesis.for_customers"), Who: f.Get("hypothesis.who"),
			SolutionName: f.Get("hypothesis.solution_name"), IsA: f.Get("hypothesis.is_a"), That: f.Get("hypothesis.that"),
			Unlike: f.Get("hypothesis.unlike"), OurSolution: f.Get("hypothesis.our_solution"),
			BusinessOutcomes:  lines(f.Get("hypothesis.business_outcomes")),
			LeadingIndicators: lines(f.Get("hypothesis.leading_indicators")),
			NFRs:              lines(f.Get("hypothesis.nfrs")),
		},
		BusinessCase: lpm.BusinessCase{Sponsors: lines(f.Get("business_case.sponsors")),
			ExpectedTimeline: f.Get("business_case.expected_timeline"), AnalysisSummary: f.Get("business_case.analysis_summary"),
			ImplementationStrategy: f.Get("business_case.implementation_strategy")},
	}
	score := func(field, label string) int {
		s := f.Get(field)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || !lpm.OnWSJFScale(n) {
			problems = append(problems, lpm.Violation{Field: field,
				Message: fmt.Sprintf("%s must be one of 1, 2, 3, 5, 8, 13, 20, or not scored", label)})
			return 0
		}
		return n
	}
	e.WSJF = lpm.WSJFComponents{UserBusinessValue: score("wsjf_components.user_business_value", "user-business value"),
		TimeCriticality: score("wsjf_components.time_criticality", "time criticality"),
		RiskReduction:   score("wsjf_components.risk_reduction", "risk reduction / opportunity enablement"),
		JobSize:         score("wsjf_components.job_size", "job size")}
	costs := map[string]string{}
	amounts := make([]int64, len(costFields))
	for i, field := range costFields {
		costs[field] = f.Get(field)
		n, err := parseMoney(costs[field])
		if err != nil {
			what := strings.Replace(strings.ReplaceAll(strings.TrimPrefix(field, "costs."), "_", " "), "mvp", "MVP", 1)
			problems = append(problems, lpm.Violation{Field: field, Message: fmt.Sprintf("%s cost: %v", what, err)})
		}
		amounts[i] = n
	}
	e.Costs = lpm.Costs{MVPInternal: amounts[0], MVPSupplier: amounts[1], FullInternal: amounts[2], FullSupplier: amounts[3]}
	ids := func(field string) []int64 {
		var out []int64
		for _, s := range f[field] {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
				out = append(out, n)
			} else {
				problems = append(problems, lpm.Violation{Field: field, Message: field + " must be chosen from the list"})
			}
		}
		return out
	}
	e.ThemeIDs, e.ValueStreamIDs = ids("theme_ids"), ids("value_stream_ids")
	return e, costs, problems
}

// lines splits a text area into its non-blank lines, trimmed.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// parseMoney reads an amount in major units ("1,250,000.50", "1 250 000",
// "" for 0) as minor units. Commas only group thousands: "1,5" is refused
// rather than read as 15, since it most likely means one and a half.
func parseMoney(s string) (int64, error) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "_", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, nil
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		for i, g := range groups {
			if (i == 0 && (len(g) == 0 || len(g) > 3)) || (i > 0 && len(g) != 3) {
				return 0, fmt.Errorf("write an amount such as 1,250,000.00 (commas only between groups of three digits, a point before the cents)")
			}
		}
		whole = strings.Join(groups, "")
	}
	if whole == "" || len(whole) > 15 || strings.Trim(whole, "0123456789") != "" ||
		(hasFrac && (len(frac) == 0 || len(frac) > 2 || strings.Trim(frac, "0123456789") != "")) {
		return 0, fmt.Errorf("write an amount such as 1,250,000.00 (at most two decimals, no currency sign)")
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("the amount is too large")
	}
	cents := int64(0)
	if hasFrac {
		if len(frac) == 1 {
			frac += "0"
		}
		cents, _ = strconv.ParseInt(frac, 10, 64)
	}
	if n > lpm.MaxCost/100 {
		return 0, fmt.Errorf("the amount is too large")
	}
	return n*100 + cents, nil
}

// renderEpicForm shows the form with e's values, and what was wrong.
func (h *handler) renderEpicForm(w http.ResponseWriter, r *http.Request, v *viewer, p *lpm.Portfolio, status int, e lpm.Epic, costs map[string]string, problems []lpm.Violation) {
	view := epicFormView{Epic: e, Costs: costs, Scale: lpm.WSJFScale, Invalid: map[string]bool{}, Editing: e.ID != 0,
		Lists: map[string]string{
			"hypothesis.business_outcomes":  strings.Join(e.Hypothesis.BusinessOutcomes, "\n"),
			"hypothesis.leading_indicators": strings.Join(e.Hypothesis.LeadingIndicators, "\n"),
			"hypothesis.nfrs":               strings.Join(e.Hypothesis.NFRs, "\n"),
			"business_case.sponsors":        strings.Join(e.BusinessCase.Sponsors, "\n"),
			"runway":                        strings.Join(e.Runway, "\n"),
		}}
	if view.Costs == nil {
		c := e.Costs
		view.Costs = map[string]string{}
		for i, n := range []int64{c.MVPInternal, c.MVPSupplier, c.FullInternal, c.FullSupplier} {
			if n != 0 {
				view.Costs[costFields[i]] = money(n)
			}
		}
	}
	for _, pr := range problems {
		view.Errors = append(view.Errors, sentence(pr.Message)+".")
		view.Invalid[pr.Field] = true
	}
	title := "Propose an epic"
	view.Action, view.Back = fmt.Sprintf("/portfolios/%d/epics/new", p.ID), fmt.Sprintf("/portfolios/%d/board", p.ID)
	if view.Editing {
		title = "Edit " + e.Key
		view.Action, view.Back = fmt.Sprintf("/epics/%d/edit", e.ID), fmt.Sprintf("/epics/%d", e.ID)
	}
	if err := h.epicFormChoices(r.Context(), &view, p.ID); err != nil {
		h.internalError(w, r, "load the form's choices", err)
		return
	}
	view.chrome = h.inPortfolio(w, r, v, p, sectionBoard, title)
	h.render(w, r, status, pageEpicForm, view)
}

// epicFormChoices lists the themes, value streams and possible owners.
func (h *handler) epicFormChoices(ctx context.Context, view *epicFormView, portfolioID int64) error {
	fv, err := h.filterChoices(ctx, portfolioID, lpm.BoardFilter{})
	if err != nil {
		return err
	}
	// An owner who has left the portfolio stays selectable on their epic.
	if o := view.Epic.EpicOwner; o != "" && !slices.Contains(fv.Owners, o) {
		fv.Owners = append(fv.Owners, o)
	}
	for _, t := range fv.Themes {
		id, _ := strconv.ParseInt(t.Value, 10, 64)
		view.Themes = append(view.Themes, checkOption{ID: id, Label: t.Label, Checked: slices.Contains(view.Epic.ThemeIDs, id)})
	}
	for _, s := range fv.ValueStreams {
		id, _ := strconv.ParseInt(s.Value, 10, 64)
		view.ValueStreams = append(view.ValueStreams, checkOption{ID: id, Label: s.Label, Checked: slices.Contains(view.Epic.ValueStreamIDs, id)})
	}
	view.Owners = fv.Owners
	return nil
}
