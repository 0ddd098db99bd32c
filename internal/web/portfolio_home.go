package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

// portfolioHomeView is a portfolio's overview: its vision, themes, the
// Kanban in numbers and what changed lately.
type portfolioHomeView struct {
	chrome
	// Info is the portfolio (the layout's Portfolio is its navigation).
	Info *lpm.Portfolio
	// Canvas is the current state of the portfolio canvas: its vision and
	// when it was last reviewed; nil before its first version.
	Canvas  *canvasHome
	PI      string
	Themes  []themeSummary
	Columns []boardColumnView
	Recent  []recentChange
	// RecentLimited says entries about members and roles are left out:
	// they are in the audit trail, which the viewer may not read.
	RecentLimited bool
}

// canvasHome is what the overview shows of the canvas's current state.
type canvasHome struct {
	Vision string
	Review canvasReviewView
}

type themeSummary struct {
	ID       int64
	Name     string
	Status   string
	Progress string // "" while nothing is measured
	Band     string
}

type recentChange struct {
	When, Who, What string
	Href            string
}

// recentChanges is how many changes the overview lists.
const recentChanges = 12

// portfolioHome shows a portfolio's overview.
func (h *handler) portfolioHome(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	view, err := h.portfolioHomeView(r.Context(), v, p)
	if err != nil {
		h.internalError(w, r, "load the portfolio overview", err)
		return
	}
	view.chrome = h.inPortfolio(w, r, v, p, sectionHome, p.Name)
	view.Scripts = []string{"live.js"}
	h.render(w, r, http.StatusOK, pagePortfolio, view)
}

func (h *handler) portfolioHomeView(ctx context.Context, v *viewer, p *lpm.Portfolio) (portfolioHomeView, error) {
	view := portfolioHomeView{Info: p}
	now := lpm.Now()
	if n, start, end := p.PICadence.PIAt(now); n > 0 {
		view.PI = fmt.Sprintf("PI %d, %s to %s", n, start.Format("2 Jan"), end.AddDate(0, 0, -1).Format("2 Jan 2006"))
	}
	latest, err := h.store.LatestCanvasVersions(ctx, p.ID)
	if err != nil {
		return view, fmt.Errorf("canvas of portfolio %d: %w", p.ID, err)
	}
	for _, cv := range latest {
		if cv.Kind == lpm.CanvasCurrent {
			view.Canvas = &canvasHome{Vision: cv.Vision, Review: canvasReview(cv.ReviewedOn, now)}
		}
	}
	themes, err := readAll(func(pg lpm.Page) ([]*lpm.StrategicTheme, string, error) {
		return h.store.FindThemes(ctx, p.ID, pg)
	})
	if err != nil {
		return view, fmt.Errorf("themes of portfolio %d: %w", p.ID, err)
	}
	for _, t := range themes {
		objectives, keyResults, checkIns, err := h.store.ThemeOKRs(ctx, t.ID)
		if err != nil {
			return view, fmt.Errorf("OKRs of theme %d: %w", t.ID, err)
		}
		progress := lpm.ComputeOKRs(t, objectives, keyResults, checkIns)
		ts := themeSummary{ID: t.ID, Name: t.Name, Status: string(t.Status)}
		if progress.Progress != nil {
			ts.Progress = percent(*progress.Progress)
			ts.Band = string(lpm.BandOf(*progress.Progress))
		}
		view.Themes = append(view.Themes, ts)
	}
	b, err := h.store.Board(ctx, p.ID, lpm.BoardFilter{}, 0)
	if err != nil {
		return view, fmt.Errorf("board of portfolio %d: %w", p.ID, err)
	}
	for _, c := range b.Columns {
		view.Columns = append(view.Columns, boardColumnView{State: c.State, Title: c.State.Title(), Count: c.Count,
			Limit: c.WIPLimit, AtLimit: c.AtLimit(), OverLimit: c.WIPLimit != nil && c.Count > *c.WIPLimit, Warn: c.Enforcement == lpm.Warn})
	}
	view.Recent, view.RecentLimited, err = h.recent(ctx, v, p.ID)
	return view, err
}

// recent lists the latest changes in the portfolio. Those who may not read
// the audit trail see what happened to the portfolio's work (epics,
// decisions, themes…), which they can see anyway, but not membership
// changes.
func (h *handler) recent(ctx context.Context, v *viewer, portfolioID int64) ([]recentChange, bool, error) {
	limited := !v.may(lpm.ViewAudit, lpm.PortfolioTarget(portfolioID))
	entries, _, err := h.store.FindAudit(ctx, lpm.AuditFilter{PortfolioID: portfolioID, Page: lpm.Page{Limit: 4 * recentChanges}})
	if err != nil {
		return nil, false, fmt.Errorf("audit trail of portfolio %d: %w", portfolioID, err)
	}
	keys := map[int64]string{}
	var out []recentChange
	for _, a := range entries {
		if len(out) == recentChanges {
			break
		}
		if limited && !visibleWithoutAudit(a) {
			continue
		}
		rc := recentChange{When: a.At.Format("2 Jan 15:04"), Who: a.Actor}
		object, verb, _ := strings.Cut(a.Action, ".")
		what := strings.ReplaceAll(object, "_", " ")
		if a.ObjectType == "epic" {
			key, ok := keys[a.ObjectID]
			if !ok {
				if e, err := h.store.FindEpicByID(ctx, a.ObjectID); err == nil {
					key = e.Key
				}
				keys[a.ObjectID] = key
			}
			if key != "" {
				what, rc.Href = "epic "+key, fmt.Sprintf("/epics/%d", a.ObjectID)
			}
		}
		rc.What = pastTense(verb) + " " + what
		out = append(out, rc)
	}
	return out, limited, nil
}

// visibleWithoutAudit reports whether a change may be listed for someone who
// may not read the audit trail: changes to the portfolio's work that its
// pages show anyway (an epic's moves and decisions, new themes, streams…),
// but not edits of epics (the epic page shows those only to readers of the
// audit trail), nor members, roles or anything new in the trail by default.
func visibleWithoutAudit(a lpm.AuditEntry) bool {
	switch a.ObjectType {
	case "epic":
		return a.Action != "epic.update" && a.Action != "epic.forecast_inputs"
	case "decision", "theme", "value_stream", "kanban_column", "objective", "key_result", "check_in",
		"impediment", "dependency", "estimation_round", "canvas_version":
		return true
	}
	return false
}

// pastTense says what an audited verb did.
func pastTense(verb string) string {
	switch verb {
	case "create":
		return "created"
	case "update":
		return "changed"
	case "delete":
		return "deleted"
	case "transition":
		return "moved"
	case "grant":
		return "granted a"
	case "revoke":
		return "revoked a"
	case "import":
		return "imported"
	case "adopt":
		return "adopted"
	case "forecast_inputs":
		return "set the forecast inputs of"
	}
	return strings.ReplaceAll(verb, "_", " ") + ":"
}

// percent writes a fraction 0…1 as a whole percentage.
func percent(f float64) string { return fmt.Sprintf("%.0f %%", f*100) }
