package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

var (
	forecastInputsSQL = fixed(`SELECT art, remaining_points, velocity, allocation FROM epic_art_shares
		WHERE epic_id = $1 ORDER BY position`)
	clearForecastInputsSQL = fixed(`DELETE FROM epic_art_shares WHERE epic_id = $1`)
	insertForecastInputSQL = fixed(`INSERT INTO epic_art_shares (epic_id, position, art, remaining_points, velocity, allocation)
		VALUES ($1, $2, $3, $4, $5, $6)`)
	valueStreamARTsSQL = fixed(`SELECT arts FROM value_streams WHERE id = $1`)
)

func scanShare(row scanner) (lpm.ARTShare, error) {
	var s lpm.ARTShare
	return s, row.Scan(&s.ART, &s.RemainingPoints, &s.Velocity, &s.Allocation)
}

// ForecastInputs returns the ARTs' shares of an epic, in the order they were
// given; none before they are set. An unknown epic has none: callers that
// must tell it apart look the epic up.
func (s *Store) ForecastInputs(ctx context.Context, epicID int64) ([]lpm.ARTShare, error) {
	shares, err := queryAll(ctx, s.read, scanShare, forecastInputsSQL, epicID)
	if err != nil {
		return nil, fmt.Errorf("read forecast inputs of epic %d: %w", epicID, err)
	}
	return shares, nil
}

// SetForecastInputs replaces the ARTs' shares of an epic; needs EditEpic on
// it. Each ART must be one of the ARTs of the epic's value streams. The
// change is audited as epic.forecast_inputs.
func (s *Store) SetForecastInputs(ctx context.Context, epicID int64, shares []lpm.ARTShare, actor lpm.Actor) error {
	return s.inTx(ctx, "set forecast inputs", func(tx *dbtx) error {
		e, err := loadEpic(ctx, tx, epicID, s.d.forUpdate)
		if err != nil {
			return err
		}
		if err := actor.AuthorizeEpic(lpm.EditEpic, e); err != nil {
			return err
		}
		if err := lpm.ValidateShares(shares); err != nil {
			return err
		}
		var arts []string
		for _, vs := range e.ValueStreamIDs {
			var raw string
			if err := tx.QueryRowContext(ctx, valueStreamARTsSQL, vs).Scan(&raw); err != nil {
				return fmt.Errorf("read the ARTs of value stream %d: %w", vs, err)
			}
			list, err := fromJSON[lpm.ART](raw)
			if err != nil {
				return fmt.Errorf("read the ARTs of value stream %d: %w", vs, err)
			}
			for _, a := range list {
				if !slices.Contains(arts, a.Name) {
					arts = append(arts, a.Name)
				}
			}
		}
		if err := lpm.CheckShareARTs(shares, arts); err != nil {
			return err
		}
		before, err := queryAll(ctx, tx, scanShare, forecastInputsSQL, epicID)
		if err != nil {
			return fmt.Errorf("read forecast inputs of epic %d: %w", epicID, err)
		}
		if _, err := tx.ExecContext(ctx, clearForecastInputsSQL, epicID); err != nil {
			return fmt.Errorf("clear forecast inputs of epic %d: %w", epicID, err)
		}
		for i, sh := range shares {
			if _, err := tx.ExecContext(ctx, insertForecastInputSQL, epicID, i, sh.ART, sh.RemainingPoints, sh.Velocity, sh.Allocation); err != nil {
				return fmt.Errorf("store forecast input %s of epic %d: %w", sh.ART, epicID, err)
			}
		}
		return audit(ctx, tx, actor, lpm.Now(), record{action: "epic.forecast_inputs", object: "epic", id: epicID,
			chain: e.PortfolioID, before: lpm.ForecastInputFields(before), after: lpm.ForecastInputFields(shares)})
	})
}

// portfolioForecastInputsSQL reads the shares of a portfolio's epics in some
// states, off the board index (portfolio_id, state) and the shares' primary
// key; the states fill $2, $3….
const portfolioForecastInputsSQL = `SELECT s.epic_id, s.art, s.remaining_points, s.velocity, s.allocation
	FROM epics e JOIN epic_art_shares s ON s.epic_id = e.id
	WHERE e.portfolio_id = $1 AND e.state IN (%s) ORDER BY s.epic_id, s.position`

// PortfolioForecastInputs returns the ARTs' shares of every epic of the
// portfolio in one of the states, by epic; epics without shares are absent.
func (s *Store) PortfolioForecastInputs(ctx context.Context, portfolioID int64, states []lpm.State) (map[int64][]lpm.ARTShare, error) {
	out := map[int64][]lpm.ARTShare{}
	if len(states) == 0 {
		return out, nil
	}
	args := []any{portfolioID}
	marks := make([]string, len(states))
	for i, st := range states {
		if !slices.Contains(lpm.States, st) {
			return nil, lpm.Errorf(lpm.EINVALID, "unknown state %q", st)
		}
		args = append(args, string(st))
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	rows, err := s.read.QueryContext(ctx, fmt.Sprintf(portfolioForecastInputsSQL, strings.Join(marks, ", ")), args...)
	if err != nil {
		return nil, fmt.Errorf("read forecast inputs of portfolio %d: %w", portfolioID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var sh lpm.ARTShare
		if err := rows.Scan(&id, &sh.ART, &sh.RemainingPoints, &sh.Velocity, &sh.Allocation); err != nil {
			return nil, fmt.Errorf("read forecast inputs of portfolio %d: %w", portfolioID, err)
		}
		out[id] = append(out[id], sh)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read forecast inputs of portfolio %d: %w", portfolioID, err)
	}
	return out, nil
}
