package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lpm-project/lpm/internal/lpm"
)

var (
	insertDecisionSQL = fixed(`INSERT INTO decisions (epic_id, kind, outcome, rationale, decided_by, decided_at,
		new_epic_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`)
	findDecisionsSQL = fixed(`SELECT id, epic_id, kind, outcome, rationale, decided_by, decided_at,
		COALESCE(new_epic_id, 0)
		FROM decisions WHERE epic_id = $1 ORDER BY decided_at, id`)
	epicStateSQL = fixed(`SELECT state FROM epics WHERE id = $1`)
)

// CreateDecision records a decision about an epic. The domain validates it
// (lpm.NewDecision) and says whether a decision of its kind is taken about
// an epic in the state the epic is in (lpm.DecisionFits: a go about an epic
// in analysis, none about a done one). d gets its ID and decision time.
func (s *Store) CreateDecision(ctx context.Context, d *lpm.Decision) error {
	v, err := lpm.NewDecision(*d, lpm.Now())
	if err != nil {
		return err
	}
	err = s.inTx(ctx, "create decision", func(tx *dbtx) error {
		// The epic's row stays locked until commit (on SQLite the write
		// transaction excludes every other writer), so the epic cannot
		// move between the check and the insert: a decision is always
		// about the state its epic is in when it is recorded.
		state, err := epicState(ctx, tx, v.EpicID, s.d.forUpdate)
		if err != nil {
			return err
		}
		if err := lpm.DecisionFits(v.Kind, state); err != nil {
			return err
		}
		// Stamped under the lock, as moves are, so that an epic's
		// decisions and moves are in the order they were allowed.
		v.DecidedAt = lpm.Now()
		return insertDecision(ctx, tx, v)
	})
	if err != nil {
		return err
	}
	*d = *v
	return nil
}

// epicState reads the state of an epic; lock is "" or the dialect's FOR
// UPDATE. ENOTFOUND when there is no such epic.
func epicState(ctx context.Context, q querier, id int64, lock string) (lpm.State, error) {
	var state lpm.State
	err := q.QueryRowContext(ctx, epicStateSQL+lock, id).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("epic", id)
	}
	if err != nil {
		return "", fmt.Errorf("look up epic %d: %w", id, err)
	}
	return state, nil
}

// insertDecision writes d and sets its ID.
func insertDecision(ctx context.Context, tx *dbtx, d *lpm.Decision) error {
	err := tx.QueryRowContext(ctx, insertDecisionSQL, d.EpicID, string(d.Kind), d.Outcome, d.Rationale, d.DecidedBy, toMicros(d.DecidedAt),
		nullID(d.NewEpicID)).Scan(&d.ID)
	if err != nil {
		return fmt.Errorf("insert %s decision for epic %d: %w", d.Kind, d.EpicID, err)
	}
	return nil
}

// FindDecisions returns the epic's decisions, oldest first.
func (s *Store) FindDecisions(ctx context.Context, epicID int64) ([]lpm.Decision, error) {
	var list []lpm.Decision
	err := s.inReadTx(ctx, "find decisions", func(tx *dbtx) error {
		var err error
		if list, err = findDecisions(ctx, tx, epicID); err != nil {
			return err
		}
		if len(list) == 0 {
			return epicExists(ctx, tx, epicID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// findDecisions reads the epic's decisions in the order lpm.PlanTransition
// expects: oldest first, ties in the order they were recorded.
func findDecisions(ctx context.Context, q querier, epicID int64) ([]lpm.Decision, error) {
	list, err := queryAll(ctx, q, scanDecision, findDecisionsSQL, epicID)
	if err != nil {
		return nil, fmt.Errorf("decisions of epic %d: %w", epicID, err)
	}
	return list, nil
}

func scanDecision(row scanner) (lpm.Decision, error) {
	var (
		d  lpm.Decision
		at int64
	)
	err := row.Scan(&d.ID, &d.EpicID, &d.Kind, &d.Outcome, &d.Rationale, &d.DecidedBy, &at, &d.NewEpicID)
	d.DecidedAt = fromMicros(at)
	return d, err
}
