package api

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

// Names of the security schemes in the OpenAPI document.
const (
	bearerScheme  = "bearer"
	sessionScheme = "session"
)

type ctxKey int

const (
	callerKey ctxKey = iota
	requestIDKey
)

// caller is who sent the request and how they proved it.
type caller struct {
	user  *lpm.User
	actor lpm.Actor
	// token is the API token that authenticated the request; nil when the
	// session cookie did.
	token *lpm.Token
}

// callerFrom returns the authenticated caller. The middleware runs before
// every operation that declares security (all of them), so handlers always
// find one.
func callerFrom(ctx context.Context) *caller {
	c, _ := ctx.Value(callerKey).(*caller)
	if c == nil {
		return &caller{user: &lpm.User{}}
	}
	return c
}

// userFrom returns the authenticated user of the request.
func userFrom(ctx context.Context) *lpm.User { return callerFrom(ctx).user }

// actorFrom returns the request's user as the permission rules see them:
// with their roles, their token's scope and their address.
func actorFrom(ctx context.Context) lpm.Actor { return callerFrom(ctx).actor }

func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// authenticate runs before every operation that declares security: it finds
// who is calling (an API token, or the browser's session cookie with its
// CSRF token on changes), refuses what the operation's permission lets it
// refuse before the body is read (preauthorize), checks the body for
// duplicate keys, and puts the caller in the request context. Nothing about
// the body is judged before the caller is known, so an anonymous client
// learns nothing from validation.
func (a *apiServer) authenticate(ctx huma.Context, next func(huma.Context)) {
	if id := ctx.Header("X-Request-Id"); id != "" {
		ctx = huma.WithValue(ctx, requestIDKey, id)
	}
	if len(ctx.Operation().Security) == 0 {
		next(ctx)
		return
	}
	r, _ := humago.Unwrap(ctx)
	c, err := a.identify(ctx.Context(), r)
	if err == nil {
		err = preauthorize(ctx, c.actor)
	}
	if err != nil {
		p := a.problem(ctx.Context(), err)
		if p.Status == http.StatusUnauthorized {
			challenge := `Bearer realm="lpm"`
			if r.Header.Get("Authorization") != "" {
				challenge += `, error="invalid_token"`
			}
			ctx.SetHeader("WWW-Authenticate", challenge)
		}
		a.writeProblem(ctx, p)
		return
	}
	if p := checkBody(r); p != nil {
		a.writeProblem(ctx, p)
		return
	}
	next(huma.WithValue(ctx, callerKey, c))
}

// identify authenticates the request: by its bearer token when it sends an
// Authorization header, else by its session cookie. Errors are EUNAUTHORIZED
// or EFORBIDDEN domain errors, or internal ones.
func (a *apiServer) identify(ctx context.Context, r *http.Request) (*caller, error) {
	c := &caller{}
	switch {
	case r.Header.Get("Authorization") != "":
		secret, ok := bearerToken(r.Header.Get("Authorization"))
		if !ok {
			return nil, lpm.Errorf(lpm.EUNAUTHORIZED, "send an API token as Authorization: Bearer <token>")
		}
		u, tok, err := a.st.Authenticate(ctx, secret)
		if lpm.ErrorCodeOf(err) == lpm.ENOTFOUND {
			return nil, lpm.Errorf(lpm.EUNAUTHORIZED, "the API token is unknown, expired or revoked, or its user is disabled")
		} else if err != nil {
			return nil, fmt.Errorf("authenticate token: %w", err)
		}
		c.user, c.token = u, tok
	case httpauth.SessionSecret(r) != "":
		s, u, err := a.st.FindSession(ctx, httpauth.SessionSecret(r))
		if lpm.ErrorCodeOf(err) == lpm.ENOTFOUND {
			return nil, lpm.Errorf(lpm.EUNAUTHORIZED, "the session has ended; sign in again")
		} else if err != nil {
			return nil, fmt.Errorf("find session: %w", err)
		}
		if !safeMethod(r.Method) && !sameSecret(r.Header.Get(httpauth.CSRFHeader), s.CSRFToken) {
			return nil, lpm.Errorf(lpm.EFORBIDDEN, "missing or wrong CSRF token")
		}
		c.user = u
	default:
		return nil, lpm.Errorf(lpm.EUNAUTHORIZED, "send an API token (Authorization: Bearer <token>) or sign in")
	}
	readOnly := c.token != nil && c.token.Scope == lpm.ScopeRead
	actor, err := httpauth.Actor(ctx, a.st, c.user, readOnly, httpauth.ClientAddress(r))
	if err != nil {
		return nil, err
	}
	c.actor = actor
	return c, nil
}

// sameSecret compares a secret the client sent with the one expected, in
// constant time; an empty one never matches.
func sameSecret(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
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
