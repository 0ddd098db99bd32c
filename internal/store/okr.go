package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Objectives and key results of strategic themes, and check-ins. Each
// change needs ManageThemes in the theme's portfolio and is audited in that
// portfolio's chain; objectives and key results carry their portfolio so
// that the check needs no join.

const (
	objectiveColumns = `id, theme_id, portfolio_id, title, description, owner, period_start, period_end, created_at`
	keyResultColumns = `id, objective_id, portfolio_id, title, unit, baseline, target, weight, created_at`
	checkInColumns   = `id, key_result_id, at, value, confidence, status, note, recorded_by, recorded_at`
)

var (
	themePortfolioSQL  = fixed(`SELECT portfolio_id FROM themes WHERE id = $1`)
	insertObjectiveSQL = fixed(`INSERT INTO objectives (theme_id, portfolio_id, title, description, owner, period_start, period_end, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`)
	findObjectiveSQL   = fixed(`SELECT ` + objectiveColumns + ` FROM objectives WHERE id = $1`)
	updateObjectiveSQL = fixed(`UPDATE objectives SET title = $1, description = $2, owner = $3, period_start = $4, period_end = $5 WHERE id = $6`)
	themeObjectivesSQL = fixed(`SELECT ` + objectiveColumns + ` FROM objectives WHERE theme_id = $1 ORDER BY id`)

	insertKeyResultSQL = fixed(`INSERT INTO key_results (objective_id, portfolio_id, title, unit, baseline, target, weight, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`)
	findKeyResultSQL   = fixed(`SELECT ` + keyResultColumns + ` FROM key_results WHERE id = $1`)
	updateKeyResultSQL = fixed(`UPDATE key_results SET title = $1, unit = $2, baseline = $3, target = $4, weight = $5 WHERE id = $6`)
	themeKeyResultsSQL = fixed(`SELECT k.id, k.objective_id, k.portfolio_id, k.title, k.unit, k.baseline, k.target, k.weight, k.created_at
		FROM key_results k JOIN objectives o ON o.id = k.objective_id WHERE o.theme_id = $1 ORDER BY o.id, k.id`)
	keyResultPortfolioSQL = fixed(`SELECT portfolio_id FROM key_results WHERE id = $1`)

	insertCheckInSQL = fixed(`INSERT INTO check_ins (key_result_id, at, value, confidence, status, note, recorded_by, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`)
	listCheckInsSQL = fixed(`SELECT ` + checkInColumns + ` FROM check_ins WHERE key_result_id = $1 AND id > $2 ORDER BY id LIMIT $3`)
	// latestCheckInsSQL picks each key result's newest measurement off the
	// check_ins_latest index: the latest time, and of equal times the last
	// recorded (lpm.CheckIn.Latest).
	latestCheckInsSQL = fixed(`SELECT c.id, c.key_result_id, c.at, c.value, c.confidence, c.status, c.note, c.recorded_by, c.recorded_at
		FROM key_results k JOIN objectives o ON o.id = k.objective_id
		JOIN check_ins c ON c.id = (SELECT c2.id FROM check_ins c2 WHERE c2.key_result_id = k.id ORDER BY c2.at DESC, c2.id DESC LIMIT 1)
		WHERE o.theme_id = $1 ORDER BY o.id, k.id`)
)

func scanObjective(row scanner) (*lpm.Objective, error) {
	var (
		o          lpm.Objective
		start, end sql.NullString
		created    int64
	)
	if err := row.Scan(&o.ID, &o.ThemeID, &o.PortfolioID, &o.Title, &o.Description, &o.Owner, &start, &end, &created); err != nil {
		return nil, err
	}
	var err error
	if o.PeriodStart, err = fromNullDate(start); err != nil {
		return nil, err
	}
	if o.PeriodEnd, err = fromNullDate(end); err != nil {
		return nil, err
	}
	o.CreatedAt = fromMicros(created)
	return &o, nil
}

func scanKeyResult(row scanner) (*lpm.KeyResult, error) {
	var (
		k       lpm.KeyResult
		created int64
	)
	if err := row.Scan(&k.ID, &k.ObjectiveID, &k.PortfolioID, &k.Title, &k.Unit, &k.Baseline, &k.Target, &k.Weight, &created); err != nil {
		return nil, err
	}
	k.CreatedAt = fromMicros(created)
	return &k, nil
}

func scanCheckIn(row scanner) (*lpm.CheckIn, error) {
	var (
		c            lpm.CheckIn
		at, recorded int64
	)
	if err := row.Scan(&c.ID, &c.KeyResultID, &at, &c.Value, &c.Confidence, &c.Status, &c.Note, &c.By, &recorded); err != nil {
		return nil, err
	}
	c.At, c.RecordedAt = fromMicros(at), fromMicros(recorded)
	return &c, nil
}

// authorizeIn checks ManageThemes in the portfolio of the object what/id,
// which is ENOTFOUND (worded as for a missing one) to an actor who may not
// see that portfolio.
func authorizeIn(actor lpm.Actor, portfolioID int64, what string, id int64) error {
	return actor.AuthorizeObject(lpm.ManageThemes, lpm.PortfolioTarget(portfolioID), what, id)
}

// checkOwner refuses an owner who is not a user.
func checkOwner(ctx context.Context, q querier, owner string) error {
	if owner == "" {
		return nil
	}
	var id int64
	err := q.QueryRowContext(ctx, userIDSQL, owner).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return invalid("objective", "owner", "exists", "there is no user named %q", owner)
	}
	if err != nil {
		return fmt.Errorf("look up user %q: %w", owner, err)
	}
	return nil
}

// CreateObjective stores o for its theme and sets its ID and PortfolioID.
func (s *Store) CreateObjective(ctx context.Context, o *lpm.Objective, actor lpm.Actor) error {
	c := *o
	if c.CreatedAt.IsZero() {
		c.CreatedAt = lpm.Now()
	}
	err := s.inTx(ctx, "create objective", func(tx *dbtx) error {
		pid, err := portfolioOf(ctx, tx, themePortfolioSQL, "strategic theme", c.ThemeID)
		if err != nil {
			return err
		}
		if err := authorizeIn(actor, pid, "strategic theme", c.ThemeID); err != nil {
			return err
		}
		if err := c.Validate(); err != nil {
			return err
		}
		if err := checkOwner(ctx, tx, c.Owner); err != nil {
			return err
		}
		c.PortfolioID = pid
		if err := tx.QueryRowContext(ctx, insertObjectiveSQL, c.ThemeID, pid, c.Title, c.Description, c.Owner,
			toNullDate(c.PeriodStart), toNullDate(c.PeriodEnd), toMicros(c.CreatedAt)).Scan(&c.ID); err != nil {
			return fmt.Errorf("insert objective: %w", err)
		}
		return audit(ctx, tx, actor, lpm.Now(), record{action: "objective.create", object: "objective", id: c.ID,
			chain: pid, after: c.AuditFields()})
	})
	if err != nil {
		return err
	}
	*o = c
	return nil
}

// UpdateObjective applies upd to the objective and returns it as stored.
func (s *Store) UpdateObjective(ctx context.Context, id int64, upd lpm.ObjectiveUpdate, actor lpm.Actor) (*lpm.Objective, error) {
	var o *lpm.Objective
	err := s.inTx(ctx, "update objective", func(tx *dbtx) error {
		old, err := loadOne(ctx, tx, scanObjective, findObjectiveSQL+s.d.forUpdate, "objective", id)
		if err != nil {
			return err
		}
		if err := authorizeIn(actor, old.PortfolioID, "objective", id); err != nil {
			return err
		}
		if o, err = upd.Apply(*old); err != nil {
			return err
		}
		if err := checkOwner(ctx, tx, o.Owner); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, updateObjectiveSQL, o.Title, o.Description, o.Owner,
			toNullDate(o.PeriodStart), toNullDate(o.PeriodEnd), id); err != nil {
			return fmt.Errorf("update objective %d: %w", id, err)
		}
		return audit(ctx, tx, actor, lpm.Now(), record{action: "objective.update", object: "objective", id: id,
			chain: o.PortfolioID, before: old.AuditFields(), after: o.AuditFields()})
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// FindObjectiveByID returns the objective, ENOTFOUND if there is none.
func (s *Store) FindObjectiveByID(ctx context.Context, id int64) (*lpm.Objective, error) {
	return loadOne(ctx, s.read, scanObjective, findObjectiveSQL, "objective", id)
}

// CreateKeyResult stores k for its objective and sets its ID and PortfolioID.
func (s *Store) CreateKeyResult(ctx context.Context, k *lpm.KeyResult, actor lpm.Actor) error {
	c := *k
	if c.CreatedAt.IsZero() {
		c.CreatedAt = lpm.Now()
	}
	err := s.inTx(ctx, "create key result", func(tx *dbtx) error {
		o, err := loadOne(ctx, tx, scanObjective, findObjectiveSQL, "objective", c.ObjectiveID)
		if err != nil {
			return err
		}
		if err := authorizeIn(actor, o.PortfolioID, "objective", c.ObjectiveID); err != nil {
			return err
		}
		if err := c.Validate(); err != nil {
			return err
		}
		c.PortfolioID = o.PortfolioID
		if err := tx.QueryRowContext(ctx, insertKeyResultSQL, c.ObjectiveID, c.PortfolioID, c.Title, c.Unit,
			c.Baseline, c.Target, c.Weight, toMicros(c.CreatedAt)).Scan(&c.ID); err != nil {
			return fmt.Errorf("insert key result: %w", err)
		}
		return audit(ctx, tx, actor, lpm.Now(), record{action: "key_result.create", object: "key_result", id: c.ID,
			chain: c.PortfolioID, after: c.AuditFields()})
	})
	if err != nil {
		return err
	}
	*k = c
	return nil
}

// UpdateKeyResult applies upd to the key result and returns it as stored.
func (s *Store) UpdateKeyResult(ctx context.Context, id int64, upd lpm.KeyResultUpdate, actor lpm.Actor) (*lpm.KeyResult, error) {
	var k *lpm.KeyResult
	err := s.inTx(ctx, "update key result", func(tx *dbtx) error {
		old, err := loadOne(ctx, tx, scanKeyResult, findKeyResultSQL+s.d.forUpdate, "key result", id)
		if err != nil {
			return err
		}
		if err := authorizeIn(actor, old.PortfolioID, "key result", id); err != nil {
			return err
		}
		if k, err = upd.Apply(*old); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, updateKeyResultSQL, k.Title, k.Unit, k.Baseline, k.Target, k.Weight, id); err != nil {
			return fmt.Errorf("update key result %d: %w", id, err)
		}
		return audit(ctx, tx, actor, lpm.Now(), record{action: "key_result.update", object: "key_result", id: id,
			chain: k.PortfolioID, before: old.AuditFields(), after: k.AuditFields()})
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// FindKeyResultByID returns the key result, ENOTFOUND if there is none.
func (s *Store) FindKeyResultByID(ctx context.Context, id int64) (*lpm.KeyResult, error) {
	return loadOne(ctx, s.read, scanKeyResult, findKeyResultSQL, "key result", id)
}

// AddCheckIns stores check-ins of key results of the portfolio, all or none:
// a key result that does not exist, or belongs to another portfolio, is
// EINVALID naming the check-in's place in the list. It sets ID, By and
// RecordedAt of each.
func (s *Store) AddCheckIns(ctx context.Context, portfolioID int64, checkIns []*lpm.CheckIn, actor lpm.Actor) error {
	if err := authorizeIn(actor, portfolioID, "portfolio", portfolioID); err != nil {
		return err
	}
	var bad []lpm.Violation
	now := lpm.Now()
	for i, c := range checkIns {
		if err := c.ValidateAt(now); err != nil {
			bad = append(bad, lpm.Violation{Field: fmt.Sprintf("check_ins[%d].at", i), Rule: "range", Message: lpm.AsError(err).Message})
		}
		if err := c.Validate(); err != nil {
			for _, v := range lpm.AsError(err).Violations {
				v.Field = fmt.Sprintf("check_ins[%d].%s", i, v.Field)
				bad = append(bad, v)
			}
		}
	}
	if len(bad) > 0 {
		return &lpm.Error{Code: lpm.EINVALID, Message: "invalid check-ins", Violations: bad}
	}
	stored := make([]lpm.CheckIn, len(checkIns))
	err := s.inTx(ctx, "add check-ins", func(tx *dbtx) error {
		if err := portfolioExists(ctx, tx, portfolioID); err != nil {
			return err
		}
		refs := make([]portfolioRef, len(checkIns))
		for i, c := range checkIns {
			refs[i] = portfolioRef{fmt.Sprintf("check_ins[%d].key_result_id", i), "key result", keyResultPortfolioSQL, c.KeyResultID}
		}
		bad, err := foreignRefs(ctx, tx, portfolioID, refs...)
		if err != nil {
			return err
		}
		if len(bad) > 0 {
			return &lpm.Error{Code: lpm.EINVALID, Message: "invalid check-ins", Violations: bad}
		}
		records := make([]record, len(checkIns))
		for i, c := range checkIns {
			stored[i] = *c
			sc := &stored[i]
			sc.By, sc.RecordedAt = actor.Name, now
			// Stored to the microsecond: answer what is stored.
			sc.At = sc.At.UTC().Truncate(time.Microsecond)
			if err := tx.QueryRowContext(ctx, insertCheckInSQL, sc.KeyResultID, toMicros(sc.At), sc.Value, sc.Confidence,
				string(sc.Status), sc.Note, sc.By, toMicros(now)).Scan(&sc.ID); err != nil {
				return fmt.Errorf("insert check-in of key result %d: %w", sc.KeyResultID, err)
			}
			records[i] = record{action: "check_in.create", object: "check_in", id: sc.ID, chain: portfolioID, after: sc.AuditFields()}
		}
		return audit(ctx, tx, actor, now, records...)
	})
	if err != nil {
		return err
	}
	for i := range checkIns {
		*checkIns[i] = stored[i]
	}
	return nil
}

// FindCheckIns lists a key result's check-ins in the order they were
// recorded (by ID). An unknown key result has none.
func (s *Store) FindCheckIns(ctx context.Context, keyResultID int64, page lpm.Page) ([]*lpm.CheckIn, string, error) {
	pq, err := readPage(page)
	if err != nil {
		return nil, "", err
	}
	list, err := queryAll(ctx, s.read, scanCheckIn, listCheckInsSQL, keyResultID, pq.after, pq.limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list check-ins of key result %d: %w", keyResultID, err)
	}
	list, next := trimPage(list, pq, func(c *lpm.CheckIn) int64 { return c.ID })
	return list, next, nil
}

// ThemeOKRs returns the theme's objectives and key results by ID and the
// latest check-in of each key result, read in one transaction so that they
// agree with each other.
func (s *Store) ThemeOKRs(ctx context.Context, themeID int64) (objectives []*lpm.Objective, keyResults []*lpm.KeyResult, latest []*lpm.CheckIn, err error) {
	err = s.inReadTx(ctx, "read OKRs", func(tx *dbtx) error {
		var err error
		if objectives, err = queryAll(ctx, tx, scanObjective, themeObjectivesSQL, themeID); err != nil {
			return fmt.Errorf("list objectives of theme %d: %w", themeID, err)
		}
		if keyResults, err = queryAll(ctx, tx, scanKeyResult, themeKeyResultsSQL, themeID); err != nil {
			return fmt.Errorf("list key results of theme %d: %w", themeID, err)
		}
		if latest, err = queryAll(ctx, tx, scanCheckIn, latestCheckInsSQL, themeID); err != nil {
			return fmt.Errorf("list latest check-ins of theme %d: %w", themeID, err)
		}
		return nil
	})
	return objectives, keyResults, latest, err
}

// loadOne reads one row with query and scan, ENOTFOUND (what id) when there
// is none.
func loadOne[T any](ctx context.Context, q querier, scan func(scanner) (T, error), query, what string, id int64) (T, error) {
	v, err := scan(q.QueryRowContext(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		var zero T
		return zero, notFound(what, id)
	}
	if err != nil {
		var zero T
		return zero, fmt.Errorf("load %s %d: %w", what, id, err)
	}
	return v, nil
}
