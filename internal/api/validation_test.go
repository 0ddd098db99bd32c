package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestValidationProblems(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		other := e.portfolio("Other")
		foreignTheme := e.theme(other, "Not yours")
		eid := id(e.epic(pid, "E", map[string]any{"epic_owner": alice}))
		moved := id(e.epic(pid, "Moved", map[string]any{"epic_owner": alice}))
		e.move(alice, moved, http.StatusOK, map[string]any{"to": "reviewing"})
		e.theme(pid, "Taken")
		p := func(format string, args ...any) string { return "/api/v1" + fmt.Sprintf(format, args...) }
		epics := p("/portfolios/%d/epics", pid)
		const (
			invalid    = "urn:lpm:problem:invalid"
			badRequest = "urn:lpm:problem:bad-request"
			notFound   = "urn:lpm:problem:not-found"
			conflict   = "urn:lpm:problem:conflict"
		)
		wsjf := func(k string, v any) map[string]any {
			return map[string]any{"title": "T", "type": "business", "wsjf_components": map[string]any{k: v}}
		}
		e.run(t, []scenario{
			// Bodies huma checks against the schema.
			{name: "unknown field", who: alice, method: "POST", path: epics, body: map[string]any{"title": "T", "type": "business", "owner": "x"},
				status: 422, problem: invalid, fields: []string{"body.owner"}},
			{name: "unknown nested field", who: alice, method: "POST", path: epics, body: wsjf("value", 1),
				status: 422, problem: invalid, fields: []string{"body.wsjf_components.value"}},
			{name: "field names are case-sensitive", who: alice, method: "POST", path: epics, body: map[string]any{"Title": "T", "title": "T", "type": "business"},
				status: 422, problem: invalid, fields: []string{"body.Title"}},
			{name: "state cannot be patched", who: alice, method: "PATCH", path: p("/epics/%d", eid), body: map[string]any{"state": "done"},
				status: 422, problem: invalid, fields: []string{"body.state"}},
			{name: "wrong type", who: alice, method: "POST", path: epics, body: map[string]any{"title": 5, "type": "business"},
				status: 400, problem: badRequest, fields: []string{"body.title"}},
			{name: "wrong nested type", who: alice, method: "POST", path: epics, body: wsjf("job_size", "big"),
				status: 400, problem: badRequest, fields: []string{"body.wsjf_components.job_size"}},
			{name: "WSJF off the scale", who: alice, method: "POST", path: epics, body: wsjf("job_size", 4),
				status: 422, problem: invalid, fields: []string{"body.wsjf_components.job_size"}},
			{name: "WSJF off the scale in a patch", who: alice, method: "PATCH", path: p("/epics/%d", eid),
				body:   map[string]any{"wsjf_components": map[string]any{"time_criticality": 21}},
				status: 422, problem: invalid, fields: []string{"body.wsjf_components.time_criticality"}},
			{name: "title missing", who: alice, method: "POST", path: epics, body: map[string]any{"type": "business"},
				status: 422, problem: invalid, fields: []string{"body.title"}},
			{name: "title and type missing", who: alice, method: "POST", path: epics, body: map[string]any{},
				status: 422, problem: invalid, fields: []string{"body.title", "body.type"}},
			{name: "type not an epic type", who: alice, method: "POST", path: epics, body: map[string]any{"title": "T", "type": "feature"},
				status: 422, problem: invalid, fields: []string{"body.type"}},
			{name: "negative cost", who: alice, method: "PATCH", path: p("/epics/%d", eid), body: map[string]any{"costs": map[string]any{"mvp_internal": -1}},
				status: 422, problem: invalid, fields: []string{"body.costs.mvp_internal"}},
			{name: "malformed JSON", who: alice, method: "POST", path: epics, body: `{"title": "T",`,
				status: 400, problem: badRequest},
			{name: "duplicate key", who: alice, method: "POST", path: epics, body: `{"title": "T", "type": "business", "type": "enabler"}`,
				status: 400, problem: badRequest, fields: []string{"body.type"}},
			{name: "duplicate nested key", who: alice, method: "PATCH", path: p("/epics/%d", eid),
				body:   `{"wsjf_components": {"job_size": 1, "job_size": 20}}`,
				status: 400, problem: badRequest, fields: []string{"body.wsjf_components.job_size"}},
			{name: "same key in sibling objects is fine", who: alice, method: "PATCH", path: p("/epics/%d", eid),
				body:   `{"hypothesis": {"nfrs": ["a"]}, "costs": {"mvp_internal": 1}, "wsjf_components": {"job_size": 1}}`,
				status: 200},
			{name: "no body", who: alice, method: "POST", path: epics, status: 400, problem: badRequest},
			{name: "negative WIP limit", who: admin, method: "PATCH", path: p("/portfolios/%d/kanban/reviewing", pid),
				body: map[string]any{"wip_limit": -1}, status: 422, problem: invalid, fields: []string{"body.wip_limit"}},
			{name: "enforcement not a mode", who: admin, method: "PATCH", path: p("/portfolios/%d/kanban/reviewing", pid),
				body: map[string]any{"enforcement": "shout"}, status: 422, problem: invalid, fields: []string{"body.enforcement"}},
			{name: "transition to no state", who: alice, method: "POST", path: p("/epics/%d/transitions", eid),
				body: map[string]any{"to": "heaven"}, status: 422, problem: invalid, fields: []string{"body.to"}},

			// Rules the domain and the store check.
			{name: "blank title", who: alice, method: "POST", path: epics, body: map[string]any{"title": "  ", "type": "business"},
				status: 422, problem: invalid, fields: []string{"title"}},
			{name: "unknown epic owner", who: alice, method: "POST", path: epics, body: map[string]any{"title": "T", "type": "business", "epic_owner": "zed"},
				status: 422, problem: invalid, fields: []string{"epic_owner"}},
			{name: "theme of another portfolio", who: alice, method: "POST", path: epics,
				body:   map[string]any{"title": "T", "type": "business", "theme_ids": []int64{foreignTheme}},
				status: 422, problem: invalid, fields: []string{"theme_ids"}},
			{name: "owner removed outside funnel", who: alice, method: "PATCH", path: p("/epics/%d", moved), body: map[string]any{"epic_owner": ""},
				status: 422, problem: invalid, fields: []string{"epic_owner"}},
			{name: "funnel has no WIP limit", who: admin, method: "PATCH", path: p("/portfolios/%d/kanban/funnel", pid),
				body: map[string]any{"wip_limit": 3}, status: 422, problem: invalid, fields: []string{"wip_limit"}},
			{name: "portfolio currency", who: admin, method: "PATCH", path: p("/portfolios/%d", pid), body: map[string]any{"currency": "euro"},
				status: 422, problem: invalid, fields: []string{"currency"}},
			{name: "outcome only for evaluations", who: alice, method: "POST", path: p("/epics/%d/decisions", eid),
				body: map[string]any{"kind": "go", "outcome": "proven", "rationale": "r"}, status: 422, problem: invalid, fields: []string{"outcome"}},
			{name: "decision without rationale", who: alice, method: "POST", path: p("/epics/%d/decisions", eid),
				body: map[string]any{"kind": "go"}, status: 422, problem: invalid, fields: []string{"body.rationale"}},
			{name: "override is not recorded by hand", who: alice, method: "POST", path: p("/epics/%d/decisions", eid),
				body: map[string]any{"kind": "override", "rationale": "r"}, status: 422, problem: invalid, fields: []string{"kind"}},
			{name: "duplicate theme name", who: alice, method: "POST", path: p("/portfolios/%d/themes", pid), body: map[string]any{"name": "Taken"},
				status: 409, problem: conflict},
			{name: "only funnel epics are deleted", who: alice, method: "DELETE", path: p("/epics/%d", moved), status: 409, problem: conflict},

			// Query parameters.
			{name: "bad cursor", who: alice, method: "GET", path: epics + "?cursor=garbage", status: 422, problem: invalid, fields: []string{"cursor"}},
			{name: "limit zero", who: alice, method: "GET", path: epics + "?limit=0", status: 422, problem: invalid, fields: []string{"query.limit"}},
			{name: "limit too big", who: alice, method: "GET", path: epics + "?limit=501", status: 422, problem: invalid, fields: []string{"query.limit"}},
			{name: "limit not a number", who: alice, method: "GET", path: epics + "?limit=ten", status: 400, problem: badRequest, fields: []string{"query.limit"}},
			{name: "unknown state filter", who: alice, method: "GET", path: epics + "?state=funnel,nowhere", status: 422, problem: invalid, fields: []string{"query.state"}},
			{name: "unknown type filter", who: alice, method: "GET", path: epics + "?type=feature", status: 422, problem: invalid, fields: []string{"query.type"}},
			{name: "board limit", who: alice, method: "GET", path: p("/portfolios/%d/kanban?limit=1000", pid), status: 422, problem: invalid, fields: []string{"query.limit"}},

			// Ids that name nothing.
			{name: "unknown epic", who: alice, method: "GET", path: p("/epics/999999"), status: 404, problem: notFound},
			{name: "epic id not a number", who: alice, method: "GET", path: p("/epics/abc"), status: 404, problem: notFound},
			{name: "epic id zero", who: alice, method: "GET", path: p("/epics/0"), status: 404, problem: notFound},
			{name: "epic id too big", who: alice, method: "GET", path: p("/epics/99999999999999999999"), status: 404, problem: notFound},
			{name: "epic id not a number with body", who: alice, method: "PATCH", path: p("/epics/x1"), body: map[string]any{"title": 5},
				status: 404, problem: notFound},
			{name: "unknown portfolio", who: alice, method: "GET", path: p("/portfolios/999999"), status: 404, problem: notFound},
			{name: "epics of unknown portfolio", who: alice, method: "GET", path: p("/portfolios/999999/epics"), status: 404, problem: notFound},
			{name: "epics of unknown portfolio, bad cursor", who: alice, method: "GET", path: p("/portfolios/999999/epics?cursor=garbage"),
				status: 404, problem: notFound},
			{name: "themes of unknown portfolio, bad cursor", who: alice, method: "GET", path: p("/portfolios/999999/themes?cursor=garbage"),
				status: 404, problem: notFound},
			{name: "epic in unknown portfolio", who: alice, method: "POST", path: p("/portfolios/999999/epics"),
				body: map[string]any{"title": "T", "type": "business"}, status: 404, problem: notFound},
			{name: "board of unknown portfolio", who: alice, method: "GET", path: p("/portfolios/999999/kanban"), status: 404, problem: notFound},
			{name: "themes of unknown portfolio", who: alice, method: "GET", path: p("/portfolios/999999/themes"), status: 404, problem: notFound},
			{name: "value streams of unknown portfolio", who: alice, method: "GET", path: p("/portfolios/999999/value-streams"), status: 404, problem: notFound},
			{name: "unknown value stream", who: alice, method: "GET", path: p("/value-streams/999999"), status: 404, problem: notFound},
			{name: "value stream id not a number", who: alice, method: "GET", path: p("/value-streams/vs"), status: 404, problem: notFound},
			{name: "unknown theme", who: alice, method: "GET", path: p("/themes/999999"), status: 404, problem: notFound},
			{name: "unknown column", who: admin, method: "PATCH", path: p("/portfolios/%d/kanban/backlog", pid), body: map[string]any{"wip_limit": 1},
				status: 404, problem: notFound},
			{name: "history of unknown epic", who: alice, method: "GET", path: p("/epics/999999/history"), status: 404, problem: notFound},
			{name: "decisions of unknown epic", who: alice, method: "GET", path: p("/epics/999999/decisions"), status: 404, problem: notFound},
			{name: "decision on unknown epic", who: alice, method: "POST", path: p("/epics/999999/decisions"),
				body: map[string]any{"kind": "go", "rationale": "r"}, status: 404, problem: notFound},
			{name: "move unknown epic", who: alice, method: "POST", path: p("/epics/999999/transitions"),
				body: map[string]any{"to": "reviewing"}, status: 404, problem: notFound},
			{name: "unknown route", who: alice, method: "GET", path: p("/nothing/here"), status: 404, problem: notFound},
			{name: "wrong method", who: alice, method: "DELETE", path: p("/portfolios"), status: 405, problem: "urn:lpm:problem:method-not-allowed"},
		})
	})
}

func TestNotFoundNamesTheObject(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		for path, word := range map[string]string{
			"/api/v1/epics/abc":                "epic",
			"/api/v1/epics/424242":             "epic",
			"/api/v1/themes/x":                 "theme",
			"/api/v1/value-streams/424242":     "value stream",
			"/api/v1/portfolios/424242/kanban": "portfolio",
		} {
			p := wantProblem(t, e.do(alice, "GET", path, nil), 404, "urn:lpm:problem:not-found")
			if !strings.Contains(p.Detail, word) {
				t.Errorf("GET %s: detail %q does not name the %s", path, p.Detail, word)
			}
		}
	})
}

func TestBodyLimit(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		big := fmt.Sprintf(`{"title": "T", "type": "business", "description": %q}`, strings.Repeat("x", 2<<20))
		wantProblem(t, e.do(alice, "POST", fmt.Sprintf("/api/v1/portfolios/%d/epics", pid), big), 413, "urn:lpm:problem:too-large")
		// Just under the limit is read (and then refused by the domain's
		// own length limit, which is a validation problem).
		under := fmt.Sprintf(`{"title": "T", "type": "business", "description": %q}`, strings.Repeat("x", 1<<20-100))
		wantProblem(t, e.do(alice, "POST", fmt.Sprintf("/api/v1/portfolios/%d/epics", pid), under), 422, "urn:lpm:problem:invalid", "description")
		checkFields(t, e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/epics", pid), nil), map[string]any{"items": []any{}})
	})
}

func TestUnsupportedContentType(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/portfolios/%d/epics", e.srv.URL, pid),
			strings.NewReader(`title=T&type=business`))
		req.Header.Set("Authorization", "Bearer "+e.token[alice])
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnsupportedMediaType {
			t.Errorf("status %d, want 415", res.StatusCode)
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("Content-Type %q", ct)
		}
	})
}
