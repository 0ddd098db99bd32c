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
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		return humaProblem(nil, status, msg, errs...)
	}
	huma.NewErrorWithContext = humaProblem
	// Field names are matched exactly: "Title" is an unknown field, not title.
	huma.ValidateStrictCasing = true
	// Lists are always sent, empty rather than null.
	huma.DefaultArrayNullable = false
}

// humaProblem builds the problem for an error huma detected itself; ctx,
// when huma passes one, says which operation the request was for.
func humaProblem(ctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
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
		if it.Rule == "unknown_field" {
			it.Message = unknownFieldMessage(ctx, it.Field)
		}
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
// rule it broke in words people use rather than huma's or Go's.
func humaDetail(err error) ProblemError {
	d := &huma.ErrorDetail{Message: err.Error()}
	var det huma.ErrorDetailer
	if errors.As(err, &det) {
		d = det.ErrorDetail()
	}
	loc, msg := d.Location, d.Message
	rule := ruleOf(msg)
	if rule == "required" {
		// "expected required property title to be present" is reported at
		// the enclosing object; name the missing property itself.
		if name, ok := between(msg, "expected required property ", " to be present"); ok {
			loc = loc + "." + name
			msg = fieldOf(loc) + " is required"
		}
	}
	if rule == "enum" {
		// expected value to be one of "a, b, c"
		if values, ok := between(msg, `expected value to be one of "`, `"`); ok && fieldOf(loc) != "" {
			msg = fieldOf(loc) + " must be one of: " + values
		}
	}
	if loc == "body" && rule == "invalid" {
		// The JSON decoder's own complaints: the body is not JSON at all, or
		// a value does not fit its Go type. The latter names Go's types and
		// structs; say which field it is and what it must be instead.
		rule = "malformed"
		if path, want, ok := decodeMismatch(msg); ok {
			loc, rule = "body."+path, "type"
			msg = path + " must be " + want
		}
	}
	return ProblemError{Field: fieldOf(loc), Location: loc, Rule: rule, Message: msg}
}

// fieldOf is the field a location names: "body.costs.mvp_internal" names
// costs.mvp_internal, "body" alone no field.
func fieldOf(loc string) string {
	if _, field, ok := strings.Cut(loc, "."); ok {
		return field
	}
	if loc == "body" {
		return ""
	}
	return loc
}

// decodeMismatch reads encoding/json's "cannot unmarshal number 1e3 into Go
// struct field costsInput.costs.mvp_internal of type int64": the schema
// accepts 1e3 as an integer (it is one), but Go cannot store it in one. It
// returns the JSON path of the field and what its value must be.
func decodeMismatch(msg string) (path, want string, ok bool) {
	rest, ok := strings.CutPrefix(msg, "json: cannot unmarshal ")
	if !ok {
		return "", "", false
	}
	_, rest, ok = strings.Cut(rest, " into Go struct field ")
	if !ok {
		return "", "", false
	}
	field, goType, ok := strings.Cut(rest, " of type ")
	if !ok {
		return "", "", false
	}
	// field is Struct.path.to.field; the struct name may hold dots only
	// inside the brackets of a generic type.
	if i := strings.LastIndexByte(field, ']'); i >= 0 {
		field = field[i+1:]
	}
	if _, path, ok = strings.Cut(field, "."); !ok || path == "" {
		return "", "", false
	}
	switch strings.TrimPrefix(goType, "api.") {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "wsjfScore":
		want = "a whole number written in digits, like 1000 (no fraction or exponent)"
	case "string":
		want = "a string"
	case "bool":
		want = "true or false"
	default:
		want = "of another type; see the OpenAPI document"
	}
	return path, want, true
}

// unknownFieldHints explain, per operation, fields people send that the
// operation does not take, where the reason is not obvious. {epic} stands
// for the epic's id.
var unknownFieldHints = map[string]map[string]string{
	"update-epic": {
		"state":       "it changes only through POST " + Prefix + "/epics/{epic}/transitions, which checks the Kanban policies",
		"done_reason": "it is set by a move to done through POST " + Prefix + "/epics/{epic}/transitions",
	},
}

// unknownFieldMessage says that a request named a field its operation does
// not take, with a hint where one helps.
func unknownFieldMessage(ctx huma.Context, field string) string {
	if ctx != nil && ctx.Operation() != nil {
		if hint, ok := unknownFieldHints[ctx.Operation().OperationID][field]; ok {
			if id := ctx.Param("epic"); id != "" {
				hint = strings.ReplaceAll(hint, "{epic}", id)
			}
			return field + " is not a field of this request: " + hint
		}
	}
	return field + " is not a field of this request (field names are case-sensitive)"
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
