package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

const impedimentColumns = `id, portfolio_id, title, description, owner, status, epic_id, value_stream_id, created_at, updated_at, resolved_at`

var (
	insertImpedimentSQL = fixed(`INSERT INTO impediments (portfolio_id, title, description, owner, status, epic_id, value_stream_id,
		created_at, updated_at, resolved_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`)
	findImpedimentSQL   = fixed(`SELECT ` + impedimentColumns + ` FROM impediments WHERE id = $1`)
	updateImpedimentSQL = fixed(`UPDATE impediments SET title = $1, description = $2, owner = $3, status = $4, epic_id = $5,
		value_stream_id = $6, updated_at = $7, resolved_at = $8 WHERE id = $9`)
	valueStreamPortfolioSQL = fixed(`SELECT portfolio_id FROM value_streams WHERE id = $1`)
	epicPortfolioSQL        = fixed(`SELECT portfolio_id FROM epics WHERE id = $1`)
)

func scanImpediment(row scanner) (*lpm.Impediment, error) {
	var (
		m                  lpm.Impediment
		epic, vs, resolved sql.NullInt64
		created, updated   int64
	)
	if err := row.Scan(&m.ID, &m.PortfolioID, &m.Title, &m.Description, &m.Owner, &m.Status, &epic, &vs,
		&created, &updated, &resolved); err != nil {
		return nil, err
	}
	m.EpicID, m.ValueStreamID = epic.Int64, vs.Int64
	m.CreatedAt, m.UpdatedAt = fromMicros(created), fromMicros(updated)
	if resolved.Valid {
		m.ResolvedAt = fromMicros(resolved.Int64)
	}
	return &m, nil
}

// checkImpedimentRefs verifies that the epic and value stream an impediment
// names are the portfolio's and its owner a user, reporting each wrong one.
func checkImpedimentRefs(ctx context.Context, q querier, m *lpm.Impediment) error {
	bad, err := foreignRefs(ctx, q, m.PortfolioID, portfolioRef{"epic_id", "epic", epicPortfolioSQL, m.EpicID},
		portfolioRef{"value_stream_id", "value stream", valueStreamPortfolioSQL, m.ValueStreamID})
	if err != nil {
		return err
	}
	if err := checkOwner(ctx, q, m.Owner); err != nil {
		if e := lpm.AsError(err); e != nil && e.Code == lpm.EINVALID {
			bad = append(bad, e.Violations...)
		} else {
			return err
		}
	}
	if len(bad) > 0 {
		return &lpm.Error{Code: lpm.EINVALID, Message: "invalid impediment", Violations: bad}
	}
	return nil
}

// CreateImpediment stores m and sets its ID and times; needs
// ManageImpediments.
func (s *Store) CreateImpediment(ctx context.Context, m *lpm.Impediment, actor lpm.Actor) error {
	if err := actor.AuthorizeObject(lpm.ManageImpediments, lpm.PortfolioTarget(m.PortfolioID), "portfolio", m.PortfolioID); err != nil {
		return err
	}
	now := lpm.Now()
	nm, err := lpm.NewImpediment(*m, now)
	if err != nil {
		return err
	}
	c := *nm
	err = s.inTx(ctx, "create impediment", func(tx *dbtx) error {
		if err := portfolioExists(ctx, tx, c.PortfolioID); err != nil {
			return err
		}
		if err := checkImpedimentRefs(ctx, tx, &c); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, insertImpedimentSQL, c.PortfolioID, c.Title, c.Description, c.Owner, string(c.Status),
			nullID(c.EpicID), nullID(c.ValueStreamID), toMicros(c.CreatedAt), toMicros(c.UpdatedAt),
			nullTime(c.ResolvedAt)).Scan(&c.ID); err != nil {
			return fmt.Errorf("insert impediment: %w", err)
		}
		return audit(ctx, tx, actor, now, record{action: "impediment.create", object: "impediment", id: c.ID,
			chain: c.PortfolioID, after: c.AuditFields()})
	})
	if err != nil {
		return err
	}
	*m = c
	return nil
}

// UpdateImpediment applies upd to the impediment and returns it as stored;
// needs ManageImpediments.
func (s *Store) UpdateImpediment(ctx context.Context, id int64, upd lpm.ImpedimentUpdate, actor lpm.Actor) (*lpm.Impediment, error) {
	var m *lpm.Impediment
	err := s.inTx(ctx, "update impediment", func(tx *dbtx) error {
		old, err := loadOne(ctx, tx, scanImpediment, findImpedimentSQL+s.d.forUpdate, "impediment", id)
		if err != nil {
			return err
		}
		if err := actor.AuthorizeObject(lpm.ManageImpediments, lpm.PortfolioTarget(old.PortfolioID), "impediment", id); err != nil {
			return err
		}
		now := lpm.Now()
		if m, err = upd.Apply(*old, now); err != nil {
			return err
		}
		if err := checkImpedimentRefs(ctx, tx, m); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, updateImpedimentSQL, m.Title, m.Description, m.Owner, string(m.Status), nullID(m.EpicID),
			nullID(m.ValueStreamID), toMicros(m.UpdatedAt), nullTime(m.ResolvedAt), id); err != nil {
			return fmt.Errorf("update impediment %d: %w", id, err)
		}
		return audit(ctx, tx, actor, now, record{action: "impediment.update", object: "impediment", id: id,
			chain: m.PortfolioID, before: old.AuditFields(), after: m.AuditFields()})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FindImpedimentByID returns the impediment, ENOTFOUND if there is none.
func (s *Store) FindImpedimentByID(ctx context.Context, id int64) (*lpm.Impediment, error) {
	return loadOne(ctx, s.read, scanImpediment, findImpedimentSQL, "impediment", id)
}

// FindImpediments lists a portfolio's impediments by ID, only those with
// one of statuses when it is not empty. An unknown portfolio has none.
func (s *Store) FindImpediments(ctx context.Context, portfolioID int64, statuses []lpm.ImpedimentStatus, page lpm.Page) ([]*lpm.Impediment, string, error) {
	pq, err := readPage(page)
	if err != nil {
		return nil, "", err
	}
	q := `SELECT ` + impedimentColumns + ` FROM impediments WHERE portfolio_id = $1 AND id > $2`
	args := []any{portfolioID, pq.after}
	if len(statuses) > 0 {
		marks := make([]string, len(statuses))
		for i, st := range statuses {
			args = append(args, string(st))
			marks[i] = fmt.Sprintf("$%d", len(args))
		}
		q += ` AND status IN (` + strings.Join(marks, ", ") + `)`
	}
	args = append(args, pq.limit+1)
	q += fmt.Sprintf(` ORDER BY id LIMIT $%d`, len(args))
	list, err := queryAll(ctx, s.read, scanImpediment, q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("list impediments of portfolio %d: %w", portfolioID, err)
	}
	list, next := trimPage(list, pq, func(m *lpm.Impediment) int64 { return m.ID })
	return list, next, nil
}

var epicImpedimentsSQL = fixed(`SELECT ` + impedimentColumns + ` FROM impediments WHERE epic_id = $1 ORDER BY id`)

// EpicImpediments lists the impediments raised on the epic.
func (s *Store) EpicImpediments(ctx context.Context, epicID int64) ([]*lpm.Impediment, error) {
	list, err := queryAll(ctx, s.read, scanImpediment, epicImpedimentsSQL, epicID)
	if err != nil {
		return nil, fmt.Errorf("list impediments of epic %d: %w", epicID, err)
	}
	return list, nil
}
