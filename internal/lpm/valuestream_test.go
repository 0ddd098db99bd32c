package lpm

import (
	"slices"
	"testing"
)

func TestValueStreamUpdateApply(t *testing.T) {
	arts := []ART{{Name: "Payments ART", Headcount: 120}}
	orig := ValueStream{ID: 4, PortfolioID: 1, Name: "Payments", Description: "Why", Kind: Development,
		ARTs: arts, Solutions: []Solution{{Name: "Checkout", Kind: Product}}}

	got, err := ValueStreamUpdate{}.Apply(orig)
	if err != nil || got.Name != orig.Name || len(got.ARTs) != 1 || len(got.Solutions) != 1 {
		t.Errorf("empty update = %+v, %v; want an equal copy", got, err)
	}

	newARTs := []ART{{Name: "Wallet ART"}, {Name: "Cards ART", Headcount: 80}}
	got, err = ValueStreamUpdate{Name: ptr("Money"), Description: ptr(""), ARTs: &newARTs, Solutions: &[]Solution{}}.Apply(orig)
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if got.Name != "Money" || got.Description != "" || !slices.Equal(got.ARTs, newARTs) || len(got.Solutions) != 0 ||
		got.ID != 4 || got.PortfolioID != 1 || got.Kind != Development {
		t.Errorf("update = %+v; want name, description, ARTs and solutions changed, the rest kept", got)
	}
	newARTs[0].Name = "changed later"
	if got.ARTs[0].Name != "Wallet ART" {
		t.Errorf("the update's list is shared with the result: %+v", got.ARTs)
	}
	if orig.Name != "Payments" || !slices.Equal(orig.ARTs, []ART{{Name: "Payments ART", Headcount: 120}}) {
		t.Errorf("the update changed the original: %+v", orig)
	}

	op := ValueStream{ID: 5, PortfolioID: 1, Name: "Retail banking", Kind: Operational, Supports: []int64{4}}
	got, err = ValueStreamUpdate{Supports: &[]int64{}}.Apply(op)
	if err != nil || len(got.Supports) != 0 {
		t.Errorf("clearing supports = %+v, %v", got, err)
	}

	for _, tc := range []struct {
		name  string
		v     ValueStream
		u     ValueStreamUpdate
		field string
	}{
		{"no name", orig, ValueStreamUpdate{Name: ptr(" ")}, "name"},
		{"negative headcount", orig, ValueStreamUpdate{ARTs: &[]ART{{Name: "A", Headcount: -1}}}, "arts[0].headcount"},
		{"unknown solution kind", orig, ValueStreamUpdate{Solutions: &[]Solution{{Name: "S", Kind: "gadget"}}}, "solutions[0].kind"},
		{"development supports", orig, ValueStreamUpdate{Supports: &[]int64{9}}, "supports"},
		{"operational ARTs", op, ValueStreamUpdate{ARTs: &[]ART{{Name: "A"}}}, "arts"},
		{"operational solutions", op, ValueStreamUpdate{Solutions: &[]Solution{{Name: "S", Kind: Product}}}, "solutions"},
	} {
		got, err := tc.u.Apply(tc.v)
		if got != nil || ErrorCodeOf(err) != EINVALID || !hasViolation(err, tc.field) {
			t.Errorf("%s: %+v, %v; want nil and a violation of %s", tc.name, got, err, tc.field)
		}
	}
}
