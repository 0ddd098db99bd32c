package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lpm-project/lpm/internal/lpm"
)

// The store checks references itself, before writing, rather than reading
// foreign-key errors back from the driver: it can then say which field is
// wrong, a failed check leaves a PostgreSQL transaction usable, and "exists in
// this portfolio" is more than a foreign key says.

var (
	portfolioExistsSQL = fixed(`SELECT 1 FROM portfolios WHERE id = $1`)
	userIDSQL          = fixed(`SELECT id FROM users WHERE name = $1`)
)

// portfolioExists returns ENOTFOUND unless the portfolio exists.
func portfolioExists(ctx context.Context, q querier, id int64) error {
	var one int
	err := q.QueryRowContext(ctx, portfolioExistsSQL, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("portfolio", id)
	}
	if err != nil {
		return fmt.Errorf("look up portfolio %d: %w", id, err)
	}
	return nil
}

// portfolioOf reads the portfolio of the object what/id with query, and
// ENOTFOUND when there is no such object.
func portfolioOf(ctx context.Context, q querier, query, what string, id int64) (int64, error) {
	var pid int64
	err := q.QueryRowContext(ctx, query, id).Scan(&pid)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound(what, id)
	}
	if err != nil {
		return 0, fmt.Errorf("look up %s %d: %w", what, id, err)
	}
	return pid, nil
}

// portfolioRef is an object a write names, which must be the portfolio's.
type portfolioRef struct {
	field, what, query string // query reads the object's portfolio
	id                 int64  // 0 for none named
}

// foreignRefs returns a violation for each ref that is not an object of the
// portfolio (missing ones alike, so nothing is told of other portfolios).
// Each object is looked up once, however many refs name it.
func foreignRefs(ctx context.Context, q querier, portfolioID int64, refs ...portfolioRef) ([]lpm.Violation, error) {
	var bad []lpm.Violation
	type object struct {
		query string
		id    int64
	}
	owner := map[object]int64{}
	for _, ref := range refs {
		if ref.id == 0 {
			continue
		}
		pid, known := owner[object{ref.query, ref.id}]
		if !known {
			var err error
			pid, err = portfolioOf(ctx, q, ref.query, ref.what, ref.id)
			if err != nil && lpm.ErrorCodeOf(err) != lpm.ENOTFOUND {
				return nil, err
			}
			owner[object{ref.query, ref.id}] = pid
		}
		if pid != portfolioID {
			bad = append(bad, lpm.Violation{Field: ref.field, Rule: "exists",
				Message: fmt.Sprintf("portfolio %d has no %s %d", portfolioID, ref.what, ref.id)})
		}
	}
	return bad, nil
}

// existingIDs runs query, whose %s is replaced by placeholders for ids and
// whose $1 is portfolioID, and returns the set of ids it selects.
func existingIDs(ctx context.Context, q querier, query string, portfolioID int64, ids []int64) (map[int64]bool, error) {
	args := make([]any, 0, len(ids)+1)
	args = append(args, portfolioID)
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := q.QueryContext(ctx, fmt.Sprintf(query, placeholders(2, len(ids))), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	found := make(map[int64]bool, len(ids))
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		found[id] = true
	}
	return found, rows.Err()
}

// userIDByName returns the id of the user called name for field, EINVALID if
// there is none; "" is no user (a NULL reference).
func userIDByName(ctx context.Context, q querier, field, name string) (sql.NullInt64, error) {
	if name == "" {
		return sql.NullInt64{}, nil
	}
	var id int64
	err := q.QueryRowContext(ctx, userIDSQL, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return sql.NullInt64{}, invalid("epic", field, "exists", "there is no user named %q", name)
	}
	if err != nil {
		return sql.NullInt64{}, fmt.Errorf("look up user %q: %w", name, err)
	}
	return sql.NullInt64{Int64: id, Valid: true}, nil
}

// checkEpicRefs verifies what an epic points to: its owner is a user, and its
// themes and value streams belong to its portfolio. Every wrong reference is
// reported, so one corrected request suffices. It returns the owner's id.
func checkEpicRefs(ctx context.Context, q querier, e *lpm.Epic) (sql.NullInt64, error) {
	var bad []lpm.Violation
	owner, err := userIDByName(ctx, q, "epic_owner", e.EpicOwner)
	if ae := lpm.AsError(err); ae != nil {
		bad = append(bad, ae.Violations...)
	} else if err != nil {
		return owner, err
	}
	for _, ref := range []struct {
		field, query, what string
		ids                []int64
	}{
		{"theme_ids", `SELECT id FROM themes WHERE portfolio_id = $1 AND id IN (%s)`, "strategic theme", e.ThemeIDs},
		{"value_stream_ids", `SELECT id FROM value_streams WHERE portfolio_id = $1 AND id IN (%s)`, "value stream", e.ValueStreamIDs},
	} {
		if len(ref.ids) == 0 {
			continue
		}
		found, err := existingIDs(ctx, q, ref.query, e.PortfolioID, ref.ids)
		if err != nil {
			return owner, fmt.Errorf("check %s: %w", ref.field, err)
		}
		for _, id := range ref.ids {
			if !found[id] {
				bad = append(bad, lpm.Violation{Field: ref.field, Rule: "exists",
					Message: fmt.Sprintf("%d is not a %s of portfolio %d", id, ref.what, e.PortfolioID)})
			}
		}
	}
	if len(bad) > 0 {
		return owner, &lpm.Error{Code: lpm.EINVALID, Message: "invalid epic", Violations: bad}
	}
	return owner, nil
}
