package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lpm-project/lpm/internal/lpm"
)

const dependencyColumns = `id, portfolio_id, from_epic_id, to_epic_id, from_value_stream_id, to_value_stream_id,
	description, risk, due_pi, created_by, created_at`

var (
	insertDependencySQL = fixed(`INSERT INTO dependencies (portfolio_id, from_epic_id, to_epic_id, from_value_stream_id,
		to_value_stream_id, description, risk, due_pi, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`)
	findDependencySQL   = fixed(`SELECT ` + dependencyColumns + ` FROM dependencies WHERE id = $1`)
	deleteDependencySQL = fixed(`DELETE FROM dependencies WHERE id = $1`)
	listDependenciesSQL = fixed(`SELECT ` + dependencyColumns + ` FROM dependencies
		WHERE portfolio_id = $1 AND id > $2 ORDER BY id LIMIT $3`)
	// Two arms, so that each uses its epic's index.
	epicDependenciesSQL = fixed(`SELECT ` + dependencyColumns + ` FROM dependencies WHERE from_epic_id = $1
		UNION SELECT ` + dependencyColumns + ` FROM dependencies WHERE to_epic_id = $1 ORDER BY id`)
)

func scanDependency(row scanner) (*lpm.Dependency, error) {
	var (
		d                      lpm.Dependency
		fromE, toE, fromV, toV sql.NullInt64
		created                int64
	)
	if err := row.Scan(&d.ID, &d.PortfolioID, &fromE, &toE, &fromV, &toV, &d.Description, &d.Risk, &d.DuePI,
		&d.CreatedBy, &created); err != nil {
		return nil, err
	}
	d.FromEpicID, d.ToEpicID, d.FromValueStreamID, d.ToValueStreamID = fromE.Int64, toE.Int64, fromV.Int64, toV.Int64
	d.CreatedAt = fromMicros(created)
	return &d, nil
}

// CreateDependency stores d and sets its ID, CreatedBy and CreatedAt; needs
// ManageDependencies. Both sides must be the portfolio's (EINVALID naming
// each one that is not).
func (s *Store) CreateDependency(ctx context.Context, d *lpm.Dependency, actor lpm.Actor) error {
	if err := actor.AuthorizeObject(lpm.ManageDependencies, lpm.PortfolioTarget(d.PortfolioID), "portfolio", d.PortfolioID); err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	c := *d
	c.CreatedBy, c.CreatedAt = actor.Name, lpm.Now()
	err := s.inTx(ctx, "create dependency", func(tx *dbtx) error {
		if err := portfolioExists(ctx, tx, c.PortfolioID); err != nil {
			return err
		}
		bad, err := foreignRefs(ctx, tx, c.PortfolioID,
			portfolioRef{"from_epic_id", "epic", epicPortfolioSQL, c.FromEpicID},
			portfolioRef{"to_epic_id", "epic", epicPortfolioSQL, c.ToEpicID},
			portfolioRef{"from_value_stream_id", "value stream", valueStreamPortfolioSQL, c.FromValueStreamID},
			portfolioRef{"to_value_stream_id", "value stream", valueStreamPortfolioSQL, c.ToValueStreamID})
		if err != nil {
			return err
		}
		if len(bad) > 0 {
			return &lpm.Error{Code: lpm.EINVALID, Message: "invalid dependency", Violations: bad}
		}
		if err := tx.QueryRowContext(ctx, insertDependencySQL, c.PortfolioID, nullID(c.FromEpicID), nullID(c.ToEpicID),
			nullID(c.FromValueStreamID), nullID(c.ToValueStreamID), c.Description, string(c.Risk), c.DuePI,
			c.CreatedBy, toMicros(c.CreatedAt)).Scan(&c.ID); err != nil {
			return fmt.Errorf("insert dependency: %w", err)
		}
		return audit(ctx, tx, actor, c.CreatedAt, record{action: "dependency.create", object: "dependency", id: c.ID,
			chain: c.PortfolioID, after: c.AuditFields()})
	})
	if err != nil {
		return err
	}
	*d = c
	return nil
}

// DeleteDependency removes a dependency (met, or recorded by mistake);
// needs ManageDependencies. The audit entry keeps what it was.
func (s *Store) DeleteDependency(ctx context.Context, id int64, actor lpm.Actor) error {
	return s.inTx(ctx, "delete dependency", func(tx *dbtx) error {
		d, err := loadOne(ctx, tx, scanDependency, findDependencySQL+s.d.forUpdate, "dependency", id)
		if err != nil {
			return err
		}
		if err := actor.AuthorizeObject(lpm.ManageDependencies, lpm.PortfolioTarget(d.PortfolioID), "dependency", id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, deleteDependencySQL, id); err != nil {
			return fmt.Errorf("delete dependency %d: %w", id, err)
		}
		return audit(ctx, tx, actor, lpm.Now(), record{action: "dependency.delete", object: "dependency", id: id,
			chain: d.PortfolioID, before: d.AuditFields()})
	})
}

// FindDependencyByID returns the dependency, ENOTFOUND if there is none.
func (s *Store) FindDependencyByID(ctx context.Context, id int64) (*lpm.Dependency, error) {
	return loadOne(ctx, s.read, scanDependency, findDependencySQL, "dependency", id)
}

// FindDependencies lists a portfolio's dependencies by ID. An unknown
// portfolio has none.
func (s *Store) FindDependencies(ctx context.Context, portfolioID int64, page lpm.Page) ([]*lpm.Dependency, string, error) {
	pq, err := readPage(page)
	if err != nil {
		return nil, "", err
	}
	list, err := queryAll(ctx, s.read, scanDependency, listDependenciesSQL, portfolioID, pq.after, pq.limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list dependencies of portfolio %d: %w", portfolioID, err)
	}
	list, next := trimPage(list, pq, func(d *lpm.Dependency) int64 { return d.ID })
	return list, next, nil
}

// EpicDependencies lists the dependencies with the epic on either side.
func (s *Store) EpicDependencies(ctx context.Context, epicID int64) ([]*lpm.Dependency, error) {
	list, err := queryAll(ctx, s.read, scanDependency, epicDependenciesSQL, epicID)
	if err != nil {
		return nil, fmt.Errorf("list dependencies of epic %d: %w", epicID, err)
	}
	return list, nil
}
