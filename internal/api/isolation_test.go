package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Someone without a role in a portfolio learns nothing about it: not from
// lists, searches, filters, nor from the errors their requests get.

func TestListPortfoliosHidesOthers(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		mine := e.portfolio("Mine")
		theirs := e.must(http.StatusCreated, admin, "POST", "/api/v1/portfolios", map[string]any{"name": "Theirs"})
		e.grant(id(theirs), bob, lpm.RoleViewer)
		names := func(who string) []string {
			t.Helper()
			page := e.must(http.StatusOK, who, "GET", "/api/v1/portfolios", nil)
			var out []string
			for _, it := range page["items"].([]any) {
				out = append(out, it.(map[string]any)["name"].(string))
			}
			return out
		}
		for who, want := range map[string]string{alice: "Mine", bob: "Theirs", aliceRO: "Mine", admin: "Mine,Theirs"} {
			if got := strings.Join(names(who), ","); got != want {
				t.Errorf("%s lists %q, want %q", who, got, want)
			}
		}
		// Paging does not skip into hidden portfolios either.
		checkFields(t, e.must(http.StatusOK, bob, "GET", "/api/v1/portfolios?limit=1", nil),
			map[string]any{"items.0.name": "Theirs", "items.1": absent, "next_cursor": absent})
		_ = mine
	})
}

func TestFiltersLeakNothingAcrossPortfolios(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		a := e.portfolio("A")
		hiddenRes := e.must(http.StatusCreated, admin, "POST", "/api/v1/portfolios", map[string]any{"name": "Hidden", "key_prefix": "HD"})
		hidden := id(hiddenRes)
		// Objects of the hidden portfolio, made by the site admin.
		hth := id(e.must(http.StatusCreated, admin, "POST", fmt.Sprintf("/api/v1/portfolios/%d/themes", hidden), map[string]any{"name": "Secret theme"}))
		hvs := id(e.must(http.StatusCreated, admin, "POST", fmt.Sprintf("/api/v1/portfolios/%d/value-streams", hidden),
			map[string]any{"name": "Secret stream", "kind": "development"}))
		hep := id(e.must(http.StatusCreated, admin, "POST", fmt.Sprintf("/api/v1/portfolios/%d/epics", hidden),
			map[string]any{"title": "Secret takeover", "type": "business", "theme_ids": []int64{hth}, "value_stream_ids": []int64{hvs}}))
		e.epic(a, "Public works", nil)
		list := fmt.Sprintf("/api/v1/portfolios/%d/epics", a)

		// Filtering the visible portfolio by the hidden one's theme or value
		// stream answers exactly as for ids that do not exist.
		for _, tc := range []struct{ hidden, missing string }{
			{fmt.Sprintf("?theme=%d", hth), "?theme=987654321"},
			{fmt.Sprintf("?value_stream=%d", hvs), "?value_stream=987654321"},
			{"?q=secret", "?q=nothingcalledthis"},
			{"?q=HD-1", "?q=ZZ-1"},
		} {
			got := e.do(alice, "GET", list+tc.hidden, nil)
			want := e.do(alice, "GET", list+tc.missing, nil)
			if got.status != http.StatusOK || string(got.body) != string(want.body) {
				t.Errorf("%s: %d %s; for a missing one: %d %s", tc.hidden, got.status, got.body, want.status, want.body)
			}
		}

		// Reading the hidden portfolio's objects by id answers as for missing ones.
		for _, tc := range []struct {
			path    string
			hidden  int64
			missing int64
		}{
			{"/api/v1/portfolios/%d", hidden, 987654321},
			{"/api/v1/portfolios/%d/epics", hidden, 987654321},
			{"/api/v1/portfolios/%d/kanban", hidden, 987654321},
			{"/api/v1/portfolios/%d/audit", hidden, 987654321},
			{"/api/v1/portfolios/%d/members", hidden, 987654321},
			{"/api/v1/themes/%d", hth, 987654321},
			{"/api/v1/value-streams/%d", hvs, 987654321},
			{"/api/v1/epics/%d", hep, 987654321},
			{"/api/v1/epics/%d/history", hep, 987654321},
			{"/api/v1/epics/%d/decisions", hep, 987654321},
		} {
			sameNotFound(t, e, alice, "GET", tc.path, tc.hidden, tc.missing, nil)
		}

		// Referring to the hidden portfolio's objects from the visible one
		// gets the answer a missing object gets.
		for _, field := range []string{"theme_ids", "value_stream_ids"} {
			ref := hth
			if field == "value_stream_ids" {
				ref = hvs
			}
			got := e.do(alice, "POST", list, map[string]any{"title": "T", "type": "business", field: []int64{ref}})
			want := e.do(alice, "POST", list, map[string]any{"title": "T", "type": "business", field: []int64{987654321}})
			if got.status != want.status || strings.ReplaceAll(string(want.body), "987654321", fmt.Sprint(ref)) != string(got.body) {
				t.Errorf("%s of a hidden portfolio: %d %s; missing: %d %s", field, got.status, got.body, want.status, want.body)
			}
		}
	})
}

// sameNotFound sends a request about a hidden object and about a missing
// one, and fails unless both get the same 404 but for the id.
func sameNotFound(t *testing.T, e *env, who, method, format string, hidden, missing int64, body any) {
	t.Helper()
	got := e.do(who, method, fmt.Sprintf(format, hidden), body)
	want := e.do(who, method, fmt.Sprintf(format, missing), body)
	gp := wantProblem(t, got, http.StatusNotFound, "urn:lpm:problem:not-found")
	wp := wantProblem(t, want, http.StatusNotFound, "urn:lpm:problem:not-found")
	if strings.ReplaceAll(wp.Detail, fmt.Sprint(missing), fmt.Sprint(hidden)) != gp.Detail || gp.Detail == "" {
		t.Errorf("%s %s: %q, but %q for a missing object", method, format, gp.Detail, wp.Detail)
	}
}

func TestHiddenPortfolioWritesLookMissing(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		hidden := id(e.must(http.StatusCreated, admin, "POST", "/api/v1/portfolios", map[string]any{"name": "Hidden"}))
		hep := id(e.must(http.StatusCreated, admin, "POST", fmt.Sprintf("/api/v1/portfolios/%d/epics", hidden),
			map[string]any{"title": "Secret", "type": "business"}))
		const missing = 987654321
		// An unknown epic owner would be a 422 naming the user in a visible
		// portfolio; here it must not say more than that the portfolio is missing.
		sameNotFound(t, e, alice, "POST", "/api/v1/portfolios/%d/epics", hidden, missing,
			map[string]any{"title": "T", "type": "business", "epic_owner": "nosuchuser"})
		// Invalid bodies, too, get the answer of a missing object.
		sameNotFound(t, e, alice, "POST", "/api/v1/portfolios/%d/epics", hidden, missing, map[string]any{"title": " ", "type": "business"})
		sameNotFound(t, e, alice, "PATCH", "/api/v1/epics/%d", hep, missing, map[string]any{"title": " "})
		sameNotFound(t, e, alice, "PATCH", "/api/v1/epics/%d", hep, missing, map[string]any{"epic_owner": "nosuchuser"})
		sameNotFound(t, e, alice, "POST", "/api/v1/epics/%d/transitions", hep, missing, map[string]any{"to": "ready"})
		sameNotFound(t, e, alice, "POST", "/api/v1/epics/%d/decisions", hep, missing, map[string]any{"kind": "go", "rationale": "r"})
		sameNotFound(t, e, alice, "DELETE", "/api/v1/epics/%d", hep, missing, nil)
		sameNotFound(t, e, alice, "PATCH", "/api/v1/portfolios/%d/kanban/reviewing", hidden, missing, map[string]any{"wip_limit": 3})
		sameNotFound(t, e, alice, "POST", "/api/v1/portfolios/%d/members", hidden, missing, map[string]any{"user": alice, "role": "viewer"})
		// Nothing changed.
		checkFields(t, e.must(http.StatusOK, admin, "GET", fmt.Sprintf("/api/v1/epics/%d", hep), nil),
			map[string]any{"title": "Secret", "version": 1})
		checkFields(t, e.must(http.StatusOK, admin, "GET", fmt.Sprintf("/api/v1/portfolios/%d/epics", hidden), nil),
			map[string]any{"items.1": absent})
	})
}
