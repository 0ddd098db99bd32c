package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
)

func TestUpdateValueStreamAPI(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		other := e.portfolio("Q")
		e.grant(other, bob, lpm.RolePortfolioAdmin)
		pay, lend := e.valueStream(pid, "Payments"), e.valueStream(pid, "Lending")
		theirs := e.valueStream(other, "Theirs")
		path := fmt.Sprintf("/api/v1/value-streams/%d", pay)

		got := e.must(http.StatusOK, alice, "PATCH", path, map[string]any{"name": "Money", "description": "Moves money",
			"arts":      []any{map[string]any{"name": "Wallet ART", "headcount": 60}, map[string]any{"name": "Cards ART"}},
			"solutions": []any{map[string]any{"name": "Checkout", "kind": "product"}}})
		want := map[string]any{"id": pay, "portfolio_id": pid, "name": "Money", "description": "Moves money", "kind": "development",
			"arts.0.name": "Wallet ART", "arts.0.headcount": 60, "arts.1.name": "Cards ART",
			"solutions.0.name": "Checkout", "solutions.0.kind": "product", "supports": []any{}}
		checkFields(t, got, want)
		checkFields(t, e.must(http.StatusOK, victor, "GET", path, nil), want)
		// Fields left out stay; an empty list clears.
		got = e.must(http.StatusOK, alice, "PATCH", path, map[string]any{"solutions": []any{}})
		checkFields(t, got, map[string]any{"name": "Money", "arts.0.name": "Wallet ART", "solutions": []any{}})

		ops := e.must(http.StatusCreated, alice, "POST", fmt.Sprintf("/api/v1/portfolios/%d/value-streams", pid),
			map[string]any{"name": "Retail banking", "kind": "operational", "supports": []int64{pay}})
		opsPath := fmt.Sprintf("/api/v1/value-streams/%d", id(ops))
		checkFields(t, e.must(http.StatusOK, alice, "PATCH", opsPath, map[string]any{"supports": []int64{pay, lend}}),
			map[string]any{"supports": []any{pay, lend}})

		invalid, conflict := "urn:lpm:problem:invalid", "urn:lpm:problem:conflict"
		wantProblem(t, e.do(alice, "PATCH", path, map[string]any{"name": ""}), 422, invalid, "name")
		wantProblem(t, e.do(alice, "PATCH", path, map[string]any{"arts": []any{map[string]any{"name": "A", "headcount": -1}}}), 422, invalid)
		wantProblem(t, e.do(alice, "PATCH", path, map[string]any{"supports": []int64{lend}}), 422, invalid, "supports")
		wantProblem(t, e.do(alice, "PATCH", opsPath, map[string]any{"supports": []int64{theirs}}), 422, invalid, "supports")
		wantProblem(t, e.do(alice, "PATCH", opsPath, map[string]any{"arts": []any{map[string]any{"name": "A"}}}), 422, invalid, "arts")
		wantProblem(t, e.do(alice, "PATCH", path, map[string]any{"name": "Lending"}), 409, conflict, "name")
		wantProblem(t, e.do(victor, "PATCH", path, map[string]any{"description": "x"}), 403, "urn:lpm:problem:forbidden")
		wantProblem(t, e.do(carol, "PATCH", path, map[string]any{"description": "x"}), 403, "urn:lpm:problem:forbidden")
		wantProblem(t, e.do(bob, "PATCH", path, map[string]any{"description": "x"}), 404, "urn:lpm:problem:not-found")
		wantProblem(t, e.do(alice, "PATCH", "/api/v1/value-streams/999", map[string]any{"description": "x"}), 404, "urn:lpm:problem:not-found")
		checkFields(t, e.must(http.StatusOK, victor, "GET", path, nil), map[string]any{"name": "Money", "description": "Moves money"})
	})
}
