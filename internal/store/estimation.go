package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/lpm-project/lpm/internal/lpm"
)

// WSJF estimation rounds: who may open and close them (RunEstimation) and
// score in them (EstimateWSJF) is checked here, in each transaction, and
// every change is audited in the portfolio's chain as the round's.

const roundColumns = `id, portfolio_id, title, closed, created_by, created_at, closed_at`

var (
	insertRoundSQL = fixed(`INSERT INTO estimation_rounds (portfolio_id, title, closed, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`)
	insertRoundEpicSQL = fixed(`INSERT INTO estimation_round_epics (round_id, position, epic_id) VALUES ($1, $2, $3)`)
	findRoundSQL       = fixed(`SELECT ` + roundColumns + ` FROM estimation_rounds WHERE id = $1`)
	listRoundsSQL      = fixed(`SELECT ` + roundColumns + ` FROM estimation_rounds WHERE portfolio_id = $1 AND id > $2 ORDER BY id LIMIT $3`)
	roundEpicsSQL      = fixed(`SELECT epic_id FROM estimation_round_epics WHERE round_id = $1 ORDER BY position`)
	// The epics of the rounds of a page (ids first to last), by round.
	pageRoundEpicsSQL = fixed(`SELECT re.round_id, re.epic_id FROM estimation_round_epics re
		JOIN estimation_rounds r ON r.id = re.round_id
		WHERE r.portfolio_id = $1 AND r.id >= $2 AND r.id <= $3 ORDER BY re.round_id, re.position`)
	closeRoundSQL     = fixed(`UPDATE estimation_rounds SET closed = $1, closed_at = $2 WHERE id = $3`)
	upsertEstimateSQL = fixed(`INSERT INTO estimates (round_id, epic_id, estimator, user_business_value, time_criticality,
		risk_reduction, job_size, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (round_id, epic_id, estimator) DO UPDATE SET user_business_value = excluded.user_business_value,
		time_criticality = excluded.time_criticality, risk_reduction = excluded.risk_reduction, job_size = excluded.job_size,
		at = excluded.at`)
	roundEstimatesSQL = fixed(`SELECT round_id, epic_id, estimator, user_business_value, time_criticality, risk_reduction, job_size, at
		FROM estimates WHERE round_id = $1 ORDER BY epic_id, estimator`)
)

func scanRound(row scanner) (*lpm.EstimationRound, error) {
	var (
		r       lpm.EstimationRound
		created int64
		closed  sql.NullInt64
	)
	if err := row.Scan(&r.ID, &r.PortfolioID, &r.Title, &r.Closed, &r.CreatedBy, &created, &closed); err != nil {
		return nil, err
	}
	r.CreatedAt = fromMicros(created)
	if closed.Valid {
		r.ClosedAt = fromMicros(closed.Int64)
	}
	return &r, nil
}

func scanEstimate(row scanner) (lpm.Estimate, error) {
	var (
		e  lpm.Estimate
		at int64
	)
	err := row.Scan(&e.RoundID, &e.EpicID, &e.Estimator, &e.Scores.UserBusinessValue, &e.Scores.TimeCriticality,
		&e.Scores.RiskReduction, &e.Scores.JobSize, &at)
	e.At = fromMicros(at)
	return e, err
}

// loadRound reads a round with its epics; lock is "" or FOR UPDATE.
func loadRound(ctx context.Context, q querier, id int64, lock string) (*lpm.EstimationRound, error) {
	r, err := loadOne(ctx, q, scanRound, findRoundSQL+lock, "estimation round", id)
	if err != nil {
		return nil, err
	}
	if r.EpicIDs, err = queryAll(ctx, q, scanValue[int64], roundEpicsSQL, id); err != nil {
		return nil, fmt.Errorf("read the epics of estimation round %d: %w", id, err)
	}
	return r, nil
}

func roundFields(r *lpm.EstimationRound) lpm.Fields {
	return lpm.Fields{"title": r.Title, "epic_ids": r.EpicIDs, "closed": r.Closed}
}

// CreateRound stores a round for r.PortfolioID with its epics, which must be
// the portfolio's and not done; needs RunEstimation.
func (s *Store) CreateRound(ctx context.Context, r *lpm.EstimationRound, actor lpm.Actor) error {
	if err := actor.AuthorizeObject(lpm.RunEstimation, lpm.PortfolioTarget(r.PortfolioID), "portfolio", r.PortfolioID); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	c := *r
	c.Closed, c.CreatedBy, c.CreatedAt = false, actor.Name, lpm.Now()
	err := s.inTx(ctx, "create estimation round", func(tx *dbtx) error {
		if err := portfolioExists(ctx, tx, c.PortfolioID); err != nil {
			return err
		}
		var bad []lpm.Violation
		for i, id := range c.EpicIDs {
			e, err := loadEpicTarget(ctx, tx, id, "")
			switch {
			case lpm.ErrorCodeOf(err) == lpm.ENOTFOUND || (err == nil && e.PortfolioID != c.PortfolioID):
				bad = append(bad, lpm.Violation{Field: fmt.Sprintf("epic_ids[%d]", i), Rule: "exists",
					Message: fmt.Sprintf("portfolio %d has no epic %d", c.PortfolioID, id)})
			case err != nil:
				return err
			case e.State == lpm.Done:
				bad = append(bad, lpm.Violation{Field: fmt.Sprintf("epic_ids[%d]", i), Rule: "not_done",
					Message: fmt.Sprintf("epic %s is done; its WSJF no longer orders anything", e.Key)})
			}
		}
		if len(bad) > 0 {
			return &lpm.Error{Code: lpm.EINVALID, Message: "invalid estimation round", Violations: bad}
		}
		if err := tx.QueryRowContext(ctx, insertRoundSQL, c.PortfolioID, c.Title, false, c.CreatedBy, toMicros(c.CreatedAt)).Scan(&c.ID); err != nil {
			return fmt.Errorf("insert estimation round: %w", err)
		}
		for i, id := range c.EpicIDs {
			if _, err := tx.ExecContext(ctx, insertRoundEpicSQL, c.ID, i, id); err != nil {
				return fmt.Errorf("add epic %d to estimation round %d: %w", id, c.ID, err)
			}
		}
		return audit(ctx, tx, actor, c.CreatedAt, record{action: "estimation_round.create", object: "estimation_round",
			id: c.ID, chain: c.PortfolioID, after: roundFields(&c)})
	})
	if err != nil {
		return err
	}
	*r = c
	return nil
}

// FindRound returns a round with its epics, ENOTFOUND if there is none.
func (s *Store) FindRound(ctx context.Context, id int64) (*lpm.EstimationRound, error) {
	return loadRound(ctx, s.read, id, "")
}

// FindRounds lists a portfolio's rounds by ID, with their epics.
func (s *Store) FindRounds(ctx context.Context, portfolioID int64, page lpm.Page) ([]*lpm.EstimationRound, string, error) {
	pq, err := readPage(page)
	if err != nil {
		return nil, "", err
	}
	var (
		list []*lpm.EstimationRound
		next string
	)
	err = s.inReadTx(ctx, "list estimation rounds", func(tx *dbtx) error {
		if list, err = queryAll(ctx, tx, scanRound, listRoundsSQL, portfolioID, pq.after, pq.limit+1); err != nil {
			return fmt.Errorf("list estimation rounds of portfolio %d: %w", portfolioID, err)
		}
		list, next = trimPage(list, pq, func(r *lpm.EstimationRound) int64 { return r.ID })
		if len(list) == 0 {
			return nil
		}
		// One query for the epics of every round of the page.
		type roundEpic struct{ round, epic int64 }
		pairs, err := queryAll(ctx, tx, func(row scanner) (roundEpic, error) {
			var p roundEpic
			return p, row.Scan(&p.round, &p.epic)
		}, pageRoundEpicsSQL, portfolioID, list[0].ID, list[len(list)-1].ID)
		if err != nil {
			return fmt.Errorf("read the epics of the estimation rounds of portfolio %d: %w", portfolioID, err)
		}
		byRound := make(map[int64]*lpm.EstimationRound, len(list))
		for _, r := range list {
			byRound[r.ID] = r
		}
		for _, p := range pairs {
			if r, ok := byRound[p.round]; ok {
				r.EpicIDs = append(r.EpicIDs, p.epic)
			}
		}
		return nil
	})
	return list, next, err
}

// SubmitEstimates stores the actor's scores for epics of an open round, all
// or none, each replacing the actor's earlier score of that epic; needs
// EstimateWSJF. ECONFLICT once the round is closed.
func (s *Store) SubmitEstimates(ctx context.Context, roundID int64, estimates []lpm.Estimate, actor lpm.Actor) error {
	var bad []lpm.Violation
	for i := range estimates {
		if err := estimates[i].Validate(); err != nil {
			for _, v := range lpm.AsError(err).Violations {
				v.Field = fmt.Sprintf("estimates[%d].%s", i, v.Field)
				bad = append(bad, v)
			}
		}
	}
	return s.inTx(ctx, "submit estimates", func(tx *dbtx) error {
		r, err := loadRound(ctx, tx, roundID, s.d.forUpdate)
		if err != nil {
			return err
		}
		if err := actor.AuthorizeObject(lpm.EstimateWSJF, lpm.PortfolioTarget(r.PortfolioID), "estimation round", roundID); err != nil {
			return err
		}
		if len(bad) > 0 {
			return &lpm.Error{Code: lpm.EINVALID, Message: "invalid estimates", Violations: bad}
		}
		if r.Closed {
			return lpm.Errorf(lpm.ECONFLICT, "estimation round %d is closed: its agreed values were applied", roundID)
		}
		var notInRound []lpm.Violation
		seen := map[int64]bool{}
		for i, e := range estimates {
			switch {
			case !slices.Contains(r.EpicIDs, e.EpicID):
				notInRound = append(notInRound, lpm.Violation{Field: fmt.Sprintf("estimates[%d].epic_id", i), Rule: "exists",
					Message: fmt.Sprintf("estimation round %d has no epic %d", roundID, e.EpicID)})
			case seen[e.EpicID]:
				notInRound = append(notInRound, lpm.Violation{Field: fmt.Sprintf("estimates[%d].epic_id", i), Rule: "unique",
					Message: fmt.Sprintf("epic %d is scored twice in one request", e.EpicID)})
			}
			seen[e.EpicID] = true
		}
		if len(notInRound) > 0 {
			return &lpm.Error{Code: lpm.EINVALID, Message: "invalid estimates", Violations: notInRound}
		}
		now := lpm.Now()
		records := make([]record, len(estimates))
		for i, e := range estimates {
			c := e.Scores
			if _, err := tx.ExecContext(ctx, upsertEstimateSQL, roundID, e.EpicID, actor.Name, c.UserBusinessValue,
				c.TimeCriticality, c.RiskReduction, c.JobSize, toMicros(now)); err != nil {
				return fmt.Errorf("store the estimate of epic %d: %w", e.EpicID, err)
			}
			records[i] = record{action: "estimation_round.estimate", object: "estimation_round", id: roundID, chain: r.PortfolioID,
				after: lpm.Fields{"epic_id": e.EpicID, "estimator": actor.Name, "user_business_value": c.UserBusinessValue,
					"time_criticality": c.TimeCriticality, "risk_reduction": c.RiskReduction, "job_size": c.JobSize}}
		}
		return audit(ctx, tx, actor, now, records...)
	})
}

// RoundEstimates returns every estimate of a round, by epic and estimator.
func (s *Store) RoundEstimates(ctx context.Context, roundID int64) ([]lpm.Estimate, error) {
	list, err := queryAll(ctx, s.read, scanEstimate, roundEstimatesSQL, roundID)
	if err != nil {
		return nil, fmt.Errorf("read the estimates of estimation round %d: %w", roundID, err)
	}
	return list, nil
}

// CloseRound applies the values agreed for epics of an open round to those
// epics (each an epic update, audited and versioned like any other) and
// closes the round, all or nothing; needs RunEstimation, and EditEpic on
// each epic. With acceptSuggested, every scored epic that agreed does not
// name takes the round's suggestion, computed from the estimates as they
// stand inside this transaction. Epics left out keep their WSJF; an epic
// that went to done since the round opened cannot be agreed on, and is
// left out of the suggestions.
func (s *Store) CloseRound(ctx context.Context, roundID int64, agreed []lpm.Agreement, acceptSuggested bool, actor lpm.Actor) ([]*lpm.Epic, error) {
	var updated []*lpm.Epic
	err := s.inTx(ctx, "close estimation round", func(tx *dbtx) error {
		r, err := loadRound(ctx, tx, roundID, s.d.forUpdate)
		if err != nil {
			return err
		}
		if err := actor.AuthorizeObject(lpm.RunEstimation, lpm.PortfolioTarget(r.PortfolioID), "estimation round", roundID); err != nil {
			return err
		}
		if r.Closed {
			return lpm.Errorf(lpm.ECONFLICT, "estimation round %d is closed already", roundID)
		}
		// The epics' states, locked: none may go to done while the values
		// are applied.
		state := map[int64]*lpm.Epic{}
		for _, id := range r.EpicIDs {
			e, err := loadEpicTarget(ctx, tx, id, s.d.forUpdate)
			if err != nil {
				return err
			}
			state[id] = e
		}
		values := map[int64]lpm.WSJFComponents{}
		var bad []lpm.Violation
		for i, a := range agreed {
			field := fmt.Sprintf("agreed[%d]", i)
			e, inRound := state[a.EpicID]
			switch _, twice := values[a.EpicID]; {
			case !inRound:
				bad = append(bad, lpm.Violation{Field: field + ".epic_id", Rule: "exists", Message: fmt.Sprintf("estimation round %d has no epic %d", roundID, a.EpicID)})
				continue
			case twice:
				bad = append(bad, lpm.Violation{Field: field + ".epic_id", Rule: "unique", Message: fmt.Sprintf("epic %s is agreed twice", e.Key)})
				continue
			case e.State == lpm.Done:
				bad = append(bad, lpm.Violation{Field: field + ".epic_id", Rule: "not_done", Message: fmt.Sprintf("epic %s went to done since the round opened; its WSJF no longer orders anything", e.Key)})
				continue
			}
			values[a.EpicID] = a.Scores
			if err := (&lpm.Estimate{Scores: a.Scores}).Validate(); err != nil {
				for _, v := range lpm.AsError(err).Violations {
					v.Field = field + "." + v.Field
					bad = append(bad, v)
				}
			}
		}
		if len(bad) > 0 {
			return &lpm.Error{Code: lpm.EINVALID, Message: "invalid agreed values", Violations: bad}
		}
		if acceptSuggested {
			estimates, err := queryAll(ctx, tx, scanEstimate, roundEstimatesSQL, roundID)
			if err != nil {
				return fmt.Errorf("read the estimates of estimation round %d: %w", roundID, err)
			}
			for _, sp := range lpm.Spreads(r.EpicIDs, estimates) {
				if _, named := values[sp.EpicID]; !named && len(sp.Estimators) > 0 && state[sp.EpicID].State != lpm.Done {
					values[sp.EpicID] = sp.Suggested
				}
			}
		}
		// In the round's order, so that the audit trail reads as the round.
		for _, id := range r.EpicIDs {
			c, ok := values[id]
			if !ok {
				continue
			}
			e, err := s.updateEpic(ctx, tx, id, lpm.EpicUpdate{WSJF: &lpm.WSJFUpdate{UserBusinessValue: &c.UserBusinessValue,
				TimeCriticality: &c.TimeCriticality, RiskReduction: &c.RiskReduction, JobSize: &c.JobSize}}, actor)
			if err != nil {
				return fmt.Errorf("apply the agreed WSJF to epic %d: %w", id, err)
			}
			updated = append(updated, e)
		}
		before := roundFields(r)
		r.Closed = true
		now := lpm.Now()
		if _, err := tx.ExecContext(ctx, closeRoundSQL, true, toMicros(now), roundID); err != nil {
			return fmt.Errorf("close estimation round %d: %w", roundID, err)
		}
		return audit(ctx, tx, actor, now, record{action: "estimation_round.close", object: "estimation_round", id: roundID,
			chain: r.PortfolioID, before: before, after: roundFields(r)})
	})
	if err != nil {
		return nil, err
	}
	return updated, nil
}
