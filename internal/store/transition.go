package store

import (
	"context"
	"fmt"

	"github.com/lpm-project/lpm/internal/lpm"
)

var (
	moveEpicSQL = fixed(`UPDATE epics SET state = $1, done_reason = $2, state_entered_at = $3, updated_at = $4,
		version = $5 WHERE id = $6`)
	linkPivotSQL        = fixed(`UPDATE decisions SET new_epic_id = $1 WHERE id = $2`)
	countInStateSQL     = fixed(`SELECT COUNT(*) FROM epics WHERE portfolio_id = $1 AND state = $2`)
	insertTransitionSQL = fixed(`INSERT INTO epic_transitions (epic_id, from_state, to_state, done_reason, actor,
		at, reason, override, over_limit, decision_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`)
	historySQL = fixed(`SELECT id, epic_id, from_state, to_state, done_reason, actor, at, reason, override,
		over_limit, COALESCE(decision_id, 0)
		FROM epic_transitions WHERE epic_id = $1 ORDER BY id`)
)

// TransitionEpic moves an epic through the Kanban in one write transaction;
// lpm.PlanTransition says whether the actor may. The move is audited as
// epic.transition, and a pivot's new epic as epic.create.
//
// The WIP limit holds however many moves race because a limited target
// column's epics are counted only once the column is locked, and the lock is
// held until the move is committed. On PostgreSQL the lock is a row lock on the column
// (taken after the epic's own row lock; every transaction that takes both
// takes them in that order, so they cannot deadlock), and READ COMMITTED is
// enough because the count is a new statement, run after the lock is granted,
// that sees every move committed before it. On SQLite the transaction began
// IMMEDIATE on the single write connection, which already excludes every other
// writer.
func (s *Store) TransitionEpic(ctx context.Context, id int64, req lpm.TransitionRequest, actor lpm.Actor) (*lpm.TransitionResult, error) {
	var res *lpm.TransitionResult
	err := s.inTx(ctx, "transition epic", func(tx *dbtx) error {
		var err error
		res, err = s.transitionEpic(ctx, tx, id, req, actor)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (s *Store) transitionEpic(ctx context.Context, tx *dbtx, id int64, req lpm.TransitionRequest, actor lpm.Actor) (*lpm.TransitionResult, error) {
	e, err := loadEpic(ctx, tx, id, s.d.forUpdate)
	if err != nil {
		return nil, err
	}
	in := lpm.TransitionInput{Epic: *e, Actor: actor}
	if in.Source, err = loadColumn(ctx, tx, e.PortfolioID, e.State, ""); err != nil {
		return nil, err
	}
	if in.Decisions, err = findDecisions(ctx, tx, id); err != nil {
		return nil, err
	}
	// The target column is locked last, so that moves into a busy column
	// hold its lock as briefly as possible, and only when it has a WIP limit:
	// a column without one always has room, and locking it anyway would make
	// every move into it wait for the previous one's commit. An unknown target
	// state has no column; PlanTransition rejects it.
	if req.To.Valid() {
		if in.Target, err = loadColumn(ctx, tx, e.PortfolioID, req.To, ""); err != nil {
			return nil, err
		}
		if in.Target.WIPLimit != nil && s.d.forUpdate != "" {
			// Read again under the lock: the limit may have changed meanwhile.
			if in.Target, err = loadColumn(ctx, tx, e.PortfolioID, req.To, s.d.forUpdate); err != nil {
				return nil, err
			}
		}
		if in.Target.WIPLimit != nil {
			if in.TargetCount, err = countInState(ctx, tx, e.PortfolioID, req.To); err != nil {
				return nil, err
			}
		}
	}
	// Stamped once the locks are held, so that history entries of a limited
	// column are in the order their moves were allowed.
	in.Now = lpm.Now()
	plan, err := lpm.PlanTransition(in, req)
	if err != nil {
		return nil, err
	}

	if plan.Override != nil {
		if err := insertDecision(ctx, tx, plan.Override); err != nil {
			return nil, err
		}
		plan.Transition.DecisionID = plan.Override.ID
	}
	moved := plan.Epic
	if _, err := tx.ExecContext(ctx, moveEpicSQL, string(moved.State), string(moved.DoneReason), toMicros(moved.StateEnteredAt), toMicros(moved.UpdatedAt),
		moved.Version, moved.ID); err != nil {
		return nil, fmt.Errorf("move epic %d to %s: %w", id, moved.State, err)
	}
	if err := insertTransition(ctx, tx, &plan.Transition); err != nil {
		return nil, err
	}
	res := &lpm.TransitionResult{Epic: &moved, Transition: plan.Transition, Warnings: plan.Warnings}
	t := plan.Transition
	records := []record{{action: "epic.transition", object: "epic", id: id, chain: e.PortfolioID,
		before: lpm.Fields{"state": string(e.State), "done_reason": string(e.DoneReason)},
		after: lpm.Fields{"state": string(moved.State), "done_reason": string(moved.DoneReason),
			"reason": t.Reason, "override": t.Override}}}
	if plan.Pivot != nil {
		if res.Pivot, err = createPivot(ctx, tx, plan, actor); err != nil {
			return nil, err
		}
		records = append(records, epicCreated(res.Pivot))
	}
	if err := audit(ctx, tx, actor, in.Now, records...); err != nil {
		return nil, err
	}
	return res, nil
}

// createPivot writes the funnel epic a pivot creates, with its own first
// history entry, and records it on the pivot decision the move rested on.
func createPivot(ctx context.Context, tx *dbtx, plan *lpm.TransitionPlan, actor lpm.Actor) (*lpm.Epic, error) {
	p := *plan.Pivot
	// The pivot copies the old epic's owner, themes and value streams, which
	// exist; createEpic checks them anyway, as it does for any new epic.
	if err := createEpic(ctx, tx, &p, actor); err != nil {
		return nil, fmt.Errorf("create pivot of epic %d: %w", plan.Epic.ID, err)
	}
	if id := plan.Transition.DecisionID; id != 0 {
		if _, err := tx.ExecContext(ctx, linkPivotSQL, p.ID, id); err != nil {
			return nil, fmt.Errorf("link pivot decision %d to epic %d: %w", id, p.ID, err)
		}
	}
	return &p, nil
}

// countInState counts a portfolio's epics in a state, from the board index.
func countInState(ctx context.Context, q querier, portfolioID int64, state lpm.State) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, countInStateSQL, portfolioID, string(state)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count epics in %s: %w", state, err)
	}
	return n, nil
}

// insertTransition appends t to its epic's history and sets its ID.
func insertTransition(ctx context.Context, tx *dbtx, t *lpm.Transition) error {
	err := tx.QueryRowContext(ctx, insertTransitionSQL, t.EpicID, string(t.From), string(t.To), string(t.DoneReason), t.Actor, toMicros(t.At), t.Reason,
		t.Override, t.OverLimit, nullID(t.DecisionID)).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("append history of epic %d: %w", t.EpicID, err)
	}
	return nil
}

// EpicHistory returns the epic's transitions, oldest first.
func (s *Store) EpicHistory(ctx context.Context, id int64) ([]lpm.Transition, error) {
	var list []lpm.Transition
	err := s.inReadTx(ctx, "epic history", func(tx *dbtx) error {
		var err error
		if list, err = queryAll(ctx, tx, scanTransition, historySQL, id); err != nil {
			return fmt.Errorf("history of epic %d: %w", id, err)
		}
		if len(list) == 0 {
			return epicExists(ctx, tx, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

func scanTransition(row scanner) (lpm.Transition, error) {
	var (
		t  lpm.Transition
		at int64
	)
	err := row.Scan(&t.ID, &t.EpicID, &t.From, &t.To, &t.DoneReason, &t.Actor, &at, &t.Reason,
		&t.Override, &t.OverLimit, &t.DecisionID)
	t.At = fromMicros(at)
	return t, err
}

// epicExists returns ENOTFOUND unless the epic exists.
func epicExists(ctx context.Context, q querier, id int64) error {
	_, err := epicState(ctx, q, id, "")
	return err
}
