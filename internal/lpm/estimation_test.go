package lpm

import (
	"reflect"
	"testing"
)

// By hand. Epic 1: value 8, 13, 5 (median 8); criticality 5, 5, 5 (all
// agree); risk 3, 2, 3 (median 3); size 8, 5, 13 (median 8). Epic 2, two
// estimators: medians 1.5, 2.5, 4 and 6.5, each half way between two
// values of the scale, suggested as the lower: 1, 2, 3, 5. Epic 3 has no
// estimates.
func TestSpreads(t *testing.T) {
	est := func(epic int64, who string, c WSJFComponents) Estimate {
		return Estimate{EpicID: epic, Estimator: who, Scores: c}
	}
	got := Spreads([]int64{1, 2, 3}, []Estimate{
		est(1, "bo", WSJFComponents{13, 5, 2, 5}),
		est(2, "bo", WSJFComponents{2, 3, 5, 8}),
		est(1, "ana", WSJFComponents{8, 5, 3, 8}),
		est(1, "cy", WSJFComponents{5, 5, 3, 13}),
		est(2, "ana", WSJFComponents{1, 2, 3, 5}),
	})
	want := []EpicSpread{
		{EpicID: 1, Estimators: []string{"ana", "bo", "cy"},
			UserBusinessValue: Spread{5, 13, 8, false}, TimeCriticality: Spread{5, 5, 5, true},
			RiskReduction: Spread{2, 3, 3, false}, JobSize: Spread{5, 13, 8, false},
			Suggested: WSJFComponents{8, 5, 3, 8}},
		{EpicID: 2, Estimators: []string{"ana", "bo"},
			UserBusinessValue: Spread{1, 2, 1.5, false}, TimeCriticality: Spread{2, 3, 2.5, false},
			RiskReduction: Spread{3, 5, 4, false}, JobSize: Spread{5, 8, 6.5, false},
			Suggested: WSJFComponents{1, 2, 3, 5}},
		{EpicID: 3, Estimators: []string{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("spreads:\n got %+v\nwant %+v", got, want)
	}
	for v, want := range map[float64]int{0: 1, 1: 1, 4: 3, 4.1: 5, 10: 8, 10.5: 8, 10.6: 13, 16.5: 13, 17: 20, 100: 20} {
		if got := NearestOnScale(v); got != want {
			t.Errorf("NearestOnScale(%v) = %d, want %d", v, got, want)
		}
	}
}

func TestEstimationValidation(t *testing.T) {
	if !hasViolation((&Estimate{Scores: WSJFComponents{8, 5, 3, 0}}).Validate(), "job_size") {
		t.Error("an estimate without a job size accepted")
	}
	if !hasViolation((&Estimate{Scores: WSJFComponents{8, 5, 4, 8}}).Validate(), "risk_reduction_opportunity_enablement") {
		t.Error("a score off the scale accepted")
	}
	if err := (&Estimate{Scores: WSJFComponents{1, 1, 1, 1}}).Validate(); err != nil {
		t.Error(err)
	}
	r := EstimationRound{Title: "PI 7 backlog", EpicIDs: []int64{4, 5, 4}}
	if !hasViolation(r.Validate(), "epic_ids[2]") {
		t.Error("an epic twice in a round accepted")
	}
	r.EpicIDs = nil
	if !hasViolation(r.Validate(), "epic_ids") {
		t.Error("a round without epics accepted")
	}
	r.EpicIDs, r.Title = []int64{1}, ""
	if !hasViolation(r.Validate(), "title") {
		t.Error("a round without a title accepted")
	}
}
