package lpm

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2026, 5, 4, 9, 30, 0, 123_000_000, time.UTC)

// validEpic returns an epic with every field a guard may ask for filled in.
func validEpic() *Epic {
	return &Epic{
		ID: 7, PortfolioID: 1, Key: "EP-7", Title: "Instant payments", Type: Business, EpicOwner: "amara",
		State: Funnel, StateEnteredAt: t0, CreatedAt: t0,
		Hypothesis: Hypothesis{
			ForCustomers: "retail customers", Who: "pay friends", SolutionName: "Instant Pay", IsA: "mobile feature",
			That: "moves money in seconds", Unlike: "next-day transfers", OurSolution: "settles instantly",
			BusinessOutcomes: []string{"support calls about transfers −30 %"}, LeadingIndicators: []string{"weekly instant payments"},
		},
		WSJF:           WSJFComponents{8, 5, 3, 5},
		Costs:          Costs{MVPInternal: 100_000_00, MVPSupplier: 20_000_00, FullInternal: 400_000_00, FullSupplier: 50_000_00},
		MVPDescription: "Payments between customers of our bank only",
		ValueStreamIDs: []int64{3},
	}
}

func columnFor(s State) Column {
	for _, c := range DefaultColumns() {
		if c.State == s {
			return c
		}
	}
	panic("no column " + s)
}

// vmo runs portfolio operations in portfolio 1: may make every move, may not decide.
var vmo = Actor{UserID: 3, Name: "vmo", Access: Access{1: NewRoleSet(RolePortfolioOperations)}}

// input builds a transition input for e moving to `to`, with room in the target.
func input(e *Epic, to State, decisions ...Decision) TransitionInput {
	return TransitionInput{Epic: *e, Source: columnFor(e.State), Target: columnFor(to), TargetCount: 0,
		Decisions: decisions, Actor: vmo, Now: t0.Add(48 * time.Hour)}
}

func decision(id int64, kind DecisionKind, outcome string, at time.Time) Decision {
	return Decision{ID: id, EpicID: 7, Kind: kind, Outcome: outcome, Rationale: "because", DecidedBy: "bo", DecidedAt: at}
}

func inState(s State) *Epic {
	e := validEpic()
	e.State = s
	if s == Done {
		e.DoneReason = Completed
	}
	return e
}

func TestAllowedMovesSucceed(t *testing.T) {
	after := t0.Add(time.Hour)
	tests := []struct {
		name      string
		from      State
		req       TransitionRequest
		decisions []Decision
		wantDec   int64
	}{
		{"funnel to reviewing", Funnel, TransitionRequest{To: Reviewing}, nil, 0},
		{"reviewing to analyzing", Reviewing, TransitionRequest{To: Analyzing}, []Decision{decision(10, DecisionAdvanceToAnalyzing, "", after)}, 10},
		{"analyzing to ready with go", Analyzing, TransitionRequest{To: Ready}, []Decision{decision(11, DecisionGo, "", after)}, 11},
		{"ready to implementing mvp", Ready, TransitionRequest{To: ImplementingMVP}, nil, 0},
		{"mvp to persevere", ImplementingMVP, TransitionRequest{To: ImplementingPersevere},
			[]Decision{decision(12, DecisionMVPEvaluation, MVPProven, after), decision(13, DecisionPersevere, "", after)}, 13},
		{"mvp to persevere when inconclusive", ImplementingMVP, TransitionRequest{To: ImplementingPersevere},
			[]Decision{decision(12, DecisionMVPEvaluation, MVPInconclusive, after), decision(13, DecisionPersevere, "", after)}, 13},
		{"persevere to done completed", ImplementingPersevere, TransitionRequest{To: Done, DoneReason: Completed, Reason: "remaining features live in ART backlogs"},
			[]Decision{decision(17, DecisionComplete, "", after)}, 17},
		{"mvp stopped", ImplementingMVP, TransitionRequest{To: Done, DoneReason: StoppedAfterMVP, Reason: "hypothesis disproven"},
			[]Decision{decision(12, DecisionMVPEvaluation, MVPDisproven, after), decision(14, DecisionStop, "", after)}, 14},
		{"analyzing no-go", Analyzing, TransitionRequest{To: Done, DoneReason: NoGo, Reason: "cost above value"}, []Decision{decision(15, DecisionNoGo, "", after)}, 15},
		{"funnel declined", Funnel, TransitionRequest{To: Done, DoneReason: Declined, Reason: "not a portfolio concern"}, nil, 0},
		{"funnel rerouted", Funnel, TransitionRequest{To: Done, DoneReason: Rerouted, Reason: "small enough for the ART backlog"}, nil, 0},
		{"reviewing not pursued", Reviewing, TransitionRequest{To: Done, DoneReason: NotPursued, Reason: "duplicate"},
			[]Decision{decision(10, DecisionAdvanceToAnalyzing, "", after), decision(18, DecisionNoGo, "", after.Add(time.Minute))}, 18},
		{"ready cancelled", Ready, TransitionRequest{To: Done, DoneReason: Cancelled, Reason: "obsolete"}, nil, 0},
		{"back to funnel", Reviewing, TransitionRequest{To: Funnel, Reason: "owner left"}, nil, 0},
		{"back to reviewing", Analyzing, TransitionRequest{To: Reviewing, Reason: "hypothesis unclear"}, nil, 0},
		{"mvp paused", ImplementingMVP, TransitionRequest{To: Ready, Reason: "ART capacity went to an incident"}, nil, 0},
		{"persevere back to mvp", ImplementingPersevere, TransitionRequest{To: ImplementingMVP, Reason: "new MVP scope"}, nil, 0},
		{"named decision", Analyzing, TransitionRequest{To: Ready, DecisionID: 11},
			[]Decision{decision(11, DecisionGo, "", after), decision(16, DecisionGo, "", after)}, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := inState(tt.from)
			in := input(e, tt.req.To, tt.decisions...)
			plan, err := PlanTransition(in, tt.req)
			if err != nil {
				t.Fatalf("PlanTransition: %v", err)
			}
			want := Transition{EpicID: 7, From: tt.from, To: tt.req.To, DoneReason: tt.req.DoneReason, Actor: "vmo",
				At: in.Now, Reason: tt.req.Reason, DecisionID: tt.wantDec}
			if diff := cmp.Diff(want, plan.Transition); diff != "" {
				t.Errorf("transition (-want +got):\n%s", diff)
			}
			if plan.Epic.State != tt.req.To || plan.Epic.DoneReason != tt.req.DoneReason || !plan.Epic.StateEnteredAt.Equal(in.Now) {
				t.Errorf("epic after move: state %s, done reason %q, entered %v", plan.Epic.State, plan.Epic.DoneReason, plan.Epic.StateEnteredAt)
			}
			if plan.Epic.Version != e.Version+1 {
				t.Errorf("version = %d, want %d", plan.Epic.Version, e.Version+1)
			}
			if plan.Override != nil || plan.Pivot != nil {
				t.Errorf("unexpected override %v or pivot %v", plan.Override, plan.Pivot)
			}
		})
	}
}

// Every kind of refusal carries its own error code, and policies list every
// unmet condition, each naming its field and rule.
func TestRefusedMoves(t *testing.T) {
	before, after := t0.Add(-time.Hour), t0.Add(time.Hour)
	noBackward := columnFor(Analyzing)
	noBackward.AllowBackward = false
	tests := []struct {
		name      string
		epic      func() *Epic
		req       TransitionRequest
		decisions []Decision
		source    *Column
		wantCode  ErrorCode
		wantRules []string // field:rule of each violation, in order
	}{
		{"already there", func() *Epic { return inState(Ready) }, TransitionRequest{To: Ready}, nil, nil, ENOTALLOWED, nil},
		{"skipping a state", func() *Epic { return inState(Funnel) }, TransitionRequest{To: Analyzing}, nil, nil, ENOTALLOWED, nil},
		{"out of done", func() *Epic { return inState(Done) }, TransitionRequest{To: Funnel, Reason: "revive"}, nil, nil, ENOTALLOWED, nil},
		{"backward not offered", func() *Epic { return inState(Ready) }, TransitionRequest{To: Analyzing, Reason: "x"}, nil, nil, ENOTALLOWED, nil},
		{"backward disabled", func() *Epic { return inState(Analyzing) }, TransitionRequest{To: Reviewing, Reason: "x"}, nil, &noBackward, ENOTALLOWED, nil},
		{"unknown state", func() *Epic { return inState(Funnel) }, TransitionRequest{To: "limbo"}, nil, nil, EINVALID, []string{"to:enum"}},
		{"backward without reason", func() *Epic { return inState(Reviewing) }, TransitionRequest{To: Funnel}, nil, nil, EINVALID, []string{"reason:reason_required"}},
		{"done without reasons", func() *Epic { return inState(Ready) }, TransitionRequest{To: Done}, nil, nil, EINVALID,
			[]string{"done_reason:required", "reason:reason_required"}},
		{"done reason of another state", func() *Epic { return inState(Ready) }, TransitionRequest{To: Done, DoneReason: Completed, Reason: "x"}, nil, nil, EINVALID,
			[]string{"done_reason:done_reason_allowed"}},
		{"done reason on a forward move", func() *Epic { return inState(Funnel) }, TransitionRequest{To: Reviewing, DoneReason: Declined}, nil, nil, EINVALID,
			[]string{"done_reason:not_applicable"}},
		{"no epic owner", func() *Epic { e := inState(Funnel); e.EpicOwner = ""; return e }, TransitionRequest{To: Reviewing}, nil, nil, EPOLICY,
			[]string{"epic_owner:epic_owner_assigned"}},
		{"empty hypothesis and no WSJF", func() *Epic {
			e := inState(Reviewing)
			e.Hypothesis, e.WSJF = Hypothesis{}, WSJFComponents{8, 5, 3, 0}
			return e
		}, TransitionRequest{To: Analyzing}, []Decision{decision(1, DecisionAdvanceToAnalyzing, "", after)}, nil, EPOLICY, []string{
			"hypothesis.for_customers:hypothesis_complete", "hypothesis.who:hypothesis_complete", "hypothesis.solution_name:hypothesis_complete",
			"hypothesis.is_a:hypothesis_complete", "hypothesis.that:hypothesis_complete", "hypothesis.unlike:hypothesis_complete",
			"hypothesis.our_solution:hypothesis_complete", "hypothesis.business_outcomes:hypothesis_complete",
			"hypothesis.leading_indicators:hypothesis_complete", "wsjf_components:wsjf_scored"}},
		{"no business case and no go", func() *Epic {
			e := inState(Analyzing)
			e.MVPDescription, e.Costs = " ", Costs{}
			return e
		}, TransitionRequest{To: Ready}, nil, nil, EPOLICY, []string{
			"mvp_description:business_case_complete", "costs.mvp:business_case_complete", "costs.full:business_case_complete", "decision_id:decision_go"}},
		{"worth analysing not decided", func() *Epic { return inState(Reviewing) }, TransitionRequest{To: Analyzing}, nil, nil, EPOLICY,
			[]string{"decision_id:decision_advance_to_analyzing"}},
		{"not pursued without a no-go", func() *Epic { return inState(Reviewing) }, TransitionRequest{To: Done, DoneReason: NotPursued, Reason: "x"},
			[]Decision{decision(1, DecisionAdvanceToAnalyzing, "", after)}, nil, EPOLICY, []string{"decision_id:decision_no_go"}},
		{"completed without agreement", func() *Epic { return inState(ImplementingPersevere) }, TransitionRequest{To: Done, DoneReason: Completed, Reason: "x"},
			nil, nil, EPOLICY, []string{"decision_id:decision_complete"}},
		{"decision named on a move that needs none", func() *Epic { return inState(Funnel) }, TransitionRequest{To: Reviewing, DecisionID: 5},
			nil, nil, EPOLICY, []string{"decision_id:not_applicable"}},
		{"fields checked cumulatively", func() *Epic { e := inState(Ready); e.EpicOwner, e.WSJF.JobSize = "", 0; return e }, TransitionRequest{To: ImplementingMVP},
			nil, nil, EPOLICY, []string{"epic_owner:epic_owner_assigned", "wsjf_components:wsjf_scored"}},
		{"control characters in the reason", func() *Epic { return inState(Reviewing) }, TransitionRequest{To: Funnel, Reason: "nul \x00 here"}, nil, nil, EINVALID,
			[]string{"reason:control_character"}},
		{"blank pivot title", func() *Epic { return inState(ImplementingMVP) }, TransitionRequest{To: Done, DoneReason: Pivoted, Reason: "x", PivotTitle: "   "},
			nil, nil, EINVALID, []string{"pivot_title:required"}},
		{"full cost below MVP", func() *Epic {
			e := inState(Analyzing)
			e.Costs = Costs{MVPInternal: 500, FullInternal: 400}
			return e
		}, TransitionRequest{To: Ready}, []Decision{decision(1, DecisionGo, "", after)}, nil, EPOLICY, []string{"costs.full:business_case_complete"}},
		{"no-go after go", func() *Epic { return inState(Analyzing) }, TransitionRequest{To: Ready},
			[]Decision{decision(1, DecisionGo, "", after), decision(2, DecisionNoGo, "", after.Add(time.Minute))}, nil, EPOLICY, []string{"decision_id:decision_go"}},
		{"go from an earlier stay", func() *Epic { return inState(Analyzing) }, TransitionRequest{To: Ready},
			[]Decision{decision(1, DecisionGo, "", before)}, nil, EPOLICY, []string{"decision_id:decision_go"}},
		{"named decision of the wrong kind", func() *Epic { return inState(Analyzing) }, TransitionRequest{To: Ready, DecisionID: 3},
			[]Decision{decision(1, DecisionGo, "", after), decision(3, DecisionPersevere, "", after)}, nil, EPOLICY, []string{"decision_id:decision_go"}},
		{"named decision of another epic", func() *Epic { return inState(Analyzing) }, TransitionRequest{To: Ready, DecisionID: 99},
			[]Decision{decision(1, DecisionGo, "", after)}, nil, EPOLICY, []string{"decision_id:decision_go"}},
		{"no value stream to pull", func() *Epic { e := inState(Ready); e.ValueStreamIDs = nil; return e }, TransitionRequest{To: ImplementingMVP}, nil, nil, EPOLICY,
			[]string{"value_stream_ids:value_stream_committed"}},
		{"persevere without evaluation", func() *Epic { return inState(ImplementingMVP) }, TransitionRequest{To: ImplementingPersevere},
			[]Decision{decision(1, DecisionPersevere, "", after)}, nil, EPOLICY, []string{"mvp_evaluation:mvp_evaluated"}},
		{"persevere on a disproven MVP", func() *Epic { return inState(ImplementingMVP) }, TransitionRequest{To: ImplementingPersevere},
			[]Decision{decision(1, DecisionMVPEvaluation, MVPDisproven, after)}, nil, EPOLICY, []string{"mvp_evaluation:mvp_evaluated", "decision_id:decision_persevere"}},
		{"stop decided but persevering", func() *Epic { return inState(ImplementingMVP) }, TransitionRequest{To: ImplementingPersevere},
			[]Decision{decision(1, DecisionMVPEvaluation, MVPProven, after), decision(2, DecisionStop, "", after)}, nil, EPOLICY, []string{"decision_id:decision_persevere"}},
		{"stop without evaluation", func() *Epic { return inState(ImplementingMVP) }, TransitionRequest{To: Done, DoneReason: StoppedAfterMVP, Reason: "x"},
			[]Decision{decision(1, DecisionStop, "", after)}, nil, EPOLICY, []string{"mvp_evaluation:mvp_evaluated"}},
		{"pivot without decision", func() *Epic { return inState(ImplementingMVP) }, TransitionRequest{To: Done, DoneReason: Pivoted, Reason: "x"},
			nil, nil, EPOLICY, []string{"decision_id:decision_pivot"}},
		{"no-go without decision", func() *Epic { return inState(Analyzing) }, TransitionRequest{To: Done, DoneReason: NoGo, Reason: "x"},
			[]Decision{decision(1, DecisionGo, "", after)}, nil, EPOLICY, []string{"decision_id:decision_no_go"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.epic()
			in := input(e, Funnel, tt.decisions...)
			if tt.req.To.Valid() {
				in.Target = columnFor(tt.req.To)
			}
			if tt.source != nil {
				in.Source = *tt.source
			}
			plan, err := PlanTransition(in, tt.req)
			if err == nil {
				t.Fatalf("move allowed: %+v", plan.Transition)
			}
			if got := ErrorCodeOf(err); got != tt.wantCode {
				t.Fatalf("code = %s, want %s (%v)", got, tt.wantCode, err)
			}
			var got []string
			for _, v := range AsError(err).Violations {
				got = append(got, v.Field+":"+v.Rule)
				if v.Message == "" {
					t.Errorf("violation %s:%s has no message", v.Field, v.Rule)
				}
			}
			if diff := cmp.Diff(tt.wantRules, got); diff != "" {
				t.Errorf("violations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNotAllowedSaysWhereTheEpicCanGo(t *testing.T) {
	_, err := PlanTransition(input(inState(Funnel), Analyzing), TransitionRequest{To: Analyzing})
	if msg := err.Error(); !strings.Contains(msg, "reviewing, done") {
		t.Errorf("message %q does not list the moves from funnel", msg)
	}
}

func TestWIPLimit(t *testing.T) {
	full := func(in TransitionInput) TransitionInput {
		in.TargetCount = *in.Target.WIPLimit // 8 of 8 in reviewing
		return in
	}
	t.Run("room for one more", func(t *testing.T) {
		in := input(inState(Funnel), Reviewing)
		in.TargetCount = *in.Target.WIPLimit - 1
		if _, err := PlanTransition(in, TransitionRequest{To: Reviewing}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("full column blocks", func(t *testing.T) {
		_, err := PlanTransition(full(input(inState(Funnel), Reviewing)), TransitionRequest{To: Reviewing})
		if ErrorCodeOf(err) != EWIPLIMIT || !strings.Contains(err.Error(), "8 of 8") {
			t.Fatalf("got %v, want a WIP limit error saying 8 of 8", err)
		}
	})
	t.Run("policy is reported before WIP", func(t *testing.T) {
		e := inState(Funnel)
		e.EpicOwner = ""
		_, err := PlanTransition(full(input(e, Reviewing)), TransitionRequest{To: Reviewing})
		if ErrorCodeOf(err) != EPOLICY {
			t.Fatalf("got %v, want policy error", err)
		}
	})
	t.Run("only roles with override_wip override", func(t *testing.T) {
		contributor := Actor{UserID: 4, Name: "rte", Access: Access{1: NewRoleSet(RoleContributor)}}
		in := full(input(inState(Funnel), Reviewing))
		in.Actor = contributor
		_, err := PlanTransition(in, TransitionRequest{To: Reviewing, OverrideWIP: true, Reason: "regulator deadline"})
		if ErrorCodeOf(err) != EFORBIDDEN {
			t.Fatalf("got %v, want forbidden", err)
		}
		// also when the column has room: the answer must not depend on a race
		in = input(inState(Funnel), Reviewing)
		in.Actor = contributor
		_, err = PlanTransition(in, TransitionRequest{To: Reviewing, OverrideWIP: true, Reason: "x"})
		if ErrorCodeOf(err) != EFORBIDDEN {
			t.Fatalf("with room: got %v, want forbidden", err)
		}
	})
	t.Run("override needs a reason", func(t *testing.T) {
		in := full(input(inState(Funnel), Reviewing))
		in.Actor.IsAdmin = true
		_, err := PlanTransition(in, TransitionRequest{To: Reviewing, OverrideWIP: true})
		if diff := cmp.Diff([]string{"reason"}, violationFields(err)); diff != "" {
			t.Fatalf("got %v: %s", err, diff)
		}
	})
	t.Run("admin override is recorded", func(t *testing.T) {
		in := full(input(inState(Funnel), Reviewing))
		in.Actor.IsAdmin = true
		plan, err := PlanTransition(in, TransitionRequest{To: Reviewing, OverrideWIP: true, Reason: "regulator deadline"})
		if err != nil {
			t.Fatal(err)
		}
		if !plan.Transition.Override || !plan.Transition.OverLimit {
			t.Errorf("transition flags override=%v over_limit=%v, want both", plan.Transition.Override, plan.Transition.OverLimit)
		}
		want := &Decision{EpicID: 7, Kind: DecisionOverride, Rationale: "regulator deadline", DecidedBy: "vmo", DecidedAt: in.Now}
		if diff := cmp.Diff(want, plan.Override); diff != "" {
			t.Errorf("override decision (-want +got):\n%s", diff)
		}
	})
	t.Run("warn lets the move through and flags it", func(t *testing.T) {
		in := full(input(inState(Funnel), Reviewing))
		in.Target.Enforcement = Warn
		plan, err := PlanTransition(in, TransitionRequest{To: Reviewing})
		if err != nil {
			t.Fatal(err)
		}
		if plan.Transition.Override || !plan.Transition.OverLimit || len(plan.Warnings) != 1 {
			t.Errorf("override=%v over_limit=%v warnings=%q", plan.Transition.Override, plan.Transition.OverLimit, plan.Warnings)
		}
	})
	t.Run("no limit on done", func(t *testing.T) {
		in := input(inState(Funnel), Done)
		in.TargetCount = 1_000_000
		if _, err := PlanTransition(in, TransitionRequest{To: Done, DoneReason: Declined, Reason: "x"}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("backward moves respect limits too", func(t *testing.T) {
		in := full(input(inState(Analyzing), Reviewing))
		if _, err := PlanTransition(in, TransitionRequest{To: Reviewing, Reason: "x"}); ErrorCodeOf(err) != EWIPLIMIT {
			t.Fatalf("got %v, want WIP limit", err)
		}
	})
}

func TestPivotCreatesLinkedFunnelEpic(t *testing.T) {
	e := inState(ImplementingMVP)
	e.ThemeIDs = []int64{4}
	in := input(e, Done, decision(21, DecisionPivot, "", t0.Add(time.Hour)))
	plan, err := PlanTransition(in, TransitionRequest{To: Done, DoneReason: Pivoted, Reason: "customers want request-to-pay", PivotTitle: "Request to pay"})
	if err != nil {
		t.Fatal(err)
	}
	p := plan.Pivot
	if p == nil {
		t.Fatal("no pivot epic planned")
	}
	if p.State != Funnel || p.PivotedFrom != 7 || p.Title != "Request to pay" || p.EpicOwner != "amara" || !p.CreatedAt.Equal(in.Now) {
		t.Errorf("pivot epic = %+v", p)
	}
	if diff := cmp.Diff([]int64{4}, p.ThemeIDs); diff != "" {
		t.Errorf("themes not carried over: %s", diff)
	}
	if plan.Transition.DecisionID != 21 {
		t.Errorf("decision = %d, want 21", plan.Transition.DecisionID)
	}
	plan, err = PlanTransition(in, TransitionRequest{To: Done, DoneReason: Pivoted, Reason: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Pivot of EP-7: Instant payments"; plan.Pivot.Title != want {
		t.Errorf("default title = %q, want %q", plan.Pivot.Title, want)
	}
}

func TestAllowedMoves(t *testing.T) {
	tests := map[State][]State{
		Funnel:                {Reviewing, Done},
		Reviewing:             {Analyzing, Funnel, Done},
		Analyzing:             {Ready, Reviewing, Done},
		Ready:                 {ImplementingMVP, Done},
		ImplementingMVP:       {ImplementingPersevere, Ready, Done},
		ImplementingPersevere: {ImplementingMVP, Done},
		Done:                  nil,
	}
	for from, want := range tests {
		if diff := cmp.Diff(want, AllowedMoves(columnFor(from))); diff != "" {
			t.Errorf("from %s (-want +got):\n%s", from, diff)
		}
	}
	c := columnFor(Analyzing)
	c.AllowBackward = false
	if diff := cmp.Diff([]State{Ready, Done}, AllowedMoves(c)); diff != "" {
		t.Errorf("backward disabled (-want +got):\n%s", diff)
	}
}

func TestMissingDecisionMessage(t *testing.T) {
	_, err := PlanTransition(input(inState(Reviewing), Analyzing), TransitionRequest{To: Analyzing})
	if msg := err.Error(); !strings.Contains(msg, "record an advance_to_analyzing decision for this epic first") {
		t.Errorf("message %q does not say which decision to record", msg)
	}
	_, err = PlanTransition(input(inState(Analyzing), Ready), TransitionRequest{To: Ready})
	if msg := err.Error(); !strings.Contains(msg, "record a go decision") {
		t.Errorf("message %q does not say which decision to record", msg)
	}
}

func TestMovesNeedTheirPermission(t *testing.T) {
	outsider := Actor{UserID: 9, Name: "eve", Access: Access{2: NewRoleSet(RolePortfolioAdmin)}}
	in := input(inState(Funnel), Reviewing)
	in.Actor = outsider
	_, err := PlanTransition(in, TransitionRequest{To: "nowhere"})
	if ErrorCodeOf(err) != ENOTFOUND || err.Error() != "epic 7 not found" {
		t.Errorf("outsider: got %v, want the epic hidden before anything else is judged", err)
	}
	viewer := Actor{UserID: 9, Name: "eve", Access: Access{1: NewRoleSet(RoleViewer)}}
	in.Actor = viewer
	if _, err := PlanTransition(in, TransitionRequest{To: Reviewing}); ErrorCodeOf(err) != EFORBIDDEN {
		t.Errorf("viewer moving an epic: got %v, want forbidden", err)
	}
	owner := Actor{UserID: 5, Name: "amara", Access: Access{1: NewRoleSet(RoleEpicOwner)}}
	in.Actor = owner
	if _, err := PlanTransition(in, TransitionRequest{To: Reviewing}); err != nil {
		t.Errorf("epic owner moving own epic into reviewing: %v", err)
	}
	in = input(inState(Ready), Done)
	in.Actor = owner
	if _, err := PlanTransition(in, TransitionRequest{To: Done, DoneReason: Cancelled, Reason: "x"}); ErrorCodeOf(err) != EFORBIDDEN {
		t.Errorf("epic owner retiring own epic: got %v, want forbidden", err)
	}
}
