package api

import (
	"context"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/lpm-project/lpm/internal/lpm"
)

// securityScheme is the name of the bearer token scheme in the OpenAPI document.
const securityScheme = "bearer"

// metaAction holds, in an operation's metadata, the lpm.Action it performs
// when that needs more than a valid sign-in.
const metaAction = "lpm-action"

type ctxKey int

const (
	userKey ctxKey = iota
	requestIDKey
)

// userFrom returns the authenticated user of the request. The auth middleware
// runs before every operation that declares security, so handlers of those
// operations always find one.
func userFrom(ctx context.Context) *lpm.User {
	u, _ := ctx.Value(userKey).(*lpm.User)
	return u
}

// actorFrom returns the request's user as the Kanban rules see them.
func actorFrom(ctx context.Context) lpm.Actor {
	if u := userFrom(ctx); u != nil {
		return u.Actor()
	}
	return lpm.Actor{}
}

func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// authenticate resolves the bearer token of every operation that declares
// security, refuses users the domain does not permit the operation's action
// (lpm.Actor.May), and puts the user in
// the request context. It runs before huma reads the body, so an anonymous
// client learns nothing about validation.
func (a *apiServer) authenticate(ctx huma.Context, next func(huma.Context)) {
	if id := ctx.Header("X-Request-Id"); id != "" {
		ctx = huma.WithValue(ctx, requestIDKey, id)
	}
	op := ctx.Operation()
	if len(op.Security) == 0 {
		next(ctx)
		return
	}
	token, ok := bearerToken(ctx.Header("Authorization"))
	if !ok {
		ctx.SetHeader("WWW-Authenticate", `Bearer realm="lpm"`)
		a.writeProblem(ctx, newProblem(kindUnauthorized, "send an API token: Authorization: Bearer <token>"))
		return
	}
	u, err := a.tokens.find(ctx.Context(), a.st, token)
	if err != nil {
		if lpm.ErrorCodeOf(err) == lpm.ENOTFOUND {
			ctx.SetHeader("WWW-Authenticate", `Bearer realm="lpm", error="invalid_token"`)
			a.writeProblem(ctx, newProblem(kindUnauthorized, "the API token is unknown or has been revoked"))
			return
		}
		a.writeProblem(ctx, a.problem(ctx.Context(), err))
		return
	}
	if act, _ := op.Metadata[metaAction].(lpm.Action); act != anyUser {
		if err := u.Actor().May(act); err != nil {
			a.writeProblem(ctx, a.problem(ctx.Context(), err))
			return
		}
	}
	next(huma.WithValue(ctx, userKey, u))
}

// bearerToken extracts the token of an "Authorization: Bearer <token>" header.
func bearerToken(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
