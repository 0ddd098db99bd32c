package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/danielgtaylor/huma/v2"
	"github.com/lpm-project/lpm/internal/lpm"
)

// me is the caller: who they are, what they hold, and how they signed in.
type me struct {
	ID          int64            `json:"id"`
	Name        string           `json:"name"`
	DisplayName string           `json:"display_name"`
	Email       string           `json:"email"`
	IsAdmin     bool             `json:"is_admin" doc:"A site admin may do everything in every portfolio, create portfolios and manage users."`
	Portfolios  []portfolioRoles `json:"portfolios" doc:"The caller's roles in each portfolio they belong to, by portfolio id; directly granted or through a single sign-on group."`
	AuthBy      string           `json:"authenticated_by" enum:"token,session" doc:"How this request was authenticated."`
	TokenScope  tokenScopeName   `json:"token_scope,omitempty" doc:"The scope of the API token this request was sent with; absent for a session."`
}

// portfolioRoles are the roles a user holds in one portfolio.
type portfolioRoles struct {
	PortfolioID   int64      `json:"portfolio_id"`
	PortfolioName string     `json:"portfolio_name"`
	Roles         []roleName `json:"roles"`
}

func (a *apiServer) getMe(ctx context.Context, _ *struct{}) (*struct{ Body me }, error) {
	c := callerFrom(ctx)
	u := c.user
	out := me{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName, Email: u.Email, IsAdmin: u.IsAdmin,
		Portfolios: []portfolioRoles{}, AuthBy: "session"}
	if c.token != nil {
		out.AuthBy, out.TokenScope = "token", tokenScopeName(c.token.Scope)
	}
	ids := make([]int64, 0, len(c.actor.Access))
	for id, roles := range c.actor.Access {
		if roles != 0 {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		p, err := a.st.FindPortfolioByID(ctx, id)
		if lpm.ErrorCodeOf(err) == lpm.ENOTFOUND {
			continue // gone since the roles were read
		} else if err != nil {
			return nil, fmt.Errorf("load portfolio %d of user %s: %w", id, u.Name, err)
		}
		out.Portfolios = append(out.Portfolios, portfolioRoles{PortfolioID: id, PortfolioName: p.Name,
			Roles: toRoleNames(c.actor.Access[id].List())})
	}
	return &struct{ Body me }{Body: out}, nil
}

// passwordChange is the body of POST /me/password.
type passwordChange struct {
	CurrentPassword string `json:"current_password" doc:"The password the caller has now."`
	NewPassword     string `json:"new_password" doc:"At least 12 characters."`
}

// changeMyPassword changes the caller's password after checking the current
// one. Wrong current passwords count as failed sign-ins of the user, so a
// stolen token cannot be used to guess the password.
func (a *apiServer) changeMyPassword(ctx context.Context, in *struct{ Body passwordChange }) (*struct{}, error) {
	u := userFrom(ctx)
	// Counted as a failure before the check, cleared when it is right: see
	// lpm.SignInState.Attempt.
	wait, locked, err := a.st.AttemptSignIn(ctx, u.Name)
	if err != nil {
		return nil, fmt.Errorf("decide a password check of %s: %w", u.Name, err)
	}
	if wait > 0 {
		return nil, huma.ErrorWithHeaders(lpm.ThrottleError(wait, locked),
			http.Header{"Retry-After": {strconv.Itoa(lpm.RetryAfterSeconds(wait))}})
	}
	_, hash, err := a.st.PasswordHash(ctx, u.Name)
	if err != nil {
		return nil, fmt.Errorf("load password of %s: %w", u.Name, err)
	}
	if hash == "" {
		lpm.DummyPasswordCheck(in.Body.CurrentPassword)
	}
	if hash == "" || !lpm.CheckPassword(hash, in.Body.CurrentPassword) {
		return nil, &lpm.Error{Code: lpm.EINVALID, Message: "the current password is wrong", Violations: []lpm.Violation{{
			Field: "current_password", Rule: "mismatch", Message: "current_password is not your current password"}}}
	}
	if err := a.st.ResetSignIn(ctx, u.Name); err != nil {
		return nil, fmt.Errorf("reset sign-in state of %s: %w", u.Name, err)
	}
	newHash, err := newPasswordHash(in.Body.NewPassword, "new_password")
	if err != nil {
		return nil, err
	}
	if err := a.st.SetPassword(ctx, u.ID, newHash, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("set password of %s: %w", u.Name, err)
	}
	return &struct{}{}, nil
}
