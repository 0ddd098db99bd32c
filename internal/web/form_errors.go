package web

import (
	"net/http"

	"github.com/lpm-project/lpm/internal/lpm"
)

// storeFailed sorts out an error of the store on a form: one the person can
// act on (invalid input, a conflict, a refusal) joins problems, to be shown
// with the form; any other is answered with the error page (what the store
// was doing), and storeFailed reports true: the handler is done.
func (h *handler) storeFailed(w http.ResponseWriter, r *http.Request, what string, err error, problems *[]lpm.Violation) bool {
	if lpm.ErrorCodeOf(err) == lpm.EINTERNAL {
		h.internalError(w, r, what, err)
		return true
	}
	*problems = append(*problems, asViolations(err)...)
	return false
}

// asViolations lists what the store found wrong: its violations, or its
// message when it has none.
func asViolations(err error) []lpm.Violation {
	e := lpm.AsError(err)
	if e == nil {
		return []lpm.Violation{{Message: err.Error()}}
	}
	if len(e.Violations) == 0 {
		return []lpm.Violation{{Message: e.Message}}
	}
	return e.Violations
}
