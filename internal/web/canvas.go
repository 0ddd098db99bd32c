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

// canvasView is a portfolio's canvas page: the current state, the
// future-state candidates, the version history, a comparison of two
// versions, and the form that saves a version for those who may.
type canvasView struct {
	chrome
	PortfolioID int64
	Current     *canvasVersionView
	Candidates  []canvasVersionView
	// Retired are the retired candidates' latest versions.
	Retired []canvasVersionView
	// History is every version, newest first; Complete is false when the
	// page read only the newest ones.
	History  []canvasVersionView
	Complete bool
	Compare  *canvasCompareView
	// A and B are the versions the compare form has chosen.
	A, B      int64
	CanManage bool
	Form      canvasForm
}

// canvasVersionView is one version as the page shows it.
type canvasVersionView struct {
	ID       int64
	StateID  int64
	Retired  string // "3 Jan 2026" for a retired candidate, "" otherwise
	Label    string // "Current state, version 2"
	State    string // "Current state", "Future state “Platform”"
	Name     string // the candidate's name, "" for the current state
	Future   bool
	Number   int
	Saved    string // "3 Jan 2026 14:05 by alice"
	Adopted  string // "Adopted from Future state “Platform”, version 1", "" if not
	Vision   string
	Review   canvasReviewView
	Sections []canvasSectionView
}

type canvasSectionView struct {
	Key, Label, Text string
}

// canvasReviewView says when the canvas was last reviewed, and whether that
// is older than a quarter, in words.
type canvasReviewView struct {
	Reviewed string // "2 Jan 2026", "" for never
	Due      string
	Stale    bool
}

type canvasCompareView struct {
	A, B    canvasVersionView
	Rows    []canvasRowView
	Changed int
}

type canvasRowView struct {
	Label, A, B string
	Changed     bool
}

// canvasForm is the save form as typed, with what was wrong.
type canvasForm struct {
	// State is "current" or "future"; Name the candidate's.
	State, Name string
	Sections    []canvasFieldView
	Vision      string
	ReviewedOn  string
	Errors      []string
	Invalid     map[string]bool
	// Candidates are the names of the existing candidates, for the list.
	Candidates []string
	// BaseKind, BaseName and BasedOn name the version the form was filled
	// from: a save of that state refuses to overwrite a later version
	// someone else saved meanwhile. rebase asks for BasedOn to move to the
	// state's newest version (after such a refusal).
	BaseKind, BaseName string
	BasedOn            int
	rebase             bool
}

type canvasFieldView struct {
	Key, Label, Text string
	// Help is said under the field: for the value streams, what they are now.
	Help string
}

// canvasHistoryLimit bounds how many versions the page lists.
const canvasHistoryLimit = lpm.MaxPageSize

// canvas shows the portfolio canvas.
func (h *handler) canvas(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	h.renderCanvas(w, r, v, p, http.StatusOK, nil)
}

// saveCanvas saves a version of the state the form names.
func (h *handler) saveCanvas(w http.ResponseWriter, r *http.Request) {
	v, p, _, ok := h.canvasManager(w, r, "You may not change the portfolio canvas")
	if !ok {
		return
	}
	cv, form, problems := readCanvasForm(r.PostForm)
	cv.PortfolioID = p.ID
	if len(problems) == 0 {
		err := h.store.SaveCanvasVersion(r.Context(), &cv, v.actor)
		if err == nil {
			h.notify(w, r, fmt.Sprintf("%s saved as version %d.", cv.StateLabel(), cv.Number))
			http.Redirect(w, r, fmt.Sprintf("/portfolios/%d/canvas#version-%d", p.ID, cv.ID), http.StatusSeeOther)
			return
		}
		if h.storeFailed(w, r, "save the canvas", err, &problems) {
			return
		}
		if lpm.ErrorCodeOf(err) == lpm.ECONFLICT {
			// The form now stands for the newest version: saving it again
			// replaces that version, knowingly.
			form.rebase = true
			problems = append(problems, lpm.Violation{Message: "your text is kept below; saving it again makes it the next version"})
		}
	}
	form.Errors, form.Invalid = describeProblems(problems)
	h.renderCanvas(w, r, v, p, http.StatusUnprocessableEntity, &form)
}

// adoptCanvas adopts the candidate version the form names as the new target.
func (h *handler) adoptCanvas(w http.ResponseWriter, r *http.Request) {
	v, p, back, ok := h.canvasManager(w, r, "You may not adopt a future state")
	if !ok {
		return
	}
	id, ok := formID(r, "version")
	if !ok {
		h.failTo(w, r, http.StatusBadRequest, "No version to adopt", "The form named no version of the canvas.", back)
		return
	}
	from, err := h.store.FindCanvasVersionByID(r.Context(), id)
	if err != nil && lpm.ErrorCodeOf(err) != lpm.ENOTFOUND {
		h.internalError(w, r, "load the canvas version", err)
		return
	}
	if err != nil || from.PortfolioID != p.ID {
		h.failTo(w, r, http.StatusNotFound, "No such version", "The portfolio has no such version of the canvas.", back)
		return
	}
	adopted, err := h.store.AdoptCanvasVersion(r.Context(), id, v.actor)
	switch {
	case err == nil:
		h.notify(w, r, fmt.Sprintf("%s, version %d, adopted as the new target: it is now version %d of the current state.",
			from.StateLabel(), from.Number, adopted.Number))
		http.Redirect(w, r, fmt.Sprintf("/portfolios/%d/canvas#current", p.ID), http.StatusSeeOther)
	case lpm.ErrorCodeOf(err) == lpm.EINTERNAL:
		h.internalError(w, r, "adopt the future state", err)
	case lpm.ErrorCodeOf(err) == lpm.ECONFLICT:
		h.failTo(w, r, http.StatusConflict, "Not adopted", explain(err), back)
	default:
		h.failTo(w, r, http.StatusUnprocessableEntity, "Not adopted", explain(err), back)
	}
}

// canvasManager is the signed-in viewer and portfolio of a form that
// changes the canvas, with the link back to it; a viewer who may not manage
// the canvas is refused with the page titled refusal.
func (h *handler) canvasManager(w http.ResponseWriter, r *http.Request, refusal string) (*viewer, *lpm.Portfolio, link, bool) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return nil, nil, link{}, false
	}
	back := link{fmt.Sprintf("/portfolios/%d/canvas", p.ID), "Back to the portfolio canvas"}
	if err := v.actor.Authorize(lpm.ManageCanvas, lpm.PortfolioTarget(p.ID)); err != nil {
		h.failTo(w, r, http.StatusForbidden, refusal, explain(err), back)
		return nil, nil, back, false
	}
	return v, p, back, true
}

// formID reads the form's field name as a positive id.
func formID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PostForm.Get(name), 10, 64)
	return id, err == nil && id > 0
}

// retireCanvas retires the candidate the form names.
func (h *handler) retireCanvas(w http.ResponseWriter, r *http.Request) {
	h.setCandidateRetired(w, r, true)
}

// restoreCanvas restores the retired candidate the form names.
func (h *handler) restoreCanvas(w http.ResponseWriter, r *http.Request) {
	h.setCandidateRetired(w, r, false)
}

func (h *handler) setCandidateRetired(w http.ResponseWriter, r *http.Request, retire bool) {
	v, p, back, ok := h.canvasManager(w, r, "You may not retire or restore future states")
	if !ok {
		return
	}
	id, ok := formID(r, "state")
	if !ok {
		h.failTo(w, r, http.StatusBadRequest, "No candidate named", "The form named no future-state candidate.", back)
		return
	}
	latest, err := h.store.RetireCanvasCandidate(r.Context(), p.ID, id, retire, v.actor)
	switch {
	case err == nil && retire:
		h.notify(w, r, fmt.Sprintf("%s retired: it keeps its versions; restore it to work on it again.", latest.StateLabel()))
		http.Redirect(w, r, fmt.Sprintf("/portfolios/%d/canvas#retired", p.ID), http.StatusSeeOther)
	case err == nil:
		h.notify(w, r, fmt.Sprintf("%s restored.", latest.StateLabel()))
		http.Redirect(w, r, fmt.Sprintf("/portfolios/%d/canvas#candidate-%d", p.ID, latest.ID), http.StatusSeeOther)
	case lpm.ErrorCodeOf(err) == lpm.ENOTFOUND:
		h.failTo(w, r, http.StatusNotFound, "No such candidate", "The portfolio has no such future-state candidate.", back)
	case lpm.ErrorCodeOf(err) == lpm.EINTERNAL:
		h.internalError(w, r, "retire or restore the future state", err)
	default:
		h.failTo(w, r, http.StatusUnprocessableEntity, "Not changed", explain(err), back)
	}
}

// readCanvasForm reads the form into a version and the form as typed;
// problems are what could not be read at all (a date that is not one).
func readCanvasForm(f url.Values) (lpm.CanvasVersion, canvasForm, []lpm.Violation) {
	form := canvasForm{State: f.Get("state"), Name: f.Get("name"), Vision: f.Get("vision"),
		ReviewedOn: strings.TrimSpace(f.Get("reviewed_on")), BaseKind: f.Get("base_kind"), BaseName: f.Get("base_name")}
	cv := lpm.CanvasVersion{Kind: lpm.CanvasKind(form.State), Vision: form.Vision}
	if cv.Kind == lpm.CanvasFuture {
		cv.Name = strings.TrimSpace(form.Name)
	}
	// The version the form was filled from counts only for a save of its
	// state; one switched to another state (or a new candidate) has none.
	if n, err := strconv.Atoi(f.Get("based_on")); err == nil && n > 0 {
		form.BasedOn = n
		if form.BaseKind == string(cv.Kind) && form.BaseName == cv.Name {
			cv.BasedOn = n
		}
	}
	for i, s := range lpm.CanvasSections {
		cv.Sections[i] = f.Get(s.Key)
		form.Sections = append(form.Sections, canvasFieldView{Key: s.Key, Label: s.Label, Text: cv.Sections[i]})
	}
	var problems []lpm.Violation
	if form.ReviewedOn != "" {
		d, err := time.Parse(dateLayout, form.ReviewedOn)
		if err != nil {
			problems = append(problems, lpm.Violation{Field: "reviewed_on", Message: "last reviewed must be a date such as 2025-01-31"})
		} else {
			cv.ReviewedOn = &d
		}
	}
	return cv, form, problems
}

// renderCanvas shows the canvas page; form is the save form as typed (nil:
// filled from the state the query names).
func (h *handler) renderCanvas(w http.ResponseWriter, r *http.Request, v *viewer, p *lpm.Portfolio, status int, form *canvasForm) {
	view, latest, err := h.canvasView(r.Context(), v, p, r.URL.Query())
	if err != nil {
		h.internalError(w, r, "read the portfolio canvas", err)
		return
	}
	if view.CanManage {
		prefill := form == nil
		if prefill {
			f := prefillCanvasForm(latest, r.URL.Query().Get("candidate"))
			form = &f
		}
		if err := h.describeValueStreams(r.Context(), p.ID, form, prefill); err != nil {
			h.internalError(w, r, "read the value streams", err)
			return
		}
		if form.Invalid == nil {
			form.Invalid = map[string]bool{}
		}
		if form.rebase {
			form.BasedOn = 0
			for _, cv := range latest {
				if string(cv.Kind) == form.BaseKind && cv.Name == form.BaseName {
					form.BasedOn = cv.Number
				}
			}
		}
		for _, c := range view.Candidates {
			form.Candidates = append(form.Candidates, c.Name)
		}
		view.Form = *form
	}
	view.chrome = h.inPortfolio(w, r, v, p, sectionCanvas, "Portfolio canvas")
	h.render(w, r, status, pageCanvas, view)
}

// describeValueStreams says under the value streams section what the
// portfolio's value streams are now, and fills an empty section with it when
// the form is new: the canvas keeps its own copy when saved.
func (h *handler) describeValueStreams(ctx context.Context, portfolioID int64, form *canvasForm, prefill bool) error {
	streams, err := readAll(func(pg lpm.Page) ([]*lpm.ValueStream, string, error) {
		return h.store.FindValueStreams(ctx, portfolioID, pg)
	})
	if err != nil {
		return fmt.Errorf("value streams of portfolio %d: %w", portfolioID, err)
	}
	live := lpm.CanvasValueStreamsText(streams)
	for i := range form.Sections {
		f := &form.Sections[i]
		if f.Key != "value_streams_solutions" || live == "" {
			continue
		}
		switch {
		case prefill && strings.TrimSpace(f.Text) == "":
			f.Text = live
			f.Help = "Filled in from the portfolio's value streams as they are now; the saved version keeps its own copy."
		case strings.TrimSpace(f.Text) != live:
			f.Help = "The portfolio's value streams now: " + strings.ReplaceAll(live, "\n", " · ")
		}
	}
	return nil
}

// prefillCanvasForm fills the save form from the latest version of the
// candidate named (the current state's for "" or an unknown name).
func prefillCanvasForm(latest []*lpm.CanvasVersion, candidate string) canvasForm {
	form := canvasForm{State: string(lpm.CanvasCurrent)}
	var from *lpm.CanvasVersion
	for _, cv := range latest {
		if (candidate == "" && cv.Kind == lpm.CanvasCurrent) || (candidate != "" && cv.Kind == lpm.CanvasFuture && cv.Name == candidate) {
			from = cv
		}
	}
	if candidate != "" && from != nil {
		form.State, form.Name = string(lpm.CanvasFuture), candidate
	}
	form.BaseKind, form.BaseName = form.State, form.Name
	if from != nil {
		form.BasedOn = from.Number
	}
	for i, s := range lpm.CanvasSections {
		f := canvasFieldView{Key: s.Key, Label: s.Label}
		if from != nil {
			f.Text = from.Sections[i]
		}
		form.Sections = append(form.Sections, f)
	}
	if from != nil {
		form.Vision = from.Vision
		if from.ReviewedOn != nil {
			form.ReviewedOn = from.ReviewedOn.Format(dateLayout)
		}
	}
	return form
}

func (h *handler) canvasView(ctx context.Context, v *viewer, p *lpm.Portfolio, q url.Values) (canvasView, []*lpm.CanvasVersion, error) {
	view := canvasView{PortfolioID: p.ID, CanManage: v.may(lpm.ManageCanvas, lpm.PortfolioTarget(p.ID))}
	latest, err := h.store.LatestCanvasVersions(ctx, p.ID)
	if err != nil {
		return view, nil, err
	}
	// The newest versions, newest first.
	all, next, err := h.store.FindCanvasVersions(ctx, lpm.CanvasVersionFilter{PortfolioID: p.ID, NewestFirst: true, Page: lpm.Page{Limit: canvasHistoryLimit}})
	if err != nil {
		return view, nil, err
	}
	byID := map[int64]*lpm.CanvasVersion{}
	for _, cv := range slices.Concat(all, latest) {
		byID[cv.ID] = cv
	}
	// A version adopted from one older than the history read names it too.
	for _, cv := range slices.Concat(all, latest) {
		if _, ok := byID[cv.AdoptedFrom]; cv.AdoptedFrom != 0 && !ok {
			from, err := h.store.FindCanvasVersionByID(ctx, cv.AdoptedFrom)
			if err != nil {
				return view, nil, fmt.Errorf("canvas version %d: %w", cv.AdoptedFrom, err)
			}
			byID[from.ID] = from
		}
	}
	now := lpm.Now()
	for _, cv := range latest {
		vv := newCanvasVersionView(cv, byID, now)
		switch {
		case cv.Kind == lpm.CanvasCurrent:
			view.Current = &vv
		case cv.RetiredAt != nil:
			view.Retired = append(view.Retired, vv)
		default:
			view.Candidates = append(view.Candidates, vv)
		}
	}
	view.Complete = next == ""
	for _, cv := range all {
		view.History = append(view.History, newCanvasVersionView(cv, byID, now))
	}
	a, _ := strconv.ParseInt(q.Get("a"), 10, 64)
	b, _ := strconv.ParseInt(q.Get("b"), 10, 64)
	view.A, view.B = a, b
	if a > 0 && b > 0 {
		va, vb := h.canvasVersionOf(ctx, p.ID, a, byID), h.canvasVersionOf(ctx, p.ID, b, byID)
		if va != nil && vb != nil {
			c := &canvasCompareView{A: newCanvasVersionView(va, byID, now), B: newCanvasVersionView(vb, byID, now)}
			for _, row := range lpm.CompareCanvas(va, vb) {
				rv := canvasRowView{Label: row.Label, A: row.A, B: row.B, Changed: row.Changed}
				if row.Key == "reviewed_on" {
					rv.A, rv.B = dayOf(va.ReviewedOn), dayOf(vb.ReviewedOn)
				}
				c.Rows = append(c.Rows, rv)
				if row.Changed {
					c.Changed++
				}
			}
			view.Compare = c
		}
	}
	if view.A == 0 && view.B == 0 && len(all) >= 2 {
		// Offer the two newest versions.
		view.A, view.B = all[1].ID, all[0].ID
	}
	return view, latest, nil
}

// canvasVersionOf is version id of the portfolio, nil if it has none.
func (h *handler) canvasVersionOf(ctx context.Context, portfolioID, id int64, byID map[int64]*lpm.CanvasVersion) *lpm.CanvasVersion {
	if cv, ok := byID[id]; ok {
		return cv
	}
	cv, err := h.store.FindCanvasVersionByID(ctx, id)
	if err != nil || cv.PortfolioID != portfolioID {
		return nil
	}
	return cv
}

func newCanvasVersionView(cv *lpm.CanvasVersion, byID map[int64]*lpm.CanvasVersion, now time.Time) canvasVersionView {
	vv := canvasVersionView{ID: cv.ID, StateID: cv.StateID, Retired: dayOf(cv.RetiredAt), State: cv.StateLabel(), Name: cv.Name, Future: cv.Kind == lpm.CanvasFuture,
		Number: cv.Number, Label: fmt.Sprintf("%s, version %d", cv.StateLabel(), cv.Number),
		Saved: cv.SavedAt.Format("2 Jan 2006 15:04") + " by " + cv.SavedBy, Vision: cv.Vision, Review: canvasReview(cv.ReviewedOn, now)}
	if cv.AdoptedFrom != 0 {
		vv.Adopted = fmt.Sprintf("version %d", cv.AdoptedFrom)
		if from, ok := byID[cv.AdoptedFrom]; ok {
			vv.Adopted = fmt.Sprintf("%s, version %d", from.StateLabel(), from.Number)
		}
	}
	for i, s := range lpm.CanvasSections {
		vv.Sections = append(vv.Sections, canvasSectionView{Key: s.Key, Label: s.Label, Text: cv.Sections[i]})
	}
	return vv
}

// canvasReview describes a review date.
func canvasReview(reviewed *time.Time, now time.Time) canvasReviewView {
	rv := canvasReviewView{Stale: lpm.CanvasReviewStale(reviewed, now)}
	if reviewed != nil {
		rv.Reviewed, rv.Due = day(*reviewed), day(lpm.CanvasReviewDue(*reviewed))
	}
	return rv
}

// dayOf writes a date, "" for none.
func dayOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return day(*t)
}
