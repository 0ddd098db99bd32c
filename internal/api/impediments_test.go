package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
)

func TestImpedimentsAPI(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		e.grant(pid, bob, lpm.RoleContributor)
		vs := e.valueStream(pid, "VS")
		ep := id(e.epic(pid, "Blocked", nil))
		base := fmt.Sprintf("/api/v1/portfolios/%d/impediments", pid)
		m := e.must(http.StatusCreated, bob, "POST", base, map[string]any{"title": "No test environment", "owner": carol,
			"epic_id": ep, "value_stream_id": vs})
		checkFields(t, m, map[string]any{"status": "open", "owner": carol, "epic_id": ep, "value_stream_id": vs, "resolved_at": nil})
		path := fmt.Sprintf("%s/%d", base, id(m))
		resolved := e.must(http.StatusOK, bob, "PATCH", path, map[string]any{"status": "resolved", "epic_id": 0})
		checkFields(t, resolved, map[string]any{"status": "resolved", "epic_id": nil, "value_stream_id": vs})
		if resolved["resolved_at"] == nil {
			t.Error("resolving did not stamp resolved_at")
		}
		e.must(http.StatusCreated, bob, "POST", base, map[string]any{"title": "Supplier contract unsigned", "status": "in_progress"})

		open := e.must(http.StatusOK, victor, "GET", base+"?status=open,in_progress", nil)
		checkFields(t, open, map[string]any{"items.0.title": "Supplier contract unsigned"})
		if n := len(open["items"].([]any)); n != 1 {
			t.Errorf("%d unresolved impediments, want 1", n)
		}
		checkFields(t, e.must(http.StatusOK, victor, "GET", path, nil), map[string]any{"status": "resolved"})

		invalid := "urn:lpm:problem:invalid"
		other := e.portfolio("Q")
		foreign := id(e.epic(other, "Elsewhere", nil))
		wantProblem(t, e.do(bob, "POST", base, map[string]any{"title": "x", "epic_id": foreign, "owner": "nobody"}), 422, invalid, "epic_id", "owner")
		wantProblem(t, e.do(bob, "POST", base, map[string]any{"title": "x", "status": "blocked"}), 422, invalid, "status")
		wantProblem(t, e.do(victor, "POST", base, map[string]any{"title": "x"}), 403, "urn:lpm:problem:forbidden")
		wantProblem(t, e.do(alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/impediments/%d", other, id(m)), nil), 404, "urn:lpm:problem:not-found")
	})
}
