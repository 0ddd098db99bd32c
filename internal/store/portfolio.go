package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

// CreatePortfolio stores p with the default Kanban columns and sets its ID;
// needs CreatePortfolio (a site admin). The creator, when a user
// (actor.UserID), becomes its portfolio admin. Names are unique (ECONFLICT on
// field name otherwise). CreatedAt is stamped now unless set.
func (s *Store) CreatePortfolio(ctx context.Context, p *lpm.Portfolio, actor lpm.Actor) error {
	if err := actor.Authorize(lpm.CreatePortfolio, lpm.Target{}); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = lpm.Now()
	}
	p.UpdatedAt = p.CreatedAt
	c := *p
	err := s.inTx(ctx, "create portfolio", func(tx *dbtx) error {
		if err := createPortfolio(ctx, tx, &c); err != nil {
			return err
		}
		records := []record{{action: "portfolio.create", object: "portfolio", id: c.ID, chain: c.ID, after: c.AuditFields()}}
		if actor.UserID != 0 {
			m := lpm.Membership{PortfolioID: c.ID, UserID: actor.UserID, UserName: actor.Name, Role: lpm.RolePortfolioAdmin}
			if _, err := grant(ctx, tx, m, c.CreatedAt); err != nil {
				return err
			}
			records = append(records, grantRecord(m))
		}
		return audit(ctx, tx, actor, lpm.Now(), records...)
	})
	if err != nil {
		return err
	}
	*p = c
	return nil
}

func createPortfolio(ctx context.Context, tx *dbtx, p *lpm.Portfolio) error {
	err := tx.QueryRowContext(ctx, insertPortfolioSQL, p.Name, p.Description, p.Currency, p.KeyPrefix, toDate(p.PICadence.Start), p.PICadence.LengthWeeks,
		toMicros(p.CreatedAt), toMicros(p.UpdatedAt)).Scan(&p.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return portfolioNameTaken(p.Name)
	}
	if err != nil {
		return fmt.Errorf("insert portfolio: %w", err)
	}
	cols := lpm.DefaultColumns()
	var q strings.Builder
	q.WriteString(`INSERT INTO kanban_columns (portfolio_id, state, position, wip_limit, enforcement, allow_backward) VALUES `)
	args := []any{p.ID}
	for i, c := range cols {
		if i > 0 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "($1, %s)", placeholders(len(args)+1, 5))
		args = append(args, string(c.State), i, nullLimit(c.WIPLimit), string(c.Enforcement), c.AllowBackward)
	}
	if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
		return fmt.Errorf("insert kanban columns of portfolio %d: %w", p.ID, err)
	}
	return nil
}

const portfolioColumns = `id, name, description, currency, key_prefix, pi_start, pi_length_weeks, created_at, updated_at`

var (
	insertPortfolioSQL = fixed(`INSERT INTO portfolios (name, description, currency, key_prefix, pi_start,
		pi_length_weeks, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (name) DO NOTHING
		RETURNING id`)
	findPortfolioSQL  = fixed(`SELECT ` + portfolioColumns + ` FROM portfolios WHERE id = $1`)
	listPortfoliosSQL = fixed(`SELECT ` + portfolioColumns + ` FROM portfolios WHERE id > $1 ORDER BY id LIMIT $2`)
	// listMemberPortfoliosSQL is listPortfoliosSQL for user $3's portfolios.
	listMemberPortfoliosSQL = fixed(`SELECT ` + portfolioColumns + ` FROM portfolios p WHERE p.id > $1 AND (
		EXISTS (SELECT 1 FROM memberships m WHERE m.portfolio_id = p.id AND m.user_id = $3)
		OR EXISTS (SELECT 1 FROM group_roles g JOIN user_groups ug ON ug.group_name = g.group_name
			WHERE g.portfolio_id = p.id AND ug.user_id = $3))
		ORDER BY p.id LIMIT $2`)
	updatePortfolioSQL = fixed(`UPDATE portfolios SET name = $1, description = $2, currency = $3, pi_start = $4,
		pi_length_weeks = $5, updated_at = $6 WHERE id = $7`)
)

func scanPortfolio(row scanner) (*lpm.Portfolio, error) {
	var (
		p                lpm.Portfolio
		start            string
		created, updated int64
	)
	if err := row.Scan(&p.ID, &p.Name, &p.Description, &p.Currency, &p.KeyPrefix, &start,
		&p.PICadence.LengthWeeks, &created, &updated); err != nil {
		return nil, err
	}
	var err error
	if p.PICadence.Start, err = fromDate(start); err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &p, nil
}

// FindPortfolioByID returns the portfolio, ENOTFOUND if there is none.
func (s *Store) FindPortfolioByID(ctx context.Context, id int64) (*lpm.Portfolio, error) {
	return findPortfolio(ctx, s.read, id, "")
}

// findPortfolio loads a portfolio; lock is "" or the dialect's FOR UPDATE.
func findPortfolio(ctx context.Context, q querier, id int64, lock string) (*lpm.Portfolio, error) {
	p, err := scanPortfolio(q.QueryRowContext(ctx, findPortfolioSQL+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("portfolio", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load portfolio %d: %w", id, err)
	}
	return p, nil
}

// FindPortfolios lists by ID the portfolios the actor holds a role in,
// directly or through a group; every portfolio for a site admin.
func (s *Store) FindPortfolios(ctx context.Context, actor lpm.Actor, page lpm.Page) ([]*lpm.Portfolio, string, error) {
	pq, err := readPage(page)
	if err != nil {
		return nil, "", err
	}
	var list []*lpm.Portfolio
	if actor.IsAdmin {
		list, err = queryAll(ctx, s.read, scanPortfolio, listPortfoliosSQL, pq.after, pq.limit+1)
	} else {
		list, err = queryAll(ctx, s.read, scanPortfolio, listMemberPortfoliosSQL, pq.after, pq.limit+1, actor.UserID)
	}
	if err != nil {
		return nil, "", fmt.Errorf("list portfolios: %w", err)
	}
	list, next := trimPage(list, pq, func(p *lpm.Portfolio) int64 { return p.ID })
	return list, next, nil
}

// portfolioNameTaken is the conflict of a second portfolio with a name.
func portfolioNameTaken(name string) error {
	return conflict("portfolio", "name", "there is already a portfolio named %q", name)
}

var portfolioHasMoneySQL = fixed(`SELECT EXISTS (SELECT 1 FROM epics WHERE portfolio_id = $1 AND
	(cost_mvp_internal > 0 OR cost_mvp_supplier > 0 OR cost_full_internal > 0 OR cost_full_supplier > 0))`)

// UpdatePortfolio applies upd to the portfolio and returns it as stored;
// needs UpdatePortfolio, and RenamePortfolio for a new name
// (lpm.AuthorizePortfolioChange). A new name must not be another
// portfolio's (ECONFLICT).
func (s *Store) UpdatePortfolio(ctx context.Context, id int64, upd lpm.PortfolioUpdate, actor lpm.Actor) (*lpm.Portfolio, error) {
	if err := actor.AuthorizeObject(lpm.UpdatePortfolio, lpm.PortfolioTarget(id), "portfolio", id); err != nil {
		return nil, err
	}
	var p *lpm.Portfolio
	err := s.inTx(ctx, "update portfolio", func(tx *dbtx) error {
		var err error
		if p, err = findPortfolio(ctx, tx, id, s.d.forUpdate); err != nil {
			return err
		}
		before := *p
		if err := upd.Apply(p); err != nil {
			return err
		}
		if err := lpm.AuthorizePortfolioChange(actor, &before, p); err != nil {
			return err
		}
		if p.Currency != before.Currency {
			var money bool
			if err := tx.QueryRowContext(ctx, portfolioHasMoneySQL, id).Scan(&money); err != nil {
				return fmt.Errorf("look for costs in portfolio %d: %w", id, err)
			}
			if err := upd.CheckCurrencyChange(&before, money); err != nil {
				return err
			}
		}
		p.UpdatedAt = lpm.Now()
		_, err = tx.ExecContext(ctx, updatePortfolioSQL, p.Name, p.Description, p.Currency, toDate(p.PICadence.Start), p.PICadence.LengthWeeks,
			toMicros(p.UpdatedAt), id)
		if isUniqueViolation(err) {
			// Only the name is unique among the columns written here.
			return portfolioNameTaken(p.Name)
		}
		if err != nil {
			return fmt.Errorf("update portfolio %d: %w", id, err)
		}
		return audit(ctx, tx, actor, p.UpdatedAt, record{action: "portfolio.update", object: "portfolio", id: id, chain: id,
			before: before.AuditFields(), after: p.AuditFields()})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}
