package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// finish takes an epic created with readyBody through implementation to
// done, completed.
func (e *env) finish(epicID int64) {
	e.t.Helper()
	e.toReady(epicID)
	e.move(alice, epicID, http.StatusOK, map[string]any{"to": "implementing_mvp"})
	e.decide(epicID, "mvp_evaluation", "proven")
	e.decide(epicID, "persevere", "")
	e.move(alice, epicID, http.StatusOK, map[string]any{"to": "implementing_persevere"})
	e.decide(epicID, "complete", "")
	e.move(alice, epicID, http.StatusOK, map[string]any{"to": "done", "done_reason": "completed", "reason": "delivered"})
}

// By hand: two epics finished this week and one declined (which does not
// count); with one week of history the throughput is a steady 2 a week, so
// the Ready backlog in WSJF order — B (13), A (2), C (0.15) — finishes B and
// A in the first week and C in the second, at both percentiles.
func TestForecastBacklog(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		vs := e.valueStream(pid, "VS")
		for i := range 2 {
			e.finish(id(e.epic(pid, fmt.Sprintf("Done %d", i), readyBody(vs, [4]int{5, 5, 5, 5}))))
		}
		declined := id(e.epic(pid, "Declined", nil))
		e.move(alice, declined, http.StatusOK, map[string]any{"to": "done", "done_reason": "declined", "reason": "no"})
		ready := map[string]int64{}
		for name, wsjf := range map[string][4]int{"A": {8, 5, 3, 8}, "B": {13, 13, 13, 3}, "C": {1, 1, 1, 20}} {
			ready[name] = id(e.epic(pid, name, readyBody(vs, wsjf)))
			e.toReady(ready[name])
		}
		path := fmt.Sprintf("/api/v1/portfolios/%d/forecasts/backlog", pid)
		got := e.must(http.StatusOK, victor, "GET", path+"?history_periods=1", nil)
		checkFields(t, got, map[string]any{"portfolio_id": pid, "period_days": 7, "forecast": true, "trials": 10000, "seed": 1,
			"in_progress": 0, "horizon_days": 521 * 7})
		if h := fmt.Sprint(got["history"]); h != "[2]" {
			t.Errorf("history = %s, want [2]: the declined epic does not count", h)
		}
		asOf, err := time.Parse(time.RFC3339Nano, got["as_of"].(string))
		if err != nil || time.Since(asOf) > time.Minute || time.Since(asOf) < 0 {
			t.Fatalf("as_of = %v (%v), want now", got["as_of"], err)
		}
		week := 7 * 24 * time.Hour
		items := got["items"].([]any)
		want := []struct {
			name  string
			weeks int
		}{{"B", 1}, {"A", 1}, {"C", 2}}
		if len(items) != len(want) {
			t.Fatalf("items = %v, want the 3 ready epics", items)
		}
		for k, w := range want {
			it := items[k].(map[string]any)
			finish := asOf.Add(time.Duration(w.weeks) * week)
			for _, p := range []string{"p50", "p85"} {
				at, err := time.Parse(time.RFC3339Nano, fmt.Sprint(it[p]))
				if err != nil || !at.Equal(finish) {
					t.Errorf("%s at %s = %v, want %s (week %d)", w.name, p, it[p], finish, w.weeks)
				}
			}
			checkFields(t, it, map[string]any{"position": k + 1, "id": ready[w.name], "title": w.name})
		}

		// The default history (26 weeks) holds the same two epics; the
		// forecast draws from mostly empty weeks, so it comes later, and the
		// 85th percentile no earlier than the 50th.
		got = e.must(http.StatusOK, victor, "GET", path, nil)
		if h := got["history"].([]any); len(h) != 26 || h[25] != 2.0 {
			t.Errorf("default history = %v, want 26 weeks ending with 2", h)
		}
		last := got["items"].([]any)[2].(map[string]any)
		p50, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(last["p50"]))
		p85, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(last["p85"]))
		if !p50.After(asOf.Add(2*week)) || p85.Before(p50) {
			t.Errorf("C over 26 weeks: p50 %v, p85 %v", last["p50"], last["p85"])
		}

		// Nothing finished: the backlog in order, without dates, and why.
		other := e.portfolio("Q")
		ovs := e.valueStream(other, "VS")
		r := id(e.epic(other, "R", readyBody(ovs, [4]int{1, 1, 1, 1})))
		e.toReady(r)
		got = e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/forecasts/backlog", other), nil)
		checkFields(t, got, map[string]any{"forecast": false, "items.0.id": r, "items.0.p50": nil, "items.0.p85": nil})
		if got["reason"] == nil {
			t.Error("no reason given for the missing forecast")
		}

		wantProblem(t, e.do(alice, "GET", path+"?period_days=0", nil), 422, "urn:lpm:problem:invalid", "period_days")
		wantProblem(t, e.do(alice, "GET", path+"?trials=5", nil), 422, "urn:lpm:problem:invalid", "trials")
		wantProblem(t, e.do(alice, "GET", "/api/v1/portfolios/987654/forecasts/backlog", nil), 404, "urn:lpm:problem:not-found")
	})
}

// SAFe's forecast of one epic, by hand (the domain reference's worked
// example): Ledger ART has 2,000 points left at 1,000 a PI, a quarter of it
// for the epic: 8 PIs; Data ART 600 at 800, half: 2 PIs (1.5 rounded up).
// The epic needs 8 PIs, from the next PI while it is in the funnel, from the
// current one once implemented; the finish is the end of the last PI.
func TestEpicForecast(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		vs := id(e.must(http.StatusCreated, alice, "POST", fmt.Sprintf("/api/v1/portfolios/%d/value-streams", pid), map[string]any{
			"name": "Core", "kind": "development", "arts": []any{map[string]any{"name": "Ledger ART"}, map[string]any{"name": "Data ART"}}}))
		ep := id(e.epic(pid, "Move the ledger", readyBody(vs, [4]int{8, 5, 3, 8})))
		path := fmt.Sprintf("/api/v1/epics/%d/forecast", ep)

		got := e.must(http.StatusOK, victor, "GET", path, nil)
		checkFields(t, got, map[string]any{"epic_id": ep, "forecast": nil})
		if got["reason"] == nil {
			t.Error("no reason for a missing forecast")
		}

		p := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d", pid), nil)
		start, err := time.Parse("2006-01-02", p["pi_cadence"].(map[string]any)["start"].(string))
		if err != nil {
			t.Fatal(err)
		}
		weeks := int(p["pi_cadence"].(map[string]any)["length_weeks"].(float64))
		current := int(time.Since(start)/(time.Duration(weeks)*7*24*time.Hour)) + 1
		// The last day of the PI.
		finish := func(pi int) string { return start.AddDate(0, 0, 7*weeks*pi-1).Format("2006-01-02") }

		got = e.must(http.StatusOK, alice, "PUT", path, map[string]any{"shares": []any{
			map[string]any{"art": "Ledger ART", "remaining_points": 2000, "velocity": 1000, "allocation": 0.25},
			map[string]any{"art": "Data ART", "remaining_points": 600, "velocity": 800, "allocation": 0.5},
		}})
		checkFields(t, got, map[string]any{
			"shares.0.points_per_pi": 250, "shares.0.pis": 8, "shares.1.points_per_pi": 400, "shares.1.pis": 2,
			"forecast.pis": 8, "forecast.start_pi": current + 1, "forecast.finish_pi": current + 8, "forecast.finish": finish(current + 8),
		})
		checkFields(t, e.must(http.StatusOK, victor, "GET", path, nil), map[string]any{"forecast.finish_pi": current + 8})

		// Once implemented, the count starts with the current PI.
		e.toReady(ep)
		e.move(alice, ep, http.StatusOK, map[string]any{"to": "implementing_mvp"})
		checkFields(t, e.must(http.StatusOK, victor, "GET", path, nil), map[string]any{
			"forecast.start_pi": current, "forecast.finish_pi": current + 7, "forecast.finish": finish(current + 7)})

		// Refused: an ART of no value stream of the epic, one named twice, an
		// allocation over 1; a viewer. Nothing changes.
		invalid := "urn:lpm:problem:invalid"
		wantProblem(t, e.do(alice, "PUT", path, map[string]any{"shares": []any{
			map[string]any{"art": "Payments ART", "remaining_points": 1, "velocity": 1, "allocation": 1}}}), 422, invalid, "shares[0].art")
		wantProblem(t, e.do(alice, "PUT", path, map[string]any{"shares": []any{
			map[string]any{"art": "Data ART", "remaining_points": 1, "velocity": 1, "allocation": 1},
			map[string]any{"art": "Data ART", "remaining_points": 1, "velocity": 1, "allocation": 1}}}), 422, invalid, "shares[1].art")
		wantProblem(t, e.do(alice, "PUT", path, map[string]any{"shares": []any{
			map[string]any{"art": "Data ART", "remaining_points": 1, "velocity": 1, "allocation": 1.5}}}), 422, invalid)
		wantProblem(t, e.do(victor, "PUT", path, map[string]any{"shares": []any{}}), 403, "urn:lpm:problem:forbidden")
		checkFields(t, e.must(http.StatusOK, victor, "GET", path, nil), map[string]any{"shares.1.art": "Data ART", "forecast.pis": 8})

		// An empty list removes the inputs, and the change is in the history
		// of the audit trail.
		checkFields(t, e.must(http.StatusOK, alice, "PUT", path, map[string]any{"shares": []any{}}), map[string]any{"forecast": nil})
		trail := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/audit?object_type=epic&object_id=%d&limit=1", pid, ep), nil)
		checkFields(t, trail, map[string]any{"items.0.action": "epic.forecast_inputs", "items.0.before.forecast_inputs.1.art": "Data ART",
			"items.0.after.forecast_inputs": []any{}})
	})
}
