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

// valueStreamsView lists a portfolio's value streams, with the forms that
// create one and change each for those who may.
type valueStreamsView struct {
	chrome
	PortfolioID int64
	Streams     []valueStreamView
	// EpicsCounted is false when the portfolio has more epics than a page
	// reads, so the counts leave some out.
	EpicsCounted bool
	CanManage    bool
	Form         valueStreamForm
}

type valueStreamView struct {
	ID          int64
	Name        string
	Kind        string
	Development bool
	Description string
	ARTs        []lpm.ART
	Solutions   []solutionView
	// Supports names the development value streams an operational one uses.
	Supports []string
	Epics    int
	// Edit is the form that changes the value stream, for those who may.
	Edit *valueStreamForm
}

type solutionView struct {
	Name, Kind, Description string
}

// valueStreamForm is the form that creates a value stream (ID 0) or
// changes one, as typed, with what was wrong.
type valueStreamForm struct {
	ID int64
	// Prefix starts the ids of the form's controls, which are unique on
	// the page: "" for the creation form.
	Prefix                  string
	Name, Description, Kind string
	ARTs                    []artRow
	Solutions               []solutionRow
	Supports                []int64
	// Developments are the development value streams an operational one may
	// support, those in Supports checked.
	Developments []checkOption
	// SolutionKinds are the choices of a solution's kind.
	SolutionKinds []option
	Errors        []string
	Invalid       map[string]bool
}

// Development reports whether the form is of a development value stream
// (or creates one of either kind), so shows ARTs and solutions.
func (f valueStreamForm) Development() bool { return f.ID == 0 || f.Kind == string(lpm.Development) }

// Operational reports whether the form is of an operational value stream
// (or creates one of either kind), so shows the value streams it uses.
func (f valueStreamForm) Operational() bool { return f.ID == 0 || f.Kind == string(lpm.Operational) }

// editForm is the form that changes v, filled with what is stored.
func editForm(v *lpm.ValueStream) valueStreamForm {
	form := valueStreamForm{ID: v.ID, Prefix: fmt.Sprintf("edit-%d-", v.ID), Name: v.Name, Description: v.Description,
		Kind: string(v.Kind), Supports: v.Supports}
	for i, a := range v.ARTs {
		row := artRow{Index: i, Name: a.Name}
		if a.Headcount > 0 {
			row.Headcount = strconv.Itoa(a.Headcount)
		}
		form.ARTs = append(form.ARTs, row)
	}
	for i, sol := range v.Solutions {
		form.Solutions = append(form.Solutions, solutionRow{Index: i, Name: sol.Name, Kind: string(sol.Kind), Description: sol.Description})
	}
	return form
}

// artRow and solutionRow are rows of the form; their field names are those
// of the domain's violations (arts[0].name).
type artRow struct {
	Index           int
	Name, Headcount string
}

type solutionRow struct {
	Index                   int
	Name, Kind, Description string
}

// Number is the row's place for people, from 1.
func (r artRow) Number() int { return r.Index + 1 }

// Number is the row's place for people, from 1.
func (r solutionRow) Number() int { return r.Index + 1 }

// solutionKinds are the choices of a solution's kind.
var solutionKinds = []option{
	{string(lpm.Product), "Product"}, {string(lpm.Service), "Service"}, {string(lpm.System), "System"},
	{string(lpm.InternalApplication), "Internal application"},
}

// valueStreamKindTitles name the kinds for people.
var valueStreamKindTitles = map[lpm.ValueStreamKind]string{
	lpm.Development: "Development", lpm.Operational: "Operational",
}

// Blank rows the form offers for ARTs and solutions beyond those filled in;
// "More rows" adds as many again.
const blankRows = 3

// valueStreams lists the portfolio's value streams.
func (h *handler) valueStreams(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	h.renderValueStreams(w, r, v, p, http.StatusOK, valueStreamForm{Kind: string(lpm.Development)}, nil)
}

// createValueStream creates the value stream the form describes; "More
// rows" shows the form again with more rows and writes nothing.
func (h *handler) createValueStream(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	if err := v.actor.Authorize(lpm.ManageValueStreams, lpm.PortfolioTarget(p.ID)); err != nil {
		h.failTo(w, r, http.StatusForbidden, "You may not create value streams here", explain(err),
			link{fmt.Sprintf("/portfolios/%d/value-streams", p.ID), "Back to the value streams"})
		return
	}
	vs, form, problems := readValueStreamForm(r.PostForm)
	if r.PostForm.Get("more") != "" {
		form.ARTs = padArtRows(form.ARTs, blankRows)
		form.Solutions = padSolutionRows(form.Solutions, blankRows)
		h.renderValueStreams(w, r, v, p, http.StatusOK, form, nil)
		return
	}
	vs.PortfolioID, vs.CreatedAt = p.ID, lpm.Now()
	if len(problems) == 0 {
		err := h.store.CreateValueStream(r.Context(), &vs, v.actor)
		if err == nil {
			h.notify(w, r, fmt.Sprintf("Value stream %s created.", vs.Name))
			http.Redirect(w, r, fmt.Sprintf("/portfolios/%d/value-streams#value-stream-%d", p.ID, vs.ID), http.StatusSeeOther)
			return
		}
		if h.storeFailed(w, r, "store the value stream", err, &problems) {
			return
		}
	}
	form.Errors, form.Invalid = describeProblems(problems)
	h.renderValueStreams(w, r, v, p, http.StatusUnprocessableEntity, form, nil)
}

// changeValueStream applies the form that changes a value stream of the
// portfolio: its name, description, ARTs and solutions or, for an
// operational one, the value streams it uses; the kind stays. "More rows"
// shows the form again with more rows and writes nothing.
func (h *handler) changeValueStream(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	old, ok := pathObject(h, w, r, p, "value_stream", "the value stream", h.store.FindValueStreamByID,
		func(vs *lpm.ValueStream) int64 { return vs.PortfolioID })
	if !ok {
		return
	}
	back := fmt.Sprintf("/portfolios/%d/value-streams#value-stream-%d", p.ID, old.ID)
	if err := v.actor.Authorize(lpm.ManageValueStreams, lpm.PortfolioTarget(p.ID)); err != nil {
		h.failTo(w, r, http.StatusForbidden, "You may not change value streams here", explain(err), link{back, "Back to the value streams"})
		return
	}
	vs, form, problems := readValueStreamForm(r.PostForm)
	edited := editForm(old)
	edited.Name, edited.Description, edited.ARTs, edited.Solutions, edited.Supports =
		form.Name, form.Description, form.ARTs, form.Solutions, form.Supports
	if r.PostForm.Get("more") != "" {
		edited.ARTs = padArtRows(edited.ARTs, blankRows)
		edited.Solutions = padSolutionRows(edited.Solutions, blankRows)
		h.renderValueStreams(w, r, v, p, http.StatusOK, valueStreamForm{Kind: string(lpm.Development)}, &edited)
		return
	}
	if len(problems) == 0 {
		// The form shows either the ARTs and solutions or the value
		// streams used; the others are empty, as the kind wants them.
		upd := lpm.ValueStreamUpdate{Name: &vs.Name, Description: &vs.Description, ARTs: &vs.ARTs, Solutions: &vs.Solutions,
			Supports: &vs.Supports}
		changed, err := h.store.UpdateValueStream(r.Context(), old.ID, upd, v.actor)
		if err == nil {
			h.notify(w, r, fmt.Sprintf("Value stream %s changed.", changed.Name))
			http.Redirect(w, r, back, http.StatusSeeOther)
			return
		}
		if h.storeFailed(w, r, "change the value stream", err, &problems) {
			return
		}
	}
	edited.Errors, edited.Invalid = describeProblems(problems)
	h.renderValueStreams(w, r, v, p, http.StatusUnprocessableEntity, valueStreamForm{Kind: string(lpm.Development)}, &edited)
}

// readValueStreamForm reads the form into a value stream and the form as
// typed; problems are what could not be read at all (a headcount that is
// not a number, a kind not offered). Rows left blank are skipped.
func readValueStreamForm(f url.Values) (lpm.ValueStream, valueStreamForm, []lpm.Violation) {
	var problems []lpm.Violation
	form := valueStreamForm{Name: f.Get("name"), Description: f.Get("description"), Kind: f.Get("kind")}
	vs := lpm.ValueStream{Name: strings.TrimSpace(form.Name), Description: form.Description, Kind: lpm.ValueStreamKind(form.Kind)}
	for i := range lpm.MaxListLen {
		name, headcount := f.Get(fmt.Sprintf("arts[%d].name", i)), f.Get(fmt.Sprintf("arts[%d].headcount", i))
		if _, sent := f[fmt.Sprintf("arts[%d].name", i)]; !sent {
			break
		}
		if strings.TrimSpace(name) == "" && strings.TrimSpace(headcount) == "" {
			continue
		}
		row := artRow{Index: len(form.ARTs), Name: name, Headcount: headcount}
		form.ARTs = append(form.ARTs, row)
		a := lpm.ART{Name: strings.TrimSpace(name)}
		if s := strings.TrimSpace(headcount); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				problems = append(problems, lpm.Violation{Field: fmt.Sprintf("arts[%d].headcount", row.Index),
					Message: fmt.Sprintf("the headcount of ART %d must be a whole number of people (or left blank)", row.Index+1)})
			}
			a.Headcount = n
		}
		vs.ARTs = append(vs.ARTs, a)
	}
	for i := range lpm.MaxListLen {
		if _, sent := f[fmt.Sprintf("solutions[%d].name", i)]; !sent {
			break
		}
		name, kind, desc := f.Get(fmt.Sprintf("solutions[%d].name", i)), f.Get(fmt.Sprintf("solutions[%d].kind", i)),
			f.Get(fmt.Sprintf("solutions[%d].description", i))
		if strings.TrimSpace(name) == "" && strings.TrimSpace(desc) == "" {
			continue
		}
		row := solutionRow{Index: len(form.Solutions), Name: name, Kind: kind, Description: desc}
		form.Solutions = append(form.Solutions, row)
		vs.Solutions = append(vs.Solutions, lpm.Solution{Name: strings.TrimSpace(name), Kind: lpm.SolutionKind(kind), Description: desc})
	}
	for _, s := range f["supports"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			problems = append(problems, lpm.Violation{Field: "supports", Message: "the supported value streams must be chosen from the list"})
			continue
		}
		if !slices.Contains(vs.Supports, id) {
			vs.Supports = append(vs.Supports, id)
		}
	}
	form.Supports = vs.Supports
	return vs, form, problems
}

func padArtRows(rows []artRow, blank int) []artRow {
	for range blank {
		if len(rows) >= lpm.MaxListLen {
			break
		}
		rows = append(rows, artRow{Index: len(rows)})
	}
	return rows
}

func padSolutionRows(rows []solutionRow, blank int) []solutionRow {
	for range blank {
		if len(rows) >= lpm.MaxListLen {
			break
		}
		rows = append(rows, solutionRow{Index: len(rows), Kind: string(lpm.Product)})
	}
	return rows
}

// renderValueStreams shows the list and, for those who may, the forms:
// form to create one and, when edit is not nil, edit as the form of the
// value stream it changes.
func (h *handler) renderValueStreams(w http.ResponseWriter, r *http.Request, v *viewer, p *lpm.Portfolio, status int,
	form valueStreamForm, edit *valueStreamForm) {
	view, err := h.valueStreamsView(r.Context(), v, p, form, edit)
	if err != nil {
		h.internalError(w, r, "list the value streams", err)
		return
	}
	view.chrome = h.inPortfolio(w, r, v, p, sectionValueStreams, "Value streams")
	h.render(w, r, status, pageValueStreams, view)
}

func (h *handler) valueStreamsView(ctx context.Context, v *viewer, p *lpm.Portfolio, form valueStreamForm, edit *valueStreamForm) (valueStreamsView, error) {
	view := valueStreamsView{PortfolioID: p.ID, CanManage: v.may(lpm.ManageValueStreams, lpm.PortfolioTarget(p.ID))}
	streams, err := readAll(func(pg lpm.Page) ([]*lpm.ValueStream, string, error) {
		return h.store.FindValueStreams(ctx, p.ID, pg)
	})
	if err != nil {
		return view, fmt.Errorf("value streams of portfolio %d: %w", p.ID, err)
	}
	epics, complete, err := h.portfolioEpics(ctx, p.ID)
	if err != nil {
		return view, err
	}
	view.EpicsCounted = complete
	linked := map[int64]int{}
	for _, e := range epics {
		for _, id := range e.ValueStreamIDs {
			linked[id]++
		}
	}
	names := map[int64]string{}
	for _, s := range streams {
		names[s.ID] = s.Name
	}
	for _, s := range streams {
		sv := valueStreamView{ID: s.ID, Name: s.Name, Kind: valueStreamKindTitles[s.Kind], Development: s.Kind == lpm.Development, Description: s.Description,
			ARTs: s.ARTs, Epics: linked[s.ID]}
		for _, sol := range s.Solutions {
			sv.Solutions = append(sv.Solutions, solutionView{Name: sol.Name, Kind: optionLabel(solutionKinds, string(sol.Kind)),
				Description: sol.Description})
		}
		for _, id := range s.Supports {
			sv.Supports = append(sv.Supports, names[id])
		}
		if view.CanManage {
			f := editForm(s)
			if edit != nil && edit.ID == s.ID {
				f = *edit
			}
			f = fillValueStreamForm(f, streams)
			sv.Edit = &f
		}
		view.Streams = append(view.Streams, sv)
	}
	if view.CanManage {
		view.Form = fillValueStreamForm(form, streams)
	}
	return view, nil
}

// fillValueStreamForm adds to form what it offers: the development value
// streams it may use, at least blankRows rows for ARTs and solutions with
// always one blank, and the kinds of solution.
func fillValueStreamForm(form valueStreamForm, streams []*lpm.ValueStream) valueStreamForm {
	for _, s := range streams {
		if s.Kind == lpm.Development {
			form.Developments = append(form.Developments, checkOption{ID: s.ID, Label: s.Name,
				Checked: slices.Contains(form.Supports, s.ID)})
		}
	}
	form.ARTs = padArtRows(form.ARTs, max(1, blankRows-len(form.ARTs)))
	form.Solutions = padSolutionRows(form.Solutions, max(1, blankRows-len(form.Solutions)))
	form.SolutionKinds = solutionKinds
	if form.Invalid == nil {
		form.Invalid = map[string]bool{}
	}
	return form
}
