package api

import (
	"context"
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// decision is an LPM decision about an epic in JSON.
type decision struct {
	ID        int64            `json:"id"`
	EpicID    int64            `json:"epic_id"`
	Kind      decisionKindName `json:"kind"`
	Outcome   mvpOutcomeName   `json:"outcome,omitempty"`
	Rationale string           `json:"rationale"`
	DecidedBy string           `json:"decided_by" doc:"User name of who recorded the decision."`
	DecidedAt time.Time        `json:"decided_at"`
	NewEpicID int64            `json:"new_epic_id,omitempty" doc:"The epic a pivot created, once the pivot move happened."`
}

func toDecision(d lpm.Decision) decision {
	return decision{ID: d.ID, EpicID: d.EpicID, Kind: decisionKindName(d.Kind), Outcome: mvpOutcomeName(d.Outcome),
		Rationale: d.Rationale, DecidedBy: d.DecidedBy, DecidedAt: d.DecidedAt, NewEpicID: d.NewEpicID}
}

// decisionCreate is the body of POST /epics/{epic}/decisions.
type decisionCreate struct {
	Kind      decisionKindInput `json:"kind"`
	Outcome   mvpOutcomeName    `json:"outcome,omitempty" doc:"Only for mvp_evaluation: proven, disproven or inconclusive."`
	Rationale string            `json:"rationale" doc:"Why; for an evaluation, the evidence."`
}

type decisionList struct {
	Items []decision `json:"items" doc:"Oldest first."`
}

type decisionCreated struct {
	Body decision
}

func (a *apiServer) listDecisions(ctx context.Context, in *epicPath) (*struct{ Body decisionList }, error) {
	if _, err := a.visibleEpic(ctx, in.Epic); err != nil {
		return nil, err
	}
	ds, err := a.st.FindDecisions(ctx, in.Epic)
	if err != nil {
		return nil, fmt.Errorf("load decisions of epic %d: %w", in.Epic, err)
	}
	out := &struct{ Body decisionList }{Body: decisionList{Items: make([]decision, len(ds))}}
	for i, d := range ds {
		out.Body.Items[i] = toDecision(d)
	}
	return out, nil
}

func (a *apiServer) createDecision(ctx context.Context, in *epicBody[decisionCreate]) (*decisionCreated, error) {
	b := in.Body
	// The store validates the decision (lpm.NewDecision) and stamps it.
	d := lpm.Decision{EpicID: in.Epic, Kind: lpm.DecisionKind(b.Kind), Outcome: string(b.Outcome),
		Rationale: b.Rationale, DecidedBy: actorFrom(ctx).Name}
	if err := a.st.CreateDecision(ctx, &d, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("record decision on epic %d: %w", in.Epic, err)
	}
	return &decisionCreated{Body: toDecision(d)}, nil
}
