package api

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// access says who may call an operation.
type access int

const (
	anyUser access = iota // any authenticated user
	adminOnly
)

// register adds one operation: it declares the bearer security and every error
// response the operation can give, and turns handler errors into problems.
// extra lists statuses beyond those every operation of its shape can return.
func register[I, O any](a *apiServer, who access, op huma.Operation, h func(context.Context, *I) (*O, error), extra ...int) {
	op.Security = []map[string][]string{{securityScheme: {}}}
	errs := []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusUnprocessableEntity}
	if who == adminOnly {
		op.Metadata = map[string]any{metaAdmin: true}
		op.Description = strings.TrimSpace(op.Description + "\n\nAdmin only.")
		errs = append(errs, http.StatusForbidden)
	}
	if strings.Contains(op.Path, "{") {
		errs = append(errs, http.StatusNotFound)
	}
	switch op.Method {
	case http.MethodPost, http.MethodPatch, http.MethodPut:
		op.MaxBodyBytes = maxBodyBytes
		errs = append(errs, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType)
	}
	errs = append(errs, extra...)
	slices.Sort(errs)
	op.Errors = slices.Compact(errs)
	huma.Register(a.api, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			return nil, a.problem(ctx, err)
		}
		return out, nil
	})
}
