package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/browsertest"
	"github.com/lpm-project/lpm/internal/demo"
	"github.com/lpm-project/lpm/internal/lpm"
)

var system = lpm.SystemActor("e2e")

// digital returns the demo's Digital Banking portfolio.
func (s *site) digital(t *testing.T) *lpm.Portfolio {
	t.Helper()
	list, _, err := s.Store.FindPortfolios(context.Background(), system, lpm.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.Name == "Digital Banking" {
			return p
		}
	}
	t.Fatal("the demo has no Digital Banking portfolio")
	return nil
}

// funnelEpic adds an epic to the funnel, owned, so it may enter reviewing.
func (s *site) funnelEpic(t *testing.T, p *lpm.Portfolio, title string) *lpm.Epic {
	t.Helper()
	e, err := lpm.NewEpic(lpm.Epic{PortfolioID: p.ID, Title: title, Type: lpm.Business, EpicOwner: demo.Admin}, lpm.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.CreateEpic(context.Background(), e, system); err != nil {
		t.Fatal(err)
	}
	return e
}

func (s *site) state(t *testing.T, id int64) lpm.State {
	t.Helper()
	e, err := s.Store.FindEpicByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return e.State
}

func card(e *lpm.Epic) string                 { return fmt.Sprintf("#epic-%d", e.ID) }
func column(st lpm.State) string              { return fmt.Sprintf(`#board .column[data-state="%s"]`, st) }
func cardIn(st lpm.State, e *lpm.Epic) string { return column(st) + " " + card(e) }

// TestBoardDragAndDrop drags epics on the board as a person would: into a
// column with room (it moves, and its history says so), into a full column
// (refused, with the reason in words, and the card goes back), while a
// second person's board follows live.
func TestBoardDragAndDrop(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	p := s.digital(t)
	boardURL := fmt.Sprintf("/portfolios/%d/board", p.ID)
	first := s.funnelEpic(t, p, "Drag me into reviewing")
	second := s.funnelEpic(t, p, "I will find reviewing full")

	mover := s.signIn(t, demo.Admin)
	mover.Open(boardURL, "#board")
	watcher := s.signIn(t, decisionMaker)
	watcher.Open(boardURL, "#board")
	// Both pages listen for changes before anything moves.
	for _, pg := range []*browsertest.Page{mover, watcher} {
		browsertest.Eval[bool](pg, `new Promise(r => { const f = () => window.lpmLive ? r(true) : setTimeout(f, 20); f(); })`)
	}
	mover.Screenshot("board-before-drag.png")

	// Into a column with room.
	mover.Drag(card(first), column(lpm.Reviewing))
	mover.WaitText("#board-status", "moved to Reviewing")
	mover.WaitVisible(cardIn(lpm.Reviewing, first))
	if st := s.state(t, first.ID); st != lpm.Reviewing {
		t.Fatalf("after the drag the epic is in %s", st)
	}
	// The other person's board shows it without a reload.
	watcher.WaitVisible(cardIn(lpm.Reviewing, first))

	// The history says who moved it from where to where.
	mover.Open(fmt.Sprintf("/epics/%d", first.ID), "#history")
	mover.WaitText("#epic .timeline", "Moved from Funnel to Reviewing")
	mover.WaitText("#epic .timeline", "by admin")
	mover.Screenshot("epic.png")

	// Fill reviewing to its limit; the next drag is refused.
	board, err := s.Store.Board(ctx, p.ID, lpm.BoardFilter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	full := board.Columns[1].Count
	if _, err := s.Store.UpdateColumn(ctx, p.ID, lpm.Reviewing, lpm.ColumnUpdate{WIPLimit: &full}, system); err != nil {
		t.Fatal(err)
	}
	mover.Open(boardURL, "#board")
	mover.WaitText(column(lpm.Reviewing)+" .wip", "At limit")
	// The refusal is the API's 409, which Chromium also logs.
	mover.Allow("status of 409 (Conflict) (" + s.URL + fmt.Sprintf("/api/v1/epics/%d/transitions", second.ID))
	mover.Drag(card(second), column(lpm.Reviewing))
	refusal := mover.WaitText("#board-alert", "was not moved")
	if !strings.Contains(refusal, "WIP limit") {
		t.Errorf("the refusal does not give the reason: %q", refusal)
	}
	mover.WaitVisible(cardIn(lpm.Funnel, second))
	if st := s.state(t, second.ID); st != lpm.Funnel {
		t.Errorf("a refused drag left the epic in %s", st)
	}
	mover.Screenshot("board-refused.png")

	mover.Phone()
	mover.Open(boardURL, "#board")
	if wide := browsertest.Eval[bool](mover, "document.documentElement.scrollWidth > window.innerWidth"); wide {
		t.Errorf("on a phone the board is wider than the screen")
	}
	mover.Screenshot("board-phone.png")
}

// TestMoveThatNeedsAReason: dragging an epic to done asks why, and the
// answer goes into its history.
func TestMoveThatNeedsAReason(t *testing.T) {
	s := startSite(t)
	p := s.digital(t)
	e := s.funnelEpic(t, p, "Not for us")
	page := s.signIn(t, demo.Admin)
	page.Open(fmt.Sprintf("/portfolios/%d/board", p.ID), "#board")
	page.Drag(card(e), column(lpm.Done))
	page.WaitVisible("#move-dialog[open]")
	page.Screenshot("board-reason.png")
	page.Select("#move-done-reason", "declined")
	page.Fill("#move-reason", "Duplicates an epic of Core Platforms")
	page.Click(`#move-dialog button[value="move"]`)
	page.WaitText("#board-status", "moved to Done")
	page.WaitVisible(cardIn(lpm.Done, e))
	if st := s.state(t, e.ID); st != lpm.Done {
		t.Fatalf("epic in %s after the dialog", st)
	}
	page.Open(fmt.Sprintf("/epics/%d", e.ID), "#history")
	page.WaitText("#epic .timeline", "Duplicates an epic of Core Platforms")
}

// TestWSJFEditReordersReady edits the WSJF components of the Ready column's
// last epic to the highest scores; the board then shows it first.
func TestWSJFEditReordersReady(t *testing.T) {
	s := startSite(t)
	p := s.digital(t)
	page := s.signIn(t, demo.Admin)
	page.Open(fmt.Sprintf("/portfolios/%d/board", p.ID), "#board")
	ready := column(lpm.Ready) + " .epic-card"
	if n := page.Count(ready); n < 2 {
		t.Fatalf("the demo's Ready column has %d epics, want 2 or more", n)
	}
	last := browsertest.Eval[string](page, `(() => { const c = document.querySelectorAll(`+"`"+ready+"`"+`); return c[c.length-1].dataset.epic; })()`)
	firstKey := browsertest.Eval[string](page, `document.querySelector(`+"`"+ready+"`"+`).dataset.key`)

	page.Open("/epics/"+last+"/edit", "#title")
	page.Select("#wsjf_components-user_business_value", "20")
	page.Select("#wsjf_components-time_criticality", "20")
	page.Select("#wsjf_components-risk_reduction", "20")
	page.Select("#wsjf_components-job_size", "1")
	page.Screenshot("epic-form.png")
	page.ClickAndLoad(`.epic-form button[type=submit]`)
	page.WaitText(".notice", "saved")
	page.WaitText("#wsjf", "60")

	page.Open(fmt.Sprintf("/portfolios/%d/board", p.ID), "#board")
	if got := browsertest.Eval[string](page, `document.querySelector(`+"`"+ready+"`"+`).dataset.epic`); got != last {
		t.Errorf("the Ready column starts with epic %s, want the re-scored epic %s (it started with %s)", got, last, firstKey)
	}
}

// TestMainPagesScreenshots opens the other main pages and keeps their
// screenshots; each must load without a console error.
func TestMainPagesScreenshots(t *testing.T) {
	s := startSite(t)
	p := s.digital(t)
	page := s.signIn(t, demo.Admin)
	for _, pg := range []struct{ url, wait, name string }{
		// The README shows this one.
		{fmt.Sprintf("/portfolios/%d/board", p.ID), "#board", "board.png"},
		{fmt.Sprintf("/portfolios/%d", p.ID), "#overview", "portfolio.png"},
		{fmt.Sprintf("/portfolios/%d/epics/new", p.ID), "#title", "epic-new.png"},
		{fmt.Sprintf("/portfolios/%d/canvas", p.ID), "main h1", "canvas.png"},
		{fmt.Sprintf("/portfolios/%d/roadmap", p.ID), "main h1", "roadmap.png"},
		{fmt.Sprintf("/portfolios/%d/estimation", p.ID), "main h1", "estimation.png"},
		{fmt.Sprintf("/portfolios/%d/impediments", p.ID), "main h1", "impediments.png"},
		{fmt.Sprintf("/portfolios/%d/dependencies", p.ID), "main h1", "dependencies.png"},
		{fmt.Sprintf("/portfolios/%d/forecast", p.ID), "main h1", "forecast.png"},
		{fmt.Sprintf("/portfolios/%d/themes", p.ID), "main h1", "themes.png"},
		{fmt.Sprintf("/portfolios/%d/value-streams", p.ID), "main h1", "value-streams.png"},
		{fmt.Sprintf("/portfolios/%d/settings", p.ID), "main h1", "settings.png"},
		{"/account/tokens", "main h1", "tokens.png"},
		{"/admin/users", "main h1", "users.png"},
	} {
		page.Open(pg.url, pg.wait)
		page.Screenshot(pg.name)
	}
}

// TestKeyboardMove moves an epic with the keyboard only: Enter on the
// card's move button, then on the dialog's for a move back.
func TestKeyboardMove(t *testing.T) {
	s := startSite(t)
	p := s.digital(t)
	e := s.funnelEpic(t, p, "Moved by keyboard")
	page := s.signIn(t, demo.Admin)
	page.Open(fmt.Sprintf("/portfolios/%d/board", p.ID), "#board")
	forward := card(e) + ` button.move[data-to="reviewing"]`
	page.Type(forward, "\r")
	page.WaitText("#board-status", "moved to Reviewing")
	page.WaitVisible(cardIn(lpm.Reviewing, e))
	// Focus stays with the card after the board refreshed.
	if got := browsertest.Eval[string](page, `document.activeElement.closest(".epic-card") ? document.activeElement.closest(".epic-card").id : document.activeElement.tagName`); got != fmt.Sprintf("epic-%d", e.ID) {
		t.Errorf("after the move, focus is on %s, want within the card", got)
	}
	back := card(e) + ` a.move[data-to="funnel"]`
	page.Type(back, "\r")
	page.WaitVisible("#move-dialog[open]")
	page.Type("#move-reason", "Not ready for review yet")
	page.Type(`#move-dialog button[value="move"]`, "\r")
	page.WaitText("#board-status", "moved to Funnel")
	if st := s.state(t, e.ID); st != lpm.Funnel {
		t.Errorf("epic in %s after moving it back by keyboard", st)
	}
}
