package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// The portfolio canvas: states (current, named candidates) and their
// versions, only ever appended. Saving and adopting need ManageCanvas in the
// portfolio and are audited in its chain.

// canvasSectionColumns are the columns of lpm.CanvasSections, in order.
var canvasSectionColumns = func() string {
	keys := make([]string, len(lpm.CanvasSections))
	for i, s := range lpm.CanvasSections {
		keys[i] = "v." + s.Key
	}
	return strings.Join(keys, ", ")
}()

var (
	canvasVersionColumns = `v.id, v.portfolio_id, v.state_id, v.number, s.kind, s.name, ` + canvasSectionColumns +
		`, v.vision, v.reviewed_on, v.adopted_from, v.saved_by, v.saved_at, s.retired_at`
	canvasVersionFrom = ` FROM canvas_versions v JOIN canvas_states s ON s.id = v.state_id`

	findCanvasStateSQL     = fixed(`SELECT id, retired_at FROM canvas_states WHERE portfolio_id = $1 AND name = $2`)
	lockCanvasStateSQL     = fixed(`SELECT portfolio_id, kind, retired_at FROM canvas_states WHERE id = $1`)
	retireCanvasStateSQL   = fixed(`UPDATE canvas_states SET retired_at = $2 WHERE id = $1`)
	latestOfCanvasStateSQL = fixed(`SELECT ` + canvasVersionColumns + canvasVersionFrom +
		` WHERE v.state_id = $1 ORDER BY v.number DESC LIMIT 1`)
	insertCanvasStateSQL = fixed(`INSERT INTO canvas_states (portfolio_id, kind, name, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (portfolio_id, name) DO NOTHING`)
	nextCanvasNumberSQL = fixed(`SELECT COALESCE(MAX(number), 0) + 1 FROM canvas_versions WHERE state_id = $1`)
	insertCanvasSQL     = fixed(`INSERT INTO canvas_versions (state_id, portfolio_id, number, ` +
		strings.ReplaceAll(canvasSectionColumns, "v.", "") + `, vision, reviewed_on, adopted_from, saved_by, saved_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`)
	findCanvasVersionSQL = fixed(`SELECT ` + canvasVersionColumns + canvasVersionFrom + ` WHERE v.id = $1`)
	latestCanvasSQL      = fixed(`SELECT ` + canvasVersionColumns + canvasVersionFrom +
		` WHERE s.portfolio_id = $1 AND v.number = (SELECT MAX(v2.number) FROM canvas_versions v2 WHERE v2.state_id = s.id)
		ORDER BY s.kind, s.name`)
	listCanvasSQL       = fixed(`SELECT ` + canvasVersionColumns + canvasVersionFrom + ` WHERE v.portfolio_id = $1 AND v.id > $2 ORDER BY v.id LIMIT $3`)
	listCanvasNewestSQL = fixed(`SELECT ` + canvasVersionColumns + canvasVersionFrom + ` WHERE v.portfolio_id = $1 AND v.id < $2 ORDER BY v.id DESC LIMIT $3`)
	listCanvasStateSQL  = fixed(`SELECT ` + canvasVersionColumns + canvasVersionFrom +
		` WHERE v.portfolio_id = $1 AND s.kind = $2 AND s.name = $3 AND v.id > $4 ORDER BY v.id LIMIT $5`)
)

func scanCanvasVersion(row scanner) (*lpm.CanvasVersion, error) {
	var (
		v        lpm.CanvasVersion
		kind     string
		reviewed sql.NullString
		adopted  sql.NullInt64
		saved    int64
		retired  sql.NullInt64
	)
	dest := []any{&v.ID, &v.PortfolioID, &v.StateID, &v.Number, &kind, &v.Name}
	for i := range v.Sections {
		dest = append(dest, &v.Sections[i])
	}
	dest = append(dest, &v.Vision, &reviewed, &adopted, &v.SavedBy, &saved, &retired)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	v.Kind = lpm.CanvasKind(kind)
	var err error
	if v.ReviewedOn, err = fromNullDate(reviewed); err != nil {
		return nil, err
	}
	v.AdoptedFrom = adopted.Int64
	v.SavedAt = fromMicros(saved)
	if retired.Valid {
		t := fromMicros(retired.Int64)
		v.RetiredAt = &t
	}
	return &v, nil
}

// insertCanvasVersion appends c to its state (created at its first
// version), setting ID, StateID and Number, and audits it as action. The
// state's row is locked first (on PostgreSQL; SQLite has one writer), so
// that concurrent saves of one state number their versions one after the
// other; a state two saves create at once is created once.
func (s *Store) insertCanvasVersion(ctx context.Context, tx *dbtx, c *lpm.CanvasVersion, action string, actor lpm.Actor) error {
	if _, err := tx.ExecContext(ctx, insertCanvasStateSQL, c.PortfolioID, string(c.Kind), c.Name, toMicros(c.SavedAt)); err != nil {
		return fmt.Errorf("create the canvas state %q: %w", c.Name, err)
	}
	var retired sql.NullInt64
	if err := tx.QueryRowContext(ctx, findCanvasStateSQL+s.d.forUpdate, c.PortfolioID, c.Name).Scan(&c.StateID, &retired); err != nil {
		return fmt.Errorf("lock the canvas state %q: %w", c.Name, err)
	}
	if retired.Valid {
		t := fromMicros(retired.Int64)
		c.RetiredAt = &t
		if err := c.CheckLive("save a new version of it"); err != nil {
			return err
		}
	}
	if err := tx.QueryRowContext(ctx, nextCanvasNumberSQL, c.StateID).Scan(&c.Number); err != nil {
		return fmt.Errorf("number the canvas version: %w", err)
	}
	if err := c.CheckBase(c.Number - 1); err != nil {
		return err
	}
	args := []any{c.StateID, c.PortfolioID, c.Number}
	for _, s := range c.Sections {
		args = append(args, s)
	}
	adopted := sql.NullInt64{Int64: c.AdoptedFrom, Valid: c.AdoptedFrom != 0}
	args = append(args, c.Vision, toNullDate(c.ReviewedOn), adopted, c.SavedBy, toMicros(c.SavedAt))
	if err := tx.QueryRowContext(ctx, insertCanvasSQL, args...).Scan(&c.ID); err != nil {
		return fmt.Errorf("insert canvas version: %w", err)
	}
	return audit(ctx, tx, actor, c.SavedAt, record{action: action, object: "canvas_version", id: c.ID,
		chain: c.PortfolioID, after: c.AuditFields()})
}

// SaveCanvasVersion stores v as the next version of its state.
func (s *Store) SaveCanvasVersion(ctx context.Context, v *lpm.CanvasVersion, actor lpm.Actor) error {
	c := *v
	c.AdoptedFrom, c.SavedBy, c.SavedAt = 0, actor.Name, lpm.Now()
	if c.ReviewedOn != nil {
		d := c.ReviewedOn.UTC().Truncate(24 * time.Hour)
		c.ReviewedOn = &d
	}
	err := s.inTx(ctx, "save canvas version", func(tx *dbtx) error {
		if err := actor.AuthorizeObject(lpm.ManageCanvas, lpm.PortfolioTarget(c.PortfolioID), "portfolio", c.PortfolioID); err != nil {
			return err
		}
		if err := portfolioExists(ctx, tx, c.PortfolioID); err != nil {
			return err
		}
		if err := c.Validate(); err != nil {
			return err
		}
		return s.insertCanvasVersion(ctx, tx, &c, "canvas_version.create", actor)
	})
	if err != nil {
		return err
	}
	*v = c
	return nil
}

// AdoptCanvasVersion makes the candidate version id the current state's
// next version.
func (s *Store) AdoptCanvasVersion(ctx context.Context, id int64, actor lpm.Actor) (*lpm.CanvasVersion, error) {
	var c lpm.CanvasVersion
	err := s.inTx(ctx, "adopt canvas version", func(tx *dbtx) error {
		from, err := loadOne(ctx, tx, scanCanvasVersion, findCanvasVersionSQL, "canvas version", id)
		if err != nil {
			return err
		}
		if err := actor.AuthorizeObject(lpm.ManageCanvas, lpm.PortfolioTarget(from.PortfolioID), "canvas version", id); err != nil {
			return err
		}
		// The state is locked and its newest version read under the lock,
		// so that a version saved or a retirement meanwhile is seen.
		if _, err := tx.ExecContext(ctx, lockCanvasStateSQL+s.d.forUpdate, from.StateID); err != nil {
			return fmt.Errorf("lock canvas state %d: %w", from.StateID, err)
		}
		newest, err := loadOne(ctx, tx, scanCanvasVersion, latestOfCanvasStateSQL, "canvas state", from.StateID)
		if err != nil {
			return err
		}
		if err := from.CheckAdoptable(newest); err != nil {
			return err
		}
		c = *from
		c.Kind, c.Name, c.AdoptedFrom, c.SavedBy, c.SavedAt = lpm.CanvasCurrent, "", from.ID, actor.Name, lpm.Now()
		return s.insertCanvasVersion(ctx, tx, &c, "canvas_version.adopt", actor)
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// RetireCanvasCandidate retires the future-state candidate stateID of the
// portfolio, or restores it when retire is false, and returns its latest
// version. A
// retired candidate keeps its versions. Nothing is written or audited when
// the candidate already is as asked.
func (s *Store) RetireCanvasCandidate(ctx context.Context, portfolioID, stateID int64, retire bool, actor lpm.Actor) (*lpm.CanvasVersion, error) {
	var latest *lpm.CanvasVersion
	err := s.inTx(ctx, "retire canvas candidate", func(tx *dbtx) error {
		var (
			owner   int64
			kind    string
			retired sql.NullInt64
		)
		err := tx.QueryRowContext(ctx, lockCanvasStateSQL+s.d.forUpdate, stateID).Scan(&owner, &kind, &retired)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != portfolioID) {
			return lpm.Errorf(lpm.ENOTFOUND, "canvas state %d not found", stateID)
		}
		if err != nil {
			return fmt.Errorf("lock canvas state %d: %w", stateID, err)
		}
		if err := actor.AuthorizeObject(lpm.ManageCanvas, lpm.PortfolioTarget(portfolioID), "canvas state", stateID); err != nil {
			return err
		}
		if lpm.CanvasKind(kind) != lpm.CanvasFuture {
			return invalid("canvas state", "state", "future", "state %d is the current state; only a future-state candidate can be retired or restored", stateID)
		}
		if latest, err = loadOne(ctx, tx, scanCanvasVersion, latestOfCanvasStateSQL, "canvas state", stateID); err != nil {
			return err
		}
		if retired.Valid == retire {
			return nil
		}
		now := lpm.Now()
		at, action := sql.NullInt64{Int64: toMicros(now), Valid: retire}, "canvas_state.restore"
		latest.RetiredAt = nil
		if retire {
			action, latest.RetiredAt = "canvas_state.retire", &now
		}
		if _, err := tx.ExecContext(ctx, retireCanvasStateSQL, stateID, at); err != nil {
			return fmt.Errorf("retire canvas state %d: %w", stateID, err)
		}
		return audit(ctx, tx, actor, now, record{action: action, object: "canvas_state", id: stateID, chain: portfolioID,
			after: lpm.CanvasStateAuditFields(latest.Name, retire)})
	})
	if err != nil {
		return nil, err
	}
	return latest, nil
}

// FindCanvasVersionByID returns the version, ENOTFOUND if there is none.
func (s *Store) FindCanvasVersionByID(ctx context.Context, id int64) (*lpm.CanvasVersion, error) {
	return loadOne(ctx, s.read, scanCanvasVersion, findCanvasVersionSQL, "canvas version", id)
}

// LatestCanvasVersions returns the latest version of each state: current
// first ("current" sorts before "future"), then candidates by name.
func (s *Store) LatestCanvasVersions(ctx context.Context, portfolioID int64) ([]*lpm.CanvasVersion, error) {
	list, err := queryAll(ctx, s.read, scanCanvasVersion, latestCanvasSQL, portfolioID)
	if err != nil {
		return nil, fmt.Errorf("latest canvas versions of portfolio %d: %w", portfolioID, err)
	}
	return list, nil
}

// FindCanvasVersions lists versions by ID (descending with NewestFirst).
func (s *Store) FindCanvasVersions(ctx context.Context, f lpm.CanvasVersionFilter) ([]*lpm.CanvasVersion, string, error) {
	pq, err := readPage(f.Page)
	if err != nil {
		return nil, "", err
	}
	var list []*lpm.CanvasVersion
	switch {
	case f.NewestFirst && f.Kind == "":
		before := pq.after
		if before == 0 {
			before = math.MaxInt64
		}
		list, err = queryAll(ctx, s.read, scanCanvasVersion, listCanvasNewestSQL, f.PortfolioID, before, pq.limit+1)
	case f.Kind == "":
		list, err = queryAll(ctx, s.read, scanCanvasVersion, listCanvasSQL, f.PortfolioID, pq.after, pq.limit+1)
	default:
		list, err = queryAll(ctx, s.read, scanCanvasVersion, listCanvasStateSQL, f.PortfolioID, string(f.Kind), f.Name, pq.after, pq.limit+1)
	}
	if err != nil {
		return nil, "", fmt.Errorf("list canvas versions of portfolio %d: %w", f.PortfolioID, err)
	}
	list, next := trimPage(list, pq, func(v *lpm.CanvasVersion) int64 { return v.ID })
	return list, next, nil
}
