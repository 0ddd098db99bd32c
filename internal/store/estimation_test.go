package store_test

import (
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// A WSJF estimation round from opening to agreement: who may do what, each
// person's latest scores, the agreed values applied to the epics (and only
// to those agreed), a closed round taking nothing more, all audited.
func TestEstimationRound(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "P", "P")
		other := createPortfolio(t, s, "Q", "Q")
		e1 := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: "One"})
		e2 := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: "Two"})
		gone := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: "Declined"})
		move(t, s, gone.ID, lpm.TransitionRequest{To: lpm.Done, DoneReason: lpm.Declined, Reason: "no"}, alice)
		elsewhere := createEpic(t, s, lpm.Epic{PortfolioID: other.ID, Title: "Elsewhere"})
		carl := member(createUser(t, s, "carl", false), p.ID, lpm.RoleContributor)
		vera := member(createUser(t, s, "vera", false), p.ID, lpm.RoleViewer)

		r := &lpm.EstimationRound{PortfolioID: p.ID, Title: "PI 7", EpicIDs: []int64{e1.ID, e2.ID}}
		wantCode(t, s.CreateRound(ctx, r, carl), lpm.EFORBIDDEN, "")
		bad := &lpm.EstimationRound{PortfolioID: p.ID, Title: "Bad", EpicIDs: []int64{e1.ID, elsewhere.ID, gone.ID}}
		err := s.CreateRound(ctx, bad, alice)
		wantCode(t, err, lpm.EINVALID, "epic_ids[1]")
		wantCode(t, err, lpm.EINVALID, "epic_ids[2]")
		must(t, s.CreateRound(ctx, r, alice))
		got, err := s.FindRound(ctx, r.ID)
		must(t, err)
		diff(t, "stored round", r, got)

		scores := func(c lpm.WSJFComponents, epics ...int64) []lpm.Estimate {
			var list []lpm.Estimate
			for _, id := range epics {
				list = append(list, lpm.Estimate{EpicID: id, Scores: c})
			}
			return list
		}
		must(t, s.SubmitEstimates(ctx, r.ID, scores(wsjf(3, 3, 3, 3), e1.ID), carl))
		// A second go replaces carl's first; alice scores both.
		must(t, s.SubmitEstimates(ctx, r.ID, scores(wsjf(8, 5, 3, 8), e1.ID), carl))
		must(t, s.SubmitEstimates(ctx, r.ID, scores(wsjf(13, 5, 2, 5), e1.ID, e2.ID), alice))
		wantCode(t, s.SubmitEstimates(ctx, r.ID, scores(wsjf(1, 1, 1, 1), e1.ID), vera), lpm.EFORBIDDEN, "")
		wantCode(t, s.SubmitEstimates(ctx, r.ID, scores(wsjf(1, 1, 1, 1), e1.ID, gone.ID), carl), lpm.EINVALID, "estimates[1].epic_id")
		wantCode(t, s.SubmitEstimates(ctx, r.ID, scores(wsjf(1, 1, 4, 1), e1.ID), carl), lpm.EINVALID,
			"estimates[0].risk_reduction_opportunity_enablement")
		est, err := s.RoundEstimates(ctx, r.ID)
		must(t, err)
		if len(est) != 3 || est[0].Estimator != "alice" || est[1].Estimator != "carl" || est[1].Scores != (wsjf(8, 5, 3, 8)) {
			t.Fatalf("estimates %+v", est)
		}

		// Agreement on e1 only: e1 takes it, e2 keeps its WSJF.
		_, err = s.CloseRound(ctx, r.ID, []lpm.Agreement{{EpicID: e1.ID, Scores: wsjf(8, 5, 3, 8)}}, false, carl)
		wantCode(t, err, lpm.EFORBIDDEN, "")
		_, err = s.CloseRound(ctx, r.ID, []lpm.Agreement{{EpicID: gone.ID, Scores: wsjf(8, 5, 3, 8)}}, false, alice)
		wantCode(t, err, lpm.EINVALID, "agreed[0].epic_id")
		_, err = s.CloseRound(ctx, r.ID, []lpm.Agreement{{EpicID: e1.ID, Scores: wsjf(8, 5, 3, 0)}}, false, alice)
		wantCode(t, err, lpm.EINVALID, "agreed[0].job_size")
		updated, err := s.CloseRound(ctx, r.ID, []lpm.Agreement{{EpicID: e1.ID, Scores: wsjf(8, 5, 3, 8)}}, false, alice)
		must(t, err)
		if len(updated) != 1 || updated[0].WSJF != (wsjf(8, 5, 3, 8)) || updated[0].Version != e1.Version+1 {
			t.Fatalf("updated %+v", updated)
		}
		if e := findEpic(t, s, e2.ID); e.WSJF != e2.WSJF || e.Version != e2.Version {
			t.Errorf("an epic left out of the agreement changed: %+v", e)
		}
		got, err = s.FindRound(ctx, r.ID)
		must(t, err)
		if !got.Closed || got.ClosedAt.IsZero() {
			t.Errorf("round after closing: %+v", got)
		}
		wantCode(t, s.SubmitEstimates(ctx, r.ID, scores(wsjf(1, 1, 1, 1), e1.ID), carl), lpm.ECONFLICT, "")
		_, err = s.CloseRound(ctx, r.ID, nil, false, alice)
		wantCode(t, err, lpm.ECONFLICT, "")

		var actions []string
		for _, e := range lastAudit(t, s, p.ID, 7) {
			actions = append(actions, e.Action)
		}
		diff(t, "audit of the round", []string{"estimation_round.create", "estimation_round.estimate", "estimation_round.estimate",
			"estimation_round.estimate", "estimation_round.estimate", "epic.update", "estimation_round.close"}, actions)

		// An epic deleted as entered by mistake leaves the round.
		must(t, s.DeleteEpic(ctx, e2.ID, alice))
		got, err = s.FindRound(ctx, r.ID)
		must(t, err)
		diff(t, "round epics after a deletion", []int64{e1.ID}, got.EpicIDs)
		list, _, err := s.FindRounds(ctx, p.ID, lpm.Page{})
		must(t, err)
		if len(list) != 1 || list[0].ID != r.ID {
			t.Errorf("rounds of P: %+v", list)
		}

		// A page of rounds carries each round's epics, in the round's order
		// (read in one query for the whole page).
		e3 := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: "Three"})
		r2 := &lpm.EstimationRound{PortfolioID: p.ID, Title: "PI 8", EpicIDs: []int64{e3.ID, e1.ID}}
		must(t, s.CreateRound(ctx, r2, alice))
		r3 := &lpm.EstimationRound{PortfolioID: p.ID, Title: "PI 9", EpicIDs: []int64{e1.ID}}
		must(t, s.CreateRound(ctx, r3, alice))
		first, next, err := s.FindRounds(ctx, p.ID, lpm.Page{Limit: 2})
		must(t, err)
		rest, _, err := s.FindRounds(ctx, p.ID, lpm.Page{Limit: 2, Cursor: next})
		must(t, err)
		if len(first) != 2 || len(rest) != 1 {
			t.Fatalf("pages of rounds: %d and %d", len(first), len(rest))
		}
		diff(t, "epics of the rounds by page", [][]int64{{e1.ID}, {e3.ID, e1.ID}, {e1.ID}},
			[][]int64{first[0].EpicIDs, first[1].EpicIDs, rest[0].EpicIDs})
		verified(t, s)
	})
}

func wsjf(value, criticality, risk, size int) lpm.WSJFComponents {
	return lpm.WSJFComponents{UserBusinessValue: value, TimeCriticality: criticality, RiskReduction: risk, JobSize: size}
}

// An epic that went to done after its round opened: agreeing on it is
// refused, and the suggestions leave it out; the suggestion for the others
// counts every estimate made before the close.
func TestEstimationRoundEpicDone(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "P", "P")
		e1 := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: "One"})
		e2 := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: "Two"})
		r := &lpm.EstimationRound{PortfolioID: p.ID, Title: "PI 7", EpicIDs: []int64{e1.ID, e2.ID}}
		must(t, s.CreateRound(ctx, r, alice))
		must(t, s.SubmitEstimates(ctx, r.ID, []lpm.Estimate{{EpicID: e1.ID, Scores: wsjf(2, 2, 2, 2)}, {EpicID: e2.ID, Scores: wsjf(8, 8, 8, 8)}}, alice))
		wantCode(t, s.SubmitEstimates(ctx, r.ID, []lpm.Estimate{{EpicID: e1.ID, Scores: wsjf(1, 1, 1, 1)}, {EpicID: e1.ID, Scores: wsjf(2, 2, 2, 2)}}, alice),
			lpm.EINVALID, "estimates[1].epic_id")
		move(t, s, e1.ID, lpm.TransitionRequest{To: lpm.Done, DoneReason: lpm.Declined, Reason: "no"}, alice)
		_, err := s.CloseRound(ctx, r.ID, []lpm.Agreement{{EpicID: e1.ID, Scores: wsjf(2, 2, 2, 2)}}, false, alice)
		wantCode(t, err, lpm.EINVALID, "agreed[0].epic_id")
		updated, err := s.CloseRound(ctx, r.ID, nil, true, alice)
		must(t, err)
		if len(updated) != 1 || updated[0].ID != e2.ID || updated[0].WSJF != wsjf(8, 8, 8, 8) {
			t.Errorf("updated %+v, want only epic 2 with the suggestion", updated)
		}
		if e := findEpic(t, s, e1.ID); e.WSJF != e1.WSJF {
			t.Errorf("the done epic's WSJF changed to %+v", e.WSJF)
		}
	})
}
