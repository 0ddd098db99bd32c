package lpm

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestWSJFHandComputed(t *testing.T) {
	tests := []struct {
		name      string
		c         WSJFComponents
		wantCoD   int
		wantWSJF  float64
		wantValid bool
	}{
		// 8+5+3 = 16; 16/5 = 3.2
		{"typical", WSJFComponents{8, 5, 3, 5}, 16, 3.2, true},
		// 20+20+20 = 60; 60/1 = 60, the largest WSJF the scale allows
		{"maximum", WSJFComponents{20, 20, 20, 1}, 60, 60, true},
		// 1+1+1 = 3; 3/20 = 0.15, the smallest
		{"minimum", WSJFComponents{1, 1, 1, 20}, 3, 0.15, true},
		// 13+8+2 = 23; 23/3 = 7.666… rounds to 7.67
		{"rounds up", WSJFComponents{13, 8, 2, 3}, 23, 7.67, true},
		// 5+3+1 = 9; 9/13 = 0.6923… rounds to 0.69
		{"rounds down", WSJFComponents{5, 3, 1, 13}, 9, 0.69, true},
		// an enabler scoring on risk reduction: 2+3+20 = 25; 25/8 = 3.125 rounds to 3.13
		{"enabler", WSJFComponents{2, 3, 20, 8}, 25, 3.13, true},
		{"job size missing", WSJFComponents{8, 5, 3, 0}, 16, 0, false},
		{"nothing scored", WSJFComponents{}, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.CostOfDelay(); got != tt.wantCoD {
				t.Errorf("CostOfDelay() = %d, want %d", got, tt.wantCoD)
			}
			got, ok := tt.c.WSJF()
			if ok != tt.wantValid || got != tt.wantWSJF {
				t.Errorf("WSJF() = %v, %v; want %v, %v", got, ok, tt.wantWSJF, tt.wantValid)
			}
		})
	}
}

func TestWSJFScaleValidation(t *testing.T) {
	for _, v := range []int{1, 2, 3, 5, 8, 13, 20} {
		if !OnWSJFScale(v) {
			t.Errorf("OnWSJFScale(%d) = false, want true", v)
		}
	}
	for _, v := range []int{-1, 0, 4, 6, 21, 40, 100} {
		if OnWSJFScale(v) {
			t.Errorf("OnWSJFScale(%d) = true, want false", v)
		}
	}
	e := validEpic()
	e.WSJF = WSJFComponents{UserBusinessValue: 4, TimeCriticality: 5, RiskReduction: 40, JobSize: 0}
	err := e.Validate()
	got := violationFields(err)
	want := []string{"wsjf_components.user_business_value", "wsjf_components.risk_reduction_opportunity_enablement"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("violations (-want +got):\n%s", diff)
	}
}

func TestSortBacklog(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	items := []BacklogItem{
		{ID: 1, Scored: false, CreatedAt: day(1)},
		{ID: 2, WSJF: 3.2, Scored: true, CreatedAt: day(5)},
		{ID: 3, WSJF: 7.67, Scored: true, CreatedAt: day(9)},
		{ID: 4, WSJF: 3.2, Scored: true, CreatedAt: day(2)}, // same WSJF as 2, older: first
		{ID: 5, WSJF: 0.15, Scored: true, CreatedAt: day(1)},
		{ID: 6, WSJF: 3.2, Scored: true, CreatedAt: day(2)}, // same WSJF and age as 4: by id
		{ID: 7, Scored: false, CreatedAt: day(0)},
	}
	SortBacklog(items)
	var got []int64
	for _, it := range items {
		got = append(got, it.ID)
	}
	want := []int64{3, 4, 6, 2, 5, 7, 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("backlog order (-want +got):\n%s", diff)
	}
}

// Changing a component changes the epic's place in the backlog.
func TestBacklogReordersOnComponentChange(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	a := validEpic()
	a.ID, a.WSJF, a.CreatedAt = 1, WSJFComponents{8, 5, 3, 5}, now // 3.2
	b := validEpic()
	b.ID, b.WSJF, b.CreatedAt = 2, WSJFComponents{5, 3, 2, 5}, now // 2
	order := func() []int64 {
		items := []BacklogItem{item(a), item(b)}
		SortBacklog(items)
		return []int64{items[0].ID, items[1].ID}
	}
	if diff := cmp.Diff([]int64{1, 2}, order()); diff != "" {
		t.Fatalf("before: %s", diff)
	}
	size := 2
	if err := (EpicUpdate{WSJF: &WSJFUpdate{JobSize: &size}}).Apply(b, now); err != nil {
		t.Fatal(err)
	}
	// b is now (5+3+2)/2 = 5, above a's 3.2
	if diff := cmp.Diff([]int64{2, 1}, order()); diff != "" {
		t.Errorf("after: %s", diff)
	}
}

func item(e *Epic) BacklogItem {
	w, ok := e.WSJF.WSJF()
	return BacklogItem{ID: e.ID, WSJF: w, Scored: ok, CreatedAt: e.CreatedAt}
}

func violationFields(err error) []string {
	e := AsError(err)
	if e == nil {
		return nil
	}
	var out []string
	for _, v := range e.Violations {
		out = append(out, v.Field)
	}
	return out
}

func TestCompareDone(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	w := 60.0
	cards := []EpicSummary{
		{ID: 1, StateEnteredAt: day(1), WSJF: &w},
		{ID: 2, StateEnteredAt: day(9)},
		{ID: 3, StateEnteredAt: day(5)},
		{ID: 4, StateEnteredAt: day(5)},
	}
	slices.SortFunc(cards, CompareDone)
	var got []int64
	for _, c := range cards {
		got = append(got, c.ID)
	}
	if diff := cmp.Diff([]int64{2, 4, 3, 1}, got); diff != "" {
		t.Errorf("done order (-want +got):\n%s", diff)
	}
}
