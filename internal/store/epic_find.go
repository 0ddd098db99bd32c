package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

// FindEpics lists the epics f selects, by ID; an unknown portfolio has none.
// Text matches key, title and description case-insensitively (on SQLite,
// LOWER folds ASCII letters only, so "É" does not match "é").
func (s *Store) FindEpics(ctx context.Context, f lpm.EpicFilter) ([]*lpm.Epic, string, error) {
	pq, err := readPage(f.Page)
	if err != nil {
		return nil, "", err
	}
	var (
		where []string
		args  []any
	)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	where = append(where, "e.id > "+arg(pq.after))
	if f.PortfolioID != 0 {
		where = append(where, "e.portfolio_id = "+arg(f.PortfolioID))
	}
	if len(f.States) > 0 {
		in := make([]string, len(f.States))
		for i, st := range f.States {
			if !st.Valid() {
				return nil, "", invalid("filter", "states", "enum", "%q is not a Kanban state", st)
			}
			in[i] = arg(string(st))
		}
		where = append(where, "e.state IN ("+strings.Join(in, ", ")+")")
	}
	if f.Type != "" {
		if f.Type != lpm.Business && f.Type != lpm.Enabler {
			return nil, "", invalid("filter", "type", "enum", "type must be business or enabler, got %q", f.Type)
		}
		where = append(where, "e.type = "+arg(string(f.Type)))
	}
	if f.ThemeID != 0 {
		where = append(where, "EXISTS (SELECT 1 FROM epic_themes t WHERE t.epic_id = e.id AND t.theme_id = "+arg(f.ThemeID)+")")
	}
	if f.ValueStreamID != 0 {
		where = append(where, "EXISTS (SELECT 1 FROM epic_value_streams v WHERE v.epic_id = e.id AND v.value_stream_id = "+arg(f.ValueStreamID)+")")
	}
	if text := strings.TrimSpace(f.Text); text != "" {
		p := arg("%" + escapeLike(strings.ToLower(text)) + "%")
		where = append(where, fmt.Sprintf(`(LOWER(e.key) LIKE %[1]s ESCAPE '\' OR LOWER(e.title) LIKE %[1]s ESCAPE '\' OR LOWER(e.description) LIKE %[1]s ESCAPE '\')`, p))
	}
	query := `SELECT ` + epicColumns + ` FROM epics e WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY e.id LIMIT ` + arg(pq.limit+1)

	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("find epics: %w", err)
	}
	defer rows.Close()
	var list []*lpm.Epic
	for rows.Next() {
		e, err := scanEpic(rows)
		if err != nil {
			return nil, "", fmt.Errorf("find epics: %w", err)
		}
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("find epics: %w", err)
	}
	list, next := trimPage(list, pq, func(e *lpm.Epic) int64 { return e.ID })
	return list, next, nil
}

// escapeLike makes s match literally inside a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
