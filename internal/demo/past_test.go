package demo

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// checkPast replays an epic's history through the Kanban rules: each entry
// must start where the previous one ended, be a move the default Kanban
// allows, come after the previous one within [oldest, now], and pass
// PlanTransition with the decisions recorded up to that moment, resting on
// the same decision the history names. It ends in the epic's state, and every
// decision fits the state the epic was in when it was taken.
func checkPast(t *testing.T, e *lpm.Epic, history []lpm.Transition, decisions []lpm.Decision, oldest, now time.Time) {
	t.Helper()
	cols := map[lpm.State]lpm.Column{}
	for _, c := range lpm.DefaultColumns() {
		cols[c.State] = c
	}
	if len(history) == 0 {
		t.Errorf("%s %q: no history", e.Key, e.Title)
		return
	}
	first := history[0]
	if first.From != "" || first.To != lpm.Funnel {
		t.Errorf("%s: first history entry is %q → %q, want creation in the funnel", e.Key, first.From, first.To)
	}
	if !first.At.Equal(e.CreatedAt) {
		t.Errorf("%s: created at %v but the history starts at %v", e.Key, e.CreatedAt, first.At)
	}
	for _, d := range decisions {
		if d.DecidedAt.Before(first.At) || d.DecidedAt.After(now) {
			t.Errorf("%s: %s decision at %v lies outside [%v, %v]", e.Key, d.Kind, d.DecidedAt, first.At, now)
		}
		// Each decision is about the state the epic was in when it was
		// taken, as Store.CreateDecision requires of live decisions.
		in := first.To
		for _, h := range history {
			if !h.At.After(d.DecidedAt) {
				in = h.To
			}
		}
		if d.Kind != lpm.DecisionOverride {
			if err := lpm.DecisionFits(d.Kind, in); err != nil {
				t.Errorf("%s: %s decision at %v, while in %s: %v", e.Key, d.Kind, d.DecidedAt, in, err)
			}
		}
	}
	cur := *e
	cur.State, cur.DoneReason, cur.StateEnteredAt = lpm.Funnel, "", first.At
	prev := first.At
	for i, h := range history {
		if h.At.Before(oldest) || h.At.After(now) {
			t.Errorf("%s: history entry %d at %v lies outside [%v, %v]", e.Key, i, h.At, oldest, now)
		}
		if i == 0 {
			continue
		}
		if !h.At.After(prev) {
			t.Errorf("%s: history entry %d at %v is not after the previous one at %v", e.Key, i, h.At, prev)
		}
		prev = h.At
		if h.From != cur.State {
			t.Errorf("%s: history entry %d moves from %s but the epic was in %s", e.Key, i, h.From, cur.State)
			return
		}
		if h.To == lpm.Done {
			if !slices.Contains(lpm.DoneReasonsFrom(h.From), h.DoneReason) {
				t.Errorf("%s: done reason %q is not allowed from %s", e.Key, h.DoneReason, h.From)
			}
		} else if !slices.Contains(lpm.AllowedMoves(cols[h.From]), h.To) {
			t.Errorf("%s: %s → %s is not a move of the default Kanban", e.Key, h.From, h.To)
		}
		var known []lpm.Decision
		for _, d := range decisions {
			if !d.DecidedAt.After(h.At) {
				known = append(known, d)
			}
		}
		plan, err := lpm.PlanTransition(lpm.TransitionInput{
			Epic: cur, Target: cols[h.To], Source: cols[h.From], Decisions: known,
			Actor: demoActor(h.Actor, e), Now: h.At,
		}, lpm.TransitionRequest{To: h.To, DoneReason: h.DoneReason, Reason: h.Reason})
		if err != nil {
			t.Errorf("%s: replaying %s → %s at %v: %v", e.Key, h.From, h.To, h.At, err)
			return
		}
		if plan.Transition.DecisionID != h.DecisionID {
			t.Errorf("%s: %s → %s rests on decision %d, the rules pick %d", e.Key, h.From, h.To, h.DecisionID, plan.Transition.DecisionID)
		}
		cur = plan.Epic
	}
	if cur.State != e.State || cur.DoneReason != e.DoneReason {
		t.Errorf("%s: history ends in %s/%s, epic is in %s/%s", e.Key, cur.State, cur.DoneReason, e.State, e.DoneReason)
	}
	if !e.StateEnteredAt.Equal(prev) {
		t.Errorf("%s: entered its state at %v, last move at %v", e.Key, e.StateEnteredAt, prev)
	}
}

// demoActor is the demo person called name as the permission rules see them
// in e's portfolio (known by the prefix of e's key), so that replaying the
// history also checks that each move was made by someone allowed to make it.
func demoActor(name string, e *lpm.Epic) lpm.Actor {
	prefix, _, _ := strings.Cut(e.Key, "-")
	a := lpm.Actor{Name: name, Access: lpm.Access{}}
	for _, p := range people {
		if p.name == name {
			a.Access[e.PortfolioID] = lpm.NewRoleSet(p.roles[prefix]...)
		}
	}
	return a
}

// checkContents checks what a demo must show, given the epics of each
// portfolio: every Kanban state and every done reason in use, per-portfolio
// WIP limits respected, and a WSJF score on every epic that left the funnel
// through reviewing (what analysis and the backlog need is checked by
// checkPast).
func checkContents(t *testing.T, byPortfolio [][]*lpm.Epic) {
	t.Helper()
	states := map[lpm.State]int{}
	reasons := map[lpm.DoneReason]int{}
	for pi, epics := range byPortfolio {
		count := map[lpm.State]int{}
		for _, e := range epics {
			count[e.State]++
			states[e.State]++
			if e.State == lpm.Done {
				reasons[e.DoneReason]++
			}
			if err := e.Validate(); err != nil {
				t.Errorf("%s: %v", e.Key, err)
			}
			skippedReview := e.State == lpm.Funnel || e.DoneReason == lpm.Declined || e.DoneReason == lpm.Rerouted
			if !skippedReview && !e.WSJF.Scored() {
				t.Errorf("%s in %s has no WSJF score", e.Key, e.State)
			}
		}
		for _, c := range lpm.DefaultColumns() {
			if c.WIPLimit != nil && count[c.State] > *c.WIPLimit {
				t.Errorf("portfolio %d: %d epics in %s, over its default WIP limit of %d", pi, count[c.State], c.State, *c.WIPLimit)
			}
		}
	}
	for _, s := range lpm.States {
		if states[s] == 0 {
			t.Errorf("no demo epic is in %s", s)
		}
	}
	for r := range exitState {
		if reasons[r] == 0 {
			t.Errorf("no demo epic is done with reason %s", r)
		}
	}
}
