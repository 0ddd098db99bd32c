package api

import (
	"context"
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// historyEntry is one entry of an epic's Kanban history in JSON.
type historyEntry struct {
	ID         int64          `json:"id"`
	EpicID     int64          `json:"epic_id"`
	From       stateName      `json:"from,omitempty" doc:"State the epic left; absent for its creation."`
	To         stateName      `json:"to"`
	DoneReason doneReasonName `json:"done_reason,omitempty"`
	Actor      string         `json:"actor" doc:"User name of who moved the epic."`
	At         time.Time      `json:"at"`
	Reason     string         `json:"reason"`
	Override   bool           `json:"override" doc:"Someone allowed to override moved the epic past a full, blocking WIP limit."`
	OverLimit  bool           `json:"over_limit" doc:"The move left the target column over its WIP limit."`
	DecisionID int64          `json:"decision_id,omitempty" doc:"The decision the move rests on."`
}

func toHistoryEntry(t lpm.Transition) historyEntry {
	return historyEntry{ID: t.ID, EpicID: t.EpicID, From: stateName(t.From), To: stateName(t.To),
		DoneReason: doneReasonName(t.DoneReason), Actor: t.Actor, At: t.At, Reason: t.Reason,
		Override: t.Override, OverLimit: t.OverLimit, DecisionID: t.DecisionID}
}

type historyList struct {
	Items []historyEntry `json:"items" doc:"Oldest first."`
}

// transitionRequest is the body of POST /epics/{epic}/transitions.
type transitionRequest struct {
	To          stateName       `json:"to"`
	Reason      string          `json:"reason,omitempty" doc:"Why; required for moves back, moves to done and WIP overrides."`
	DoneReason  doneReasonInput `json:"done_reason,omitempty"`
	DecisionID  int64           `json:"decision_id,omitempty" minimum:"0" doc:"The decision the move rests on; 0 takes the latest qualifying decision recorded in the current state."`
	OverrideWIP bool            `json:"override_wip,omitempty" doc:"Move into a full, blocking column anyway, with a reason; needs override_wip as well as the move's own action."`
	PivotTitle  string          `json:"pivot_title,omitempty" doc:"Title of the new epic a pivot creates (done_reason pivoted)."`
}

// transitionResult is the epic after the move, with what the move wrote.
type transitionResult struct {
	Epic
	Transition historyEntry `json:"transition" doc:"The history entry the move appended."`
	PivotEpic  *Epic        `json:"pivot_epic,omitempty" doc:"The new funnel epic a pivot created."`
	Warnings   []string     `json:"warnings" doc:"Things to know that did not stop the move, e.g. a column left over its limit."`
}

func (a *apiServer) transitionEpic(ctx context.Context, in *epicBody[transitionRequest]) (*struct{ Body transitionResult }, error) {
	b := in.Body
	req := lpm.TransitionRequest{To: lpm.State(b.To), DoneReason: lpm.DoneReason(b.DoneReason), Reason: b.Reason,
		DecisionID: b.DecisionID, OverrideWIP: b.OverrideWIP, PivotTitle: b.PivotTitle}
	res, err := a.st.TransitionEpic(ctx, in.Epic, req, actorFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("move epic %d to %s: %w", in.Epic, b.To, err)
	}
	out := transitionResult{Epic: toEpic(res.Epic), Transition: toHistoryEntry(res.Transition), Warnings: nonNil(res.Warnings)}
	if res.Pivot != nil {
		p := toEpic(res.Pivot)
		out.PivotEpic = &p
	}
	return &struct{ Body transitionResult }{Body: out}, nil
}

func (a *apiServer) epicHistory(ctx context.Context, in *epicPath) (*struct{ Body historyList }, error) {
	if _, err := a.visibleEpic(ctx, in.Epic); err != nil {
		return nil, err
	}
	hs, err := a.st.EpicHistory(ctx, in.Epic)
	if err != nil {
		return nil, fmt.Errorf("load history of epic %d: %w", in.Epic, err)
	}
	out := &struct{ Body historyList }{Body: historyList{Items: make([]historyEntry, len(hs))}}
	for i, t := range hs {
		out.Body.Items[i] = toHistoryEntry(t)
	}
	return out, nil
}
