package web

import (
	"context"
	"net/http"

	"github.com/lpm-project/lpm/internal/lpm"
)

// pathObject loads the object whose id the path value param holds, with
// find, answering the not-found page for a malformed id, a missing object
// or one of another portfolio than p (portfolioOf tells its portfolio), so
// that no page reaches into another portfolio through an id; what names
// the object in a logged error.
func pathObject[T any](h *handler, w http.ResponseWriter, r *http.Request, p *lpm.Portfolio, param, what string,
	find func(context.Context, int64) (T, error), portfolioOf func(T) int64) (T, bool) {
	var none T
	id, ok := h.pathID(w, r, param)
	if !ok {
		return none, false
	}
	obj, err := find(r.Context(), id)
	switch {
	case lpm.ErrorCodeOf(err) == lpm.ENOTFOUND || (err == nil && portfolioOf(obj) != p.ID):
		h.notFound(w, r)
		return none, false
	case err != nil:
		h.internalError(w, r, "load "+what, err)
		return none, false
	}
	return obj, true
}
