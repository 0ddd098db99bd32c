package api

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// problemCase documents one kind of problem an operation can answer with,
// and when. Clients switch on the type, so each error response of the
// document lists the types it can carry.
type problemCase struct {
	kind kind
	when string
}

// when documents that an operation answers with a problem of kind k in the
// situation described.
func when(k kind, situation string) problemCase { return problemCase{k, situation} }

// register adds one operation: it declares the security schemes, the
// permission the operation needs (perm: in the metadata for the middleware,
// and in the document) and every error response the operation can give, with
// the problem types each carries, and turns handler errors into problems.
// cases lists the problems particular to the operation; each either adds a
// status or says more about a problem type every operation of its shape can
// return.
func register[I, O any](a *apiServer, perm permission, op huma.Operation, h func(context.Context, *I) (*O, error), cases ...problemCase) {
	op.Security = []map[string][]string{{bearerScheme: {}}, {sessionScheme: {}}}
	op.Metadata = map[string]any{metaPermission: perm}
	if op.Extensions == nil {
		op.Extensions = map[string]any{}
	}
	op.Extensions[extPermission] = perm
	op.Description = strings.TrimSpace(op.Description + "\n\n" + perm.describe(op.Method, op.Path))
	all := []problemCase{
		when(kindBadRequest, "the body is not JSON, or a value in the body or the query has the wrong type (errors names the field)"),
		when(kindUnauthorized, "no credentials were sent (an API token or the session cookie), or they are unknown, expired or revoked"),
		when(kindInvalid, "a value breaks a rule; errors names each field and rule"),
		when(kindInternal, "something unexpected failed; the detail gives the request id it was logged under"),
	}
	if perm.mayForbid(op.Method) {
		all = append(all, when(kindForbidden, perm.forbiddenWhen(op.Method)))
	}
	if strings.Contains(op.Path, "{") {
		all = append(all, when(kindNotFound, "an object named in the path does not exist, or the caller holds no role in its portfolio (the two answers are alike)"))
	}
	switch op.Method {
	case http.MethodPost, http.MethodPatch, http.MethodPut:
		op.MaxBodyBytes = maxBodyBytes
		all = append(all, when(kindTooLarge, "the body is larger than 1 MiB"),
			when(kindUnsupportedCT, "the body is not sent as "+bodyMediaType[I]()))
	}
	for _, c := range cases {
		if i := slices.IndexFunc(all, func(x problemCase) bool { return x.kind == c.kind }); i >= 0 {
			all[i] = c
		} else {
			all = append(all, c)
		}
	}
	var errs []int
	for _, c := range all {
		errs = append(errs, c.kind.status)
	}
	slices.Sort(errs)
	op.Errors = slices.Compact(errs)
	huma.Register(a.api, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			p := a.problem(ctx, err)
			var he huma.HeadersError
			if errors.As(err, &he) {
				// Headers the handler asked for, such as Retry-After.
				return nil, huma.ErrorWithHeaders(p, he.GetHeaders())
			}
			return nil, p
		}
		return out, nil
	})
	documentProblems(a.api.OpenAPI(), op, all)
}

// documentProblems writes, into the description of each error response of
// the registered operation op, which problem types it carries and when.
func documentProblems(oapi *huma.OpenAPI, op huma.Operation, cases []problemCase) {
	item := oapi.Paths[op.Path]
	if item == nil {
		return
	}
	var registered *huma.Operation
	switch op.Method {
	case http.MethodGet:
		registered = item.Get
	case http.MethodPost:
		registered = item.Post
	case http.MethodPatch:
		registered = item.Patch
	case http.MethodPut:
		registered = item.Put
	case http.MethodDelete:
		registered = item.Delete
	}
	if registered == nil {
		return
	}
	byStatus := map[int][]string{}
	for _, c := range cases {
		byStatus[c.kind.status] = append(byStatus[c.kind.status], c.kind.typ+" when "+c.when)
	}
	for status, parts := range byStatus {
		if res := registered.Responses[strconv.Itoa(status)]; res != nil {
			res.Description = http.StatusText(status) + ": " + strings.Join(parts, "; ") + "."
		}
	}
}

// bodyMediaType is the media type an operation's body is sent as: JSON,
// but for those that take a file as it is (a RawBody field, whose
// contentType tag names its type).
func bodyMediaType[I any]() string {
	if f, ok := reflect.TypeFor[I]().FieldByName("RawBody"); ok {
		if ct := f.Tag.Get("contentType"); ct != "" {
			return ct
		}
	}
	return "application/json"
}
