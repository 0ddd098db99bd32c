package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lpm-project/lpm/internal/lpm"
)

// CreateValueStream stores v and sets its ID; needs ManageValueStreams.
// Names are unique within a portfolio (ECONFLICT otherwise), and an
// operational value stream may only support development value streams of
// its own portfolio.
func (s *Store) CreateValueStream(ctx context.Context, v *lpm.ValueStream, actor lpm.Actor) error {
	if err := actor.AuthorizeObject(lpm.ManageValueStreams, lpm.PortfolioTarget(v.PortfolioID), "portfolio", v.PortfolioID); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	if v.CreatedAt.IsZero() {
		v.CreatedAt = lpm.Now()
	}
	c := *v
	err := s.inTx(ctx, "create value stream", func(tx *dbtx) error {
		if err := createValueStream(ctx, tx, &c); err != nil {
			return err
		}
		return audit(ctx, tx, actor, lpm.Now(), record{action: "value_stream.create", object: "value_stream", id: c.ID,
			chain: c.PortfolioID, after: c.AuditFields()})
	})
	if err != nil {
		return err
	}
	*v = c
	return nil
}

func createValueStream(ctx context.Context, tx *dbtx, v *lpm.ValueStream) error {
	if err := portfolioExists(ctx, tx, v.PortfolioID); err != nil {
		return err
	}
	arts, solutions, supports, err := checkedValueStreamLists(ctx, tx, v)
	if err != nil {
		return err
	}
	err = tx.QueryRowContext(ctx, insertValueStreamSQL, v.PortfolioID, v.Name, v.Description, string(v.Kind), arts, solutions, supports,
		toMicros(v.CreatedAt)).Scan(&v.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return valueStreamNameTaken(v.PortfolioID, v.Name)
	}
	if err != nil {
		return fmt.Errorf("insert value stream: %w", err)
	}
	return nil
}

// valueStreamNameTaken is the conflict of a second value stream of the
// portfolio with a name.
func valueStreamNameTaken(portfolioID int64, name string) error {
	return conflict("value stream", "name", "portfolio %d already has a value stream named %q", portfolioID, name)
}

// UpdateValueStream applies upd to the value stream and returns it as
// stored; needs ManageValueStreams. The rules of CreateValueStream hold: a
// new name must not be another value stream's of the portfolio (ECONFLICT),
// and the supported value streams must be development value streams of the
// portfolio.
func (s *Store) UpdateValueStream(ctx context.Context, id int64, upd lpm.ValueStreamUpdate, actor lpm.Actor) (*lpm.ValueStream, error) {
	var v *lpm.ValueStream
	err := s.inTx(ctx, "update value stream", func(tx *dbtx) error {
		old, err := loadOne(ctx, tx, scanValueStream, findValueStreamSQL+s.d.forUpdate, "value stream", id)
		if err != nil {
			return err
		}
		if err := actor.AuthorizeObject(lpm.ManageValueStreams, lpm.PortfolioTarget(old.PortfolioID), "value stream", id); err != nil {
			return err
		}
		if v, err = upd.Apply(*old); err != nil {
			return err
		}
		arts, solutions, supports, err := checkedValueStreamLists(ctx, tx, v)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, updateValueStreamSQL, v.Name, v.Description, arts, solutions, supports, id)
		if isUniqueViolation(err) {
			// Only the name is unique among the columns written here.
			return valueStreamNameTaken(v.PortfolioID, v.Name)
		}
		if err != nil {
			return fmt.Errorf("update value stream %d: %w", id, err)
		}
		return audit(ctx, tx, actor, lpm.Now(), record{action: "value_stream.update", object: "value_stream", id: id,
			chain: v.PortfolioID, before: old.AuditFields(), after: v.AuditFields()})
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// checkedValueStreamLists checks the value streams v supports and encodes
// its lists as their columns hold them.
func checkedValueStreamLists(ctx context.Context, tx *dbtx, v *lpm.ValueStream) (arts, solutions, supports string, err error) {
	if err = checkSupports(ctx, tx, v.PortfolioID, v.Supports); err != nil {
		return "", "", "", err
	}
	if arts, err = toJSON(v.ARTs); err != nil {
		return "", "", "", err
	}
	if solutions, err = toJSON(v.Solutions); err != nil {
		return "", "", "", err
	}
	if supports, err = toJSON(v.Supports); err != nil {
		return "", "", "", err
	}
	return arts, solutions, supports, nil
}

// checkSupports verifies that every id names a development value stream of
// the portfolio.
func checkSupports(ctx context.Context, q querier, portfolioID int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	found, err := existingIDs(ctx, q, `SELECT id FROM value_streams WHERE portfolio_id = $1 AND kind = 'development' AND id IN (%s)`,
		portfolioID, ids)
	if err != nil {
		return fmt.Errorf("check supported value streams: %w", err)
	}
	for _, id := range ids {
		if !found[id] {
			return invalid("value stream", "supports", "exists",
				"value stream %d is not a development value stream of portfolio %d", id, portfolioID)
		}
	}
	return nil
}

const valueStreamColumns = `id, portfolio_id, name, description, kind, arts, solutions, supports, created_at`

var (
	insertValueStreamSQL = fixed(`INSERT INTO value_streams (portfolio_id, name, description, kind, arts,
		solutions, supports, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (portfolio_id, name) DO NOTHING
		RETURNING id`)
	updateValueStreamSQL = fixed(`UPDATE value_streams SET name = $1, description = $2, arts = $3, solutions = $4,
		supports = $5 WHERE id = $6`)
	findValueStreamSQL  = fixed(`SELECT ` + valueStreamColumns + ` FROM value_streams WHERE id = $1`)
	listValueStreamsSQL = fixed(`SELECT ` + valueStreamColumns + ` FROM value_streams
		WHERE portfolio_id = $1 AND id > $2 ORDER BY id LIMIT $3`)
)

func scanValueStream(row scanner) (*lpm.ValueStream, error) {
	var (
		v                         lpm.ValueStream
		arts, solutions, supports string
		created                   int64
	)
	if err := row.Scan(&v.ID, &v.PortfolioID, &v.Name, &v.Description, &v.Kind, &arts, &solutions,
		&supports, &created); err != nil {
		return nil, err
	}
	var err error
	if v.ARTs, err = fromJSON[lpm.ART](arts); err != nil {
		return nil, err
	}
	if v.Solutions, err = fromJSON[lpm.Solution](solutions); err != nil {
		return nil, err
	}
	if v.Supports, err = fromJSON[int64](supports); err != nil {
		return nil, err
	}
	v.CreatedAt = fromMicros(created)
	return &v, nil
}

// FindValueStreamByID returns the value stream, ENOTFOUND if there is none.
func (s *Store) FindValueStreamByID(ctx context.Context, id int64) (*lpm.ValueStream, error) {
	v, err := scanValueStream(s.read.QueryRowContext(ctx, findValueStreamSQL, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("value stream", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load value stream %d: %w", id, err)
	}
	return v, nil
}

// FindValueStreams lists a portfolio's value streams by ID. An unknown
// portfolio has none: callers that must tell it apart look the portfolio up.
func (s *Store) FindValueStreams(ctx context.Context, portfolioID int64, page lpm.Page) ([]*lpm.ValueStream, string, error) {
	pq, err := readPage(page)
	if err != nil {
		return nil, "", err
	}
	list, err := queryAll(ctx, s.read, scanValueStream, listValueStreamsSQL, portfolioID, pq.after, pq.limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list value streams of portfolio %d: %w", portfolioID, err)
	}
	list, next := trimPage(list, pq, func(v *lpm.ValueStream) int64 { return v.ID })
	return list, next, nil
}
