package store_test

import (
	"fmt"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// Value streams change: renamed, described, their ARTs and solutions
// replaced, audited and told to the change feed; a refused change writes
// nothing.
func TestUpdateValueStream(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "P", "P")
		q := createPortfolio(t, s, "Q", "Q")
		vs := createValueStream(t, s, p.ID, "Payments")
		createValueStream(t, s, p.ID, "Lending")
		ch := subscribe(t, s, p.ID)
		caughtUp(t, s, p.ID, ch)

		arts := []lpm.ART{{Name: "Wallet ART", Headcount: 60}, {Name: "Cards ART"}}
		solutions := []lpm.Solution{{Name: "Checkout", Kind: lpm.Product, Description: "Pay in one step"}}
		up, err := s.UpdateValueStream(ctx, vs.ID, lpm.ValueStreamUpdate{Name: ptr("Money"), Description: ptr("Moves money"),
			ARTs: &arts, Solutions: &solutions}, alice)
		must(t, err)
		want := *vs
		want.Name, want.Description, want.ARTs, want.Solutions = "Money", "Moves money", arts, solutions
		diff(t, "updated value stream", &want, up)
		got, err := s.FindValueStreamByID(ctx, vs.ID)
		must(t, err)
		diff(t, "stored value stream", &want, got)
		wantAudit(t, s, p.ID, auditEntry{"value_stream.update", "value_stream", vs.ID, "alice",
			`{"name":"Payments","description":"","arts":[{"name":"Payments ART","headcount":120}],"solutions":null}`,
			`{"name":"Money","description":"Moves money","arts":[{"name":"Wallet ART","headcount":60},{"name":"Cards ART"}],
			"solutions":[{"name":"Checkout","kind":"product","description":"Pay in one step"}]}`})
		expect(t, ch, lpm.Change{Portfolio: p.ID, Object: "value_stream", ID: vs.ID, Action: "value_stream.update"})

		// Refused: nothing written, nothing audited.
		entries := auditLen(t, s, p.ID)
		viewer := member(createUser(t, s, "vera", false), p.ID, lpm.RoleViewer)
		outsider := member(createUser(t, s, "xavier", false), q.ID, lpm.RolePortfolioAdmin)
		for _, tc := range []struct {
			name  string
			upd   lpm.ValueStreamUpdate
			actor lpm.Actor
			code  lpm.ErrorCode
			field string
		}{
			{"no name", lpm.ValueStreamUpdate{Name: ptr(""), Description: ptr("x")}, alice, lpm.EINVALID, "name"},
			{"negative headcount", lpm.ValueStreamUpdate{ARTs: &[]lpm.ART{{Name: "A", Headcount: -1}}}, alice, lpm.EINVALID, "arts[0].headcount"},
			{"name taken", lpm.ValueStreamUpdate{Name: ptr("Lending"), Description: ptr("x")}, alice, lpm.ECONFLICT, "name"},
			{"viewer", lpm.ValueStreamUpdate{Description: ptr("x")}, viewer, lpm.EFORBIDDEN, ""},
			{"member of another portfolio", lpm.ValueStreamUpdate{Description: ptr("x")}, outsider, lpm.ENOTFOUND, ""},
		} {
			_, err := s.UpdateValueStream(ctx, vs.ID, tc.upd, tc.actor)
			if lpm.ErrorCodeOf(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
				continue
			}
			wantCode(t, err, tc.code, tc.field)
		}
		_, err = s.UpdateValueStream(ctx, 999, lpm.ValueStreamUpdate{Description: ptr("x")}, alice)
		wantCode(t, err, lpm.ENOTFOUND, "")
		got, err = s.FindValueStreamByID(ctx, vs.ID)
		must(t, err)
		diff(t, "value stream after refused changes", &want, got)
		if n := auditLen(t, s, p.ID); n != entries {
			t.Errorf("refused changes audited: %d entries, want %d", n, entries)
		}
		verified(t, s)
	})
}

// An operational value stream changes which development value streams it
// supports, under the rules of creation.
func TestUpdateValueStreamSupports(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "P", "P")
		q := createPortfolio(t, s, "Q", "Q")
		pay, lend := createValueStream(t, s, p.ID, "Payments"), createValueStream(t, s, p.ID, "Lending")
		theirs := createValueStream(t, s, q.ID, "Theirs")
		op := &lpm.ValueStream{PortfolioID: p.ID, Name: "Retail banking", Kind: lpm.Operational, Supports: []int64{pay.ID}}
		must(t, s.CreateValueStream(ctx, op, alice))
		other := &lpm.ValueStream{PortfolioID: p.ID, Name: "Branches", Kind: lpm.Operational}
		must(t, s.CreateValueStream(ctx, other, alice))

		up, err := s.UpdateValueStream(ctx, op.ID, lpm.ValueStreamUpdate{Supports: &[]int64{pay.ID, lend.ID}}, alice)
		must(t, err)
		diff(t, "supports", []int64{pay.ID, lend.ID}, up.Supports)
		wantAudit(t, s, p.ID, auditEntry{"value_stream.update", "value_stream", op.ID, "alice",
			fmt.Sprintf(`{"supports":[%d]}`, pay.ID), fmt.Sprintf(`{"supports":[%d,%d]}`, pay.ID, lend.ID)})

		for _, tc := range []struct {
			name  string
			id    int64
			upd   lpm.ValueStreamUpdate
			field string
		}{
			{"another portfolio's", op.ID, lpm.ValueStreamUpdate{Supports: &[]int64{theirs.ID}}, "supports"},
			{"an operational one", op.ID, lpm.ValueStreamUpdate{Supports: &[]int64{other.ID}}, "supports"},
			{"itself", op.ID, lpm.ValueStreamUpdate{Supports: &[]int64{op.ID}}, "supports"},
			{"none", op.ID, lpm.ValueStreamUpdate{Supports: &[]int64{999}}, "supports"},
			{"by a development one", pay.ID, lpm.ValueStreamUpdate{Supports: &[]int64{lend.ID}}, "supports"},
			{"ARTs on an operational one", op.ID, lpm.ValueStreamUpdate{ARTs: &[]lpm.ART{{Name: "A"}}}, "arts"},
		} {
			_, err := s.UpdateValueStream(ctx, tc.id, tc.upd, alice)
			wantCode(t, err, lpm.EINVALID, tc.field)
		}

		up, err = s.UpdateValueStream(ctx, op.ID, lpm.ValueStreamUpdate{Supports: &[]int64{}}, alice)
		must(t, err)
		got, err := s.FindValueStreamByID(ctx, op.ID)
		must(t, err)
		if len(up.Supports) != 0 || len(got.Supports) != 0 {
			t.Errorf("supports cleared: %v, stored %v", up.Supports, got.Supports)
		}
	})
}
