package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// huma reports its own errors (unknown fields, wrong types, values out of
// range, bodies too large) through the package-level huma.NewError. Replacing
// it makes those errors come out in the same problem shape as the domain's,
// with the offending field named. The replacement is process-wide; lpm has one
// huma API, so that is what we want.
func init() {
	huma.NewError = humaProblem
	huma.NewErrorWithContext = func(_ huma.Context, status int, msg string, errs ...error) huma.StatusError {
		return humaProblem(status, msg, errs...)
	}
	// Field names are matched exactly: "Title" is an unknown field, not title.
	huma.ValidateStrictCasing = true
	// Lists are always sent, empty rather than null.
	huma.DefaultArrayNullable = false
}

// humaProblem builds the problem for an error huma detected itself.
func humaProblem(status int, msg string, errs ...error) huma.StatusError {
	if status == 0 {
		// huma calls NewError(0, "") once to learn the error schema.
		return &Problem{}
	}
	var items []ProblemError
	notFound := ""
	badRequest := false
	for _, err := range errs {
		if err == nil {
			continue
		}
		var p *Problem
		if errors.As(err, &p) {
			return p
		}
		it := humaDetail(err)
		switch {
		case strings.HasPrefix(it.Location, "path."):
			// An id that cannot be an id names nothing: that is a 404, and
			// it says which kind of object was not found.
			if notFound == "" {
				notFound = fmt.Sprintf("no %s %q", strings.ReplaceAll(it.Field, "_", " "), pathValue(err))
			}
		case it.Rule == "type" || it.Rule == "malformed":
			badRequest = true
		}
		items = append(items, it)
	}
	if notFound != "" {
		return newProblem(kindNotFound, notFound)
	}
	if status == http.StatusUnsupportedMediaType {
		return newProblem(kindUnsupportedCT, "send the body as JSON, with Content-Type: application/json")
	}
	if status == http.StatusUnprocessableEntity && badRequest {
		status = http.StatusBadRequest
	}
	detail := msg
	if len(items) > 0 && (status == http.StatusBadRequest || status == http.StatusUnprocessableEntity) {
		parts := make([]string, len(items))
		for i, it := range items {
			parts[i] = it.Location + ": " + it.Message
		}
		detail = "the request is not valid: " + strings.Join(parts, "; ")
	}
	if status >= 500 {
		// huma's 5xx carry internal causes (read errors and the like).
		return newProblem(kindOfStatus(status), "an unexpected error occurred")
	}
	return newProblem(kindOfStatus(status), detail, items...)
}

// humaDetail converts one of huma's error details, naming the field and the
// rule it broke.
func humaDetail(err error) ProblemError {
	d := &huma.ErrorDetail{Message: err.Error()}
	var det huma.ErrorDetailer
	if errors.As(err, &det) {
		d = det.ErrorDetail()
	}
	loc := d.Location
	rule := ruleOf(d.Message)
	if rule == "required" {
		// "expected required property title to be present" is reported at
		// the enclosing object; name the missing property itself.
		if name, ok := between(d.Message, "expected required property ", " to be present"); ok {
			loc = loc + "." + name
		}
	}
	if loc == "body" && rule == "invalid" {
		// The JSON decoder's own complaints: the body is not JSON at all, or
		// a value does not fit its Go type.
		rule = "malformed"
	}
	field := loc
	if i := strings.IndexByte(loc, '.'); i >= 0 {
		field = loc[i+1:]
	} else if loc == "body" {
		field = ""
	}
	return ProblemError{Field: field, Location: loc, Rule: rule, Message: d.Message}
}

// pathValue returns the offending path parameter value of a huma error.
func pathValue(err error) string {
	var det huma.ErrorDetailer
	if errors.As(err, &det) {
		if v, ok := det.ErrorDetail().Value.(string); ok {
			return v
		}
		if v := det.ErrorDetail().Value; v != nil {
			return fmt.Sprint(v)
		}
	}
	return ""
}

// ruleOf names the rule behind one of huma's validation messages.
func ruleOf(msg string) string {
	switch {
	case msg == "expected boolean", msg == "expected number", msg == "expected integer",
		msg == "expected string", msg == "expected array", msg == "expected object",
		strings.HasPrefix(msg, "invalid integer"), strings.HasPrefix(msg, "invalid float"),
		strings.HasPrefix(msg, "invalid boolean"):
		return "type"
	case msg == "unexpected property":
		return "unknown_field"
	case strings.HasPrefix(msg, "expected required property"):
		return "required"
	case strings.HasPrefix(msg, "expected value to be one of"):
		return "enum"
	case strings.HasPrefix(msg, "expected number"):
		return "range"
	case strings.HasPrefix(msg, "expected length"):
		return "length"
	case strings.HasPrefix(msg, "expected array length"):
		return "items"
	case strings.HasPrefix(msg, "expected string to be"):
		return "format"
	}
	return "invalid"
}

func between(s, prefix, suffix string) (string, bool) {
	if !strings.HasPrefix(s, prefix) || !strings.HasSuffix(s, suffix) {
		return "", false
	}
	return s[len(prefix) : len(s)-len(suffix)], true
}
