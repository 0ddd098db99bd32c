package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

// TestFailedRequestsWriteNothing checks that a request refused part-way (after
// the domain accepted it, when the store checks references) leaves no trace.
func TestFailedRequestsWriteNothing(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		other := e.portfolio("O")
		foreignVS := e.valueStream(other, "Foreign")
		list := fmt.Sprintf("/api/v1/portfolios/%d/epics", pid)
		first := e.epic(pid, "First", nil)

		r := e.do(alice, "POST", list, map[string]any{"title": "Ghost", "type": "business", "theme_ids": []int64{999999}})
		wantProblem(t, r, 422, "urn:lpm:problem:invalid", "theme_ids")
		r = e.do(alice, "POST", list, map[string]any{"title": "Ghost", "type": "business", "value_stream_ids": []int64{foreignVS}})
		wantProblem(t, r, 422, "urn:lpm:problem:invalid", "value_stream_ids")
		checkFields(t, e.must(http.StatusOK, alice, "GET", list, nil), map[string]any{"items.0.title": "First", "items.1": absent})
		board := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/kanban", pid), nil)
		checkFields(t, board, map[string]any{"columns.0.count": 1})

		// The refused creations took no key.
		checkFields(t, e.epic(pid, "Second", nil), map[string]any{"key": "EP-2"})

		// A refused update changes none of the fields it asked for.
		epicPath := fmt.Sprintf("/api/v1/epics/%d", id(first))
		r = e.do(alice, "PATCH", epicPath, map[string]any{"title": "Renamed", "value_stream_ids": []int64{foreignVS}})
		wantProblem(t, r, 422, "urn:lpm:problem:invalid", "value_stream_ids")
		checkFields(t, e.must(http.StatusOK, alice, "GET", epicPath, nil), map[string]any{"title": "First", "version": 1,
			"value_stream_ids": []any{}})

		// A refused move writes no history.
		r = e.do(alice, "POST", epicPath+"/transitions", map[string]any{"to": "reviewing"})
		wantProblem(t, r, 422, "urn:lpm:problem:policy-not-met", "epic_owner")
		checkFields(t, e.must(http.StatusOK, alice, "GET", epicPath+"/history", nil), map[string]any{"items.1": absent})
	})
}
