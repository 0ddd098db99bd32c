package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lpm-project/lpm/internal/lpm"
)

// CreateTheme stores a strategic theme and sets its ID; needs ManageThemes.
// Names are unique within a portfolio (ECONFLICT otherwise).
func (s *Store) CreateTheme(ctx context.Context, t *lpm.StrategicTheme, actor lpm.Actor) error {
	if err := actor.AuthorizeObject(lpm.ManageThemes, lpm.PortfolioTarget(t.PortfolioID), "portfolio", t.PortfolioID); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = lpm.Now()
	}
	c := *t
	err := s.inTx(ctx, "create theme", func(tx *dbtx) error {
		if err := createTheme(ctx, tx, &c); err != nil {
			return err
		}
		return audit(ctx, tx, actor, lpm.Now(), record{action: "theme.create", object: "theme", id: c.ID,
			chain: c.PortfolioID, after: c.AuditFields()})
	})
	if err != nil {
		return err
	}
	*t = c
	return nil
}

func createTheme(ctx context.Context, tx *dbtx, t *lpm.StrategicTheme) error {
	if err := portfolioExists(ctx, tx, t.PortfolioID); err != nil {
		return err
	}
	err := tx.QueryRowContext(ctx, insertThemeSQL, t.PortfolioID, t.Name, t.Description, string(t.Status), toNullDate(t.ValidFrom), toNullDate(t.ValidTo),
		toMicros(t.CreatedAt)).Scan(&t.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return conflict("strategic theme", "name", "portfolio %d already has a strategic theme named %q", t.PortfolioID, t.Name)
	}
	if err != nil {
		return fmt.Errorf("insert theme: %w", err)
	}
	return nil
}

const themeColumns = `id, portfolio_id, name, description, status, valid_from, valid_to, created_at`

var (
	insertThemeSQL = fixed(`INSERT INTO themes (portfolio_id, name, description, status, valid_from, valid_to, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (portfolio_id, name) DO NOTHING
		RETURNING id`)
	findThemeSQL  = fixed(`SELECT ` + themeColumns + ` FROM themes WHERE id = $1`)
	listThemesSQL = fixed(`SELECT ` + themeColumns + ` FROM themes
		WHERE portfolio_id = $1 AND id > $2 ORDER BY id LIMIT $3`)
)

func scanTheme(row scanner) (*lpm.StrategicTheme, error) {
	var (
		t        lpm.StrategicTheme
		from, to sql.NullString
		created  int64
	)
	if err := row.Scan(&t.ID, &t.PortfolioID, &t.Name, &t.Description, &t.Status, &from, &to, &created); err != nil {
		return nil, err
	}
	var err error
	if t.ValidFrom, err = fromNullDate(from); err != nil {
		return nil, err
	}
	if t.ValidTo, err = fromNullDate(to); err != nil {
		return nil, err
	}
	t.CreatedAt = fromMicros(created)
	return &t, nil
}

// FindThemeByID returns the theme, ENOTFOUND if there is none.
func (s *Store) FindThemeByID(ctx context.Context, id int64) (*lpm.StrategicTheme, error) {
	t, err := scanTheme(s.read.QueryRowContext(ctx, findThemeSQL, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("strategic theme", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load theme %d: %w", id, err)
	}
	return t, nil
}

// FindThemes lists a portfolio's strategic themes by ID. An unknown portfolio
// has none: callers that must tell it apart look the portfolio up.
func (s *Store) FindThemes(ctx context.Context, portfolioID int64, page lpm.Page) ([]*lpm.StrategicTheme, string, error) {
	pq, err := readPage(page)
	if err != nil {
		return nil, "", err
	}
	list, err := queryAll(ctx, s.read, scanTheme, listThemesSQL, portfolioID, pq.after, pq.limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list themes of portfolio %d: %w", portfolioID, err)
	}
	list, next := trimPage(list, pq, func(t *lpm.StrategicTheme) int64 { return t.ID })
	return list, next, nil
}
