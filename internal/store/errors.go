package store

import (
	"fmt"

	"github.com/lpm-project/lpm/internal/lpm"
)

// notFound is the error for a missing object, worded like "epic 42 not found".
func notFound(what string, id any) error {
	return lpm.Errorf(lpm.ENOTFOUND, "%s %v not found", what, id)
}

// invalid is the error for one wrong field of what ("epic", "page"), typically
// a reference to an object that does not exist.
func invalid(what, field, rule, format string, args ...any) error {
	return &lpm.Error{Code: lpm.EINVALID, Message: "invalid " + what, Violations: []lpm.Violation{{
		Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)}}}
}

// conflict is the error for a value that must be unique and is taken, such
// as a portfolio's name: field names it, so a client can point at it.
func conflict(what, field, format string, args ...any) error {
	return &lpm.Error{Code: lpm.ECONFLICT, Message: what + " " + field + " taken", Violations: []lpm.Violation{{
		Field: field, Rule: "unique", Message: fmt.Sprintf(format, args...)}}}
}
