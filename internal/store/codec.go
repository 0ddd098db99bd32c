package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Timestamps are stored as unix microseconds UTC in a 64-bit integer on both
// engines: both drivers scan an integer the same way (no time zone or text
// format to agree on), microseconds are what lpm.Now keeps, and integers
// index and compare cheaply.

func toMicros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// Dates (a PI cadence start, a theme's validity) are TEXT YYYY-MM-DD.
const dateLayout = "2006-01-02"

func toDate(t time.Time) string { return t.UTC().Format(dateLayout) }

func fromDate(s string) (time.Time, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored date %q: %w", s, err)
	}
	return t, nil
}

func toNullDate(t *time.Time) sql.NullString {
	if t == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: toDate(*t), Valid: true}
}

func fromNullDate(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := fromDate(s.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// toJSON encodes a list for a JSON TEXT column; an empty list is "[]", never
// "null", so the column needs no NULL handling.
func toJSON[T any](list []T) (string, error) {
	if len(list) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(list)
	if err != nil {
		return "", fmt.Errorf("encode list: %w", err)
	}
	return string(b), nil
}

// fromJSON decodes a JSON TEXT list; an empty list comes back nil, so that a
// stored object reads back equal to the one written with a nil list.
func fromJSON[T any](s string) ([]T, error) {
	if s == "" || s == "[]" || s == "null" {
		return nil, nil
	}
	var list []T
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return nil, fmt.Errorf("decode stored list: %w", err)
	}
	return list, nil
}

// parseIDList decodes the comma-separated ids an aggregate subquery returns
// (see epicColumns), in ascending order; NULL or "" is no ids.
func parseIDList(s sql.NullString) ([]int64, error) {
	if !s.Valid || s.String == "" {
		return nil, nil
	}
	parts := strings.Split(s.String, ",")
	ids := make([]int64, len(parts))
	for i, p := range parts {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("stored id list %q: %w", s.String, err)
		}
		ids[i] = id
	}
	slices.Sort(ids)
	return ids, nil
}

// nullID stores 0 as NULL, for optional references.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// placeholders returns "$first, $first+1, …" for n arguments.
func placeholders(first, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$")
		b.WriteString(strconv.Itoa(first + i))
	}
	return b.String()
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// scanValue reads a row of one column.
func scanValue[T any](row scanner) (T, error) {
	var v T
	return v, row.Scan(&v)
}

// queryAll runs query and returns every row, each read by scan.
func queryAll[T any](ctx context.Context, q querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return list, rows.Err()
}
