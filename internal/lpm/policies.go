package lpm

import (
	"fmt"
	"slices"
	"strings"
)

// stateRank orders the states of the flow; done is outside it.
var stateRank = map[State]int{Funnel: 0, Reviewing: 1, Analyzing: 2, Ready: 3, ImplementingMVP: 4, ImplementingPersevere: 5}

// reached reports whether state s is at or beyond state t in the flow (done
// never is: a finished epic is no longer held to the flow's policies).
func reached(s, t State) bool {
	rs, ok := stateRank[s]
	return ok && rs >= stateRank[t]
}

// fieldPolicies lists what the epic's own fields lack to be in state s: each
// state's entry policy about the epic itself, cumulatively. Entry needs them,
// and an epic keeps them while it stays (an edit may not undo what let it in).
// Decisions are judged by the moves that need them, not here.
func fieldPolicies(e *Epic, s State) []Violation {
	var vs violations
	if reached(s, Reviewing) && e.EpicOwner == "" {
		vs.add("epic_owner", "epic_owner_assigned", "an epic in reviewing or beyond needs an epic owner")
	}
	if reached(s, Analyzing) {
		vs = append(vs, e.Hypothesis.Missing()...)
		if !e.WSJF.Scored() {
			vs.add("wsjf_components", "wsjf_scored", "an epic in analyzing or beyond needs all four WSJF components scored")
		}
	}
	if reached(s, Ready) {
		if strings.TrimSpace(e.MVPDescription) == "" {
			vs.add("mvp_description", "business_case_complete", "the lean business case needs an MVP description")
		}
		if e.Costs.MVP() <= 0 {
			vs.add("costs.mvp", "business_case_complete", "the lean business case needs an MVP cost estimate")
		}
		if e.Costs.Full() <= 0 {
			vs.add("costs.full", "business_case_complete", "the lean business case needs a full cost estimate")
		} else if e.Costs.Full() < e.Costs.MVP() {
			vs.add("costs.full", "business_case_complete", "the full cost estimate includes the MVP, so it cannot be below the MVP cost")
		}
	}
	if reached(s, ImplementingMVP) && len(e.ValueStreamIDs) == 0 {
		vs.add("value_stream_ids", "value_stream_committed", "an epic in implementation needs the value stream whose ARTs pull it")
	}
	return vs
}

// decisionStates says in which states each kind of decision is taken: a go
// is decided at the end of analysis, a persevere after an MVP, and so on.
var decisionStates = map[DecisionKind][]State{
	DecisionAdvanceToAnalyzing: {Reviewing},
	DecisionGo:                 {Analyzing},
	DecisionNoGo:               {Reviewing, Analyzing},
	DecisionMVPEvaluation:      {ImplementingMVP},
	DecisionPersevere:          {ImplementingMVP},
	DecisionPivot:              {ImplementingMVP},
	DecisionStop:               {ImplementingMVP},
	DecisionComplete:           {ImplementingPersevere},
}

// DecisionFits says whether a decision of kind k may be recorded about an
// epic in state s.
func DecisionFits(k DecisionKind, s State) error {
	states, ok := decisionStates[k]
	if !ok {
		return nil // validated elsewhere (NewDecision)
	}
	if slices.Contains(states, s) {
		return nil
	}
	return &Error{Code: EINVALID, Message: "invalid decision", Violations: []Violation{{Field: "kind", Rule: "decision_fits_state",
		Message: fmt.Sprintf("%s decision is taken about an epic in %s, and this one is in %s", withArticle(k), joinStates(states), s)}}}
}

// withArticle puts "a" or "an" before a decision kind, for messages.
func withArticle(k DecisionKind) string {
	if strings.ContainsRune("aeiou", rune(k[0])) {
		return "an " + string(k)
	}
	return "a " + string(k)
}
