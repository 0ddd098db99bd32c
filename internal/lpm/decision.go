package lpm

import (
	"slices"
	"time"
)

// DecisionKind is what an LPM decision (or recorded judgement) is about.
type DecisionKind string

// Decision kinds.
const (
	DecisionAdvanceToAnalyzing DecisionKind = "advance_to_analyzing"
	DecisionGo                 DecisionKind = "go"
	DecisionNoGo               DecisionKind = "no_go"
	DecisionPersevere          DecisionKind = "persevere"
	DecisionPivot              DecisionKind = "pivot"
	DecisionStop               DecisionKind = "stop"
	DecisionComplete           DecisionKind = "complete"
	// DecisionOverride records a move past a full WIP limit; lpm creates it.
	DecisionOverride DecisionKind = "override"
	// DecisionMVPEvaluation records the evaluation of an MVP against its
	// hypothesis; Outcome holds the result.
	DecisionMVPEvaluation DecisionKind = "mvp_evaluation"
)

// MVP evaluation results, kept in Decision.Outcome.
const (
	MVPProven       = "proven"
	MVPDisproven    = "disproven"
	MVPInconclusive = "inconclusive"
)

// Decision is a record of its own: who decided what about an epic, when, and why.
type Decision struct {
	ID        int64
	EpicID    int64
	Kind      DecisionKind
	Outcome   string
	Rationale string
	DecidedBy string
	DecidedAt time.Time
	// NewEpicID is the epic a pivot created, once the pivot move happened.
	NewEpicID int64
}

// RecordableDecisionKinds are the kinds people record, in the order of the
// flow; override is written by lpm itself as part of a move.
var RecordableDecisionKinds = []DecisionKind{
	DecisionAdvanceToAnalyzing, DecisionGo, DecisionNoGo, DecisionMVPEvaluation,
	DecisionPersevere, DecisionPivot, DecisionStop, DecisionComplete,
}

// NewDecision validates a decision someone records.
func NewDecision(d Decision, now time.Time) (*Decision, error) {
	var vs violations
	if !slices.Contains(RecordableDecisionKinds, d.Kind) {
		vs.add("kind", "enum", "kind must be one of %s", join(RecordableDecisionKinds, ", "))
	}
	if d.Kind == DecisionMVPEvaluation {
		switch d.Outcome {
		case MVPProven, MVPDisproven, MVPInconclusive:
		default:
			vs.add("outcome", "enum", "an mvp_evaluation needs outcome proven, disproven or inconclusive")
		}
	} else if d.Outcome != "" {
		vs.add("outcome", "not_applicable", "outcome applies only to mvp_evaluation")
	}
	if d.Rationale == "" {
		vs.add("rationale", "required", "rationale is required: say why (for an evaluation, the evidence)")
	}
	vs.checkText("rationale", d.Rationale, MaxTextLen)
	if err := vs.err(EINVALID, "invalid decision"); err != nil {
		return nil, err
	}
	d.DecidedAt = now
	d.NewEpicID = 0
	return &d, nil
}
