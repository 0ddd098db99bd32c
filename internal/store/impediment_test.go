package store_test

import (
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// Impediments round-trip, name only the portfolio's epics and value streams
// and real users, stamp when they are resolved, filter by status, are
// audited, and outlive an epic deleted as entered by mistake.
func TestImpediments(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "P", "P")
		q := createPortfolio(t, s, "Q", "Q")
		vs := createValueStream(t, s, p.ID, "Core")
		e := createEpic(t, s, lpm.Epic{PortfolioID: p.ID})
		foreign := createEpic(t, s, lpm.Epic{PortfolioID: q.ID})
		createUser(t, s, "olga", false)

		m := &lpm.Impediment{PortfolioID: p.ID, Title: "No test environment for the ledger", Owner: "olga", EpicID: e.ID, ValueStreamID: vs.ID}
		must(t, s.CreateImpediment(ctx, m, alice))
		if m.ID == 0 || m.Status != lpm.ImpedimentOpen || !m.ResolvedAt.IsZero() {
			t.Fatalf("created %+v", m)
		}
		got, err := s.FindImpedimentByID(ctx, m.ID)
		must(t, err)
		diff(t, "stored impediment", m, got)

		wantCode(t, s.CreateImpediment(ctx, &lpm.Impediment{PortfolioID: p.ID, Title: "x", EpicID: foreign.ID, Owner: "nobody"}, alice),
			lpm.EINVALID, "epic_id")
		wantCode(t, s.CreateImpediment(ctx, &lpm.Impediment{PortfolioID: p.ID, Title: "x", Owner: "nobody"}, alice), lpm.EINVALID, "owner")
		viewer := member(createUser(t, s, "vera", false), p.ID, lpm.RoleViewer)
		wantCode(t, s.CreateImpediment(ctx, &lpm.Impediment{PortfolioID: p.ID, Title: "x"}, viewer), lpm.EFORBIDDEN, "")
		outsider := member(createUser(t, s, "xavier", false), q.ID, lpm.RolePortfolioAdmin)
		_, err = s.UpdateImpediment(ctx, m.ID, lpm.ImpedimentUpdate{Title: ptr("x")}, outsider)
		wantCode(t, err, lpm.ENOTFOUND, "")

		resolved := lpm.ImpedimentResolved
		up, err := s.UpdateImpediment(ctx, m.ID, lpm.ImpedimentUpdate{Status: &resolved}, alice)
		must(t, err)
		if up.ResolvedAt.IsZero() || up.Status != resolved {
			t.Errorf("resolved %+v", up)
		}
		other := &lpm.Impediment{PortfolioID: p.ID, Title: "Supplier contract unsigned", Status: lpm.ImpedimentInProgress}
		must(t, s.CreateImpediment(ctx, other, alice))
		list, _, err := s.FindImpediments(ctx, p.ID, []lpm.ImpedimentStatus{lpm.ImpedimentOpen, lpm.ImpedimentInProgress}, lpm.Page{})
		must(t, err)
		if len(list) != 1 || list[0].ID != other.ID {
			t.Errorf("unresolved impediments %+v", list)
		}
		all, next, err := s.FindImpediments(ctx, p.ID, nil, lpm.Page{Limit: 1})
		must(t, err)
		rest, _, err := s.FindImpediments(ctx, p.ID, nil, lpm.Page{Limit: 1, Cursor: next})
		must(t, err)
		if len(all) != 1 || len(rest) != 1 || all[0].ID != m.ID || rest[0].ID != other.ID {
			t.Errorf("pages %v, %v", all, rest)
		}
		// Reopened: no longer resolved.
		open := lpm.ImpedimentOpen
		up, err = s.UpdateImpediment(ctx, m.ID, lpm.ImpedimentUpdate{Status: &open}, alice)
		must(t, err)
		if !up.ResolvedAt.IsZero() {
			t.Errorf("reopened %+v", up)
		}

		must(t, s.DeleteEpic(ctx, e.ID, alice))
		got, err = s.FindImpedimentByID(ctx, m.ID)
		must(t, err)
		if got.EpicID != 0 || got.ValueStreamID != vs.ID {
			t.Errorf("after the epic's deletion %+v", got)
		}
		var actions []string
		for _, a := range lastAudit(t, s, p.ID, 4) {
			actions = append(actions, a.Action)
		}
		diff(t, "audit", []string{"impediment.update", "impediment.create", "impediment.update", "epic.delete"}, actions)
		verified(t, s)
	})
}
