package api

import (
	"reflect"
	"strconv"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Struct tags cannot name constants, so the forecast query's bounds are
// written twice: here they are held to the domain's.
func TestBacklogForecastQueryBounds(t *testing.T) {
	typ := reflect.TypeFor[backlogForecastQuery]()
	for field, want := range map[string][3]int{
		"PeriodDays":     {lpm.MinForecastPeriodDays, lpm.MaxForecastPeriodDays, lpm.DefaultForecastPeriodDays},
		"HistoryPeriods": {lpm.MinHistoryPeriods, lpm.MaxHistoryPeriods, lpm.DefaultHistoryPeriods},
		"Trials":         {lpm.MinForecastTrials, lpm.MaxForecastTrials, lpm.DefaultForecastTrials},
	} {
		f, ok := typ.FieldByName(field)
		if !ok {
			t.Fatalf("backlogForecastQuery has no field %s", field)
		}
		for i, tag := range []string{"minimum", "maximum", "default"} {
			if got := f.Tag.Get(tag); got != strconv.Itoa(want[i]) {
				t.Errorf("%s: tag %s is %q, the domain says %d", field, tag, got, want[i])
			}
		}
	}
}
