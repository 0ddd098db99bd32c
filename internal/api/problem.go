package api

import (
	"encoding/json"
	"net/http"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Problem is an RFC 9457 problem details object: every error the API returns
// has this shape, served as application/problem+json.
type Problem struct {
	Type   string `json:"type" doc:"Stable identifier of the kind of problem, e.g. urn:lpm:problem:wip-limit."`
	Title  string `json:"title" doc:"Short summary of the kind of problem; the same for every occurrence."`
	Status int    `json:"status" doc:"HTTP status code."`
	Detail string `json:"detail,omitempty" doc:"What went wrong in this occurrence, for people."`
	// Errors lists every individual problem: each invalid field, each unmet
	// Kanban policy. Clients show them all, so one request fixes them all.
	Errors []ProblemError `json:"errors,omitempty" doc:"Each invalid field or unmet condition."`
}

// ProblemError is one invalid field or unmet condition within a Problem.
type ProblemError struct {
	Field    string `json:"field,omitempty" doc:"Field concerned, in the names of the JSON objects (e.g. wsjf_components.job_size)."`
	Location string `json:"location,omitempty" doc:"Where in the request the field is, when the request itself is at fault: body.…, query.… or path.…"`
	Rule     string `json:"rule,omitempty" doc:"Machine-readable name of the rule that failed, e.g. required, enum, wsjf_scale, hypothesis_complete."`
	Message  string `json:"message" doc:"What to do about it, for people."`
}

// Error makes a Problem usable as an error value inside huma.
func (p *Problem) Error() string { return p.Detail }

// GetStatus tells huma which HTTP status to send.
func (p *Problem) GetStatus() int { return p.Status }

// ContentType makes huma send problems as application/problem+json.
func (p *Problem) ContentType(ct string) string {
	if ct == "application/json" {
		return "application/problem+json"
	}
	return ct
}

// kind is one stable kind of problem: its status, type URI and title.
type kind struct {
	status int
	typ    string
	title  string
}

// The kinds of problem the API reports. Clients switch on the type, so these
// URIs never change once published.
var (
	kindBadRequest    = kind{http.StatusBadRequest, "urn:lpm:problem:bad-request", "Malformed request"}
	kindUnauthorized  = kind{http.StatusUnauthorized, "urn:lpm:problem:unauthorized", "Authentication required"}
	kindForbidden     = kind{http.StatusForbidden, "urn:lpm:problem:forbidden", "Not permitted"}
	kindNotFound      = kind{http.StatusNotFound, "urn:lpm:problem:not-found", "Not found"}
	kindMethod        = kind{http.StatusMethodNotAllowed, "urn:lpm:problem:method-not-allowed", "Method not allowed"}
	kindConflict      = kind{http.StatusConflict, "urn:lpm:problem:conflict", "Conflict"}
	kindWIPLimit      = kind{http.StatusConflict, "urn:lpm:problem:wip-limit", "WIP limit reached"}
	kindTooLarge      = kind{http.StatusRequestEntityTooLarge, "urn:lpm:problem:too-large", "Request body too large"}
	kindInvalid       = kind{http.StatusUnprocessableEntity, "urn:lpm:problem:invalid", "Invalid input"}
	kindPolicy        = kind{http.StatusUnprocessableEntity, "urn:lpm:problem:policy-not-met", "Kanban policy not met"}
	kindNotAllowed    = kind{http.StatusUnprocessableEntity, "urn:lpm:problem:transition-not-allowed", "Transition not allowed"}
	kindThrottled     = kind{http.StatusTooManyRequests, "urn:lpm:problem:too-many-requests", "Too many requests"}
	kindInternal      = kind{http.StatusInternalServerError, "urn:lpm:problem:internal", "Internal error"}
	kindUnavailable   = kind{http.StatusServiceUnavailable, "urn:lpm:problem:unavailable", "Service unavailable"}
	kindUnsupportedCT = kind{http.StatusUnsupportedMediaType, "urn:lpm:problem:unsupported-media-type", "Unsupported media type"}
)

// codeKinds maps each domain error code to its problem kind. This table is
// the only place the API turns lpm.ErrorCode into HTTP.
var codeKinds = map[lpm.ErrorCode]kind{
	lpm.EINVALID:      kindInvalid,
	lpm.ENOTFOUND:     kindNotFound,
	lpm.ECONFLICT:     kindConflict,
	lpm.EWIPLIMIT:     kindWIPLimit,
	lpm.EPOLICY:       kindPolicy,
	lpm.ENOTALLOWED:   kindNotAllowed,
	lpm.EUNAUTHORIZED: kindUnauthorized,
	lpm.EFORBIDDEN:    kindForbidden,
	lpm.ETHROTTLED:    kindThrottled,
	lpm.EINTERNAL:     kindInternal,
}

// statusKinds names the kind of problem for statuses huma or net/http produce
// themselves, without a domain error behind them.
var statusKinds = map[int]kind{
	http.StatusBadRequest:            kindBadRequest,
	http.StatusUnauthorized:          kindUnauthorized,
	http.StatusForbidden:             kindForbidden,
	http.StatusNotFound:              kindNotFound,
	http.StatusMethodNotAllowed:      kindMethod,
	http.StatusConflict:              kindConflict,
	http.StatusRequestEntityTooLarge: kindTooLarge,
	http.StatusUnsupportedMediaType:  kindUnsupportedCT,
	http.StatusUnprocessableEntity:   kindInvalid,
	http.StatusInternalServerError:   kindInternal,
	http.StatusServiceUnavailable:    kindUnavailable,
}

// kindOfStatus returns the problem kind for a bare status; statuses without a
// kind of their own are reported as bad requests (4xx) or internal errors.
func kindOfStatus(status int) kind {
	if k, ok := statusKinds[status]; ok {
		return k
	}
	if status >= 500 {
		return kind{status, kindInternal.typ, http.StatusText(status)}
	}
	return kind{status, kindBadRequest.typ, http.StatusText(status)}
}

// newProblem returns a problem of kind k.
func newProblem(k kind, detail string, errs ...ProblemError) *Problem {
	return &Problem{Type: k.typ, Title: k.title, Status: k.status, Detail: detail, Errors: errs}
}

// domainProblem turns a domain error into a problem. It reports ok false for
// errors that are not domain errors or are internal: the caller logs those
// and answers with a generic internal problem, so no internals leak.
func domainProblem(err error) (p *Problem, ok bool) {
	e := lpm.AsError(err)
	if e == nil || e.Code == lpm.EINTERNAL {
		return nil, false
	}
	k, known := codeKinds[e.Code]
	if !known {
		return nil, false
	}
	p = newProblem(k, e.Message)
	for _, v := range e.Violations {
		p.Errors = append(p.Errors, ProblemError{Field: v.Field, Rule: v.Rule, Message: v.Message})
	}
	return p, true
}

// WriteProblem writes p as an application/problem+json response. Handlers
// outside the JSON API (health, recovery) use it so every error looks alike.
func WriteProblem(w http.ResponseWriter, p *Problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// InternalProblem returns the problem sent for unexpected failures: it says
// nothing about the cause, which belongs in the log under the request id.
func InternalProblem(requestID string) *Problem {
	detail := "an unexpected error occurred"
	if requestID != "" {
		detail += "; it was logged under request id " + requestID
	}
	return newProblem(kindInternal, detail)
}

// UnavailableProblem returns the problem sent when a dependency such as the
// store does not answer.
func UnavailableProblem(detail string) *Problem {
	return newProblem(kindUnavailable, detail)
}

// NotFoundProblem returns the problem sent for a path nothing answers.
func NotFoundProblem(detail string) *Problem {
	return newProblem(kindNotFound, detail)
}

// MethodNotAllowedProblem returns the problem sent for a path that exists
// with other methods; the caller sets the Allow header.
func MethodNotAllowedProblem(detail string) *Problem {
	return newProblem(kindMethod, detail)
}

// TooManyRequestsProblem is the problem for a client over its rate limit;
// the caller sets Retry-After.
func TooManyRequestsProblem(detail string) *Problem { return newProblem(kindThrottled, detail) }

// TooLargeProblem is the problem for a request body over a size limit.
func TooLargeProblem(detail string) *Problem { return newProblem(kindTooLarge, detail) }
