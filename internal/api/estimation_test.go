package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
)

// A WSJF estimation round through the API. By hand, epic 1 is scored value
// 8, 13, 5 (median 8), criticality 5 by all, risk 3, 2, 3 (median 3), size
// 8, 5, 13 (median 8): suggested 8, 5, 3, 8. Epic 2 gets one score. The
// close agrees epic 2 by hand and takes the suggestion for epic 1.
func TestEstimationRoundAPI(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		e.grant(pid, bob, lpm.RoleContributor)
		e.grant(pid, carol, lpm.RoleEpicOwner)
		e1 := id(e.epic(pid, "One", nil))
		e2 := id(e.epic(pid, "Two", nil))
		rounds := fmt.Sprintf("/api/v1/portfolios/%d/estimation-rounds", pid)
		wantProblem(t, e.do(bob, "POST", rounds, map[string]any{"title": "PI 7", "epic_ids": []int64{e1, e2}}), 403, "urn:lpm:problem:forbidden")
		r := e.must(http.StatusCreated, alice, "POST", rounds, map[string]any{"title": "PI 7", "epic_ids": []int64{e1, e2}})
		round := fmt.Sprintf("%s/%d", rounds, id(r))
		checkFields(t, r, map[string]any{"title": "PI 7", "closed": false, "created_by": alice, "closed_at": nil})

		score := func(who string, epic int64, c [4]int) map[string]any {
			return e.must(http.StatusOK, who, "POST", round+"/estimates", map[string]any{"estimates": []any{map[string]any{
				"epic_id": epic, "user_business_value": c[0], "time_criticality": c[1],
				"risk_reduction_opportunity_enablement": c[2], "job_size": c[3]}}})
		}
		score(bob, e1, [4]int{1, 1, 1, 1}) // replaced below
		score(bob, e1, [4]int{8, 5, 3, 8})
		score(carol, e1, [4]int{13, 5, 2, 5})
		score(carol, e2, [4]int{1, 2, 3, 5})
		got := score(alice, e1, [4]int{5, 5, 3, 13})
		checkFields(t, got, map[string]any{
			"epics.0.epic_id": e1, "epics.0.estimators": []any{alice, bob, carol},
			"epics.0.spread.user_business_value":                          map[string]any{"min": 5, "max": 13, "median": 8, "agreed": false},
			"epics.0.spread.time_criticality.agreed":                      true,
			"epics.0.spread.risk_reduction_opportunity_enablement.median": 3,
			"epics.0.suggested": map[string]any{"user_business_value": 8, "time_criticality": 5,
				"risk_reduction_opportunity_enablement": 3, "job_size": 8},
			"epics.1.estimators": []any{carol},
		})
		checkFields(t, e.must(http.StatusOK, victor, "GET", round, nil), map[string]any{"epics.0.current.user_business_value": 0})

		invalid := "urn:lpm:problem:invalid"
		wantProblem(t, e.do(victor, "POST", round+"/estimates", map[string]any{"estimates": []any{map[string]any{
			"epic_id": e1, "user_business_value": 1, "time_criticality": 1, "risk_reduction_opportunity_enablement": 1, "job_size": 1}}}),
			403, "urn:lpm:problem:forbidden")
		wantProblem(t, e.do(bob, "POST", round+"/estimates", map[string]any{"estimates": []any{map[string]any{
			"epic_id": e1, "user_business_value": 4, "time_criticality": 1, "risk_reduction_opportunity_enablement": 1, "job_size": 1}}}),
			422, invalid)
		wantProblem(t, e.do(bob, "POST", round+"/estimates", map[string]any{"estimates": []any{map[string]any{
			"epic_id": e1, "user_business_value": 1, "time_criticality": 1, "risk_reduction_opportunity_enablement": 1}}}),
			422, invalid, "estimates[0].job_size")
		wantProblem(t, e.do(bob, "POST", round+"/estimates", map[string]any{"estimates": []any{map[string]any{
			"epic_id": e1, "user_business_value": 1, "time_criticality": 1, "risk_reduction_opportunity_enablement": 1, "job_size": 0}}}),
			422, invalid, "estimates[0].job_size")

		closed := e.must(http.StatusOK, alice, "POST", round+"/close", map[string]any{"accept_suggested": true,
			"agreed": []any{map[string]any{"epic_id": e2, "user_business_value": 2, "time_criticality": 2,
				"risk_reduction_opportunity_enablement": 3, "job_size": 5}}})
		checkFields(t, closed, map[string]any{"closed": true,
			"epics.0.current": map[string]any{"user_business_value": 8, "time_criticality": 5, "risk_reduction_opportunity_enablement": 3, "job_size": 8},
			"epics.1.current": map[string]any{"user_business_value": 2, "time_criticality": 2, "risk_reduction_opportunity_enablement": 3, "job_size": 5}})
		checkFields(t, e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/epics/%d", e1), nil), map[string]any{"wsjf": 2, "version": 2})
		wantProblem(t, e.do(bob, "POST", round+"/estimates", map[string]any{"estimates": []any{map[string]any{
			"epic_id": e1, "user_business_value": 1, "time_criticality": 1, "risk_reduction_opportunity_enablement": 1, "job_size": 1}}}),
			409, "urn:lpm:problem:conflict")
		wantProblem(t, e.do(alice, "POST", round+"/close", map[string]any{}), 409, "urn:lpm:problem:conflict")

		// Another portfolio's round is not found through this one.
		other := e.portfolio("Q")
		wantProblem(t, e.do(alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/estimation-rounds/%d", other, id(r)), nil), 404, "urn:lpm:problem:not-found")
		list := e.must(http.StatusOK, victor, "GET", rounds, nil)
		checkFields(t, list, map[string]any{"items.0.id": id(r), "items.0.closed": true})
	})
}
