package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
)

// scenario is one request and what must come back.
type scenario struct {
	name   string
	who    string
	method string
	path   string
	body   any
	status int
	// want holds JSON paths and their expected values, for successes.
	want map[string]any
	// problem and fields describe the expected problem, for failures.
	problem string
	fields  []string
}

func (e *env) run(t *testing.T, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			e := *e
			e.t = t
			r := e.do(sc.who, sc.method, sc.path, sc.body)
			if sc.problem != "" {
				wantProblem(t, r, sc.status, sc.problem, sc.fields...)
				return
			}
			if r.status != sc.status {
				t.Fatalf("status %d, want %d: %s", r.status, sc.status, r.body)
			}
			if sc.want != nil {
				checkFields(t, r.json(t), sc.want)
			}
		})
	}
}

func TestRoutesHappyPath(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("Consumer")
		other := e.portfolio("Other")
		vs := e.valueStream(pid, "Web shop")
		th := e.theme(pid, "Grow online")
		ep := e.epic(pid, "Self-service returns", map[string]any{"epic_owner": alice, "theme_ids": []int64{th}})
		eid := id(ep)
		funnel := id(e.epic(pid, "Delete me", nil))
		p := func(format string, args ...any) string { return "/api/v1" + fmt.Sprintf(format, args...) }

		e.run(t, []scenario{
			{name: "list portfolios", who: alice, method: "GET", path: p("/portfolios"), status: 200,
				want: map[string]any{"items.0.name": "Consumer", "items.1.id": other, "next_cursor": absent}},
			{name: "create portfolio with defaults", who: admin, method: "POST", path: p("/portfolios"), status: 201,
				body: map[string]any{"name": "B2B", "key_prefix": "BB"},
				want: map[string]any{"name": "B2B", "currency": "EUR", "key_prefix": "BB", "pi_cadence.length_weeks": 10, "description": ""}},
			{name: "create portfolio with everything", who: admin, method: "POST", path: p("/portfolios"), status: 201,
				body: map[string]any{"name": "Gov", "description": "public sector", "currency": "USD", "key_prefix": "GOV",
					"pi_cadence": map[string]any{"start": "2026-01-05", "length_weeks": 12}},
				want: map[string]any{"currency": "USD", "pi_cadence": map[string]any{"start": "2026-01-05", "length_weeks": 12}}},
			{name: "get portfolio", who: alice, method: "GET", path: p("/portfolios/%d", pid), status: 200,
				want: map[string]any{"id": pid, "name": "Consumer", "key_prefix": "EP"}},
			{name: "patch portfolio", who: admin, method: "PATCH", path: p("/portfolios/%d", other), status: 200,
				body: map[string]any{"description": "renamed", "pi_cadence": map[string]any{"length_weeks": 8}},
				want: map[string]any{"name": "Other", "description": "renamed", "pi_cadence.length_weeks": 8}},

			{name: "list value streams", who: alice, method: "GET", path: p("/portfolios/%d/value-streams", pid), status: 200,
				want: map[string]any{"items.0.id": vs, "items.0.kind": "development", "items.1": absent}},
			{name: "create value stream", who: alice, method: "POST", path: p("/portfolios/%d/value-streams", pid), status: 201,
				body: map[string]any{"name": "Payments", "kind": "development", "arts": []any{map[string]any{"name": "ART 1", "headcount": 90}},
					"solutions": []any{map[string]any{"name": "Checkout", "kind": "product"}}},
				want: map[string]any{"name": "Payments", "portfolio_id": pid, "arts.0.headcount": 90, "solutions.0.kind": "product", "supports": []any{}}},
			{name: "create operational value stream", who: alice, method: "POST", path: p("/portfolios/%d/value-streams", pid), status: 201,
				body: map[string]any{"name": "Order to cash", "kind": "operational", "supports": []int64{vs}},
				want: map[string]any{"kind": "operational", "supports": []int64{vs}, "arts": []any{}}},
			{name: "get value stream", who: alice, method: "GET", path: p("/value-streams/%d", vs), status: 200,
				want: map[string]any{"id": vs, "name": "Web shop"}},

			{name: "list themes", who: alice, method: "GET", path: p("/portfolios/%d/themes", pid), status: 200,
				want: map[string]any{"items.0.id": th, "items.0.status": "active"}},
			{name: "create theme", who: alice, method: "POST", path: p("/portfolios/%d/themes", pid), status: 201,
				body: map[string]any{"name": "Cut costs", "status": "draft", "valid_from": "2026-01-01", "valid_to": "2026-12-31"},
				want: map[string]any{"status": "draft", "valid_from": "2026-01-01", "valid_to": "2026-12-31"}},
			{name: "get theme", who: alice, method: "GET", path: p("/themes/%d", th), status: 200,
				want: map[string]any{"name": "Grow online", "valid_from": absent}},

			{name: "list epics", who: alice, method: "GET", path: p("/portfolios/%d/epics", pid), status: 200,
				want: map[string]any{"items.0.key": "EP-1", "items.1.key": "EP-2", "items.2": absent}},
			{name: "create epic minimal", who: alice, method: "POST", path: p("/portfolios/%d/epics", pid), status: 201,
				body: map[string]any{"title": "Loyalty", "type": "enabler"},
				want: map[string]any{"key": "EP-3", "state": "funnel", "type": "enabler", "epic_owner": "", "wsjf": nil,
					"version": 1, "theme_ids": []any{}, "hypothesis.business_outcomes": []any{}, "done_reason": absent}},
			{name: "get epic", who: alice, method: "GET", path: p("/epics/%d", eid), status: 200,
				want: map[string]any{"id": eid, "key": "EP-1", "epic_owner": alice, "theme_ids": []int64{th}}},
			{name: "patch epic", who: alice, method: "PATCH", path: p("/epics/%d", eid), status: 200,
				body: map[string]any{"description": "returns without calling", "wsjf_components": map[string]any{"user_business_value": 8,
					"time_criticality": 5, "risk_reduction_opportunity_enablement": 3, "job_size": 8},
					"costs": map[string]any{"mvp_internal": 1000, "mvp_supplier": 500}, "hypothesis": map[string]any{"who": "return goods"}},
				want: map[string]any{"description": "returns without calling", "cost_of_delay": 16, "wsjf": 2,
					"costs":          map[string]any{"mvp_internal": 1000, "mvp_supplier": 500, "full_internal": 0, "full_supplier": 0, "mvp_total": 1500, "full_total": 0},
					"hypothesis.who": "return goods", "title": "Self-service returns", "version": 2}},
			{name: "delete funnel epic", who: alice, method: "DELETE", path: p("/epics/%d", funnel), status: 204},
			{name: "deleted epic is gone", who: alice, method: "GET", path: p("/epics/%d", funnel), status: 404,
				problem: "urn:lpm:problem:not-found"},
			{name: "transition", who: alice, method: "POST", path: p("/epics/%d/transitions", eid), status: 200,
				body: map[string]any{"to": "reviewing", "reason": "owner found"},
				want: map[string]any{"id": eid, "state": "reviewing", "transition.from": "funnel", "transition.to": "reviewing",
					"transition.actor": alice, "transition.reason": "owner found", "warnings": []any{}, "pivot_epic": absent}},
			{name: "history", who: alice, method: "GET", path: p("/epics/%d/history", eid), status: 200,
				want: map[string]any{"items.0.to": "funnel", "items.0.from": absent, "items.1.from": "funnel", "items.1.to": "reviewing",
					"items.1.override": false, "items.2": absent}},
			{name: "record decision", who: alice, method: "POST", path: p("/epics/%d/decisions", eid), status: 201,
				body: map[string]any{"kind": "advance_to_analyzing", "rationale": "worth it"},
				want: map[string]any{"epic_id": eid, "kind": "advance_to_analyzing", "decided_by": alice, "outcome": absent}},
			{name: "list decisions", who: alice, method: "GET", path: p("/epics/%d/decisions", eid), status: 200,
				want: map[string]any{"items.0.kind": "advance_to_analyzing", "items.0.rationale": "worth it"}},

			{name: "board", who: alice, method: "GET", path: p("/portfolios/%d/kanban", pid), status: 200,
				want: map[string]any{"portfolio_id": pid, "columns.0.state": "funnel", "columns.0.wip_limit": nil, "columns.0.count": 1,
					"columns.1.state": "reviewing", "columns.1.wip_limit": 8, "columns.1.count": 1, "columns.1.at_limit": false,
					"columns.1.epics.0.key": "EP-1", "columns.1.epics.0.wsjf": 2, "columns.6.state": "done"}},
			{name: "configure column", who: admin, method: "PATCH", path: p("/portfolios/%d/kanban/analyzing", pid), status: 200,
				body: map[string]any{"wip_limit": 2, "enforcement": "warn"},
				want: map[string]any{"state": "analyzing", "wip_limit": 2, "enforcement": "warn", "allow_backward": true}},
			{name: "clear column limit", who: admin, method: "PATCH", path: p("/portfolios/%d/kanban/analyzing", pid), status: 200,
				body: map[string]any{"wip_limit": nil},
				want: map[string]any{"wip_limit": nil, "enforcement": "warn"}},
			{name: "absent limit stays", who: admin, method: "PATCH", path: p("/portfolios/%d/kanban/reviewing", pid), status: 200,
				body: map[string]any{"allow_backward": false},
				want: map[string]any{"wip_limit": 8, "allow_backward": false}},
		})
	})
}

func TestCreatedLocation(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		r := e.do(admin, "POST", "/api/v1/portfolios", map[string]any{"name": "P"})
		if r.status != http.StatusCreated {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		loc := r.header.Get("Location")
		if !strings.HasPrefix(loc, "/api/v1/portfolios/") {
			t.Fatalf("Location %q", loc)
		}
		pid := id(e.must(http.StatusOK, admin, "GET", loc, nil))
		e.grant(pid, alice, lpm.RolePortfolioAdmin)
		e.must(http.StatusOK, alice, "GET", loc, nil)
		r = e.do(alice, "POST", fmt.Sprintf("/api/v1/portfolios/%d/epics", pid), map[string]any{"title": "T", "type": "business"})
		if r.status != http.StatusCreated {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		got := e.must(http.StatusOK, alice, "GET", r.header.Get("Location"), nil)
		checkFields(t, got, map[string]any{"title": "T", "key": "EP-1"})
	})
}
