package store

import (
	"encoding/base64"
	"strconv"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Every list is ordered by id and paged by keyset: a cursor is the last id of
// the previous page, base64url-encoded so that clients treat it as opaque and
// the scheme can change without breaking them. Keyset paging stays fast and
// stable however deep a client pages and whatever is inserted meanwhile.

// pageQuery is a lpm.Page made ready for SQL.
type pageQuery struct {
	after int64 // ids greater than this
	limit int
}

func readPage(p lpm.Page) (pageQuery, error) {
	q := pageQuery{limit: p.Limit}
	switch {
	case q.limit <= 0:
		q.limit = lpm.DefaultPageSize
	case q.limit > lpm.MaxPageSize:
		q.limit = lpm.MaxPageSize
	}
	if p.Cursor == "" {
		return q, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(p.Cursor)
	if err == nil {
		q.after, err = strconv.ParseInt(string(b), 10, 64)
	}
	if err != nil || q.after < 0 {
		return q, invalid("page", "cursor", "format", "cursor is not one this server returned; start again without it")
	}
	return q, nil
}

func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10)))
}

// trimPage cuts the one extra row a list query fetches (limit+1) to learn
// whether another page follows, and returns the cursor of that page.
func trimPage[T any](list []T, q pageQuery, id func(T) int64) ([]T, string) {
	if len(list) <= q.limit {
		return list, ""
	}
	list = list[:q.limit]
	return list, encodeCursor(id(list[len(list)-1]))
}
