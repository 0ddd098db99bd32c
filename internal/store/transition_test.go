package store_test

import (
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// TestKanbanFlow drives one epic through the whole portfolio Kanban, with
// the decisions each step needs, and checks what every move writes.
func TestKanbanFlow(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		vs := createValueStream(t, s, p.ID, "Payments")
		full := readyEpic(p.ID, "olivia", vs.ID)
		e := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: full.Title, EpicOwner: "olivia"})

		// Fill in what each state asks for only when it is needed, so each
		// policy is met by the store's data, not by the test's.
		step := func(req lpm.TransitionRequest, from lpm.State, decision *lpm.Decision) lpm.Transition {
			t.Helper()
			before, err := s.FindEpicByID(ctx, e.ID)
			must(t, err)
			res := move(t, s, e.ID, req, alice)
			got, err := s.FindEpicByID(ctx, e.ID)
			must(t, err)
			diff(t, "returned epic", got, res.Epic)
			if got.State != req.To || got.DoneReason != req.DoneReason {
				t.Fatalf("epic in %s (%s) after a move to %s", got.State, got.DoneReason, req.To)
			}
			if got.Version != before.Version+1 || !got.StateEnteredAt.After(before.StateEnteredAt) || !got.UpdatedAt.Equal(got.StateEnteredAt) {
				t.Errorf("move did not stamp the epic: version %d→%d, entered %v→%v", before.Version, got.Version,
					before.StateEnteredAt, got.StateEnteredAt)
			}
			want := lpm.Transition{ID: res.Transition.ID, EpicID: e.ID, From: from, To: req.To, DoneReason: req.DoneReason,
				Actor: alice.Name, At: got.StateEnteredAt, Reason: req.Reason}
			if decision != nil {
				want.DecisionID = decision.ID
			}
			diff(t, "history entry", want, res.Transition)
			return res.Transition
		}

		step(lpm.TransitionRequest{To: lpm.Reviewing}, lpm.Funnel, nil)
		_, err := s.UpdateEpic(ctx, e.ID, lpm.EpicUpdate{
			Hypothesis: &lpm.HypothesisUpdate{ForCustomers: &full.Hypothesis.ForCustomers, Who: &full.Hypothesis.Who,
				SolutionName: &full.Hypothesis.SolutionName, IsA: &full.Hypothesis.IsA, That: &full.Hypothesis.That,
				Unlike: &full.Hypothesis.Unlike, OurSolution: &full.Hypothesis.OurSolution,
				BusinessOutcomes: &full.Hypothesis.BusinessOutcomes, LeadingIndicators: &full.Hypothesis.LeadingIndicators},
			WSJF: &lpm.WSJFUpdate{UserBusinessValue: ptr(8), TimeCriticality: ptr(5), RiskReduction: ptr(3), JobSize: ptr(5)},
		}, alice)
		must(t, err)
		_, err = s.TransitionEpic(ctx, e.ID, lpm.TransitionRequest{To: lpm.Analyzing}, alice)
		wantCode(t, err, lpm.EPOLICY, "decision_id")
		advance := decide(t, s, e.ID, lpm.DecisionAdvanceToAnalyzing, "")
		step(lpm.TransitionRequest{To: lpm.Analyzing}, lpm.Reviewing, advance)

		_, err = s.TransitionEpic(ctx, e.ID, lpm.TransitionRequest{To: lpm.Ready}, alice)
		wantCode(t, err, lpm.EPOLICY, "decision_id")
		_, err = s.UpdateEpic(ctx, e.ID, lpm.EpicUpdate{MVPDescription: &full.MVPDescription,
			Costs: &lpm.CostsUpdate{MVPInternal: &full.Costs.MVPInternal, FullInternal: &full.Costs.FullInternal}}, alice)
		must(t, err)
		goDecision := decide(t, s, e.ID, lpm.DecisionGo, "")
		step(lpm.TransitionRequest{To: lpm.Ready}, lpm.Analyzing, goDecision)

		_, err = s.TransitionEpic(ctx, e.ID, lpm.TransitionRequest{To: lpm.ImplementingMVP}, alice)
		wantCode(t, err, lpm.EPOLICY, "value_stream_ids")
		_, err = s.UpdateEpic(ctx, e.ID, lpm.EpicUpdate{ValueStreamIDs: &[]int64{vs.ID}}, alice)
		must(t, err)
		step(lpm.TransitionRequest{To: lpm.ImplementingMVP}, lpm.Ready, nil)

		decide(t, s, e.ID, lpm.DecisionMVPEvaluation, lpm.MVPProven)
		persevere := decide(t, s, e.ID, lpm.DecisionPersevere, "")
		step(lpm.TransitionRequest{To: lpm.ImplementingPersevere}, lpm.ImplementingMVP, persevere)
		done := lpm.TransitionRequest{To: lpm.Done, DoneReason: lpm.Completed, Reason: "features live in ART backlogs"}
		_, err = s.TransitionEpic(ctx, e.ID, done, alice)
		wantCode(t, err, lpm.EPOLICY, "decision_id")
		complete := decide(t, s, e.ID, lpm.DecisionComplete, "")
		step(done, lpm.ImplementingPersevere, complete)

		h, err := s.EpicHistory(ctx, e.ID)
		must(t, err)
		wantStates := []lpm.State{lpm.Funnel, lpm.Reviewing, lpm.Analyzing, lpm.Ready, lpm.ImplementingMVP,
			lpm.ImplementingPersevere, lpm.Done}
		if len(h) != len(wantStates) {
			t.Fatalf("history has %d entries, want %d", len(h), len(wantStates))
		}
		for i, tr := range h {
			var from lpm.State
			if i > 0 {
				from = wantStates[i-1]
				// Microsecond timestamps keep even quick moves in order.
				if !tr.At.After(h[i-1].At) {
					t.Errorf("history[%d] at %v is not after history[%d] at %v", i, tr.At, i-1, h[i-1].At)
				}
			}
			if tr.From != from || tr.To != wantStates[i] {
				t.Errorf("history[%d] = %s→%s, want %s→%s", i, tr.From, tr.To, from, wantStates[i])
			}
			if since(tr.At) > time.Minute || tr.At.Location() != time.UTC {
				t.Errorf("history[%d] at %v is not a recent UTC time", i, tr.At)
			}
		}
		ds, err := s.FindDecisions(ctx, e.ID)
		must(t, err)
		var ids []int64
		for _, d := range ds {
			ids = append(ids, d.ID)
		}
		diff(t, "decisions, oldest first", []int64{advance.ID, goDecision.ID, ds[2].ID, persevere.ID, complete.ID}, ids)
		diff(t, "stored decision", *goDecision, ds[1])
	})
}

func TestPivot(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		vs := createValueStream(t, s, p.ID, "Payments")
		th := createTheme(t, s, p.ID, "Grow")
		e := readyEpic(p.ID, "olivia", vs.ID)
		e.ThemeIDs = []int64{th.ID}
		e.State = lpm.ImplementingMVP
		old := importEpic(t, s, e)
		createEpic(t, s, lpm.Epic{PortfolioID: p.ID}) // takes EP-2

		pivot := decide(t, s, old.ID, lpm.DecisionPivot, "")
		res := move(t, s, old.ID, lpm.TransitionRequest{To: lpm.Done, DoneReason: lpm.Pivoted,
			Reason: "customers want B2B first", PivotTitle: "B2B onboarding"}, alice)

		if res.Pivot == nil {
			t.Fatal("a pivot created no epic")
		}
		if res.Transition.DecisionID != pivot.ID {
			t.Errorf("pivot move rests on decision %d, want %d", res.Transition.DecisionID, pivot.ID)
		}
		got, err := s.FindEpicByID(ctx, res.Pivot.ID)
		must(t, err)
		diff(t, "stored pivot epic", res.Pivot, got)
		if got.Key != "EP-3" || got.State != lpm.Funnel || got.PivotedFrom != old.ID || got.Title != "B2B onboarding" ||
			got.EpicOwner != "olivia" {
			t.Errorf("pivot epic = %+v", got)
		}
		diff(t, "pivot themes", []int64{th.ID}, got.ThemeIDs)
		diff(t, "pivot value streams", []int64{vs.ID}, got.ValueStreamIDs)

		h, err := s.EpicHistory(ctx, got.ID)
		must(t, err)
		diff(t, "pivot history", []lpm.Transition{{ID: h[0].ID, EpicID: got.ID, To: lpm.Funnel, Actor: alice.Name,
			At: res.Transition.At}}, h)
		ds, err := s.FindDecisions(ctx, old.ID)
		must(t, err)
		if len(ds) != 1 || ds[0].NewEpicID != got.ID {
			t.Errorf("pivot decision = %+v, want NewEpicID %d", ds, got.ID)
		}
		oldNow, err := s.FindEpicByID(ctx, old.ID)
		must(t, err)
		if oldNow.State != lpm.Done || oldNow.DoneReason != lpm.Pivoted {
			t.Errorf("pivoted epic in %s/%s", oldNow.State, oldNow.DoneReason)
		}
	})
}

func TestTransitionRefusals(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		noOwner := createEpic(t, s, lpm.Epic{PortfolioID: p.ID})
		owned := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia"})
		analyzing := importEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia", State: lpm.Analyzing})
		reviewing := readyEpic(p.ID, "olivia")
		reviewing.State = lpm.Reviewing
		reviewing = *importEpic(t, s, reviewing)
		_, err := s.UpdateColumn(ctx, p.ID, lpm.Analyzing, lpm.ColumnUpdate{AllowBackward: ptr(false)}, alice)
		must(t, err)
		_, err = s.UpdateColumn(ctx, p.ID, lpm.Ready, lpm.ColumnUpdate{WIPLimit: ptr(0)}, alice)
		must(t, err)

		for _, tc := range []struct {
			name  string
			id    int64
			req   lpm.TransitionRequest
			actor lpm.Actor
			code  lpm.ErrorCode
			field string
		}{
			{"no such move", owned.ID, lpm.TransitionRequest{To: lpm.Ready}, alice, lpm.ENOTALLOWED, ""},
			{"same state", owned.ID, lpm.TransitionRequest{To: lpm.Funnel}, alice, lpm.ENOTALLOWED, ""},
			{"unknown state", owned.ID, lpm.TransitionRequest{To: "limbo"}, alice, lpm.EINVALID, "to"},
			{"no owner", noOwner.ID, lpm.TransitionRequest{To: lpm.Reviewing}, alice, lpm.EPOLICY, "epic_owner"},
			{"done without reason", owned.ID, lpm.TransitionRequest{To: lpm.Done, DoneReason: lpm.Declined}, alice, lpm.EINVALID, "reason"},
			{"decision named on a move that needs none", owned.ID, lpm.TransitionRequest{To: lpm.Reviewing, DecisionID: 1}, alice, lpm.EPOLICY, "decision_id"},
			{"not worth analysing yet", reviewing.ID, lpm.TransitionRequest{To: lpm.Analyzing}, alice, lpm.EPOLICY, "decision_id"},
			{"not pursued without a no-go", reviewing.ID, lpm.TransitionRequest{To: lpm.Done, DoneReason: lpm.NotPursued, Reason: "x"}, alice, lpm.EPOLICY, "decision_id"},
			{"backward disabled", analyzing.ID, lpm.TransitionRequest{To: lpm.Reviewing, Reason: "again"}, alice, lpm.ENOTALLOWED, ""},
			{"unknown epic", 999, lpm.TransitionRequest{To: lpm.Reviewing}, alice, lpm.ENOTFOUND, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before, _ := s.FindEpicByID(ctx, tc.id)
				hBefore, _ := s.EpicHistory(ctx, tc.id)
				_, err := s.TransitionEpic(ctx, tc.id, tc.req, tc.actor)
				wantCode(t, err, tc.code, tc.field)
				after, _ := s.FindEpicByID(ctx, tc.id)
				hAfter, _ := s.EpicHistory(ctx, tc.id)
				diff(t, "epic after a refused move", before, after)
				diff(t, "history after a refused move", hBefore, hAfter)
			})
		}
	})
}

// A full blocking column refuses a move, lets no one override it but who
// may (not the epic's own owner), and records the override as a decision and
// in the history.
func TestWIPOverride(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		olivia := createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		owner := member(olivia, p.ID, lpm.RoleEpicOwner)
		_, err := s.UpdateColumn(ctx, p.ID, lpm.Reviewing, lpm.ColumnUpdate{WIPLimit: ptr(1)}, alice)
		must(t, err)
		importEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia", State: lpm.Reviewing})
		e := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia"})

		_, err = s.TransitionEpic(ctx, e.ID, lpm.TransitionRequest{To: lpm.Reviewing}, owner)
		wantCode(t, err, lpm.EWIPLIMIT, "")
		_, err = s.TransitionEpic(ctx, e.ID, lpm.TransitionRequest{To: lpm.Reviewing, OverrideWIP: true, Reason: "urgent"}, owner)
		wantCode(t, err, lpm.EFORBIDDEN, "")
		ds, err := s.FindDecisions(ctx, e.ID)
		must(t, err)
		if len(ds) != 0 {
			t.Fatalf("refused overrides left %d decisions", len(ds))
		}

		res := move(t, s, e.ID, lpm.TransitionRequest{To: lpm.Reviewing, OverrideWIP: true, Reason: "regulatory deadline"}, admin)
		if !res.Transition.Override || !res.Transition.OverLimit || res.Transition.DecisionID == 0 {
			t.Errorf("override move = %+v", res.Transition)
		}
		ds, err = s.FindDecisions(ctx, e.ID)
		must(t, err)
		diff(t, "override decision", []lpm.Decision{{ID: res.Transition.DecisionID, EpicID: e.ID, Kind: lpm.DecisionOverride,
			Rationale: "regulatory deadline", DecidedBy: admin.Name, DecidedAt: res.Transition.At}}, ds)
		h, err := s.EpicHistory(ctx, e.ID)
		must(t, err)
		diff(t, "override in history", res.Transition, h[len(h)-1])
		b, err := s.Board(ctx, p.ID, lpm.BoardFilter{}, 0)
		must(t, err)
		if b.Columns[1].Count != 2 || !b.Columns[1].AtLimit() {
			t.Errorf("reviewing holds %d epics after the override, want 2 (over its limit of 1)", b.Columns[1].Count)
		}
	})
}

// A column that only warns lets the move through and flags it.
func TestWIPWarn(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		warn := lpm.Warn
		_, err := s.UpdateColumn(ctx, p.ID, lpm.Reviewing, lpm.ColumnUpdate{WIPLimit: ptr(0), Enforcement: &warn}, alice)
		must(t, err)
		e := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia"})
		res := move(t, s, e.ID, lpm.TransitionRequest{To: lpm.Reviewing}, alice)
		if !res.Transition.OverLimit || res.Transition.Override || len(res.Warnings) != 1 {
			t.Errorf("warn move = %+v, warnings %q", res.Transition, res.Warnings)
		}
		h, err := s.EpicHistory(ctx, e.ID)
		must(t, err)
		if !h[1].OverLimit {
			t.Error("history does not flag the move over the limit")
		}
	})
}
