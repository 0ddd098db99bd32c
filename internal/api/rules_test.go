package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The Kanban rules an edit, a decision or a deletion must respect, as the API
// reports them.

const (
	typeInvalid  = "urn:lpm:problem:invalid"
	typePolicy   = "urn:lpm:problem:policy-not-met"
	typeConflict = "urn:lpm:problem:conflict"
)

// wantRule fails unless the problem has an error for field with the rule.
func wantRule(t *testing.T, p problem, field, rule string) {
	t.Helper()
	for _, e := range p.Errors {
		if e.Field == field && e.Rule == rule {
			return
		}
	}
	t.Errorf("problem has no error %s:%s: %+v", field, rule, p.Errors)
}

func TestEditKeepsWhatTheStateRequires(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		vs := e.valueStream(pid, "VS")
		ready := id(e.epic(pid, "Ready", readyBody(vs, [4]int{8, 5, 3, 8})))
		e.toReady(ready)
		building := id(e.epic(pid, "Building", readyBody(vs, [4]int{8, 5, 3, 8})))
		e.toReady(building)
		e.move(alice, building, http.StatusOK, map[string]any{"to": "implementing_mvp"})
		funnel := id(e.epic(pid, "Funnel", readyBody(vs, [4]int{8, 5, 3, 8})))
		path := func(id int64) string { return fmt.Sprintf("/api/v1/epics/%d", id) }

		tests := []struct {
			name   string
			epic   int64
			body   map[string]any
			fields []string
		}{
			{"clear WSJF and costs of a ready epic", ready, map[string]any{
				"title":           "Renamed too",
				"wsjf_components": map[string]any{"job_size": 0},
				"costs":           map[string]any{"mvp_internal": 0, "full_internal": 0},
			}, []string{"wsjf_components", "costs.mvp", "costs.full"}},
			{"clear the business case of a ready epic", ready, map[string]any{"mvp_description": ""}, []string{"mvp_description"}},
			{"remove the owner of a ready epic", ready, map[string]any{"epic_owner": ""}, []string{"epic_owner"}},
			{"unlink the value streams of an epic in implementation", building, map[string]any{"value_stream_ids": []int64{}},
				[]string{"value_stream_ids"}},
			{"clear a hypothesis clause in implementation", building, map[string]any{"hypothesis": map[string]any{"unlike": " "}},
				[]string{"hypothesis.unlike"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := e.must(http.StatusOK, alice, "GET", path(tt.epic), nil)
				p := wantProblem(t, e.do(alice, "PATCH", path(tt.epic), tt.body), 422, typeInvalid, tt.fields...)
				if len(p.Errors) != len(tt.fields) {
					t.Errorf("errors %+v, want exactly %v", p.Errors, tt.fields)
				}
				after := e.must(http.StatusOK, alice, "GET", path(tt.epic), nil)
				checkFields(t, after, before) // nothing changed, not even the version
			})
		}

		// In the funnel nothing is required yet: the same edit goes through.
		res := e.must(http.StatusOK, alice, "PATCH", path(funnel), map[string]any{
			"wsjf_components": map[string]any{"job_size": 0}, "costs": map[string]any{"mvp_internal": 0, "full_internal": 0},
			"epic_owner": ""})
		checkFields(t, res, map[string]any{"wsjf": nil, "costs.mvp_total": 0, "epic_owner": "", "version": 2})
		// And a ready epic may still be re-scored.
		res = e.must(http.StatusOK, alice, "PATCH", path(ready), map[string]any{"wsjf_components": map[string]any{"job_size": 1}})
		checkFields(t, res, map[string]any{"wsjf": 16, "state": "ready"})
	})
}

func TestDecisionIDOnlyWhereAMoveNeedsOne(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		ep := id(e.epic(pid, "E", map[string]any{"epic_owner": alice}))
		moves := fmt.Sprintf("/api/v1/epics/%d/transitions", ep)
		p := wantProblem(t, e.do(alice, "POST", moves, map[string]any{"to": "reviewing", "decision_id": 1}), 422, typePolicy, "decision_id")
		wantRule(t, p, "decision_id", "not_applicable")
		checkFields(t, e.must(http.StatusOK, alice, "GET", moves[:len(moves)-len("transitions")]+"history", nil),
			map[string]any{"items.1": absent})

		// Where a move rests on a decision, decision_id names it.
		e.move(alice, ep, http.StatusOK, map[string]any{"to": "reviewing"})
		advance := id(e.decide(ep, "advance_to_analyzing", ""))
		p = wantProblem(t, e.do(alice, "POST", moves, map[string]any{"to": "analyzing", "decision_id": advance + 1000}), 422, typePolicy, "decision_id")
		wantRule(t, p, "decision_id", "decision_advance_to_analyzing")
	})
}

func TestDecisionMustFitTheEpicsState(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		vs := e.valueStream(pid, "VS")
		funnel := id(e.epic(pid, "Funnel", nil))
		reviewing := id(e.epic(pid, "Reviewing", readyBody(vs, [4]int{1, 1, 1, 1})))
		e.move(alice, reviewing, http.StatusOK, map[string]any{"to": "reviewing"})
		done := id(e.epic(pid, "Done", nil))
		e.move(alice, done, http.StatusOK, map[string]any{"to": "done", "done_reason": "declined", "reason": "no"})
		decisions := func(id int64) string { return fmt.Sprintf("/api/v1/epics/%d/decisions", id) }

		tests := []struct {
			name string
			epic int64
			kind string
		}{
			{"go in the funnel", funnel, "go"},
			{"advance in the funnel", funnel, "advance_to_analyzing"},
			{"go in reviewing", reviewing, "go"},
			{"complete in reviewing", reviewing, "complete"},
			{"persevere in reviewing", reviewing, "persevere"},
			{"no-go about a done epic", done, "no_go"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.do(alice, "POST", decisions(tt.epic), map[string]any{"kind": tt.kind, "rationale": "r"})
				p := wantProblem(t, r, 422, typeInvalid, "kind")
				wantRule(t, p, "kind", "decision_fits_state")
				checkFields(t, e.must(http.StatusOK, alice, "GET", decisions(tt.epic), nil), map[string]any{"items": []any{}})
			})
		}
		// The kinds that do fit are recorded.
		e.decide(reviewing, "advance_to_analyzing", "")
		e.decide(reviewing, "no_go", "")
	})
}

func TestDeleteOnlyEpicsWithoutHistory(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		path := func(id int64) string { return fmt.Sprintf("/api/v1/epics/%d", id) }

		// Went to reviewing and came back: its history is kept.
		returned := id(e.epic(pid, "Returned", map[string]any{"epic_owner": alice}))
		e.move(alice, returned, http.StatusOK, map[string]any{"to": "reviewing"})
		e.move(alice, returned, http.StatusOK, map[string]any{"to": "funnel", "reason": "not yet"})
		// Has a decision, taken while in reviewing.
		decided := id(e.epic(pid, "Decided", map[string]any{"epic_owner": alice}))
		e.move(alice, decided, http.StatusOK, map[string]any{"to": "reviewing"})
		e.decide(decided, "no_go", "")
		e.move(alice, decided, http.StatusOK, map[string]any{"to": "funnel", "reason": "rethink"})
		declined := id(e.epic(pid, "Declined", nil))
		e.move(alice, declined, http.StatusOK, map[string]any{"to": "done", "done_reason": "declined", "reason": "no"})
		fresh := id(e.epic(pid, "Fresh", nil))

		for name, ep := range map[string]int64{"back in the funnel": returned, "with a decision": decided, "done": declined} {
			t.Run(name, func(t *testing.T) {
				wantProblem(t, e.do(alice, "DELETE", path(ep), nil), 409, typeConflict)
				e.must(http.StatusOK, alice, "GET", path(ep), nil)
			})
		}
		e.must(http.StatusNoContent, alice, "DELETE", path(fresh), nil)
		wantProblem(t, e.do(alice, "GET", path(fresh), nil), 404, "urn:lpm:problem:not-found")
	})
}

// Control characters are refused alike on both stores, with a 422 naming the
// field: PostgreSQL would refuse NUL with an error of its own (a 500).
func TestControlCharactersRefused(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		ep := id(e.epic(pid, "E", map[string]any{"epic_owner": alice}))
		e.move(alice, ep, http.StatusOK, map[string]any{"to": "reviewing"})
		p := func(format string, args ...any) string { return "/api/v1" + fmt.Sprintf(format, args...) }
		epics := p("/portfolios/%d/epics", pid)
		nul := "a\x00b"
		e.run(t, []scenario{
			{name: "title of a new epic", who: alice, method: "POST", path: epics, body: map[string]any{"title": nul, "type": "business"},
				status: 422, problem: typeInvalid, fields: []string{"title"}},
			{name: "line break in a title", who: alice, method: "POST", path: epics, body: map[string]any{"title": "a\nb", "type": "business"},
				status: 422, problem: typeInvalid, fields: []string{"title"}},
			{name: "description", who: alice, method: "POST", path: epics, body: map[string]any{"title": "T", "type": "business", "description": nul},
				status: 422, problem: typeInvalid, fields: []string{"description"}},
			{name: "title in a patch", who: alice, method: "PATCH", path: p("/epics/%d", ep), body: map[string]any{"title": nul},
				status: 422, problem: typeInvalid, fields: []string{"title"}},
			{name: "business outcome", who: alice, method: "PATCH", path: p("/epics/%d", ep),
				body:   map[string]any{"hypothesis": map[string]any{"business_outcomes": []string{nul}}},
				status: 422, problem: typeInvalid, fields: []string{"hypothesis.business_outcomes"}},
			{name: "reason of a move", who: alice, method: "POST", path: p("/epics/%d/transitions", ep),
				body: map[string]any{"to": "funnel", "reason": nul}, status: 422, problem: typeInvalid, fields: []string{"reason"}},
			{name: "rationale of a decision", who: alice, method: "POST", path: p("/epics/%d/decisions", ep),
				body: map[string]any{"kind": "no_go", "rationale": nul}, status: 422, problem: typeInvalid, fields: []string{"rationale"}},
			{name: "portfolio name", who: admin, method: "POST", path: p("/portfolios"), body: map[string]any{"name": nul},
				status: 422, problem: typeInvalid, fields: []string{"name"}},
			{name: "theme name", who: alice, method: "POST", path: p("/portfolios/%d/themes", pid), body: map[string]any{"name": nul},
				status: 422, problem: typeInvalid, fields: []string{"name"}},
			{name: "search text", who: alice, method: "GET", path: epics + "?q=" + url.QueryEscape(nul),
				status: 422, problem: typeInvalid, fields: []string{"query.q"}},
			{name: "search text too long", who: alice, method: "GET", path: epics + "?q=" + url.QueryEscape(strings.Repeat("é", 201)),
				status: 422, problem: typeInvalid, fields: []string{"query.q"}},
		})
		// Tabs and line breaks are text, where text may have lines.
		e.must(http.StatusOK, alice, "PATCH", p("/epics/%d", ep), map[string]any{"description": "line one\n\tline two"})
		// A search as long as allowed is answered.
		e.must(http.StatusOK, alice, "GET", epics+"?q="+url.QueryEscape(strings.Repeat("é", 200)), nil)
		// Nothing refused was written.
		checkFields(t, e.must(http.StatusOK, alice, "GET", epics, nil), map[string]any{"items.0.title": "E", "items.1": absent})
		checkFields(t, e.must(http.StatusOK, alice, "GET", p("/epics/%d/history", ep), nil), map[string]any{"items.2": absent})
		checkFields(t, e.must(http.StatusOK, alice, "GET", p("/epics/%d/decisions", ep), nil), map[string]any{"items": []any{}})
	})
}

// Errors the JSON decoder or the schema find read as plain sentences about
// the request's own fields, without Go's names for things.
func TestRequestErrorMessages(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		ep := id(e.epic(pid, "E", nil))
		epic := fmt.Sprintf("/api/v1/epics/%d", ep)
		tests := []struct {
			name, method, path string
			body               string
			status             int
			location, rule     string
			message            string
		}{
			{"exponent in a cost", "PATCH", epic, `{"costs": {"mvp_internal": 1e3}}`, 400,
				"body.costs.mvp_internal", "type", "costs.mvp_internal must be a whole number"},
			{"fraction in a WSJF score", "PATCH", epic, `{"wsjf_components": {"job_size": 8.0}}`, 400,
				"body.wsjf_components.job_size", "type", "wsjf_components.job_size must be a whole number"},
			{"exponent in a new epic's cost", "POST", fmt.Sprintf("/api/v1/portfolios/%d/epics", pid),
				`{"title": "T", "type": "business", "costs": {"full_supplier": 2.5e2}}`, 400,
				"body.costs.full_supplier", "type", "costs.full_supplier must be a whole number"},
			{"missing target state", "POST", epic + "/transitions", `{"reason": "r"}`, 422,
				"body.to", "required", "to is required"},
			{"state in a patch", "PATCH", epic, `{"state": "done"}`, 422,
				"body.state", "unknown_field", "POST /api/v1/epics/" + fmt.Sprint(ep) + "/transitions"},
			{"unknown field", "PATCH", epic, `{"colour": "red"}`, 422,
				"body.colour", "unknown_field", "colour is not a field of this request"},
			{"value outside an enumeration", "PATCH", epic, `{"type": "feature"}`, 422,
				"body.type", "enum", "type must be one of: business, enabler"},
			{"fraction in a WIP limit", "PATCH", fmt.Sprintf("/api/v1/portfolios/%d/kanban/reviewing", pid), `{"wip_limit": 2.0}`, 400,
				"body.wip_limit", "type", "wip_limit must be a whole number"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				typ := typeInvalid
				if tt.status == 400 {
					typ = "urn:lpm:problem:bad-request"
				}
				p := wantProblem(t, e.do(admin, tt.method, tt.path, tt.body), tt.status, typ, tt.location)
				found := false
				for _, pe := range p.Errors {
					if pe.Location != tt.location {
						continue
					}
					found = true
					if pe.Rule != tt.rule || !strings.Contains(pe.Message, tt.message) {
						t.Errorf("error %+v, want rule %s and a message with %q", pe, tt.rule, tt.message)
					}
				}
				if !found {
					t.Errorf("no error at %s: %+v", tt.location, p.Errors)
				}
				for _, leak := range []string{"Go struct", "Go value", "int64", "costsInput", "expected required property", "expected value"} {
					if strings.Contains(p.Detail, leak) || strings.Contains(fmt.Sprint(p.Errors), leak) {
						t.Errorf("problem mentions %q: %+v", leak, p)
					}
				}
			})
		}
		checkFields(t, e.must(http.StatusOK, alice, "GET", epic, nil), map[string]any{"version": 1, "state": "funnel"})
	})
}
