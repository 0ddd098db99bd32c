package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// keys returns the keys of the epics in a list response.
func keys(t *testing.T, page map[string]any) []string {
	t.Helper()
	items, _ := page["items"].([]any)
	out := []string{}
	for _, it := range items {
		out = append(out, it.(map[string]any)["key"].(string))
	}
	return out
}

func TestEpicPagination(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		for i := 1; i <= 7; i++ {
			e.epic(pid, fmt.Sprintf("Epic %d", i), nil)
		}
		var pages [][]string
		cursor := ""
		for range 5 {
			q := url.Values{"limit": {"3"}}
			if cursor != "" {
				q.Set("cursor", cursor)
			}
			page := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/epics?%s", pid, q.Encode()), nil)
			pages = append(pages, keys(t, page))
			next, ok := page["next_cursor"].(string)
			if !ok || next == "" {
				break
			}
			cursor = next
		}
		want := [][]string{{"EP-1", "EP-2", "EP-3"}, {"EP-4", "EP-5", "EP-6"}, {"EP-7"}}
		if d := cmp.Diff(want, pages); d != "" {
			t.Errorf("pages (-want +got):\n%s", d)
		}

		// Portfolios page the same way.
		e.portfolio("Q")
		e.portfolio("R")
		first := e.must(http.StatusOK, alice, "GET", "/api/v1/portfolios?limit=2", nil)
		next, _ := first["next_cursor"].(string)
		if next == "" {
			t.Fatalf("first page of portfolios has no next_cursor: %v", first)
		}
		last := e.must(http.StatusOK, alice, "GET", "/api/v1/portfolios?limit=2&cursor="+url.QueryEscape(next), nil)
		checkFields(t, last, map[string]any{"items.0.name": "R", "items.1": absent, "next_cursor": absent})
	})
}

func TestEpicFilters(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		other := e.portfolio("O")
		vs := e.valueStream(pid, "VS")
		th := e.theme(pid, "Theme")
		otherTheme := e.theme(other, "Foreign")
		otherVS := e.valueStream(other, "Foreign VS")
		e.epic(pid, "Checkout redesign", map[string]any{"theme_ids": []int64{th}})                          // EP-1
		e.epic(pid, "Platform upgrade", map[string]any{"type": "enabler", "value_stream_ids": []int64{vs}}) // EP-2
		ep3 := id(e.epic(pid, "Returns", map[string]any{"epic_owner": alice, "description": "self-service CHECKOUT returns"}))
		e.move(alice, ep3, http.StatusOK, map[string]any{"to": "reviewing"})
		ep4 := id(e.epic(pid, "Search", map[string]any{"epic_owner": alice, "theme_ids": []int64{th}, "value_stream_ids": []int64{vs}}))
		e.move(alice, ep4, http.StatusOK, map[string]any{"to": "reviewing"})
		e.decide(ep4, "no_go", "")
		e.move(alice, ep4, http.StatusOK, map[string]any{"to": "done", "done_reason": "not_pursued", "reason": "no budget"})
		// Epics of the other portfolio carry its theme and value stream.
		e.epic(other, "Elsewhere", map[string]any{"theme_ids": []int64{otherTheme}, "value_stream_ids": []int64{otherVS}})

		list := fmt.Sprintf("/api/v1/portfolios/%d/epics", pid)
		for _, tc := range []struct {
			name  string
			query string
			want  []string
		}{
			{"no filter", "", []string{"EP-1", "EP-2", "EP-3", "EP-4"}},
			{"one state", "?state=funnel", []string{"EP-1", "EP-2"}},
			{"repeated states", "?state=reviewing&state=done", []string{"EP-3", "EP-4"}},
			{"comma-separated states", "?state=funnel,done", []string{"EP-1", "EP-2", "EP-4"}},
			{"both forms", "?state=funnel,reviewing&state=done", []string{"EP-1", "EP-2", "EP-3", "EP-4"}},
			{"type", "?type=enabler", []string{"EP-2"}},
			{"theme", fmt.Sprintf("?theme=%d", th), []string{"EP-1", "EP-4"}},
			{"value stream", fmt.Sprintf("?value_stream=%d", vs), []string{"EP-2", "EP-4"}},
			{"text in title or description, any case", "?q=checkout", []string{"EP-1", "EP-3"}},
			{"text in key", "?q=ep-2", []string{"EP-2"}},
			{"combined", fmt.Sprintf("?theme=%d&state=done", th), []string{"EP-4"}},
			{"theme of another portfolio matches nothing", fmt.Sprintf("?theme=%d", otherTheme), []string{}},
			{"value stream of another portfolio matches nothing", fmt.Sprintf("?value_stream=%d", otherVS), []string{}},
			{"unknown theme matches nothing", "?theme=999999", []string{}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := keys(t, e.must(http.StatusOK, alice, "GET", list+tc.query, nil))
				if d := cmp.Diff(tc.want, got); d != "" {
					t.Errorf("keys (-want +got):\n%s", d)
				}
			})
		}
	})
}

func TestListsAreScopedToTheirPortfolio(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		a, b := e.portfolio("A"), e.portfolio("B")
		e.valueStream(a, "VS A")
		e.theme(a, "Theme A")
		e.epic(a, "Epic A", nil)
		for _, path := range []string{"value-streams", "themes", "epics"} {
			got := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/%s", b, path), nil)
			checkFields(t, got, map[string]any{"items": []any{}})
		}
		board := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/kanban", b), nil)
		checkFields(t, board, map[string]any{"columns.0.count": 0, "columns.0.epics": []any{}})
	})
}

func TestBoardFilterParameters(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		a := e.portfolio("A")
		e.epic(a, "Business one", nil)
		e.epic(a, "Enabler one", map[string]any{"type": "enabler"})
		board := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/kanban?type=enabler", a), nil)
		checkFields(t, board, map[string]any{"columns.0.count": 2, "columns.0.matching": 1, "columns.0.epics.0.title": "Enabler one"})
		none := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/kanban?owner=nobody", a), nil)
		checkFields(t, none, map[string]any{"columns.0.count": 2, "columns.0.matching": 0, "columns.0.epics": []any{}})
		e.must(http.StatusUnprocessableEntity, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/kanban?type=epic", a), nil)
	})
}
