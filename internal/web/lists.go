package web

import (
	"github.com/lpm-project/lpm/internal/lpm"
)

// maxListPages bounds how many pages of a list a page reads in full (themes
// and value streams for a filter, portfolios for the home page).
const maxListPages = 20

// readAll reads every page of a list, up to maxListPages of the largest
// size.
func readAll[T any](read func(lpm.Page) ([]T, string, error)) ([]T, error) {
	var all []T
	page := lpm.Page{Limit: lpm.MaxPageSize}
	for range maxListPages {
		list, next, err := read(page)
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
		if next == "" {
			break
		}
		page.Cursor = next
	}
	return all, nil
}
