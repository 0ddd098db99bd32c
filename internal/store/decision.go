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
	epicStateSQL  = fixed(`SELECT state FROM epics WHERE id = $1`)
	epicTargetSQL = fixed(`SELECT e.portfolio_id, e.key, e.type,
		COALESCE((SELECT u.name FROM users u WHERE u.id = e.epic_owner_id), ''), e.state
		FROM epics e WHERE e.id = $1`)
)

// CreateDecision records a decision about an epic; needs
// lpm.DecisionAction(d.Kind) on the epic. The domain validates it
// (lpm.NewDecision) and says whether a decision of its kind is taken about
// an epic in the state the epic is in (lpm.DecisionFits: a go about an epic
// in analysis, none about a done one). d gets its ID and decision time.
func (s *Store) CreateDecision(ctx context.Context, d *lpm.Decision, actor lpm.Actor) error {
	var v *lpm.Decision
	err := s.inTx(ctx, "create decision", func(tx *dbtx) error {
		// The epic's row stays locked until commit (on SQLite the write
		// transaction excludes every other writer), so the epic cannot
		// move between the check and the insert: a decision is always
		// about the state its epic is in when it is recorded.
		e, err := loadEpicTarget(ctx, tx, d.EpicID, s.d.forUpdate)
		if err != nil {
			return err
		}
		// Who may decide comes first: an actor who may not see the epic
		// learns nothing from the validation.
		if err := actor.AuthorizeEpic(lpm.DecisionAction(d.Kind), e); err != nil {
			return err
		}
		if v, err = lpm.NewDecision(*d, lpm.Now()); err != nil {
			return err
		}
		if err := lpm.DecisionFits(v.Kind, e.State); err != nil {
			return err
		}
		// Stamped under the lock, as moves are, so that an epic's
		// decisions and moves are in the order they were allowed.
		v.DecidedAt = lpm.Now()
		if err := insertDecision(ctx, tx, v); err != nil {
			return err
		}
		return audit(ctx, tx, actor, v.DecidedAt, record{action: "decision.create", object: "decision", id: v.ID,
			chain: e.PortfolioID, after: v.AuditFields()})
	})
	if err != nil {
		return err
	}
	*d = *v
	return nil
}

// loadEpicTarget reads what permissions and decisions need of an epic:
// portfolio, key, type, owner and state. lock is "" or the dialect's FOR
// UPDATE. ENOTFOUND when there is no such epic.
func loadEpicTarget(ctx context.Context, q querier, id int64, lock string) (*lpm.Epic, error) {
	e := &lpm.Epic{ID: id}
	err := q.QueryRowContext(ctx, epicTargetSQL+lock, id).Scan(&e.PortfolioID, &e.Key, &e.Type, &e.EpicOwner, &e.State)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("epic", id)
	}
	if err != nil {
		return nil, fmt.Errorf("look up epic %d: %w", id, err)
	}
	return e, nil
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
