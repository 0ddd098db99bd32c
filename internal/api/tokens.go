package api

import (
	"context"
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// APIToken is an API token as lists show it: never its secret, which only
// its creation answers with. It is exported because the creation's answer
// embeds it, and huma documents exported embedded fields only.
type APIToken struct {
	ID         int64          `json:"id"`
	Name       string         `json:"name" doc:"What the token is for."`
	Scope      tokenScopeName `json:"scope"`
	ExpiresAt  *time.Time     `json:"expires_at" doc:"When the token stops working; null for never (only tokens made on the command line)."`
	CreatedAt  time.Time      `json:"created_at"`
	LastUsedAt *time.Time     `json:"last_used_at,omitempty" doc:"When the token last authenticated a request, to the minute; absent if never."`
}

func toAPIToken(t *lpm.Token) APIToken {
	out := APIToken{ID: t.ID, Name: t.Name, Scope: tokenScopeName(t.Scope), CreatedAt: t.CreatedAt}
	if !t.ExpiresAt.IsZero() {
		exp := t.ExpiresAt
		out.ExpiresAt = &exp
	}
	if !t.LastUsedAt.IsZero() {
		used := t.LastUsedAt
		out.LastUsedAt = &used
	}
	return out
}

// newToken is a token just made, with its secret.
type newToken struct {
	APIToken
	Token string `json:"token" doc:"The secret to send as Authorization: Bearer <token>. It is shown this once: lpm keeps only its hash."`
	Note  string `json:"note"`
}

// tokenCreate is the body of POST /me/tokens and POST /users/{user}/tokens.
type tokenCreate struct {
	Name      string         `json:"name" doc:"What the token is for, e.g. ci pipeline."`
	Scope     tokenScopeName `json:"scope,omitempty" doc:"Default read_write."`
	ExpiresAt *time.Time     `json:"expires_at,omitempty" doc:"When the token stops working (RFC 3339); default 90 days from now, at most two years ahead."`
}

type tokenCreated struct {
	Body newToken
}

// tokenPath names one of the caller's tokens.
type tokenPath struct {
	Token int64 `path:"token" minimum:"1" doc:"Token id."`
}

// The handlers below serve a user's tokens, whether the user is the caller
// (/me/tokens) or named by a site admin (/users/{user}/tokens); the store
// checks that the actor is the user or may manage users.

func (a *apiServer) tokensOf(ctx context.Context, u *lpm.User, q pageQuery) (*struct{ Body page[APIToken] }, error) {
	list, next, err := a.st.FindTokens(ctx, u.ID, q.page())
	if err != nil {
		return nil, fmt.Errorf("list tokens of user %s: %w", u.Name, err)
	}
	return pageOf(list, next, func(t *lpm.Token) APIToken { return toAPIToken(t) }), nil
}

func (a *apiServer) createTokenFor(ctx context.Context, u *lpm.User, b tokenCreate) (*tokenCreated, error) {
	t := lpm.Token{UserID: u.ID, Name: b.Name, Scope: lpm.TokenScope(b.Scope)}
	if b.ExpiresAt != nil {
		t.ExpiresAt = *b.ExpiresAt
	}
	tok, err := lpm.NewToken(t, lpm.Now())
	if err != nil {
		return nil, err
	}
	secret, err := a.st.CreateToken(ctx, tok, actorFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("create token for user %s: %w", u.Name, err)
	}
	return &tokenCreated{Body: newToken{APIToken: toAPIToken(tok), Token: secret,
		Note: "Keep this token now: it will not be shown again."}}, nil
}

func (a *apiServer) revokeTokenOf(ctx context.Context, u *lpm.User, tokenID int64) (*struct{}, error) {
	if err := a.st.RevokeToken(ctx, u.ID, tokenID, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("revoke token %d of user %s: %w", tokenID, u.Name, err)
	}
	return &struct{}{}, nil
}

func (a *apiServer) listMyTokens(ctx context.Context, in *pageQuery) (*struct{ Body page[APIToken] }, error) {
	return a.tokensOf(ctx, userFrom(ctx), *in)
}

func (a *apiServer) createMyToken(ctx context.Context, in *struct{ Body tokenCreate }) (*tokenCreated, error) {
	return a.createTokenFor(ctx, userFrom(ctx), in.Body)
}

func (a *apiServer) revokeMyToken(ctx context.Context, in *tokenPath) (*struct{}, error) {
	return a.revokeTokenOf(ctx, userFrom(ctx), in.Token)
}

// userTokensQuery pages through the tokens of a named user.
type userTokensQuery struct {
	User   string `path:"user" maxLength:"64" doc:"User name."`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Most items to return."`
	Cursor string `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page; empty for the first page."`
}

// userTokenPath names one token of a named user.
type userTokenPath struct {
	User  string `path:"user" maxLength:"64" doc:"User name."`
	Token int64  `path:"token" minimum:"1" doc:"Token id."`
}

func (a *apiServer) listUserTokens(ctx context.Context, in *userTokensQuery) (*struct{ Body page[APIToken] }, error) {
	u, err := a.userNamed(ctx, in.User)
	if err != nil {
		return nil, err
	}
	return a.tokensOf(ctx, u, pageQuery{Limit: in.Limit, Cursor: in.Cursor})
}

func (a *apiServer) createUserToken(ctx context.Context, in *userBody[tokenCreate]) (*tokenCreated, error) {
	u, err := a.userNamed(ctx, in.User)
	if err != nil {
		return nil, err
	}
	return a.createTokenFor(ctx, u, in.Body)
}

func (a *apiServer) revokeUserToken(ctx context.Context, in *userTokenPath) (*struct{}, error) {
	u, err := a.userNamed(ctx, in.User)
	if err != nil {
		return nil, err
	}
	return a.revokeTokenOf(ctx, u, in.Token)
}
