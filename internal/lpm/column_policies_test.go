package lpm

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestColumnPoliciesInWords(t *testing.T) {
	want := map[State]ColumnPolicy{
		Funnel: {
			Entry: []string{"No conditions: every new epic starts here."},
			Exits: []string{
				"To Reviewing: no decision needed, and what Reviewing asks to enter.",
				"To Done as declined: no decision needed, and a reason.",
				"To Done as rerouted: no decision needed, and a reason.",
			},
		},
		Reviewing: {
			Entry: []string{"Needs an epic owner."},
			Exits: []string{
				"To Analyzing: an advance-to-analyzing decision recorded while the epic is in Reviewing (a later no-go decision outvotes it), and what Analyzing asks to enter.",
				"Back to Funnel: a reason; only while the Kanban settings allow moves back from Reviewing.",
				"To Done as not pursued: a no-go decision recorded while the epic is in Reviewing (a later advance-to-analyzing decision outvotes it), and a reason.",
			},
		},
		Analyzing: {
			Entry: []string{
				"Everything Reviewing asks.",
				"Needs a complete hypothesis statement: every clause, at least one business outcome and at least one leading indicator.",
				"Needs all four WSJF components scored.",
			},
		},
		ImplementingMVP: {
			Entry: []string{"Everything Ready asks.", "Needs a value stream whose ARTs pull it."},
		},
		ImplementingPersevere: {
			Entry: []string{"Everything Implementing: MVP asks."},
			Exits: []string{
				"Back to Implementing: MVP: a reason; only while the Kanban settings allow moves back from Implementing: persevere.",
				"To Done as completed: a complete decision recorded while the epic is in Implementing: persevere, and a reason.",
			},
		},
	}
	for s, w := range want {
		got := ColumnPolicies(s)
		if w.Exits == nil {
			got.Exits = nil // only the entry is spelt out above
		}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("ColumnPolicies(%s) (-want +got):\n%s", s, diff)
		}
	}
	mvp := strings.Join(ColumnPolicies(ImplementingMVP).Exits, "\n")
	for _, part := range []string{
		"To Implementing: persevere: the latest MVP evaluation recorded while the epic is in Implementing: MVP finding the MVP proven or inconclusive; a persevere decision",
		"To Done as stopped after the MVP: an MVP evaluation (any outcome) recorded while the epic is in Implementing: MVP; a stop decision",
		"To Done as pivoted: a pivot decision",
		"Back to Ready: a reason",
	} {
		if !strings.Contains(mvp, part) {
			t.Errorf("exits of implementing_mvp lack %q:\n%s", part, mvp)
		}
	}
	if p := ColumnPolicies("nowhere"); p.Entry != nil || p.Exits != nil {
		t.Errorf("ColumnPolicies of no state = %+v", p)
	}
	// Every column describes every move out of it.
	for _, s := range States {
		p := ColumnPolicies(s)
		moves := 0
		for _, to := range AllowedMoves(Column{State: s, AllowBackward: true}) {
			if to == Done {
				moves += len(DoneReasonsFrom(s))
			} else {
				moves++
			}
		}
		if len(p.Exits) != moves || len(p.Entry) == 0 {
			t.Errorf("%s: %d exits for %d moves, %d entry lines", s, len(p.Exits), moves, len(p.Entry))
		}
	}
}

// Every rule fieldPolicies applies has words; a new rule without them
// would show its raw message.
func TestEveryEntryRuleHasWords(t *testing.T) {
	inverted := validEpic()
	inverted.Costs = Costs{MVPInternal: 10, FullInternal: 5}
	for _, s := range States {
		for _, e := range []*Epic{{}, inverted} {
			for _, v := range fieldPolicies(e, s) {
				if _, ok := entryRuleWords[v.Rule]; !ok {
					t.Errorf("rule %s (%s) of %s has no words in entryRuleWords", v.Rule, v.Message, s)
				}
			}
		}
	}
}

// exitRules says what checkPolicies demands: for every move, the decision
// (and MVP evaluation) it names is needed, enough, recorded in the column,
// and outvoted by a later rival; moves it does not list need none.
func TestExitRulesAreWhatTheMovesCheck(t *testing.T) {
	rulesOf := func(vs []Violation) []string {
		var out []string
		for _, v := range vs {
			if strings.HasPrefix(v.Rule, "decision_") || v.Rule == "mvp_evaluated" {
				out = append(out, v.Rule)
			}
		}
		slices.Sort(out)
		return out
	}
	check := func(k exitKey, ds ...Decision) []string {
		e := inState(k.from)
		in := input(e, k.to, ds...)
		_, vs := checkPolicies(in, TransitionRequest{To: k.to, DoneReason: k.reason}, IsBackward(k.from, k.to))
		return rulesOf(vs)
	}
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	seen := map[exitKey]bool{}
	for _, from := range States {
		var keys []exitKey
		for _, to := range AllowedMoves(Column{State: from, AllowBackward: true}) {
			if to != Done {
				keys = append(keys, exitKey{from, to, ""})
				continue
			}
			for _, dr := range DoneReasonsFrom(from) {
				keys = append(keys, exitKey{from, Done, dr})
			}
		}
		for _, k := range keys {
			seen[k] = true
			rule, listed := exitRules[k]
			var want []string
			if listed {
				want = append(want, "decision_"+string(rule.decision))
				if len(rule.evaluation) > 0 {
					want = append(want, "mvp_evaluated")
				}
			}
			slices.Sort(want)
			if got := check(k); !slices.Equal(got, want) {
				t.Errorf("%v with no decisions: unmet %v, want %v", k, got, want)
			}
			if !listed {
				continue
			}
			var good []Decision
			if len(rule.evaluation) > 0 {
				good = append(good, decision(1, DecisionMVPEvaluation, rule.evaluation[0], at(1)))
			}
			good = append(good, decision(2, rule.decision, "", at(2)))
			if got := check(k, good...); len(got) > 0 {
				t.Errorf("%v with %v: unmet %v, want none", k, good, got)
			}
			// Recorded before the epic entered its column: not counted.
			if got := check(k, decision(2, rule.decision, "", t0.Add(-time.Hour))); !slices.Contains(got, "decision_"+string(rule.decision)) {
				t.Errorf("%v: a decision from before the column counted (unmet %v)", k, got)
			}
			for _, rival := range rule.rivals {
				if got := check(k, append(good, decision(3, rival, "", at(3)))...); !slices.Contains(got, "decision_"+string(rule.decision)) {
					t.Errorf("%v: a later %s did not outvote the %s (unmet %v)", k, rival, rule.decision, got)
				}
			}
			for _, outcome := range []string{MVPProven, MVPDisproven, MVPInconclusive} {
				if len(rule.evaluation) == 0 {
					break
				}
				ds := append([]Decision{decision(1, DecisionMVPEvaluation, outcome, at(1))}, good[1:]...)
				got := check(k, ds...)
				if slices.Contains(got, "mvp_evaluated") == slices.Contains(rule.evaluation, outcome) {
					t.Errorf("%v with an MVP evaluation %s: unmet %v, want accepted %v", k, outcome, got, slices.Contains(rule.evaluation, outcome))
				}
			}
		}
	}
	for k := range exitRules {
		if !seen[k] {
			t.Errorf("exitRules lists %v, which is no move of the Kanban", k)
		}
	}
}
