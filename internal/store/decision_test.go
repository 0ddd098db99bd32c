package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// A decision is recorded only about an epic in a state where decisions of
// its kind are taken (lpm.DecisionFits); a refused one leaves nothing.
func TestCreateDecision(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		epics := map[lpm.State]int64{}
		for _, st := range lpm.States {
			e := readyEpic(p.ID, "olivia")
			e.State = st
			epics[st] = importEpic(t, s, e).ID
		}

		for _, tc := range []struct {
			state   lpm.State
			kind    lpm.DecisionKind
			outcome string
			ok      bool
		}{
			{lpm.Funnel, lpm.DecisionAdvanceToAnalyzing, "", false},
			{lpm.Funnel, lpm.DecisionNoGo, "", false},
			{lpm.Reviewing, lpm.DecisionAdvanceToAnalyzing, "", true},
			{lpm.Reviewing, lpm.DecisionNoGo, "", true},
			{lpm.Reviewing, lpm.DecisionGo, "", false},
			{lpm.Analyzing, lpm.DecisionGo, "", true},
			{lpm.Analyzing, lpm.DecisionNoGo, "", true},
			{lpm.Analyzing, lpm.DecisionAdvanceToAnalyzing, "", false},
			{lpm.Ready, lpm.DecisionGo, "", false},
			{lpm.ImplementingMVP, lpm.DecisionMVPEvaluation, lpm.MVPProven, true},
			{lpm.ImplementingMVP, lpm.DecisionPersevere, "", true},
			{lpm.ImplementingMVP, lpm.DecisionPivot, "", true},
			{lpm.ImplementingMVP, lpm.DecisionStop, "", true},
			{lpm.ImplementingMVP, lpm.DecisionComplete, "", false},
			{lpm.ImplementingPersevere, lpm.DecisionComplete, "", true},
			{lpm.ImplementingPersevere, lpm.DecisionStop, "", false},
			{lpm.ImplementingPersevere, lpm.DecisionMVPEvaluation, lpm.MVPProven, false},
			{lpm.Done, lpm.DecisionNoGo, "", false},
			{lpm.Done, lpm.DecisionComplete, "", false},
		} {
			t.Run(string(tc.state)+"/"+string(tc.kind), func(t *testing.T) {
				id := epics[tc.state]
				before, err := s.FindDecisions(ctx, id)
				must(t, err)
				d := &lpm.Decision{EpicID: id, Kind: tc.kind, Outcome: tc.outcome, Rationale: "why", DecidedBy: "ada"}
				err = s.CreateDecision(ctx, d, alice)
				after, ferr := s.FindDecisions(ctx, id)
				must(t, ferr)
				if !tc.ok {
					wantCode(t, err, lpm.EINVALID, "kind")
					diff(t, "decisions after a refused one", before, after)
					return
				}
				must(t, err)
				if d.ID == 0 || since(d.DecidedAt) > time.Minute || d.DecidedAt.Location() != time.UTC {
					t.Errorf("recorded decision = %+v, want an ID and a recent UTC time", d)
				}
				diff(t, "decisions", append(before, *d), after)
			})
		}

		for _, tc := range []struct {
			name  string
			d     lpm.Decision
			code  lpm.ErrorCode
			field string
		}{
			{"unknown epic", lpm.Decision{EpicID: 999, Kind: lpm.DecisionGo, Rationale: "why"}, lpm.ENOTFOUND, ""},
			{"no rationale", lpm.Decision{EpicID: epics[lpm.Analyzing], Kind: lpm.DecisionGo}, lpm.EINVALID, "rationale"},
			{"override is lpm's own", lpm.Decision{EpicID: epics[lpm.Analyzing], Kind: lpm.DecisionOverride, Rationale: "why"}, lpm.EINVALID, "kind"},
			{"control character", lpm.Decision{EpicID: epics[lpm.Analyzing], Kind: lpm.DecisionGo, Rationale: "nul \x00"}, lpm.EINVALID, "rationale"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantCode(t, s.CreateDecision(ctx, &tc.d, alice), tc.code, tc.field)
				if tc.d.ID != 0 {
					t.Errorf("a refused decision got ID %d", tc.d.ID)
				}
			})
		}
	})
}

// TestDecisionRacesMove records advance_to_analyzing decisions while the
// epic is moved between funnel and reviewing: every decision recorded must
// have been taken while the epic was in reviewing, however the two race.
func TestDecisionRacesMove(t *testing.T) {
	const (
		movers, deciders = 2, 4
		rounds           = 30
	)
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		e := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia"})

		var (
			mu      sync.Mutex
			refused int
			decided int
		)
		// Race until both sides were seen (a busy machine may schedule one
		// side's goroutines all first), at most a few times.
		for attempt := 0; attempt < 10 && (decided == 0 || refused == 0); attempt++ {
			var wg sync.WaitGroup
			for m := range movers {
				wg.Go(func() {
					for r := range rounds {
						req := lpm.TransitionRequest{To: lpm.Reviewing}
						if (m+r)%2 == 1 {
							req = lpm.TransitionRequest{To: lpm.Funnel, Reason: "not yet"}
						}
						// Already there is the only refusal a lost race gives.
						if _, err := s.TransitionEpic(ctx, e.ID, req, alice); err != nil && lpm.ErrorCodeOf(err) != lpm.ENOTALLOWED {
							t.Errorf("move to %s: %v", req.To, err)
						}
					}
				})
			}
			for range deciders {
				wg.Go(func() {
					for range rounds {
						err := s.CreateDecision(ctx, &lpm.Decision{EpicID: e.ID, Kind: lpm.DecisionAdvanceToAnalyzing, Rationale: "worth it"}, alice)
						mu.Lock()
						switch lpm.ErrorCodeOf(err) {
						case "":
							decided++
						case lpm.EINVALID:
							refused++
						default:
							t.Errorf("decision: %v", err)
						}
						mu.Unlock()
					}
				})
			}
			wg.Wait()
		}

		h, err := s.EpicHistory(ctx, e.ID)
		must(t, err)
		ds, err := s.FindDecisions(ctx, e.ID)
		must(t, err)
		for _, d := range ds {
			in := lpm.State("")
			for _, tr := range h {
				if !tr.At.After(d.DecidedAt) {
					in = tr.To
				}
			}
			if in != lpm.Reviewing {
				t.Errorf("decision %d at %v was recorded while the epic was in %s", d.ID, d.DecidedAt, in)
			}
		}
		if len(ds) != decided || len(ds) == 0 || refused == 0 {
			t.Errorf("%d decisions recorded (%d answered as recorded), %d refused: the race exercised one side only", len(ds), decided, refused)
		}
		t.Logf("%d moves, %d decisions recorded, %d refused", len(h)-1, len(ds), refused)
	})
}
