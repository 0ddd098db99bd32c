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

// boardMove makes the move a board's button asked for (the board without
// JavaScript, or a keyboard user's): the button's value is "EPIC:STATE".
// Success and refusal alike come back to the board, with a notice saying
// what happened.
func (h *handler) boardMove(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	back := fmt.Sprintf("/portfolios/%d/board", p.ID)
	if q, err := url.ParseQuery(r.PostForm.Get("filter")); err == nil && len(q) > 0 {
		if f, err := parseBoardFilter(q); err == nil {
			back += "?" + filterQuery(f)
		}
	}
	epicPart, to, found := strings.Cut(r.PostForm.Get("move"), ":")
	id, err := strconv.ParseInt(epicPart, 10, 64)
	if !found || err != nil || !lpm.State(to).Valid() {
		h.failTo(w, r, http.StatusBadRequest, "Move not understood",
			"The form did not say which epic to move where. Use the move buttons on the board.", link{back, "Back to the board"})
		return
	}
	// The epic's own page sends its moves here too, and wants them back.
	back += "#epic-" + epicPart
	if r.PostForm.Get("return") == "epic" {
		back = fmt.Sprintf("/epics/%d", id)
	}
	// Only epics of the board the form belongs to.
	if e, err := h.store.FindEpicByID(r.Context(), id); err != nil || e.PortfolioID != p.ID {
		if err != nil && lpm.ErrorCodeOf(err) != lpm.ENOTFOUND {
			h.internalError(w, r, "load the epic", err)
			return
		}
		h.failTo(w, r, http.StatusNotFound, "No such epic on this board",
			"The epic this form names is not on this portfolio's board. Reload the board and try again.", link{back, "Back to the board"})
		return
	}
	res, err := h.store.TransitionEpic(r.Context(), id, lpm.TransitionRequest{To: lpm.State(to)}, v.actor)
	if err != nil {
		if lpm.ErrorCodeOf(err) == lpm.EINTERNAL {
			h.internalError(w, r, "move the epic", err)
			return
		}
		h.alert(w, r, "Not moved: "+explain(err))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	h.notify(w, r, movedNotice(res))
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// movedNotice says what a move did.
func movedNotice(res *lpm.TransitionResult) string {
	msg := fmt.Sprintf("%s moved to %s.", res.Epic.Key, res.Epic.State.Title())
	if res.Pivot != nil {
		msg += fmt.Sprintf(" The pivot created %s in the funnel.", res.Pivot.Key)
	}
	for _, w := range res.Warnings {
		msg += " Note: " + w + "."
	}
	return msg
}

// explain says in words why the store refused something: its message and
// every unmet condition.
func explain(err error) string {
	e := lpm.AsError(err)
	if e == nil {
		return "something went wrong on the server."
	}
	msg := sentence(e.Message)
	if len(e.Violations) == 0 {
		return msg + "."
	}
	parts := make([]string, len(e.Violations))
	for i, vi := range e.Violations {
		parts[i] = vi.Message
	}
	return msg + ": " + strings.Join(parts, "; ") + "."
}

// moveFormView is the form for a move that needs more than a click: a
// reason, a done reason, a WIP override.
type moveFormView struct {
	chrome
	Epic        *lpm.Epic
	From        string
	Targets     []option
	To          lpm.State
	DoneReasons []option
	DoneReason  lpm.DoneReason
	Reason      string
	Override    bool
	CanOverride bool
	Errors      []string
	Back        string
}

// moveForm shows the move form of an epic, with ?to= chosen.
func (h *handler) moveForm(w http.ResponseWriter, r *http.Request) {
	v, e, p, ok := h.signedInEpic(w, r)
	if !ok {
		return
	}
	view, ok := h.moveFormView(w, r, v, e, p)
	if !ok {
		return
	}
	view.To = lpm.State(r.URL.Query().Get("to"))
	h.render(w, r, http.StatusOK, pageMove, view)
}

// moveFormView fills the form's choices: the moves the viewer may make.
func (h *handler) moveFormView(w http.ResponseWriter, r *http.Request, v *viewer, e *lpm.Epic, p *lpm.Portfolio) (moveFormView, bool) {
	cols, err := h.store.FindColumns(r.Context(), e.PortfolioID)
	if err != nil {
		h.internalError(w, r, "load the Kanban columns", err)
		return moveFormView{}, false
	}
	view := moveFormView{chrome: h.inPortfolio(w, r, v, p, sectionBoard, "Move "+e.Key), Epic: e, From: e.State.Title(),
		CanOverride: v.may(lpm.OverrideWIP, lpm.EpicTarget(e)), Back: fmt.Sprintf("/epics/%d", e.ID)}
	i := slices.IndexFunc(cols, func(c lpm.Column) bool { return c.State == e.State })
	if i >= 0 {
		for _, to := range lpm.AllowedMoves(cols[i]) {
			if v.may(lpm.MoveAction(e.State, to), lpm.EpicTarget(e)) {
				view.Targets = append(view.Targets, option{string(to), to.Title()})
			}
		}
	}
	for _, dr := range lpm.DoneReasonsFrom(e.State) {
		view.DoneReasons = append(view.DoneReasons, option{string(dr), dr.Title()})
	}
	return view, true
}

// move makes the move the epic's move form asks for.
func (h *handler) move(w http.ResponseWriter, r *http.Request) {
	v, e, p, ok := h.signedInEpic(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	req := lpm.TransitionRequest{To: lpm.State(f.Get("to")), Reason: f.Get("reason"), OverrideWIP: f.Get("override_wip") == "on"}
	if req.To == lpm.Done {
		req.DoneReason = lpm.DoneReason(f.Get("done_reason"))
	}
	res, err := h.store.TransitionEpic(r.Context(), e.ID, req, v.actor)
	if err != nil {
		if lpm.ErrorCodeOf(err) == lpm.EINTERNAL {
			h.internalError(w, r, "move the epic", err)
			return
		}
		view, ok := h.moveFormView(w, r, v, e, p)
		if !ok {
			return
		}
		view.To, view.DoneReason, view.Reason, view.Override = req.To, req.DoneReason, req.Reason, req.OverrideWIP
		view.Errors = []string{explain(err)}
		h.render(w, r, http.StatusUnprocessableEntity, pageMove, view)
		return
	}
	h.notify(w, r, movedNotice(res))
	http.Redirect(w, r, fmt.Sprintf("/epics/%d", e.ID), http.StatusSeeOther)
}
