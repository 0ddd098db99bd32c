package lpm

import "testing"

func TestDependency(t *testing.T) {
	for _, tc := range []struct {
		name  string
		d     Dependency
		field string
	}{
		{"nothing named", Dependency{Risk: RiskLow}, "from_epic_id"},
		{"one epic", Dependency{FromEpicID: 1, Risk: RiskLow}, "to_epic_id"},
		{"itself", Dependency{FromEpicID: 1, ToEpicID: 1, Risk: RiskLow}, "to_epic_id"},
		{"both kinds", Dependency{FromEpicID: 1, ToEpicID: 2, ToValueStreamID: 3, Risk: RiskLow}, "from_epic_id"},
		{"a stream on itself", Dependency{FromValueStreamID: 3, ToValueStreamID: 3, Risk: RiskLow}, "to_value_stream_id"},
		{"bad risk", Dependency{FromEpicID: 1, ToEpicID: 2, Risk: "severe"}, "risk"},
		{"bad due PI", Dependency{FromEpicID: 1, ToEpicID: 2, Risk: RiskLow, DuePI: -1}, "due_pi"},
	} {
		if !hasViolation(tc.d.Validate(), tc.field) {
			t.Errorf("%s: %v, want a violation of %s", tc.name, tc.d.Validate(), tc.field)
		}
	}
	for _, d := range []Dependency{{FromEpicID: 1, ToEpicID: 2, Risk: RiskHigh, DuePI: 7}, {FromValueStreamID: 1, ToValueStreamID: 2, Risk: RiskLow}} {
		if err := d.Validate(); err != nil {
			t.Errorf("%+v: %v", d, err)
		}
	}

	d := Dependency{FromEpicID: 1, ToEpicID: 2, DuePI: 9}
	for _, tc := range []struct {
		to, from int
		late     bool
	}{
		{0, 5, false},  // the epic depended on has no forecast: nothing to flag
		{6, 5, true},   // it finishes after the dependent epic
		{5, 5, false},  // in the same PI
		{4, 0, false},  // the dependent epic has no forecast, and the due PI holds
		{10, 0, true},  // after the due PI
		{10, 12, true}, // before the dependent epic but after the due PI
	} {
		if late, reason := d.Lateness(tc.to, tc.from); late != tc.late || (late && reason == "") {
			t.Errorf("to %d, from %d: late %v (%q), want %v", tc.to, tc.from, late, reason, tc.late)
		}
	}
}
