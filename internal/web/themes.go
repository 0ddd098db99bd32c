package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// themesView lists a portfolio's strategic themes: each with its OKRs and
// their progress, its epics and its share of the portfolio's spend; and the
// form that creates one for those who may.
type themesView struct {
	chrome
	PortfolioID int64
	Currency    string
	Themes      []themeView
	// SpendTotal is the portfolio's committed cost; EpicsComplete is false
	// when the portfolio has more epics than a page reads, so that epics and
	// spend leave some out.
	SpendTotal    string
	Committed     bool
	EpicsComplete bool
	CanManage     bool
	Form          themeForm
	Statuses      []option
}

type themeView struct {
	ID          int64
	Name        string
	Status      string
	Description string
	Validity    string
	Progress    *progressView
	Objectives  []objectiveView
	Epics       []themeEpicView
	// ByState says how many of the epics are in each column, in words.
	ByState string
	// Spend is the theme's part of the portfolio's committed cost, Share
	// that part of the whole.
	Spend, Share string
	ShareValue   string
	// OKR are the forms that keep the theme's OKRs, nil for those who may
	// not.
	OKR *okrForms
}

// progressView is a progress score: as a percentage, as a value from 0 to 1
// for the bar, and its band in words.
type progressView struct {
	Percent, Value string
	Band           lpm.Band
	BandWords      string
}

type objectiveView struct {
	ID                        int64
	Title, Description, Owner string
	Period                    string
	Progress                  *progressView
	KeyResults                []keyResultView
}

type keyResultView struct {
	Title, Unit              string
	Baseline, Target, Weight string
	// Latest is the latest check-in's value, "" before the first.
	Latest, Measured, Status, Confidence string
	Progress                             progressView
}

type themeEpicView struct {
	ID                int64
	Key, Title, State string
	Owner, Committed  string
}

// themeForm is the creation form as typed, with what was wrong.
type themeForm struct {
	Name, Description, Status string
	ValidFrom, ValidTo        string
	Errors                    []string
	Invalid                   map[string]bool
}

// themeStatuses are the choices of a theme's status.
var themeStatuses = []option{
	{string(lpm.ThemeDraft), "Draft"}, {string(lpm.ThemeActive), "Active"}, {string(lpm.ThemeRetired), "Retired"},
}

// bandWords say what each band of progress means, so that colour is never
// the only cue.
var bandWords = map[lpm.Band]string{
	lpm.Red:    "red: below 40 %",
	lpm.Yellow: "yellow: 40 % to 70 %",
	lpm.Green:  "green: 70 % or more",
}

// checkInStatusWords name check-in statuses for people.
var checkInStatusWords = map[lpm.CheckInStatus]string{
	lpm.OnTrack: "on track", lpm.AtRisk: "at risk", lpm.OffTrack: "off track",
}

// dateLayout is how forms send a date (input type=date).
const dateLayout = "2006-01-02"

// themes lists the portfolio's strategic themes.
func (h *handler) themes(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	h.renderThemes(w, r, v, p, http.StatusOK, themeForm{Status: string(lpm.ThemeActive)})
}

// createTheme creates the strategic theme the form describes.
func (h *handler) createTheme(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	if err := v.actor.Authorize(lpm.ManageThemes, lpm.PortfolioTarget(p.ID)); err != nil {
		h.failTo(w, r, http.StatusForbidden, "You may not create strategic themes here", explain(err),
			link{fmt.Sprintf("/portfolios/%d/themes", p.ID), "Back to the strategic themes"})
		return
	}
	t, form, problems := readThemeForm(r.PostForm)
	t.PortfolioID, t.CreatedAt = p.ID, lpm.Now()
	if len(problems) == 0 {
		err := h.store.CreateTheme(r.Context(), &t, v.actor)
		if err == nil {
			h.notify(w, r, fmt.Sprintf("Strategic theme %s created.", t.Name))
			http.Redirect(w, r, fmt.Sprintf("/portfolios/%d/themes#theme-%d", p.ID, t.ID), http.StatusSeeOther)
			return
		}
		if h.storeFailed(w, r, "store the strategic theme", err, &problems) {
			return
		}
	}
	form.Errors, form.Invalid = describeProblems(problems)
	h.renderThemes(w, r, v, p, http.StatusUnprocessableEntity, form)
}

// readThemeForm reads the form into a theme and the form as typed; problems
// are the dates that are not dates. The domain validates the rest.
func readThemeForm(f url.Values) (lpm.StrategicTheme, themeForm, []lpm.Violation) {
	form := themeForm{Name: f.Get("name"), Description: f.Get("description"), Status: f.Get("status"),
		ValidFrom: strings.TrimSpace(f.Get("valid_from")), ValidTo: strings.TrimSpace(f.Get("valid_to"))}
	t := lpm.StrategicTheme{Name: strings.TrimSpace(form.Name), Description: form.Description, Status: lpm.ThemeStatus(form.Status)}
	var problems []lpm.Violation
	date := func(field, words, s string) *time.Time {
		if s == "" {
			return nil
		}
		d, err := time.Parse(dateLayout, s)
		if err != nil {
			problems = append(problems, lpm.Violation{Field: field, Message: words + " must be a date such as 2025-01-31"})
			return nil
		}
		return &d
	}
	t.ValidFrom = date("valid_from", "valid from", form.ValidFrom)
	t.ValidTo = date("valid_to", "valid to", form.ValidTo)
	return t, form, problems
}

// renderThemes shows the themes and, for those who may, the form.
func (h *handler) renderThemes(w http.ResponseWriter, r *http.Request, v *viewer, p *lpm.Portfolio, status int, form themeForm) {
	h.renderThemesWith(w, r, v, p, status, form, 0, nil)
}

// renderThemesWith is renderThemes with the OKR forms of theme themeID
// changed by set (to show what a refused form sent).
func (h *handler) renderThemesWith(w http.ResponseWriter, r *http.Request, v *viewer, p *lpm.Portfolio, status int, form themeForm,
	themeID int64, set func(*okrForms)) {
	view, err := h.themesView(r.Context(), v, p)
	if err != nil {
		h.internalError(w, r, "list the strategic themes", err)
		return
	}
	for _, t := range view.Themes {
		if t.ID == themeID && t.OKR != nil && set != nil {
			set(t.OKR)
		}
	}
	if view.CanManage {
		if form.Invalid == nil {
			form.Invalid = map[string]bool{}
		}
		view.Form = form
	}
	view.chrome = h.inPortfolio(w, r, v, p, sectionThemes, "Strategic themes")
	h.render(w, r, status, pageThemes, view)
}

func (h *handler) themesView(ctx context.Context, v *viewer, p *lpm.Portfolio) (themesView, error) {
	view := themesView{PortfolioID: p.ID, Currency: p.Currency, Statuses: themeStatuses,
		CanManage: v.may(lpm.ManageThemes, lpm.PortfolioTarget(p.ID))}
	themes, err := readAll(func(pg lpm.Page) ([]*lpm.StrategicTheme, string, error) {
		return h.store.FindThemes(ctx, p.ID, pg)
	})
	if err != nil {
		return view, fmt.Errorf("themes of portfolio %d: %w", p.ID, err)
	}
	// One read of the portfolio's epics gives both what the spend is split
	// over and each theme's epics.
	epics, complete, err := h.portfolioEpics(ctx, p.ID)
	if err != nil {
		return view, err
	}
	view.EpicsComplete = complete
	spend := lpm.SpendByTheme(epics)
	view.SpendTotal, view.Committed = money(spend.Total), spend.Total > 0
	for _, t := range themes {
		objectives, keyResults, checkIns, err := h.store.ThemeOKRs(ctx, t.ID)
		if err != nil {
			return view, fmt.Errorf("OKRs of theme %d: %w", t.ID, err)
		}
		tv := newThemeView(t, lpm.ComputeOKRs(t, objectives, keyResults, checkIns))
		if view.CanManage {
			tv.OKR = newOKRForms(t, objectives, keyResults)
		}
		tv.Spend, tv.Share = money(spend.ByTheme[t.ID]), fmt.Sprintf("%.1f %%", 100*spend.Share(t.ID))
		tv.ShareValue = strconv.FormatFloat(spend.Share(t.ID), 'f', 4, 64)
		byState := map[lpm.State]int{}
		for _, e := range epics {
			if !slices.Contains(e.ThemeIDs, t.ID) {
				continue
			}
			byState[e.State]++
			ev := themeEpicView{ID: e.ID, Key: e.Key, Title: e.Title, State: e.State.Title(), Owner: e.EpicOwner,
				Committed: money(e.CommittedCost())}
			if e.DoneReason != "" {
				ev.State += " (" + e.DoneReason.Title() + ")"
			}
			tv.Epics = append(tv.Epics, ev)
		}
		var parts []string
		for _, s := range lpm.States {
			if n := byState[s]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d in %s", n, s.Title()))
			}
		}
		tv.ByState = strings.Join(parts, ", ")
		view.Themes = append(view.Themes, tv)
	}
	return view, nil
}

// newThemeView describes a theme and its OKRs.
func newThemeView(t *lpm.StrategicTheme, tp lpm.ThemeProgress) themeView {
	tv := themeView{ID: t.ID, Name: t.Name, Status: optionLabel(themeStatuses, string(t.Status)), Description: t.Description,
		Validity: validity(t.ValidFrom, t.ValidTo), Progress: newProgress(tp.Progress)}
	for _, op := range tp.Objectives {
		o := op.Objective
		ov := objectiveView{ID: o.ID, Title: o.Title, Description: o.Description, Owner: o.Owner,
			Period: period(o.PeriodStart, o.PeriodEnd), Progress: newProgress(op.Progress)}
		for _, kp := range op.KeyResults {
			k := kp.KeyResult
			p := kp.Progress
			kv := keyResultView{Title: k.Title, Unit: k.Unit, Baseline: number(k.Baseline), Target: number(k.Target),
				Weight: number(k.Weight), Progress: *newProgress(&p)}
			if c := kp.Latest; c != nil {
				kv.Latest, kv.Measured = number(c.Value), c.At.Format("2 Jan 2006")
				kv.Status, kv.Confidence = checkInStatusWords[c.Status], fmt.Sprintf("%d of %d", c.Confidence, lpm.MaxConfidence)
			}
			ov.KeyResults = append(ov.KeyResults, kv)
		}
		tv.Objectives = append(tv.Objectives, ov)
	}
	return tv
}

// newProgress describes a progress score; nil for none.
func newProgress(p *float64) *progressView {
	if p == nil {
		return nil
	}
	band := lpm.BandOf(*p)
	return &progressView{Percent: percent(*p), Value: strconv.FormatFloat(*p, 'f', 4, 64), Band: band, BandWords: bandWords[band]}
}

// number writes a measure as people write it.
func number(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// validity says when a theme applies.
func validity(from, to *time.Time) string {
	switch {
	case from != nil && to != nil:
		return "from " + day(*from) + " to " + day(*to)
	case from != nil:
		return "from " + day(*from) + ", with no end set"
	case to != nil:
		return "until " + day(*to)
	}
	return "no dates set"
}

// period says when an objective applies, "" when it has no dates.
func period(start, end *time.Time) string {
	if start == nil && end == nil {
		return ""
	}
	return validity(start, end)
}

// day writes a date.
func day(t time.Time) string { return t.UTC().Format("2 Jan 2006") }

// portfolioEpics reads the portfolio's epics, up to readAll's bound;
// complete is false when there were more.
func (h *handler) portfolioEpics(ctx context.Context, portfolioID int64) (epics []*lpm.Epic, complete bool, err error) {
	var next string
	epics, err = readAll(func(pg lpm.Page) ([]*lpm.Epic, string, error) {
		list, n, err := h.store.FindEpics(ctx, lpm.EpicFilter{PortfolioID: portfolioID, Page: pg})
		next = n
		return list, n, err
	})
	if err != nil {
		return nil, false, fmt.Errorf("epics of portfolio %d: %w", portfolioID, err)
	}
	return epics, next == "", nil
}
