package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

// The rest of the lean business case and an enabler's runway: set on
// creation, changed part by part, audited field by field; runway only on
// enablers.
func TestBusinessCaseAndRunway(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		ep := e.epic(pid, "Event backbone", map[string]any{"type": "enabler", "runway": []string{"Kafka cluster", "schema registry"},
			"business_case": map[string]any{"sponsors": []string{"CTO"}, "expected_timeline": "MVP in PI 8"}})
		checkFields(t, ep, map[string]any{"runway": []any{"Kafka cluster", "schema registry"},
			"business_case": map[string]any{"sponsors": []any{"CTO"}, "expected_timeline": "MVP in PI 8",
				"analysis_summary": "", "implementation_strategy": ""}})
		path := fmt.Sprintf("/api/v1/epics/%d", id(ep))
		got := e.must(http.StatusOK, alice, "PATCH", path, map[string]any{"business_case": map[string]any{
			"analysis_summary": "Three teams need it", "implementation_strategy": "One domain at a time"}})
		checkFields(t, got, map[string]any{"business_case.sponsors": []any{"CTO"}, "business_case.analysis_summary": "Three teams need it",
			"business_case.implementation_strategy": "One domain at a time", "version": 2})
		trail := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/audit?object_type=epic&object_id=%d&limit=1", pid, id(ep)), nil)
		checkFields(t, trail, map[string]any{"items.0.after": map[string]any{"business_case.analysis_summary": "Three teams need it",
			"business_case.implementation_strategy": "One domain at a time"}})

		invalid := "urn:lpm:problem:invalid"
		wantProblem(t, e.do(alice, "PATCH", path, map[string]any{"type": "business"}), 422, invalid, "runway")
		wantProblem(t, e.do(alice, "POST", fmt.Sprintf("/api/v1/portfolios/%d/epics", pid), map[string]any{"title": "B", "type": "business",
			"runway": []string{"x"}}), 422, invalid, "runway")
		wantProblem(t, e.do(alice, "PATCH", path, map[string]any{"business_case": map[string]any{"sponsors": []string{" "}}}), 422, invalid,
			"business_case.sponsors")
		checkFields(t, e.must(http.StatusOK, alice, "PATCH", path, map[string]any{"type": "business", "runway": []string{}}),
			map[string]any{"type": "business", "runway": []any{}})
	})
}
