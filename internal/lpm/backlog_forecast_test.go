package lpm

import (
	"testing"
	"time"
)

func TestForecastReady(t *testing.T) {
	asOf := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	high := &Epic{ID: 1, WSJF: WSJFComponents{UserBusinessValue: 20, TimeCriticality: 20, RiskReduction: 20, JobSize: 1}}
	low := &Epic{ID: 2, WSJF: WSJFComponents{UserBusinessValue: 1, TimeCriticality: 1, RiskReduction: 1, JobSize: 20}}
	ready := []*Epic{low, high}

	// Nothing finished: no forecast, the backlog in WSJF order.
	fc, err := ForecastReady(ready, 0, nil, asOf, 7, 26, 1000, 1)
	if err != nil || fc.Forecast || len(fc.Items) != 2 || fc.Items[0].Epic != high || fc.Items[1].Position != 2 || fc.Items[0].Dates != nil {
		t.Fatalf("without throughput: %+v, %v", fc, err)
	}
	if fc.HorizonDays != ForecastHorizonDays/7*7 {
		t.Errorf("horizon %d days", fc.HorizonDays)
	}
	// One epic a week: the first is finished within a period or two, the
	// second after it; 85 % never before 50 %.
	var finished []time.Time
	for i := range 26 {
		finished = append(finished, asOf.Add(-time.Duration(i*7+1)*24*time.Hour))
	}
	fc, err = ForecastReady(ready, 0, finished, asOf, 7, 26, 1000, 1)
	if err != nil || !fc.Forecast || len(fc.Items) != 2 || fc.Items[0].Epic != high {
		t.Fatalf("with throughput: %+v, %v", fc, err)
	}
	for _, it := range fc.Items {
		if it.Dates[0].IsZero() || it.Dates[1].Before(it.Dates[0]) || !it.Dates[0].After(asOf) {
			t.Errorf("epic %d: dates %v", it.Epic.ID, it.Dates)
		}
	}
	if fc.Items[1].Dates[0].Before(fc.Items[0].Dates[0]) {
		t.Error("the second epic finishes before the first")
	}
}
