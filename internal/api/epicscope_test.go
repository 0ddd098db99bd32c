package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
)

// A grant scoped to some epics holds for the epic as changed too: an epic
// owner cannot hand their epic to someone else, nor an enterprise architect
// turn an enabler into a business epic, while someone who may edit every
// epic can.
func TestScopedEditKeepsTheEpicInScope(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		a := e.portfolio("A")
		e.grant(a, bob, lpm.RoleEpicOwner)
		e.grant(a, victor, lpm.RoleEnterpriseArchitect)
		own := fmt.Sprintf("/api/v1/epics/%d", id(e.epic(a, "Bob's", map[string]any{"epic_owner": bob})))
		enabler := fmt.Sprintf("/api/v1/epics/%d", id(e.epic(a, "Runway", map[string]any{"type": "enabler", "epic_owner": carol})))

		for _, tc := range []struct {
			who, path string
			body      map[string]any
		}{
			{bob, own, map[string]any{"epic_owner": carol}},
			{bob, own, map[string]any{"epic_owner": ""}},
			{victor, enabler, map[string]any{"type": "business"}},
		} {
			if r := e.do(tc.who, "PATCH", tc.path, tc.body); r.status != http.StatusForbidden {
				t.Errorf("%s PATCH %s %v: %d %s, want 403", tc.who, tc.path, tc.body, r.status, r.body)
			}
		}
		checkFields(t, e.must(http.StatusOK, alice, "GET", own, nil), map[string]any{"epic_owner": bob, "version": 1.0})
		checkFields(t, e.must(http.StatusOK, alice, "GET", enabler, nil), map[string]any{"type": "enabler", "version": 1.0})

		// Within scope, edits go on; and the enabler may become the
		// architect's own business epic.
		e.must(http.StatusOK, bob, "PATCH", own, map[string]any{"title": "Bob's, renamed"})
		e.must(http.StatusOK, victor, "PATCH", enabler, map[string]any{"type": "business", "epic_owner": victor})
		// Someone who may edit every epic reassigns.
		e.must(http.StatusOK, alice, "PATCH", own, map[string]any{"epic_owner": carol})
	})
}
