package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

// settingsView is a portfolio's Kanban settings: each column's WIP limit,
// what a full column does, and whether epics may move back out of it; and
// what each column asks of an epic, read-only.
type settingsView struct {
	chrome
	PortfolioID int64
	Columns     []settingsColumn
	Errors      []string
	Invalid     map[string]bool
	MaxWIPLimit int
	// Enforcements are the choices of what a full column does.
	Enforcements []option
}

// settingsColumn is one column's row as the form shows it (as typed, after
// a refusal).
type settingsColumn struct {
	State lpm.State
	Title string
	// HasLimit says the column may have a WIP limit; WIPLimit is "" for none.
	HasLimit    bool
	WIPLimit    string
	Enforcement string
	// BackTo is the title of the column its backward move goes to, "" when
	// it has none.
	BackTo        string
	AllowBackward bool
	Policy        lpm.ColumnPolicy
}

// enforcements are the choices of what a full column does.
var enforcements = []option{
	{string(lpm.Block), "Block moves in (admins may override)"},
	{string(lpm.Warn), "Warn only (moves in are flagged)"},
}

// The form's field names for a column.
func wipField(s lpm.State) string         { return "wip_limit." + string(s) }
func enforcementField(s lpm.State) string { return "enforcement." + string(s) }
func backwardField(s lpm.State) string    { return "allow_backward." + string(s) }

// backwardShownField lists the columns whose "allow moves back" box the
// form had.
const backwardShownField = "allow_backward_shown"

// backwardTarget is the column an epic in s moves back to; false when it
// has no backward move.
func backwardTarget(s lpm.State) (lpm.State, bool) {
	for _, to := range lpm.States {
		if lpm.IsBackward(s, to) {
			return to, true
		}
	}
	return "", false
}

// settings shows the Kanban settings to those who may configure the Kanban.
func (h *handler) settings(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.kanbanConfigurer(w, r)
	if !ok {
		return
	}
	cols, err := h.store.FindColumns(r.Context(), p.ID)
	if err != nil {
		h.internalError(w, r, "load the Kanban columns", err)
		return
	}
	view := settingsView{PortfolioID: p.ID}
	for _, c := range cols {
		view.Columns = append(view.Columns, newSettingsColumn(c))
	}
	h.renderSettings(w, r, v, p, http.StatusOK, view)
}

// kanbanConfigurer loads the portfolio for a viewer who may configure its
// Kanban: a non-member gets the not-found page, a member without the right
// the forbidden page saying who may.
func (h *handler) kanbanConfigurer(w http.ResponseWriter, r *http.Request) (*viewer, *lpm.Portfolio, bool) {
	v, ok := h.signedIn(w, r)
	if !ok {
		return nil, nil, false
	}
	p, ok := h.portfolio(w, r, v)
	if !ok {
		return nil, nil, false
	}
	if err := v.actor.Authorize(lpm.ConfigureKanban, lpm.PortfolioTarget(p.ID)); err != nil {
		h.failTo(w, r, http.StatusForbidden, "You may not change the Kanban settings", explain(err),
			link{fmt.Sprintf("/portfolios/%d/board", p.ID), "Back to the board"})
		return nil, nil, false
	}
	return v, p, true
}

func newSettingsColumn(c lpm.Column) settingsColumn {
	sc := settingsColumn{State: c.State, Title: c.State.Title(), HasLimit: c.State.HasWIPLimit(),
		Enforcement: string(c.Enforcement), AllowBackward: c.AllowBackward, Policy: lpm.ColumnPolicies(c.State)}
	if c.WIPLimit != nil {
		sc.WIPLimit = strconv.Itoa(*c.WIPLimit)
	}
	if to, ok := backwardTarget(c.State); ok {
		sc.BackTo = to.Title()
	}
	return sc
}

// columnChange is what the form changes in one column.
type columnChange struct {
	state lpm.State
	upd   lpm.ColumnUpdate
}

// saveSettings saves the columns the form changed, one UpdateColumn each.
// Every change is checked before the first is saved, so a mistyped limit
// saves nothing; a refusal by the store stops at that column and says which
// were saved before it.
func (h *handler) saveSettings(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.kanbanConfigurer(w, r)
	if !ok {
		return
	}
	cols, err := h.store.FindColumns(r.Context(), p.ID)
	if err != nil {
		h.internalError(w, r, "load the Kanban columns", err)
		return
	}
	view := settingsView{PortfolioID: p.ID, Invalid: map[string]bool{}}
	changes, problems := readSettingsForm(r.PostForm, cols, &view)
	if len(problems) == 0 && len(changes) == 0 {
		h.notify(w, r, "Nothing to save: the settings were already as the form had them.")
		http.Redirect(w, r, fmt.Sprintf("/portfolios/%d/settings", p.ID), http.StatusSeeOther)
		return
	}
	if len(problems) == 0 {
		// All columns in one transaction: a refusal saves none of them.
		batch := make([]lpm.ColumnChange, len(changes))
		var saved []string
		for i, ch := range changes {
			batch[i] = lpm.ColumnChange{State: ch.state, Update: ch.upd}
			saved = append(saved, ch.state.Title())
		}
		_, err := h.store.UpdateColumns(r.Context(), p.ID, batch, v.actor)
		if err == nil {
			h.notify(w, r, "Kanban settings saved: "+strings.Join(saved, ", ")+".")
			http.Redirect(w, r, fmt.Sprintf("/portfolios/%d/settings", p.ID), http.StatusSeeOther)
			return
		}
		if lpm.ErrorCodeOf(err) == lpm.EINTERNAL {
			h.internalError(w, r, "save the Kanban settings", err)
			return
		}
		problems = append(problems, lpm.Violation{Message: "nothing was saved: " + explain(err)})
	}
	view.Errors, view.Invalid = describeProblems(problems)
	h.renderSettings(w, r, v, p, http.StatusUnprocessableEntity, view)
}

// columnField is the form's field for a violation of a column's update
// ("wip_limit" of reviewing is wip_limit.reviewing).
func columnField(s lpm.State, field string) string {
	if field == "" {
		return ""
	}
	return field + "." + string(s)
}

// readSettingsForm reads the form against the columns as stored: the
// changes to make, what is wrong (each change is checked by
// lpm.ColumnUpdate.Apply on a copy), and the rows as typed into view. A
// field the form did not send leaves its setting as it is.
func readSettingsForm(f url.Values, cols []lpm.Column, view *settingsView) ([]columnChange, []lpm.Violation) {
	var changes []columnChange
	var problems []lpm.Violation
	for _, c := range cols {
		sc := newSettingsColumn(c)
		var upd lpm.ColumnUpdate
		changed := false
		if _, sent := f[wipField(c.State)]; sent && c.State.HasWIPLimit() {
			sc.WIPLimit = strings.TrimSpace(f.Get(wipField(c.State)))
			switch n, err := strconv.Atoi(sc.WIPLimit); {
			case sc.WIPLimit == "":
				if c.WIPLimit != nil {
					upd.ClearWIPLimit, changed = true, true
				}
			case err != nil || n < 0 || n > lpm.MaxWIPLimit:
				problems = append(problems, lpm.Violation{Field: wipField(c.State),
					Message: fmt.Sprintf("the WIP limit of %s must be a whole number from 0 to %d, or blank for no limit", c.State.Title(), lpm.MaxWIPLimit)})
			case c.WIPLimit == nil || *c.WIPLimit != n:
				upd.WIPLimit, changed = &n, true
			}
		}
		if _, sent := f[enforcementField(c.State)]; sent && c.State.HasWIPLimit() {
			sc.Enforcement = f.Get(enforcementField(c.State))
			if e := lpm.Enforcement(sc.Enforcement); e != c.Enforcement {
				upd.Enforcement, changed = &e, true
			}
		}
		if _, ok := backwardTarget(c.State); ok && slices.Contains(f[backwardShownField], string(c.State)) {
			// An unticked box sends nothing, so the form says which boxes
			// it had.
			sc.AllowBackward = f.Get(backwardField(c.State)) == "on"
			if sc.AllowBackward != c.AllowBackward {
				allow := sc.AllowBackward
				upd.AllowBackward, changed = &allow, true
			}
		}
		view.Columns = append(view.Columns, sc)
		if !changed {
			continue
		}
		check := c
		if err := upd.Apply(&check); err != nil {
			for _, vi := range asViolations(err) {
				problems = append(problems, lpm.Violation{Field: columnField(c.State, vi.Field), Message: c.State.Title() + ": " + vi.Message})
			}
			continue
		}
		changes = append(changes, columnChange{state: c.State, upd: upd})
	}
	return changes, problems
}

// renderSettings shows the settings form.
func (h *handler) renderSettings(w http.ResponseWriter, r *http.Request, v *viewer, p *lpm.Portfolio, status int, view settingsView) {
	if view.Invalid == nil {
		view.Invalid = map[string]bool{}
	}
	view.MaxWIPLimit, view.Enforcements = lpm.MaxWIPLimit, enforcements
	view.chrome = h.inPortfolio(w, r, v, p, sectionSettings, "Kanban settings")
	h.render(w, r, status, pageSettings, view)
}
