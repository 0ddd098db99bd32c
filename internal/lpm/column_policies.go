package lpm

import (
	"fmt"
	"slices"
	"strings"
)

// ColumnPolicy is what the portfolio Kanban asks of an epic in one column,
// in words for people.
type ColumnPolicy struct {
	// Entry is what an epic must hold to enter the column, beyond what the
	// column before it asks (and keeps while it stays: an edit may not undo
	// it).
	Entry []string
	// Exits says, for each move out of the column, what the move needs.
	Exits []string
}

// exitKey names one move out of a column; reason only for moves to done.
type exitKey struct {
	from, to State
	reason   DoneReason
}

// exitRule is what a move rests on: a decision of kind decision recorded
// since the epic entered its column, which a later decision of one of the
// rival kinds outvotes; and, when evaluation is set, an MVP evaluation
// recorded since then whose latest outcome is one of evaluation.
type exitRule struct {
	decision   DecisionKind
	rivals     []DecisionKind
	evaluation []string
}

// exitRules are the decisions the moves of the Kanban rest on, as
// checkPolicies demands them (a test holds the two together). Moves not
// listed rest on no decision.
var exitRules = map[exitKey]exitRule{
	{Reviewing, Analyzing, ""}: {decision: DecisionAdvanceToAnalyzing, rivals: []DecisionKind{DecisionNoGo}},
	{Analyzing, Ready, ""}:     {decision: DecisionGo, rivals: []DecisionKind{DecisionNoGo}},
	{ImplementingMVP, ImplementingPersevere, ""}: {decision: DecisionPersevere, rivals: []DecisionKind{DecisionPivot, DecisionStop},
		evaluation: []string{MVPProven, MVPInconclusive}},
	{Reviewing, Done, NotPursued}: {decision: DecisionNoGo, rivals: []DecisionKind{DecisionAdvanceToAnalyzing}},
	{Analyzing, Done, NoGo}:       {decision: DecisionNoGo, rivals: []DecisionKind{DecisionGo}},
	{ImplementingMVP, Done, StoppedAfterMVP}: {decision: DecisionStop, rivals: []DecisionKind{DecisionPersevere, DecisionPivot},
		evaluation: []string{MVPProven, MVPDisproven, MVPInconclusive}},
	{ImplementingMVP, Done, Pivoted}:         {decision: DecisionPivot, rivals: []DecisionKind{DecisionPersevere, DecisionStop}},
	{ImplementingPersevere, Done, Completed}: {decision: DecisionComplete},
}

// entryRuleWords say what each rule of fieldPolicies asks for. A rule
// without words here is described by its own message (and a test fails).
var entryRuleWords = map[string]string{
	"epic_owner_assigned": "an epic owner",
	"hypothesis_complete": "a complete hypothesis statement: every clause, at least one business outcome and at least one leading indicator",
	"wsjf_scored":         "all four WSJF components scored",
	"business_case_complete": "a lean business case: an MVP description, an MVP cost estimate, " +
		"and a full cost estimate no lower than the MVP's",
	"value_stream_committed": "a value stream whose ARTs pull it",
}

// ColumnPolicies describes the policies of column s from the rules
// themselves: entry from fieldPolicies, exits from the moves of the Kanban
// (every move, the one back included whatever a portfolio's settings say)
// and the decisions each rests on. It is empty for a state that is not a
// column.
func ColumnPolicies(s State) ColumnPolicy {
	var p ColumnPolicy
	switch {
	case !s.Valid():
		return p
	case s == Funnel:
		p.Entry = []string{"No conditions: every new epic starts here."}
	case s == Done:
		p.Entry = []string{"Only by a move to done with a done reason the column it leaves allows, and a reason. " +
			"A finished epic is no longer held to the flow's policies."}
	default:
		prev := States[slices.Index(States, s)-1]
		before := entryRules(prev)
		if len(before) > 0 {
			p.Entry = append(p.Entry, fmt.Sprintf("Everything %s asks.", prev.Title()))
		}
		for _, r := range entryRules(s) {
			if !slices.ContainsFunc(before, func(b Violation) bool { return b.Rule == r.Rule }) {
				p.Entry = append(p.Entry, "Needs "+ruleWords(r)+".")
			}
		}
	}
	for _, to := range AllowedMoves(Column{State: s, AllowBackward: true}) {
		switch {
		case to == Done:
			for _, dr := range doneMoves[s] {
				p.Exits = append(p.Exits, fmt.Sprintf("To Done as %s: %s, and a reason.", dr.Title(), exitWords(s, exitKey{s, Done, dr})))
			}
		case IsBackward(s, to):
			p.Exits = append(p.Exits, fmt.Sprintf("Back to %s: a reason; only while the Kanban settings allow moves back from %s.",
				to.Title(), s.Title()))
		default:
			p.Exits = append(p.Exits, fmt.Sprintf("To %s: %s, and what %s asks to enter.", to.Title(), exitWords(s, exitKey{s, to, ""}), to.Title()))
		}
	}
	return p
}

// entryRules are the distinct rules of fieldPolicies for s, in the order it
// checks them, each with its first violation: what an epic with nothing
// filled in lacks.
func entryRules(s State) []Violation {
	var out []Violation
	for _, v := range fieldPolicies(&Epic{}, s) {
		if !slices.ContainsFunc(out, func(o Violation) bool { return o.Rule == v.Rule }) {
			out = append(out, v)
		}
	}
	return out
}

// ruleWords says what a rule of fieldPolicies asks for.
func ruleWords(v Violation) string {
	if w, ok := entryRuleWords[v.Rule]; ok {
		return w
	}
	return v.Message
}

// exitWords says what the move k rests on, from the column it leaves.
func exitWords(from State, k exitKey) string {
	rule, ok := exitRules[k]
	if !ok {
		return "no decision needed"
	}
	var parts []string
	if len(rule.evaluation) > 0 {
		if len(rule.evaluation) == 3 {
			parts = append(parts, fmt.Sprintf("an MVP evaluation (any outcome) recorded while the epic is in %s", from.Title()))
		} else {
			parts = append(parts, fmt.Sprintf("the latest MVP evaluation recorded while the epic is in %s finding the MVP %s",
				from.Title(), strings.Join(rule.evaluation, " or ")))
		}
	}
	d := fmt.Sprintf("%s decision recorded while the epic is in %s", decisionWords(rule.decision), from.Title())
	if len(rule.rivals) > 0 {
		rivals := make([]string, len(rule.rivals))
		for i, r := range rule.rivals {
			rivals[i] = decisionName(r)
		}
		d += fmt.Sprintf(" (a later %s decision outvotes it)", strings.Join(rivals, " or "))
	}
	return strings.Join(append(parts, d), "; ")
}

// decisionName is a decision kind in words: "no-go", "advance-to-analyzing".
func decisionName(k DecisionKind) string { return strings.ReplaceAll(string(k), "_", "-") }

// decisionWords is the kind with its article: "a go", "an advance-to-analyzing".
func decisionWords(k DecisionKind) string {
	name := decisionName(k)
	if strings.ContainsRune("aeiou", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}
