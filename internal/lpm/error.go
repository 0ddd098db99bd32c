package lpm

import (
	"errors"
	"fmt"
	"strings"
)

// ErrorCode classifies an error for callers. Adapters map each code to their
// own vocabulary (HTTP status, CLI exit code) in exactly one place.
type ErrorCode string

// Error codes used across lpm.
const (
	EINVALID      ErrorCode = "invalid"      // input fails validation
	ENOTFOUND     ErrorCode = "not_found"    // object does not exist (or is not visible)
	ECONFLICT     ErrorCode = "conflict"     // state conflict, e.g. a duplicate key or a non-empty store
	EWIPLIMIT     ErrorCode = "wip_limit"    // target Kanban column is full
	EPOLICY       ErrorCode = "policy"       // a Kanban entry/exit policy is not met
	ENOTALLOWED   ErrorCode = "not_allowed"  // the Kanban has no such move
	EUNAUTHORIZED ErrorCode = "unauthorized" // no valid credentials
	EFORBIDDEN    ErrorCode = "forbidden"    // credentials valid, action not permitted
	ETHROTTLED    ErrorCode = "throttled"    // too many requests or failed sign-ins; try later
	EINTERNAL     ErrorCode = "internal"     // anything unexpected
)

// Violation names one unmet condition: the field or rule concerned and what
// a person must do about it.
type Violation struct {
	Field   string `json:"field,omitempty"`
	Rule    string `json:"rule,omitempty"`
	Message string `json:"message"`
}

// Error is the application error carried from the domain to adapters.
type Error struct {
	Code       ErrorCode
	Message    string
	Violations []Violation
}

func (e *Error) Error() string {
	if len(e.Violations) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = v.Message
	}
	return e.Message + ": " + strings.Join(parts, "; ")
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCodeOf returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// AsError returns the first *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// violations collects validation problems and turns them into one error.
type violations []Violation

func (vs *violations) add(field, rule, format string, args ...any) {
	*vs = append(*vs, Violation{Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

func (vs violations) err(code ErrorCode, msg string) error {
	if len(vs) == 0 {
		return nil
	}
	return &Error{Code: code, Message: msg, Violations: vs}
}
