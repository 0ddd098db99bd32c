package lpm

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// TransitionRequest asks to move an epic to another Kanban state.
type TransitionRequest struct {
	To         State
	DoneReason DoneReason
	Reason     string
	// DecisionID names the decision the move rests on; when 0, the latest
	// qualifying decision recorded while the epic was in its current state is used.
	DecisionID int64
	// OverrideWIP asks to move into a full column anyway; only admins may
	// ask, full column or not (who else may arrives with roles).
	OverrideWIP bool
	// PivotTitle names the new epic a pivot creates (default: derived).
	PivotTitle string
}

// Transition is one entry of an epic's history. It is appended, never changed.
type Transition struct {
	ID         int64
	EpicID     int64
	From       State // "" for the creation of the epic
	To         State
	DoneReason DoneReason
	Actor      string
	At         time.Time
	Reason     string
	// Override is set when the move went past a full, blocking WIP limit.
	Override bool
	// OverLimit is set when the move left the target column over its limit
	// (an override, or a column that only warns).
	OverLimit  bool
	DecisionID int64
}

// TransitionInput is everything PlanTransition needs to judge a move. The store
// fills it inside the transaction that holds the target column's lock.
type TransitionInput struct {
	Epic   Epic
	Target Column
	// Source is the configuration of the epic's current column.
	Source Column
	// TargetCount is how many epics are in the target column now.
	TargetCount int
	// Decisions are the epic's decisions, oldest first.
	Decisions []Decision
	Actor     Actor
	Now       time.Time
}

// TransitionPlan is what the store must write when a move is allowed.
type TransitionPlan struct {
	Epic       Epic       // the epic after the move
	Transition Transition // the history entry to append
	// Override, when not nil, is the override decision to record first; its ID
	// then goes into Transition.DecisionID.
	Override *Decision
	// Pivot, when not nil, is the new funnel epic a pivot creates.
	Pivot *Epic
	// Warnings are said to the caller but do not stop the move.
	Warnings []string
}

// edge is one allowed move of the portfolio Kanban.
type edge struct{ from, to State }

// forwardMoves are the moves along the flow; doneMoves the exits to done with
// the done reasons each allows; backwardMoves the way back from a state.
var (
	forwardMoves = map[edge]bool{
		{Funnel, Reviewing}: true, {Reviewing, Analyzing}: true, {Analyzing, Ready}: true,
		{Ready, ImplementingMVP}: true, {ImplementingMVP, ImplementingPersevere}: true,
	}
	doneMoves = map[State][]DoneReason{
		Funnel:                {Declined, Rerouted},
		Reviewing:             {NotPursued},
		Analyzing:             {NoGo},
		Ready:                 {Cancelled},
		ImplementingMVP:       {StoppedAfterMVP, Pivoted},
		ImplementingPersevere: {Completed},
	}
	backwardMoves = map[State]State{
		Reviewing:             Funnel,
		Analyzing:             Reviewing,
		ImplementingMVP:       Ready,
		ImplementingPersevere: ImplementingMVP,
	}
)

// AllowedMoves lists the states an epic in from may move to, given the source
// column's configuration.
func AllowedMoves(from Column) []State {
	var out []State
	for _, s := range States {
		if forwardMoves[edge{from.State, s}] {
			out = append(out, s)
		}
	}
	if to, ok := backwardMoves[from.State]; ok && from.AllowBackward {
		out = append(out, to)
	}
	if len(doneMoves[from.State]) > 0 {
		out = append(out, Done)
	}
	return out
}

// DoneReasonsFrom lists the done reasons a move from state may carry.
func DoneReasonsFrom(from State) []DoneReason { return doneMoves[from] }

// PlanTransition decides whether a move is allowed and, if it is, what it
// writes. It checks, in this order: the move exists in the Kanban; the request
// is well formed; the policies of the move hold (every unmet one is listed);
// and the target column has room under its WIP limit. The caller must hold a
// lock that keeps TargetCount true until the plan is written.
func PlanTransition(in TransitionInput, req TransitionRequest) (*TransitionPlan, error) {
	e := in.Epic
	from, to := e.State, req.To
	if err := in.Actor.AuthorizeEpic(ViewPortfolio, &e); err != nil {
		return nil, err
	}
	if !to.Valid() {
		return nil, &Error{Code: EINVALID, Message: "invalid transition", Violations: []Violation{{
			Field: "to", Rule: "enum", Message: fmt.Sprintf("to must be one of %s", joinStates(States))}}}
	}
	backward := IsBackward(from, to)
	switch {
	case from == to:
		return nil, Errorf(ENOTALLOWED, "epic %s is already in %s", e.Key, to)
	case to == Done:
		if len(doneMoves[from]) == 0 {
			return nil, Errorf(ENOTALLOWED, "epic %s is in %s and cannot move to done", e.Key, from)
		}
	case backward:
		if !in.Source.AllowBackward {
			return nil, Errorf(ENOTALLOWED, "moving back from %s to %s is disabled for this portfolio", from, to)
		}
	case !forwardMoves[edge{from, to}]:
		return nil, Errorf(ENOTALLOWED, "the portfolio Kanban has no move from %s to %s; from %s an epic may move to %s",
			from, to, from, joinStates(AllowedMoves(in.Source)))
	}

	if err := in.Actor.AuthorizeEpic(MoveAction(from, to), &e); err != nil {
		return nil, err
	}
	if req.OverrideWIP {
		// Refused whether or not the column is full, so the answer does not
		// depend on a race with other moves.
		if err := in.Actor.AuthorizeEpic(OverrideWIP, &e); err != nil {
			return nil, err
		}
	}
	var vs violations
	reason := strings.TrimSpace(req.Reason)
	vs.checkText("reason", req.Reason, MaxReasonLen)
	if to == Done {
		if req.DoneReason == "" {
			vs.add("done_reason", "required", "a move to done needs a done_reason; from %s: %s", from, joinReasons(doneMoves[from]))
		} else if !slices.Contains(doneMoves[from], req.DoneReason) {
			vs.add("done_reason", "done_reason_allowed", "done_reason %q does not apply to an epic leaving %s; use %s", req.DoneReason, from, joinReasons(doneMoves[from]))
		}
	} else if req.DoneReason != "" {
		vs.add("done_reason", "not_applicable", "done_reason applies only to moves to done")
	}
	if MoveNeedsReason(from, to) && reason == "" {
		vs.add("reason", "reason_required", "a move from %s to %s needs a reason", from, to)
	}
	if req.OverrideWIP && reason == "" {
		vs.add("reason", "reason_required", "a WIP limit override needs a reason")
	}
	if req.PivotTitle != "" && req.DoneReason != Pivoted {
		vs.add("pivot_title", "not_applicable", "pivot_title applies only to a move to done with done_reason pivoted")
	} else if req.PivotTitle != "" {
		vs.checkName("pivot_title", req.PivotTitle)
	}
	if err := vs.err(EINVALID, "invalid transition"); err != nil {
		return nil, err
	}

	plan := &TransitionPlan{}
	decisionID, policyErrs := checkPolicies(in, req, backward)
	if len(policyErrs) > 0 {
		return nil, &Error{Code: EPOLICY, Message: fmt.Sprintf("epic %s cannot move from %s to %s yet", e.Key, from, to), Violations: policyErrs}
	}

	t := Transition{EpicID: e.ID, From: from, To: to, DoneReason: req.DoneReason, Actor: in.Actor.Name,
		At: in.Now, Reason: reason, DecisionID: decisionID}
	if !in.Target.HasRoom(in.TargetCount) {
		switch {
		case in.Target.Enforcement == Warn:
			t.OverLimit = true
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s is over its WIP limit of %d", to, *in.Target.WIPLimit))
		case req.OverrideWIP:
			t.Override, t.OverLimit = true, true
			plan.Override = &Decision{EpicID: e.ID, Kind: DecisionOverride, Rationale: reason,
				DecidedBy: in.Actor.Name, DecidedAt: in.Now}
		default:
			return nil, Errorf(EWIPLIMIT, "%s is at its WIP limit (%d of %d); finish or move an epic out first, or ask an admin to override with a reason",
				to, in.TargetCount, *in.Target.WIPLimit)
		}
	} else if req.OverrideWIP {
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s has room; no override was needed", to))
	}

	e.State = to
	e.DoneReason = req.DoneReason
	e.StateEnteredAt = in.Now
	e.UpdatedAt = in.Now
	e.Version++
	plan.Epic = e
	plan.Transition = t
	if req.DoneReason == Pivoted {
		title := req.PivotTitle
		if title == "" {
			title = "Pivot of " + e.Key + ": " + e.Title
			if utf8.RuneCountInString(title) > MaxNameLen {
				title = string([]rune(title)[:MaxNameLen])
			}
		}
		p, err := NewEpic(Epic{PortfolioID: e.PortfolioID, Title: title, Type: e.Type, EpicOwner: e.EpicOwner,
			Description: e.Description, ThemeIDs: e.ThemeIDs, ValueStreamIDs: e.ValueStreamIDs,
			PivotedFrom: e.ID}, in.Now)
		if err != nil {
			return nil, fmt.Errorf("pivot epic: %w", err)
		}
		plan.Pivot = p
	}
	return plan, nil
}

// checkPolicies returns the decision the move rests on (0 if none) and every
// unmet entry/exit policy of the move.
func checkPolicies(in TransitionInput, req TransitionRequest, backward bool) (int64, []Violation) {
	e := in.Epic
	var vs violations
	since := e.StateEnteredAt
	var decision int64
	needed := false
	// need finds the decision deciding among kinds since the epic entered its
	// state: the one named in the request, or the latest of those kinds.
	need := func(want DecisionKind, among ...DecisionKind) {
		needed = true
		d, problem := findDecision(in.Decisions, req.DecisionID, since, want, among)
		if problem != "" {
			vs.add("decision_id", "decision_"+string(want), "%s", problem)
			return
		}
		decision = d.ID
	}
	evaluation := func(allowed ...string) {
		d, _ := findDecision(in.Decisions, 0, since, DecisionMVPEvaluation, []DecisionKind{DecisionMVPEvaluation})
		switch {
		case d == nil:
			vs.add("mvp_evaluation", "mvp_evaluated", "record an mvp_evaluation (proven, disproven or inconclusive, with evidence) first")
		case !slices.Contains(allowed, d.Outcome):
			vs.add("mvp_evaluation", "mvp_evaluated", "the latest MVP evaluation is %q; this move needs %s", d.Outcome, strings.Join(allowed, " or "))
		}
	}
	if !backward && req.To != Done {
		vs = append(vs, fieldPolicies(&e, req.To)...)
	}
	switch {
	case backward:
	case e.State == Reviewing && req.To == Analyzing:
		need(DecisionAdvanceToAnalyzing, DecisionAdvanceToAnalyzing, DecisionNoGo)
	case e.State == Analyzing && req.To == Ready:
		need(DecisionGo, DecisionGo, DecisionNoGo)
	case e.State == ImplementingMVP && req.To == ImplementingPersevere:
		evaluation(MVPProven, MVPInconclusive)
		need(DecisionPersevere, DecisionPersevere, DecisionPivot, DecisionStop)
	case req.To == Done && req.DoneReason == NotPursued:
		need(DecisionNoGo, DecisionAdvanceToAnalyzing, DecisionNoGo)
	case req.To == Done && req.DoneReason == NoGo:
		need(DecisionNoGo, DecisionGo, DecisionNoGo)
	case req.To == Done && req.DoneReason == StoppedAfterMVP:
		evaluation(MVPProven, MVPDisproven, MVPInconclusive)
		need(DecisionStop, DecisionPersevere, DecisionPivot, DecisionStop)
	case req.To == Done && req.DoneReason == Pivoted:
		need(DecisionPivot, DecisionPersevere, DecisionPivot, DecisionStop)
	case req.To == Done && req.DoneReason == Completed:
		need(DecisionComplete, DecisionComplete)
	}
	if req.DecisionID != 0 && !needed {
		vs.add("decision_id", "not_applicable", "a move from %s to %s rests on no decision; leave decision_id out", e.State, req.To)
	}
	return decision, vs
}

// findDecision returns the decision of kind want the move rests on, or a
// sentence saying what is missing. With id 0 it takes the latest decision of
// any of the among kinds recorded since the given time, which must be of kind
// want: a later no-go outvotes an earlier go.
func findDecision(ds []Decision, id int64, since time.Time, want DecisionKind, among []DecisionKind) (*Decision, string) {
	if id != 0 {
		for i := range ds {
			if ds[i].ID != id {
				continue
			}
			if ds[i].Kind != want {
				return nil, fmt.Sprintf("decision %d is %s decision; this move needs %s decision", id, withArticle(ds[i].Kind), withArticle(want))
			}
			if ds[i].DecidedAt.Before(since) {
				return nil, fmt.Sprintf("decision %d was recorded before the epic entered its current state; record a new %s decision", id, want)
			}
			return &ds[i], ""
		}
		return nil, fmt.Sprintf("decision %d is not a decision of this epic", id)
	}
	var latest *Decision
	for i := range ds {
		d := &ds[i]
		if d.DecidedAt.Before(since) || !slices.Contains(among, d.Kind) {
			continue
		}
		if latest == nil || !d.DecidedAt.Before(latest.DecidedAt) {
			latest = d
		}
	}
	switch {
	case latest == nil:
		return nil, fmt.Sprintf("record %s decision for this epic first", withArticle(want))
	case latest.Kind != want:
		return nil, fmt.Sprintf("the latest decision recorded is %s, not %s", latest.Kind, want)
	}
	return latest, ""
}

// join lists enumeration values for a message.
func join[T ~string](xs []T, sep string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = string(x)
	}
	return strings.Join(parts, sep)
}

func joinStates(ss []State) string { return join(ss, ", ") }

func joinReasons(rs []DoneReason) string { return join(rs, " or ") }
