package api_test

import (
	"fmt"
	"math"
	"net/http"
	"testing"
)

// A theme's OKRs end to end: objectives, key results (one whose target lies
// below its baseline), check-ins as JSON and as CSV, and the progress the
// theme shows, worked out by hand.
func TestThemeOKRs(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		th := e.theme(pid, "Grow")
		base := fmt.Sprintf("/api/v1/themes/%d", th)
		o := e.must(http.StatusCreated, alice, "POST", base+"/objectives", map[string]any{
			"title": "Win the mid-market", "owner": bob, "period_start": "2026-01-01", "period_end": "2026-12-31"})
		checkFields(t, o, map[string]any{"theme_id": th, "owner": bob, "period_start": "2026-01-01", "period_end": "2026-12-31"})
		oid := id(o)
		leadTime := id(e.must(http.StatusCreated, alice, "POST", fmt.Sprintf("%s/objectives/%d/key-results", base, oid),
			map[string]any{"title": "Lead time", "unit": "days", "baseline": 12, "target": 4, "weight": 3}))
		customers := id(e.must(http.StatusCreated, alice, "POST", fmt.Sprintf("%s/objectives/%d/key-results", base, oid),
			map[string]any{"title": "Customers", "unit": "count", "baseline": 100, "target": 200}))
		// An objective without key results: no progress, not counted.
		empty := id(e.must(http.StatusCreated, alice, "POST", base+"/objectives", map[string]any{"title": "Later"}))

		e.must(http.StatusCreated, alice, "POST", base+"/check-ins", map[string]any{"check_ins": []any{
			map[string]any{"key_result_id": leadTime, "at": "2026-03-01T00:00:00Z", "value": 11, "confidence": 4, "status": "at_risk"},
			map[string]any{"key_result_id": customers, "at": "2026-03-01T00:00:00Z", "value": 120, "confidence": 6, "status": "on_track"},
		}})
		csv := fmt.Sprintf("status,key_result_id,value,confidence,at,note\non_track,%d,10,7,2026-04-01,\"better, finally\"\non_track,%d,150,8,2026-04-01T12:00:00Z,\n",
			leadTime, customers)
		imported := e.must(http.StatusCreated, alice, "POST", base+"/check-ins/csv", csvBody(csv))
		if items := imported["items"].([]any); len(items) != 2 {
			t.Fatalf("imported %v", imported)
		}
		checkFields(t, imported, map[string]any{"items.0.note": "better, finally", "items.0.by": alice, "items.1.value": 150})

		// By hand: lead time 12 → 10 of 12 → 4 is 2/8 = 0.25; customers 100 →
		// 150 of 100 → 200 is 0.5; weighted 3:1, (3 × 0.25 + 0.5) / 4 =
		// 0.3125 (red). The theme's mean leaves the empty objective out.
		got := e.must(http.StatusOK, victor, "GET", base+"/okrs", nil)
		checkFields(t, got, map[string]any{
			"theme.id": th, "band": "red",
			"objectives.0.id": oid, "objectives.0.band": "red",
			"objectives.0.key_results.0.id": leadTime, "objectives.0.key_results.0.progress": 0.25,
			"objectives.0.key_results.0.latest.value": 10, "objectives.0.key_results.0.band": "red",
			"objectives.0.key_results.1.progress": 0.5, "objectives.0.key_results.1.band": "yellow",
			"objectives.1.id": empty, "objectives.1.progress": nil, "objectives.1.band": nil,
		})
		for _, path := range []string{"progress", "objectives.0.progress"} {
			if v, _ := lookup(got, path); v == nil || math.Abs(v.(float64)-0.3125) > 1e-9 {
				t.Errorf("%s = %v, want 0.3125", path, v)
			}
		}

		// Check-ins page in the order recorded.
		page := e.must(http.StatusOK, victor, "GET", fmt.Sprintf("%s/key-results/%d/check-ins?limit=1", base, leadTime), nil)
		checkFields(t, page, map[string]any{"items.0.value": 11})
		page = e.must(http.StatusOK, victor, "GET", fmt.Sprintf("%s/key-results/%d/check-ins?limit=1&cursor=%s", base, leadTime, page["next_cursor"]), nil)
		checkFields(t, page, map[string]any{"items.0.value": 10, "next_cursor": absent})

		// Changing the target changes the progress: 12 → 10 of 12 → 8 is 0.5.
		e.must(http.StatusOK, alice, "PATCH", fmt.Sprintf("%s/key-results/%d", base, leadTime), map[string]any{"target": 8})
		got = e.must(http.StatusOK, victor, "GET", base+"/okrs", nil)
		checkFields(t, got, map[string]any{"objectives.0.key_results.0.progress": 0.5})
		// null removes a date; absent leaves it.
		checkFields(t, e.must(http.StatusOK, alice, "PATCH", fmt.Sprintf("%s/objectives/%d", base, oid), map[string]any{"period_end": nil}),
			map[string]any{"period_end": nil, "period_start": "2026-01-01"})
	})
}

// Bad input names what is wrong and stores nothing; another theme's objects
// are not found through this theme.
func TestThemeOKRsRefused(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		th, other := e.theme(pid, "Grow"), e.theme(pid, "Other")
		base := fmt.Sprintf("/api/v1/themes/%d", th)
		oid := id(e.must(http.StatusCreated, alice, "POST", base+"/objectives", map[string]any{"title": "O"}))
		kr := id(e.must(http.StatusCreated, alice, "POST", fmt.Sprintf("%s/objectives/%d/key-results", base, oid),
			map[string]any{"title": "K", "unit": "%", "baseline": 0, "target": 100}))
		otherObjective := id(e.must(http.StatusCreated, alice, "POST", fmt.Sprintf("/api/v1/themes/%d/objectives", other), map[string]any{"title": "O"}))
		otherKR := id(e.must(http.StatusCreated, alice, "POST", fmt.Sprintf("/api/v1/themes/%d/objectives/%d/key-results", other, otherObjective),
			map[string]any{"title": "K", "unit": "%", "baseline": 0, "target": 100}))
		invalid := "urn:lpm:problem:invalid"

		wantProblem(t, e.do(alice, "POST", base+"/objectives", map[string]any{"title": "O", "owner": "nobody"}), 422, invalid, "owner")
		wantProblem(t, e.do(alice, "POST", base+"/objectives", map[string]any{"title": "O", "period_start": "2026-02-01", "period_end": "2026-01-01"}),
			422, invalid, "period_end")
		wantProblem(t, e.do(alice, "POST", fmt.Sprintf("%s/objectives/%d/key-results", base, oid),
			map[string]any{"title": "K", "unit": "%", "baseline": 5, "target": 5}), 422, invalid, "target")
		// Another theme's objective is not found through this theme, worded
		// as a missing one: it might be of a portfolio the caller cannot see.
		pr := wantProblem(t, e.do(alice, "PATCH", fmt.Sprintf("%s/objectives/%d", base, otherObjective), map[string]any{"title": "x"}),
			404, "urn:lpm:problem:not-found")
		missing := wantProblem(t, e.do(alice, "PATCH", fmt.Sprintf("%s/objectives/%d", base, 987654), map[string]any{"title": "x"}),
			404, "urn:lpm:problem:not-found")
		if want := fmt.Sprintf("objective %d not found", otherObjective); pr.Detail != want || missing.Detail != "objective 987654 not found" {
			t.Errorf("not found: %q and %q, want %q and the same for the missing id", pr.Detail, missing.Detail, want)
		}
		wantProblem(t, e.do(alice, "GET", fmt.Sprintf("%s/key-results/%d/check-ins", base, otherKR), nil), 404, "urn:lpm:problem:not-found")

		// One bad check-in refuses the batch.
		wantProblem(t, e.do(alice, "POST", base+"/check-ins", map[string]any{"check_ins": []any{
			map[string]any{"key_result_id": kr, "value": 1, "confidence": 5, "status": "on_track"},
			map[string]any{"key_result_id": otherKR, "value": 1, "confidence": 5, "status": "on_track"},
		}}), 422, invalid, "check_ins[1].key_result_id")
		wantProblem(t, e.do(alice, "POST", base+"/check-ins", map[string]any{"check_ins": []any{
			map[string]any{"key_result_id": kr, "value": 1, "confidence": 11, "status": "on_track"},
		}}), 422, invalid)
		// CSV problems name the line and column, every one of them.
		bad := fmt.Sprintf("key_result_id,at,value,confidence,status\n%d,2026-04-01,ten,7,on_track\n%d,yesterday,1,12,on_track\n%d,2026-04-01,1,5,on_track\n",
			kr, kr, otherKR)
		wantProblem(t, e.do(alice, "POST", base+"/check-ins/csv", csvBody(bad)), 422, invalid, "line 2.value", "line 3.at")
		wantProblem(t, e.do(alice, "POST", base+"/check-ins/csv", csvBody(fmt.Sprintf("key_result_id,at,value,confidence,status\n%d,2026-04-01,1,5,on_track\n", otherKR))),
			422, invalid, "line 2.key_result_id")
		wantProblem(t, e.do(alice, "POST", base+"/check-ins/csv", csvBody("key_result_id,value\n1,2\n")), 422, invalid, "header")
		wantProblem(t, e.do(alice, "POST", base+"/check-ins/csv", map[string]any{"not": "csv"}), 415, "urn:lpm:problem:unsupported-media-type")
		// Who may record is answered before what is wrong with the file.
		wantProblem(t, e.do(victor, "POST", base+"/check-ins/csv", csvBody(bad)), 403, "urn:lpm:problem:forbidden")
		// A value measured years ahead would stay the latest for good.
		wantProblem(t, e.do(alice, "POST", base+"/check-ins", map[string]any{"check_ins": []any{
			map[string]any{"key_result_id": kr, "at": "2062-01-01T00:00:00Z", "value": 1, "confidence": 5, "status": "on_track"},
		}}), 422, invalid, "check_ins[0].at")
		page := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("%s/key-results/%d/check-ins", base, kr), nil)
		if items := page["items"].([]any); len(items) != 0 {
			t.Errorf("refused requests stored %d check-ins", len(items))
		}
	})
}

// By hand, with readyBody's costs (MVP 100,000, full 500,000): A, of theme 1,
// builds its MVP: 100,000. B, of themes 1 and 2, is completed: 500,000,
// 250,000 to each. C, of theme 2, is ready: nothing yet. The portfolio has
// committed 600,000: theme 1 350,000 (7/12), theme 2 250,000 (5/12).
func TestThemeEpics(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		vs := e.valueStream(pid, "VS")
		t1, t2 := e.theme(pid, "One"), e.theme(pid, "Two")
		withThemes := func(themes ...int64) map[string]any {
			b := readyBody(vs, [4]int{5, 5, 5, 5})
			b["theme_ids"] = themes
			return b
		}
		a := id(e.epic(pid, "A", withThemes(t1)))
		e.toReady(a)
		e.move(alice, a, http.StatusOK, map[string]any{"to": "implementing_mvp"})
		b := id(e.epic(pid, "B", withThemes(t1, t2)))
		e.finish(b)
		c := id(e.epic(pid, "C", withThemes(t2)))
		e.toReady(c)
		id(e.epic(pid, "No theme", nil))

		got := e.must(http.StatusOK, victor, "GET", fmt.Sprintf("/api/v1/themes/%d/epics", t1), nil)
		checkFields(t, got, map[string]any{"theme.id": t1,
			"epics.0.id": a, "epics.0.state": "implementing_mvp", "epics.0.committed_cost": 100000,
			"epics.1.id": b, "epics.1.state": "done", "epics.1.done_reason": "completed", "epics.1.committed_cost": 500000,
			"by_state.implementing_mvp": 1, "by_state.done": 1, "by_state.funnel": 0,
			"spend.theme": 350000, "spend.portfolio": 600000, "spend.currency": "EUR"})
		if n := len(got["epics"].([]any)); n != 2 {
			t.Errorf("theme 1 lists %d epics, want 2", n)
		}
		if s := got["spend"].(map[string]any)["share"].(float64); math.Abs(s-7.0/12) > 1e-9 {
			t.Errorf("share of theme 1 = %v, want 7/12", s)
		}
		got = e.must(http.StatusOK, victor, "GET", fmt.Sprintf("/api/v1/themes/%d/epics", t2), nil)
		checkFields(t, got, map[string]any{"epics.0.id": b, "epics.1.id": c, "epics.1.committed_cost": 0,
			"by_state.ready": 1, "by_state.done": 1, "spend.theme": 250000})
	})
}
