package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestAuth(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		eid := id(e.epic(pid, "E", nil))
		p := func(format string, args ...any) string { return "/api/v1" + fmt.Sprintf(format, args...) }
		const (
			unauthorized = "urn:lpm:problem:unauthorized"
			forbidden    = "urn:lpm:problem:forbidden"
		)
		notFound := "urn:lpm:problem:not-found"
		e.run(t, []scenario{
			{name: "no token", who: nobody, method: "GET", path: p("/portfolios"), status: 401, problem: unauthorized},
			{name: "unknown token", who: bogus, method: "GET", path: p("/portfolios"), status: 401, problem: unauthorized},
			{name: "no token on a write, body not looked at", who: nobody, method: "POST", path: p("/portfolios/%d/epics", pid),
				body: `{not json`, status: 401, problem: unauthorized},
			{name: "no token, duplicate keys not looked at", who: nobody, method: "POST", path: p("/portfolios/%d/epics", pid),
				body: `{"title": "T", "title": "U"}`, status: 401, problem: unauthorized},
			{name: "no token for an unknown epic", who: nobody, method: "GET", path: p("/epics/999"), status: 401, problem: unauthorized},
			{name: "portfolio admin creates portfolio", who: alice, method: "POST", path: p("/portfolios"),
				body: map[string]any{"name": "Mine"}, status: 403, problem: forbidden},
			{name: "viewer patches portfolio", who: victor, method: "PATCH", path: p("/portfolios/%d", pid),
				body: map[string]any{"name": "Mine"}, status: 403, problem: forbidden},
			{name: "contributor configures column", who: carol, method: "PATCH", path: p("/portfolios/%d/kanban/reviewing", pid),
				body: map[string]any{"wip_limit": 1}, status: 403, problem: forbidden},
			{name: "contributor overrides", who: carol, method: "POST", path: p("/epics/%d/transitions", eid),
				body: map[string]any{"to": "reviewing", "override_wip": true, "reason": "urgent"}, status: 403, problem: forbidden},
			{name: "site-admin operations refused before validation", who: alice, method: "POST", path: p("/portfolios"),
				body: map[string]any{"bogus": 1}, status: 403, problem: forbidden},
			{name: "portfolio operations refused before validation", who: victor, method: "POST", path: p("/portfolios/%d/epics", pid),
				body: map[string]any{"bogus": 1}, status: 403, problem: forbidden},
			{name: "non-member refused before validation", who: bob, method: "POST", path: p("/portfolios/%d/epics", pid),
				body: map[string]any{"bogus": 1}, status: 404, problem: notFound},
			{name: "read-only token writes", who: aliceRO, method: "PATCH", path: p("/portfolios/%d", pid),
				body: map[string]any{"name": "Mine"}, status: 403, problem: forbidden},
			{name: "read-only token reads", who: aliceRO, method: "GET", path: p("/portfolios/%d", pid), status: 200},
			{name: "viewer reads", who: victor, method: "GET", path: p("/portfolios/%d", pid), status: 200},
			{name: "non-member reads", who: bob, method: "GET", path: p("/portfolios/%d", pid), status: 404, problem: notFound},
			{name: "OpenAPI document needs no token", who: nobody, method: "GET", path: p("/openapi.json"), status: 200},
		})
		// Nothing the refused requests asked for happened.
		got := e.must(http.StatusOK, admin, "GET", p("/portfolios/%d", pid), nil)
		checkFields(t, got, map[string]any{"name": "P"})
		checkFields(t, e.must(http.StatusOK, admin, "GET", p("/portfolios"), nil), map[string]any{"items.1": absent})
	})
}

func TestAuthHeaderForms(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		tok := e.token[alice]
		for _, tc := range []struct {
			header string
			status int
		}{
			{"Bearer " + tok, 200},
			{"bearer " + tok, 200},
			{"Bearer  " + tok + " ", 200},
			{"Basic " + tok, 401},
			{tok, 401},
			{"Bearer", 401},
			{"Bearer " + tok + "x", 401},
		} {
			req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/portfolios", nil)
			req.Header.Set("Authorization", tc.header)
			res, err := e.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tc.status {
				t.Errorf("Authorization %q: status %d, want %d", tc.header, res.StatusCode, tc.status)
			}
			if tc.status == 401 && !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("Authorization %q: WWW-Authenticate %q", tc.header, res.Header.Get("WWW-Authenticate"))
			}
		}
	})
}
