package web

import (
	"net/http"

	"github.com/lpm-project/lpm/internal/lpm"
)

// portfolio loads the portfolio named by the path value "portfolio" for v,
// answering the not-found page when it does not exist or v may not see it
// (the two look alike, as in the API).
func (h *handler) portfolio(w http.ResponseWriter, r *http.Request, v *viewer) (*lpm.Portfolio, bool) {
	id, ok := h.pathID(w, r, "portfolio")
	if !ok {
		return nil, false
	}
	if !v.actor.Member(id) {
		h.notFound(w, r)
		return nil, false
	}
	p, err := h.store.FindPortfolioByID(r.Context(), id)
	switch {
	case lpm.ErrorCodeOf(err) == lpm.ENOTFOUND:
		h.notFound(w, r)
		return nil, false
	case err != nil:
		h.internalError(w, r, "load the portfolio", err)
		return nil, false
	}
	return p, true
}
