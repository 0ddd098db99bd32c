package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// By hand, every epic at 500 points a PI of ART A, counted from the next PI
// (n): X (1,000 points) finishes in n+1, Y (3,000) in n+5, Z (500) in n. X
// on Y is late (Y after X); X on Z is not, unless Z is due before it
// finishes: due in the current PI (n-1), Z is late.
func TestDependencies(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		vs := id(e.must(http.StatusCreated, alice, "POST", fmt.Sprintf("/api/v1/portfolios/%d/value-streams", pid), map[string]any{
			"name": "Core", "kind": "development", "arts": []any{map[string]any{"name": "A"}}}))
		other := id(e.must(http.StatusCreated, alice, "POST", fmt.Sprintf("/api/v1/portfolios/%d/value-streams", pid), map[string]any{
			"name": "Data", "kind": "development"}))
		epic := func(title string, points int) int64 {
			ep := id(e.epic(pid, title, readyBody(vs, [4]int{5, 5, 5, 5})))
			e.must(http.StatusOK, alice, "PUT", fmt.Sprintf("/api/v1/epics/%d/forecast", ep), map[string]any{"shares": []any{
				map[string]any{"art": "A", "remaining_points": points, "velocity": 1000, "allocation": 0.5}}})
			return ep
		}
		x, y, z := epic("X", 1000), epic("Y", 3000), epic("Z", 500)
		p := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d", pid), nil)
		start, _ := time.Parse("2006-01-02", p["pi_cadence"].(map[string]any)["start"].(string))
		weeks := int(p["pi_cadence"].(map[string]any)["length_weeks"].(float64))
		next := int(time.Since(start)/(time.Duration(weeks)*7*24*time.Hour)) + 2

		base := fmt.Sprintf("/api/v1/portfolios/%d/dependencies", pid)
		late := e.must(http.StatusCreated, alice, "POST", base, map[string]any{"from_epic_id": x, "to_epic_id": y, "risk": "high"})
		checkFields(t, late, map[string]any{"from_finish_pi": next + 1, "to_finish_pi": next + 5, "late": true, "risk": "high", "due_pi": nil})
		if !strings.Contains(fmt.Sprint(late["late_reason"]), "after the dependent epic") {
			t.Errorf("late reason %v", late["late_reason"])
		}
		checkFields(t, e.must(http.StatusCreated, alice, "POST", base, map[string]any{"from_epic_id": x, "to_epic_id": z}),
			map[string]any{"to_finish_pi": next, "late": false, "risk": "medium"})
		due := e.must(http.StatusCreated, alice, "POST", base, map[string]any{"from_epic_id": x, "to_epic_id": z, "due_pi": next - 1})
		checkFields(t, due, map[string]any{"late": true})
		checkFields(t, e.must(http.StatusCreated, alice, "POST", base, map[string]any{"from_value_stream_id": vs, "to_value_stream_id": other}),
			map[string]any{"from_epic_id": nil, "late": false, "from_finish_pi": absent})

		list := e.must(http.StatusOK, victor, "GET", base, nil)
		if n := len(list["items"].([]any)); n != 4 {
			t.Fatalf("%d dependencies listed, want 4", n)
		}
		checkFields(t, list, map[string]any{"items.0.late": true, "items.1.late": false, "items.2.late": true})

		invalid := "urn:lpm:problem:invalid"
		foreign := id(e.epic(e.portfolio("Q"), "Elsewhere", nil))
		wantProblem(t, e.do(alice, "POST", base, map[string]any{"from_epic_id": x, "to_epic_id": foreign}), 422, invalid, "to_epic_id")
		wantProblem(t, e.do(alice, "POST", base, map[string]any{"from_epic_id": x, "to_epic_id": x}), 422, invalid, "to_epic_id")
		wantProblem(t, e.do(alice, "POST", base, map[string]any{"from_epic_id": x, "to_value_stream_id": vs}), 422, invalid)
		wantProblem(t, e.do(victor, "POST", base, map[string]any{"from_epic_id": x, "to_epic_id": y}), 403, "urn:lpm:problem:forbidden")

		e.must(http.StatusNoContent, alice, "DELETE", fmt.Sprintf("%s/%d", base, id(due)), nil)
		if n := len(e.must(http.StatusOK, victor, "GET", base, nil)["items"].([]any)); n != 3 {
			t.Errorf("%d dependencies after a deletion, want 3", n)
		}
	})
}
