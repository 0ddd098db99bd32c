package web

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// epic loads the epic named by the path value "epic" and its portfolio for
// v, answering the not-found page when it does not exist or v may not see it.
func (h *handler) epic(w http.ResponseWriter, r *http.Request, v *viewer) (*lpm.Epic, *lpm.Portfolio, bool) {
	id, ok := h.pathID(w, r, "epic")
	if !ok {
		return nil, nil, false
	}
	e, err := h.store.FindEpicByID(r.Context(), id)
	if err == nil {
		err = v.actor.AuthorizeEpic(lpm.ViewPortfolio, e)
	}
	switch {
	case lpm.ErrorCodeOf(err) == lpm.ENOTFOUND:
		h.notFound(w, r)
		return nil, nil, false
	case err != nil:
		h.internalError(w, r, "load the epic", err)
		return nil, nil, false
	}
	p, err := h.store.FindPortfolioByID(r.Context(), e.PortfolioID)
	if err != nil {
		h.internalError(w, r, "load the epic's portfolio", err)
		return nil, nil, false
	}
	return e, p, true
}

// epicView is an epic's page.
type epicView struct {
	chrome
	Epic         *lpm.Epic
	State        string
	DoneReason   string
	WSJF         string
	CostOfDelay  int
	Scored       bool
	Currency     string
	Costs        costsView
	Themes       []string
	ValueStreams []string
	PivotedFrom  *lpm.Epic
	Moves        []moveView
	CanEdit      bool
	// Decide is the form for recording a decision, nil when the viewer may
	// record none about the epic where it is.
	Decide   *decisionForm
	Timeline []timelineEntry
	// EditsHidden says the timeline leaves out edits, which only people
	// who may read the audit trail see.
	EditsHidden bool
	// Strategy is the epic's impediments, dependencies and forecast.
	Strategy epicStrategyView
}

// costsView are the epic's costs in major units of the portfolio currency.
type costsView struct {
	MVPInternal, MVPSupplier, MVP, FullInternal, FullSupplier, Full string
}

// timelineEntry is one event in an epic's life.
type timelineEntry struct {
	At     time.Time
	When   string
	Kind   string // "move", "decision", "edit", "created"
	What   string
	Who    string
	Detail string
	Flags  []string
}

// epicPage shows an epic: its hypothesis, lean business case, WSJF, costs,
// links, and its whole history as a timeline.
func (h *handler) epicPage(w http.ResponseWriter, r *http.Request) {
	v, e, p, ok := h.signedInEpic(w, r)
	if !ok {
		return
	}
	view, err := h.epicView(r.Context(), v, e, p)
	if err != nil {
		h.internalError(w, r, "load the epic", err)
		return
	}
	view.chrome = h.inPortfolio(w, r, v, p, sectionBoard, e.Key+" "+e.Title)
	view.Scripts = []string{"live.js"}
	h.render(w, r, http.StatusOK, pageEpic, view)
}

func (h *handler) epicView(ctx context.Context, v *viewer, e *lpm.Epic, p *lpm.Portfolio) (epicView, error) {
	view := epicView{Epic: e, State: e.State.Title(), Currency: p.Currency,
		CanEdit: v.may(lpm.EditEpic, lpm.EpicTarget(e)), Scored: e.WSJF.Scored(), CostOfDelay: e.WSJF.CostOfDelay()}
	if e.DoneReason != "" {
		view.DoneReason = e.DoneReason.Title()
	}
	if w, ok := e.WSJF.WSJF(); ok {
		view.WSJF = strconv.FormatFloat(w, 'f', -1, 64)
	}
	c := e.Costs
	view.Costs = costsView{money(c.MVPInternal), money(c.MVPSupplier), money(c.MVP()),
		money(c.FullInternal), money(c.FullSupplier), money(c.Full())}
	names, err := h.linkNames(ctx, e.PortfolioID)
	if err != nil {
		return view, err
	}
	for _, id := range e.ThemeIDs {
		view.Themes = append(view.Themes, names.themes[id])
	}
	for _, id := range e.ValueStreamIDs {
		view.ValueStreams = append(view.ValueStreams, names.valueStreams[id])
	}
	if e.PivotedFrom != 0 {
		if from, err := h.store.FindEpicByID(ctx, e.PivotedFrom); err == nil {
			view.PivotedFrom = from
		}
	}
	cols, err := h.store.FindColumns(ctx, e.PortfolioID)
	if err != nil {
		return view, fmt.Errorf("columns of portfolio %d: %w", e.PortfolioID, err)
	}
	for _, col := range cols {
		if col.State != e.State {
			continue
		}
		for _, m := range boardMoves(col) {
			if v.may(lpm.MoveAction(e.State, m.To), lpm.EpicTarget(e)) {
				view.Moves = append(view.Moves, m)
			}
		}
	}
	if view.Strategy, err = h.epicStrategy(ctx, e, p, names.streams); err != nil {
		return view, err
	}
	view.Decide = newDecisionForm(v, e)
	view.Timeline, view.EditsHidden, err = h.timeline(ctx, v, e)
	return view, err
}

// names maps the IDs of a portfolio's themes and value streams to names;
// streams are the value streams themselves, for what else the page needs of
// them (the ARTs of the forecast form).
type names struct {
	themes, valueStreams map[int64]string
	streams              []*lpm.ValueStream
}

func (h *handler) linkNames(ctx context.Context, portfolioID int64) (names, error) {
	n := names{themes: map[int64]string{}, valueStreams: map[int64]string{}}
	themes, err := readAll(func(pg lpm.Page) ([]*lpm.StrategicTheme, string, error) {
		return h.store.FindThemes(ctx, portfolioID, pg)
	})
	if err != nil {
		return n, fmt.Errorf("themes of portfolio %d: %w", portfolioID, err)
	}
	for _, t := range themes {
		n.themes[t.ID] = t.Name
	}
	streams, err := readAll(func(pg lpm.Page) ([]*lpm.ValueStream, string, error) {
		return h.store.FindValueStreams(ctx, portfolioID, pg)
	})
	if err != nil {
		return n, fmt.Errorf("value streams of portfolio %d: %w", portfolioID, err)
	}
	for _, s := range streams {
		n.valueStreams[s.ID] = s.Name
	}
	n.streams = streams
	return n, nil
}

// maxTimelineEdits bounds the edits the timeline reads from the audit trail.
const maxTimelineEdits = lpm.MaxPageSize

// timeline merges an epic's moves, decisions and (for those who may read
// the audit trail) edits, newest first.
func (h *handler) timeline(ctx context.Context, v *viewer, e *lpm.Epic) ([]timelineEntry, bool, error) {
	history, err := h.store.EpicHistory(ctx, e.ID)
	if err != nil {
		return nil, false, fmt.Errorf("history of epic %d: %w", e.ID, err)
	}
	decisions, err := h.store.FindDecisions(ctx, e.ID)
	if err != nil {
		return nil, false, fmt.Errorf("decisions of epic %d: %w", e.ID, err)
	}
	var out []timelineEntry
	for _, t := range history {
		te := timelineEntry{At: t.At, Kind: "move", Who: t.Actor, Detail: t.Reason}
		switch {
		case t.From == "":
			te.Kind, te.What = "created", "Proposed into "+t.To.Title()
		case t.To == lpm.Done:
			te.What = fmt.Sprintf("Moved from %s to Done (%s)", t.From.Title(), t.DoneReason.Title())
		default:
			te.What = fmt.Sprintf("Moved from %s to %s", t.From.Title(), t.To.Title())
		}
		if t.Override {
			te.Flags = append(te.Flags, "past a full WIP limit (override)")
		}
		if t.OverLimit {
			te.Flags = append(te.Flags, "left the column over its WIP limit")
		}
		out = append(out, te)
	}
	for _, d := range decisions {
		if d.Kind == lpm.DecisionOverride {
			continue // shown with its move
		}
		te := timelineEntry{At: d.DecidedAt, Kind: "decision", Who: d.DecidedBy, Detail: d.Rationale,
			What: "Decision: " + strings.ReplaceAll(string(d.Kind), "_", " ")}
		if d.Outcome != "" {
			te.What += " (" + d.Outcome + ")"
		}
		out = append(out, te)
	}
	editsHidden := !v.may(lpm.ViewAudit, lpm.PortfolioTarget(e.PortfolioID))
	if !editsHidden {
		entries, _, err := h.store.FindAudit(ctx, lpm.AuditFilter{PortfolioID: e.PortfolioID, ObjectType: "epic", ObjectID: e.ID,
			Page: lpm.Page{Limit: maxTimelineEdits}})
		if err != nil {
			return nil, false, fmt.Errorf("audit trail of epic %d: %w", e.ID, err)
		}
		for _, a := range entries {
			if a.Action != "epic.update" {
				continue
			}
			out = append(out, timelineEntry{At: a.At, Kind: "edit", Who: a.Actor, What: "Edited " + changedFields(a.After)})
		}
	}
	// Newest first; a move and the decision it rests on keep their order.
	slices.SortStableFunc(out, func(a, b timelineEntry) int { return b.At.Compare(a.At) })
	for i := range out {
		out[i].When = out[i].At.Format("2 Jan 2006 15:04 MST")
	}
	return out, editsHidden, nil
}

// changedFields names the fields an audited update changed, for people.
func changedFields(after json.RawMessage) string {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(after, &fields); err != nil || len(fields) == 0 {
		return "the epic"
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if k == "version" || k == "updated_at" {
			continue
		}
		out = append(out, strings.ReplaceAll(k, "_", " "))
	}
	if len(out) == 0 {
		return "the epic"
	}
	return strings.Join(out, ", ")
}

// money writes an amount in minor units as major units with two decimals,
// grouped by thousands ("1,250,000.00").
func money(minor int64) string {
	neg := minor < 0
	if neg {
		minor = -minor
	}
	whole, cents := strconv.FormatInt(minor/100, 10), minor%100
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	s := fmt.Sprintf("%s.%02d", b.String(), cents)
	if neg {
		s = "−" + s
	}
	return s
}
