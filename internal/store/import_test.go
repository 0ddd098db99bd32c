package store_test

import (
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

func TestImportEpic(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		createEpic(t, s, lpm.Epic{PortfolioID: p.ID}) // takes EP-1
		successor := createEpic(t, s, lpm.Epic{PortfolioID: p.ID})

		day := func(d int) time.Time { return time.Date(2025, 3, d, 9, 0, 0, 0, time.UTC) }
		e := readyEpic(p.ID, "olivia")
		e.State, e.DoneReason = lpm.Done, lpm.Pivoted
		e.CreatedAt, e.StateEnteredAt, e.UpdatedAt, e.Version = day(1), day(9), day(9), 5
		decisions := []lpm.Decision{
			{Kind: lpm.DecisionGo, Rationale: "business case holds", DecidedBy: "lpm", DecidedAt: day(3)},
			{Kind: lpm.DecisionOverride, Rationale: "deadline", DecidedBy: "ada", DecidedAt: day(4)},
			{Kind: lpm.DecisionPivot, Rationale: "B2B first", DecidedBy: "lpm", DecidedAt: day(8), NewEpicID: successor.ID},
		}
		history := []lpm.Transition{
			{To: lpm.Funnel, Actor: "olivia", At: day(1)},
			{From: lpm.Funnel, To: lpm.Reviewing, Actor: "olivia", At: day(2)},
			{From: lpm.Reviewing, To: lpm.Analyzing, Actor: "lpm", At: day(2).Add(time.Hour)},
			{From: lpm.Analyzing, To: lpm.Ready, Actor: "lpm", At: day(3), DecisionID: 1},
			{From: lpm.Ready, To: lpm.ImplementingMVP, Actor: "ada", At: day(4), DecisionID: 2, Override: true, OverLimit: true, Reason: "deadline"},
			{From: lpm.ImplementingMVP, To: lpm.Done, DoneReason: lpm.Pivoted, Actor: "lpm", At: day(9), DecisionID: 3, Reason: "B2B first"},
		}
		must(t, s.ImportEpic(ctx, &e, history, decisions, admin))

		if e.Key != "EP-3" || e.ID == 0 {
			t.Errorf("imported epic got key %q, ID %d; want EP-3", e.Key, e.ID)
		}
		got, err := s.FindEpicByID(ctx, e.ID)
		must(t, err)
		diff(t, "imported epic", &e, got)
		ds, err := s.FindDecisions(ctx, e.ID)
		must(t, err)
		diff(t, "imported decisions", decisions, ds)
		h, err := s.EpicHistory(ctx, e.ID)
		must(t, err)
		diff(t, "imported history", history, h)
		for i, want := range []int{0, 0, 0, 1, 2, 3} {
			if want != 0 && h[i].DecisionID != ds[want-1].ID {
				t.Errorf("history[%d] rests on decision %d, want %d", i, h[i].DecisionID, ds[want-1].ID)
			}
		}

		// Imports bypass the Kanban: the column limit does not apply.
		_, err = s.UpdateColumn(ctx, p.ID, lpm.Ready, lpm.ColumnUpdate{WIPLimit: ptr(0)}, alice)
		must(t, err)
		importEpic(t, s, lpm.Epic{PortfolioID: p.ID, State: lpm.Ready, EpicOwner: "olivia"})

		for _, tc := range []struct {
			name      string
			e         lpm.Epic
			history   []lpm.Transition
			decisions []lpm.Decision
			code      lpm.ErrorCode
			field     string
		}{
			{"decision index out of range", lpm.Epic{State: lpm.Funnel},
				[]lpm.Transition{{To: lpm.Funnel, DecisionID: 1}}, nil, lpm.EINVALID, "history[0].decision_id"},
			{"done without reason", lpm.Epic{State: lpm.Done}, nil, nil, lpm.EINVALID, "done_reason"},
			{"reason outside done", lpm.Epic{State: lpm.Ready, DoneReason: lpm.Completed}, nil, nil, lpm.EINVALID, "done_reason"},
			{"unknown state", lpm.Epic{State: "limbo"}, nil, nil, lpm.EINVALID, "state"},
			{"unknown owner", lpm.Epic{State: lpm.Funnel, EpicOwner: "nobody"}, nil, nil, lpm.EINVALID, "epic_owner"},
			{"pivoted from nowhere", lpm.Epic{State: lpm.Funnel, PivotedFrom: 999}, nil, nil, lpm.EINVALID, "pivoted_from"},
			{"decision without rationale", lpm.Epic{State: lpm.Funnel}, nil, []lpm.Decision{{Kind: lpm.DecisionGo}}, lpm.EINVALID, "rationale"},
			{"decision points nowhere", lpm.Epic{State: lpm.Funnel}, nil,
				[]lpm.Decision{{Kind: lpm.DecisionPivot, Rationale: "x", NewEpicID: 999}}, lpm.EINVALID, "decisions[0].new_epic_id"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tc.e.PortfolioID, tc.e.Title, tc.e.Type = p.ID, "Refused", lpm.Business
				wantCode(t, s.ImportEpic(ctx, &tc.e, tc.history, tc.decisions, admin), tc.code, tc.field)
				if tc.e.ID != 0 {
					t.Error("a refused import got an ID")
				}
			})
		}
		next := createEpic(t, s, lpm.Epic{PortfolioID: p.ID})
		if next.Key != "EP-5" {
			t.Errorf("key after refused imports = %s, want EP-5", next.Key)
		}
	})
}
