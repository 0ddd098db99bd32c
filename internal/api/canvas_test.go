package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

// The canvas end to end: versions of the current state and of a candidate,
// the list by state, a comparison section by section, adopting a
// candidate, and the problems.
func TestCanvas(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		base := fmt.Sprintf("/api/v1/portfolios/%d/canvas", pid)
		empty := e.must(http.StatusOK, victor, "GET", base, nil)
		checkFields(t, empty, map[string]any{"current": nil, "review.stale": true, "review.reviewed_on": nil})

		v1 := e.must(http.StatusCreated, alice, "POST", base+"/versions", map[string]any{"kind": "current",
			"sections": map[string]any{"customers": "Banks", "kpis": "NPS"}, "vision": "Today", "reviewed_on": "2020-01-31"})
		checkFields(t, v1, map[string]any{"kind": "current", "name": "", "number": 1, "sections.customers": "Banks",
			"sections.channels": "", "saved_by": alice, "reviewed_on": "2020-01-31", "adopted_from": nil})
		v2 := e.must(http.StatusCreated, alice, "POST", base+"/versions", map[string]any{"kind": "current",
			"sections": map[string]any{"customers": "Banks", "kpis": "NPS, churn"}, "vision": "Today"})
		checkFields(t, v2, map[string]any{"number": 2})
		f1 := e.must(http.StatusCreated, alice, "POST", base+"/versions", map[string]any{"kind": "future", "name": "Platform",
			"sections": map[string]any{"customers": "Banks and insurers"}, "vision": "Tomorrow"})
		checkFields(t, f1, map[string]any{"kind": "future", "name": "Platform", "number": 1})

		got := e.must(http.StatusOK, victor, "GET", base, nil)
		checkFields(t, got, map[string]any{"current.id": id(v2), "candidates.0.id": id(f1), "review.stale": true})
		page := e.must(http.StatusOK, victor, "GET", base+"/versions?kind=current&limit=1", nil)
		checkFields(t, page, map[string]any{"items.0.id": id(v1)})
		if page["next_cursor"] == nil {
			t.Errorf("no next page: %v", page)
		}
		cands := e.must(http.StatusOK, victor, "GET", base+"/versions?kind=future&name=Platform", nil)
		if items := cands["items"].([]any); len(items) != 1 {
			t.Errorf("candidate versions %v", cands)
		}

		cmp := e.must(http.StatusOK, victor, "GET", fmt.Sprintf("%s/compare?a=%d&b=%d", base, id(v1), id(f1)), nil)
		checkFields(t, cmp, map[string]any{"a.id": id(v1), "b.id": id(f1), "rows.0.section": "value_propositions", "rows.0.changed": false,
			"rows.1.section": "customers", "rows.1.a": "Banks", "rows.1.b": "Banks and insurers", "rows.1.changed": true,
			"rows.12.section": "vision", "rows.13.section": "reviewed_on", "changed": 4})

		adopted := e.must(http.StatusCreated, alice, "POST", fmt.Sprintf("%s/versions/%d/adopt", base, id(f1)), nil)
		checkFields(t, adopted, map[string]any{"kind": "current", "number": 3, "adopted_from": id(f1), "vision": "Tomorrow",
			"sections.customers": "Banks and insurers"})
		checkFields(t, e.must(http.StatusOK, victor, "GET", fmt.Sprintf("%s/versions/%d", base, id(v1)), nil),
			map[string]any{"vision": "Today", "number": 1})
		audit := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/audit?object_type=canvas_version", pid), nil)
		checkFields(t, audit, map[string]any{"items.0.action": "canvas_version.adopt", "items.1.action": "canvas_version.create"})

		// Retiring the candidate: it leaves the candidates (its versions
		// stay), takes no version and no adoption until restored.
		state := fmt.Sprintf("%s/states/%v", base, f1["state_id"])
		retired := e.must(http.StatusOK, alice, "POST", state+"/retire", nil)
		checkFields(t, retired, map[string]any{"id": id(f1), "name": "Platform"})
		if retired["retired_at"] == nil {
			t.Errorf("retired candidate: %v", retired)
		}
		e.must(http.StatusOK, alice, "POST", state+"/retire", nil) // again: nothing changes
		got = e.must(http.StatusOK, victor, "GET", base, nil)
		checkFields(t, got, map[string]any{"retired.0.id": id(f1)})
		if c := got["candidates"].([]any); len(c) != 0 {
			t.Errorf("candidates after retiring: %v", c)
		}
		wantProblem(t, e.do(alice, "POST", base+"/versions", map[string]any{"kind": "future", "name": "Platform"}),
			http.StatusUnprocessableEntity, "urn:lpm:problem:invalid", "name")
		wantProblem(t, e.do(alice, "POST", fmt.Sprintf("%s/versions/%d/adopt", base, id(f1)), nil),
			http.StatusUnprocessableEntity, "urn:lpm:problem:invalid", "name")
		wantProblem(t, e.do(victor, "POST", state+"/restore", nil), http.StatusForbidden, "urn:lpm:problem:forbidden")
		wantProblem(t, e.do(alice, "POST", fmt.Sprintf("%s/states/%v/retire", base, v1["state_id"]), nil),
			http.StatusUnprocessableEntity, "urn:lpm:problem:invalid", "state")
		restored := e.must(http.StatusOK, alice, "POST", state+"/restore", nil)
		checkFields(t, restored, map[string]any{"retired_at": nil})
		checkFields(t, e.must(http.StatusOK, victor, "GET", base, nil), map[string]any{"candidates.0.id": id(f1)})
		audit = e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/audit?object_type=canvas_state", pid), nil)
		checkFields(t, audit, map[string]any{"items.0.action": "canvas_state.restore", "items.1.action": "canvas_state.retire"})
		if n := len(audit["items"].([]any)); n != 2 {
			t.Errorf("%d audit entries of canvas states, want 2 (retiring twice is once)", n)
		}

		// Problems.
		wantProblem(t, e.do(alice, "POST", fmt.Sprintf("%s/versions/%d/adopt", base, id(v1)), nil), http.StatusUnprocessableEntity,
			"urn:lpm:problem:invalid", "version")
		wantProblem(t, e.do(alice, "POST", base+"/versions", map[string]any{"kind": "future"}), http.StatusUnprocessableEntity,
			"urn:lpm:problem:invalid", "name")
		wantProblem(t, e.do(alice, "POST", base+"/versions", map[string]any{"kind": "current", "vision": "a\u0000b"}),
			http.StatusUnprocessableEntity, "urn:lpm:problem:invalid", "vision")
		// An edit started from version 1 of the current state, now at 3,
		// would overwrite versions 2 and 3 unseen.
		stale := e.do(alice, "POST", base+"/versions", map[string]any{"kind": "current", "vision": "Mine", "based_on": 1})
		wantProblem(t, stale, http.StatusConflict, "urn:lpm:problem:conflict")
		checkFields(t, e.must(http.StatusOK, victor, "GET", base, nil), map[string]any{"current.number": 3})
		e.must(http.StatusCreated, alice, "POST", base+"/versions", map[string]any{"kind": "current", "vision": "Mine", "based_on": 3})
		wantProblem(t, e.do(victor, "POST", base+"/versions", map[string]any{"kind": "current"}), http.StatusForbidden,
			"urn:lpm:problem:forbidden")
		wantProblem(t, e.do(bob, "GET", base, nil), http.StatusNotFound, "urn:lpm:problem:not-found")
		other := e.portfolio("Q")
		wantProblem(t, e.do(alice, "POST", fmt.Sprintf("/api/v1/portfolios/%d/canvas/states/%v/retire", other, f1["state_id"]), nil),
			http.StatusNotFound, "urn:lpm:problem:not-found")
		wantProblem(t, e.do(alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/canvas/versions/%d", other, id(v1)), nil),
			http.StatusNotFound, "urn:lpm:problem:not-found")
		wantProblem(t, e.do(alice, "GET", fmt.Sprintf("%s/compare?a=%d", base, id(v1)), nil), http.StatusUnprocessableEntity,
			"urn:lpm:problem:invalid")
	})
}
