package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRefusedTransitions(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		vs := e.valueStream(pid, "VS")
		kanban := func(state string) string { return fmt.Sprintf("/api/v1/portfolios/%d/kanban/%s", pid, state) }
		moves := func(epicID int64) string { return fmt.Sprintf("/api/v1/epics/%d/transitions", epicID) }

		bare := id(e.epic(pid, "Bare", map[string]any{"epic_owner": alice}))
		e.move(alice, bare, http.StatusOK, map[string]any{"to": "reviewing"})

		// An epic in analyzing with no business case.
		noCase := id(e.epic(pid, "No case", map[string]any{"epic_owner": alice,
			"hypothesis": readyBody(vs, [4]int{1, 1, 1, 1})["hypothesis"], "wsjf_components": readyBody(vs, [4]int{1, 1, 1, 1})["wsjf_components"]}))
		e.move(alice, noCase, http.StatusOK, map[string]any{"to": "reviewing"})
		e.decide(noCase, "advance_to_analyzing", "")
		e.move(alice, noCase, http.StatusOK, map[string]any{"to": "analyzing"})

		// Analyzing holds one epic and admits no more.
		e.must(http.StatusOK, admin, "PATCH", kanban("analyzing"), map[string]any{"wip_limit": 1})
		full := id(e.epic(pid, "Waiting", readyBody(vs, [4]int{2, 2, 2, 2})))
		e.move(alice, full, http.StatusOK, map[string]any{"to": "reviewing"})
		advance := id(e.decide(full, "advance_to_analyzing", ""))

		const (
			notAllowed = "urn:lpm:problem:transition-not-allowed"
			policy     = "urn:lpm:problem:policy-not-met"
			wip        = "urn:lpm:problem:wip-limit"
			invalid    = "urn:lpm:problem:invalid"
			forbidden  = "urn:lpm:problem:forbidden"
		)
		e.run(t, []scenario{
			{name: "no such move", who: alice, method: "POST", path: moves(bare), body: map[string]any{"to": "ready"},
				status: 422, problem: notAllowed},
			{name: "same state", who: alice, method: "POST", path: moves(bare), body: map[string]any{"to": "reviewing"},
				status: 422, problem: notAllowed},
			{name: "policy lists every unmet condition", who: alice, method: "POST", path: moves(bare), body: map[string]any{"to": "analyzing"},
				status: 422, problem: policy, fields: []string{"hypothesis.for_customers", "hypothesis.who", "hypothesis.solution_name",
					"hypothesis.is_a", "hypothesis.that", "hypothesis.unlike", "hypothesis.our_solution",
					"hypothesis.business_outcomes", "hypothesis.leading_indicators", "wsjf_components", "decision_id"}},
			{name: "business case and go decision", who: alice, method: "POST", path: moves(noCase), body: map[string]any{"to": "ready"},
				status: 422, problem: policy, fields: []string{"mvp_description", "costs.mvp", "costs.full", "decision_id"}},
			{name: "done needs a reason", who: alice, method: "POST", path: moves(bare), body: map[string]any{"to": "done"},
				status: 422, problem: invalid, fields: []string{"done_reason", "reason"}},
			{name: "done reason must fit the state", who: alice, method: "POST", path: moves(bare),
				body: map[string]any{"to": "done", "done_reason": "completed", "reason": "r"}, status: 422, problem: invalid, fields: []string{"done_reason"}},
			{name: "column full", who: alice, method: "POST", path: moves(full), body: map[string]any{"to": "analyzing"},
				status: 409, problem: wip},
			{name: "override without override_wip", who: carol, method: "POST", path: moves(full),
				body: map[string]any{"to": "analyzing", "override_wip": true, "reason": "urgent"}, status: 403, problem: forbidden},
			{name: "override without reason", who: admin, method: "POST", path: moves(full),
				body: map[string]any{"to": "analyzing", "override_wip": true}, status: 422, problem: invalid, fields: []string{"reason"}},
		})

		// Backward moves can be switched off per column.
		e.must(http.StatusOK, admin, "PATCH", kanban("reviewing"), map[string]any{"allow_backward": false})
		wantProblem(t, e.do(alice, "POST", moves(bare), map[string]any{"to": "funnel", "reason": "not yet"}), 422, notAllowed)
		e.must(http.StatusOK, admin, "PATCH", kanban("reviewing"), map[string]any{"allow_backward": true})
		e.move(alice, bare, http.StatusOK, map[string]any{"to": "funnel", "reason": "not yet"})

		// None of the refused moves changed anything.
		board := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/kanban", pid), nil)
		checkFields(t, board, map[string]any{"columns.0.count": 1, "columns.1.count": 1, "columns.2.count": 1, "columns.2.at_limit": true})

		// A portfolio admin may override, with a reason; the history says so.
		res := e.move(admin, full, http.StatusOK, map[string]any{"to": "analyzing", "override_wip": true, "reason": "regulator deadline"})
		checkFields(t, res, map[string]any{"state": "analyzing", "transition.override": true, "transition.over_limit": true,
			"transition.reason": "regulator deadline", "transition.actor": admin})
		hist := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/epics/%d/history", full), nil)
		checkFields(t, hist, map[string]any{"items.2.to": "analyzing", "items.2.override": true, "items.3": absent})
		decisionID, _ := lookup(hist, "items.2.decision_id")
		decisions := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/epics/%d/decisions", full), nil)
		checkFields(t, decisions, map[string]any{"items.0.id": advance, "items.1.kind": "override", "items.1.id": decisionID,
			"items.1.decided_by": admin, "items.1.rationale": "regulator deadline", "items.2": absent})

		// A column that only warns lets the move through and says so.
		e.must(http.StatusOK, admin, "PATCH", kanban("analyzing"), map[string]any{"enforcement": "warn"})
		warned := id(e.epic(pid, "Warned", readyBody(vs, [4]int{2, 2, 2, 2})))
		e.move(alice, warned, http.StatusOK, map[string]any{"to": "reviewing"})
		e.decide(warned, "advance_to_analyzing", "")
		res = e.move(alice, warned, http.StatusOK, map[string]any{"to": "analyzing"})
		checkFields(t, res, map[string]any{"transition.over_limit": true, "transition.override": false})
		if w, _ := res["warnings"].([]any); len(w) != 1 {
			t.Errorf("warnings = %v, want one", res["warnings"])
		}
	})
}

func TestKanbanJourney(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		vs := e.valueStream(pid, "VS")
		th := e.theme(pid, "Theme")

		// Completed: every state, every decision.
		body := readyBody(vs, [4]int{8, 5, 3, 8})
		body["theme_ids"] = []int64{th}
		a := id(e.epic(pid, "Complete me", body))
		e.toReady(a)
		e.move(alice, a, http.StatusOK, map[string]any{"to": "implementing_mvp"})
		e.decide(a, "mvp_evaluation", "proven")
		persevere := id(e.decide(a, "persevere", ""))
		res := e.move(alice, a, http.StatusOK, map[string]any{"to": "implementing_persevere"})
		checkFields(t, res, map[string]any{"state": "implementing_persevere", "transition.decision_id": persevere})
		complete := id(e.decide(a, "complete", ""))
		res = e.move(alice, a, http.StatusOK, map[string]any{"to": "done", "done_reason": "completed", "reason": "in ART backlogs"})
		checkFields(t, res, map[string]any{"state": "done", "done_reason": "completed", "version": 7, "transition.decision_id": complete})

		hist := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/epics/%d/history", a), nil)
		var path []string
		for _, it := range hist["items"].([]any) {
			m := it.(map[string]any)
			from, _ := m["from"].(string)
			path = append(path, from+">"+m["to"].(string))
		}
		want := []string{">funnel", "funnel>reviewing", "reviewing>analyzing", "analyzing>ready", "ready>implementing_mvp",
			"implementing_mvp>implementing_persevere", "implementing_persevere>done"}
		if d := cmp.Diff(want, path); d != "" {
			t.Errorf("history (-want +got):\n%s", d)
		}
		decisions := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/epics/%d/decisions", a), nil)
		checkFields(t, decisions, map[string]any{"items.0.kind": "advance_to_analyzing", "items.1.kind": "go",
			"items.2.kind": "mvp_evaluation", "items.2.outcome": "proven", "items.3.kind": "persevere", "items.4.kind": "complete",
			"items.5": absent})
		advanceID, _ := lookup(decisions, "items.0.id")
		goID, _ := lookup(decisions, "items.1.id")
		checkFields(t, hist, map[string]any{"items.1.decision_id": absent, "items.2.decision_id": advanceID,
			"items.3.decision_id": goID, "items.4.decision_id": absent, "items.6.decision_id": complete})

		// Pivot: a new funnel epic takes over.
		b := id(e.epic(pid, "Pivot me", readyBody(vs, [4]int{5, 5, 5, 5})))
		e.toReady(b)
		e.move(alice, b, http.StatusOK, map[string]any{"to": "implementing_mvp"})
		e.decide(b, "mvp_evaluation", "disproven")
		pivot := id(e.decide(b, "pivot", ""))
		res = e.move(alice, b, http.StatusOK, map[string]any{"to": "done", "done_reason": "pivoted", "reason": "users want X",
			"pivot_title": "Try X instead"})
		checkFields(t, res, map[string]any{"state": "done", "done_reason": "pivoted", "transition.decision_id": pivot,
			"pivot_epic.title": "Try X instead", "pivot_epic.state": "funnel", "pivot_epic.pivoted_from_epic_id": b,
			"pivot_epic.epic_owner": alice, "pivot_epic.value_stream_ids": []int64{vs}})
		newID, _ := lookup(res, "pivot_epic.id")
		e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/epics/%v", newID), nil)
		decisions = e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/epics/%d/decisions", b), nil)
		checkFields(t, decisions, map[string]any{"items.3.kind": "pivot", "items.3.new_epic_id": newID})

		// Stop after the MVP.
		c := id(e.epic(pid, "Stop me", readyBody(vs, [4]int{3, 3, 3, 3})))
		e.toReady(c)
		e.move(alice, c, http.StatusOK, map[string]any{"to": "implementing_mvp"})
		e.decide(c, "mvp_evaluation", "inconclusive")
		e.decide(c, "stop", "")
		res = e.move(alice, c, http.StatusOK, map[string]any{"to": "done", "done_reason": "stopped_after_mvp", "reason": "not worth it"})
		checkFields(t, res, map[string]any{"done_reason": "stopped_after_mvp"})

		// No-go after analysis; a later no-go outvotes an earlier go.
		d := id(e.epic(pid, "Reject me", readyBody(vs, [4]int{1, 1, 1, 1})))
		e.toAnalyzing(d)
		e.decide(d, "go", "")
		e.decide(d, "no_go", "")
		wantProblem(t, e.do(alice, "POST", fmt.Sprintf("/api/v1/epics/%d/transitions", d), map[string]any{"to": "ready"}),
			422, "urn:lpm:problem:policy-not-met", "decision_id")
		e.move(alice, d, http.StatusOK, map[string]any{"to": "done", "done_reason": "no_go", "reason": "LPM said no"})

		board := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/kanban", pid), nil)
		checkFields(t, board, map[string]any{"columns.0.count": 1, "columns.0.epics.0.id": newID, "columns.6.count": 4,
			"columns.3.count": 0, "columns.4.count": 0})
	})
}

func TestReadyReordersAfterWSJFChange(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		vs := e.valueStream(pid, "VS")
		a := id(e.epic(pid, "A", readyBody(vs, [4]int{8, 5, 3, 8})))  // WSJF 2
		b := id(e.epic(pid, "B", readyBody(vs, [4]int{13, 8, 5, 5}))) // WSJF 5.2
		c := id(e.epic(pid, "C", readyBody(vs, [4]int{3, 2, 1, 2})))  // WSJF 3
		for _, x := range []int64{a, b, c} {
			e.toReady(x)
		}
		readyColumn := func() ([]string, []any) {
			t.Helper()
			board := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/kanban", pid), nil)
			col, _ := lookup(board, "columns.3")
			m := col.(map[string]any)
			if m["state"] != "ready" {
				t.Fatalf("column 3 is %v", m["state"])
			}
			var titles []string
			var wsjf []any
			for _, card := range m["epics"].([]any) {
				titles = append(titles, card.(map[string]any)["title"].(string))
				wsjf = append(wsjf, card.(map[string]any)["wsjf"])
			}
			return titles, wsjf
		}
		check := func(step string, wantTitles []string, wantWSJF []any) {
			t.Helper()
			titles, wsjf := readyColumn()
			if d := cmp.Diff(wantTitles, titles); d != "" {
				t.Errorf("%s: ready order (-want +got):\n%s", step, d)
			}
			if d := cmp.Diff(wantWSJF, wsjf); d != "" {
				t.Errorf("%s: WSJF (-want +got):\n%s", step, d)
			}
		}
		check("initially", []string{"B", "C", "A"}, []any{5.2, 3.0, 2.0})

		e.must(http.StatusOK, alice, "PATCH", fmt.Sprintf("/api/v1/epics/%d", a), map[string]any{"wsjf_components": map[string]any{"job_size": 1}})
		check("A re-sized", []string{"A", "B", "C"}, []any{16.0, 5.2, 3.0})

		e.must(http.StatusOK, alice, "PATCH", fmt.Sprintf("/api/v1/epics/%d", b), map[string]any{"wsjf_components": map[string]any{"job_size": 20}})
		check("B re-sized", []string{"A", "C", "B"}, []any{16.0, 3.0, 1.3})
	})
}
