package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/lpm-project/lpm/internal/lpm"
)

// FindEpics lists the epics f selects, by ID; an unknown portfolio has none.
// Text matches key, title and description case-insensitively, for every
// alphabet and alike on both engines: it is matched against the epic's
// search_text, which the store case-folds in Go when it writes the epic.
func (s *Store) FindEpics(ctx context.Context, f lpm.EpicFilter) ([]*lpm.Epic, string, error) {
	if err := f.Validate(); err != nil {
		return nil, "", err
	}
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
			in[i] = arg(string(st))
		}
		where = append(where, "e.state IN ("+strings.Join(in, ", ")+")")
	}
	if f.Type != "" {
		where = append(where, "e.type = "+arg(string(f.Type)))
	}
	if f.ThemeID != 0 {
		where = append(where, "EXISTS (SELECT 1 FROM epic_themes t WHERE t.epic_id = e.id AND t.theme_id = "+arg(f.ThemeID)+")")
	}
	if f.ValueStreamID != 0 {
		where = append(where, "EXISTS (SELECT 1 FROM epic_value_streams v WHERE v.epic_id = e.id AND v.value_stream_id = "+arg(f.ValueStreamID)+")")
	}
	if text := strings.TrimSpace(f.Text); text != "" {
		where = append(where, `e.search_text LIKE `+arg("%"+escapeLike(fold(text))+"%")+` ESCAPE '\'`)
	}
	query := `SELECT ` + epicColumns + ` FROM epics e WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY e.id LIMIT ` + arg(pq.limit+1)

	list, err := queryAll(ctx, s.read, scanEpic, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("find epics: %w", err)
	}
	list, next := trimPage(list, pq, func(e *lpm.Epic) int64 { return e.ID })
	return list, next, nil
}

// searchText is what a text search matches for an epic (the search_text
// column): its key, title and description, case-folded. They are joined by
// line breaks, which a search text cannot hold (lpm.ValidateSearch), so no
// match spans two of them. Changing fold means rewriting every stored
// search_text in a migration.
func searchText(key, title, description string) string {
	return fold(key + "\n" + title + "\n" + description)
}

// fold maps every letter to one member of its case class, so that text
// matches whatever its case: "ÜBER" and "über", "Σ", "σ" and "ς" alike.
// Upper-casing first folds letters that lower-case alone keeps apart (the
// final sigma, the long s, the Kelvin sign).
func fold(s string) string {
	return strings.Map(func(r rune) rune { return unicode.ToLower(unicode.ToUpper(r)) }, s)
}

// escapeLike makes s match literally inside a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
