package api

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// user is a user account in JSON, as site admins manage it.
type user struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name" doc:"Signs in with it and names the user everywhere (epic owners, the audit trail)."`
	DisplayName string    `json:"display_name"`
	Email       string    `json:"email"`
	IsAdmin     bool      `json:"is_admin" doc:"A site admin may do everything in every portfolio, create portfolios and manage users."`
	Disabled    bool      `json:"disabled" doc:"A disabled user cannot sign in; their tokens and sessions stop working."`
	CreatedAt   time.Time `json:"created_at"`
}

func toUser(u *lpm.User) user {
	return user{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName, Email: u.Email, IsAdmin: u.IsAdmin,
		Disabled: u.Disabled, CreatedAt: u.CreatedAt}
}

// userCreate is the body of POST /users.
type userCreate struct {
	Name        string `json:"name" doc:"1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit."`
	DisplayName string `json:"display_name,omitempty"`
	Email       string `json:"email,omitempty"`
	IsAdmin     bool   `json:"is_admin,omitempty"`
	Password    string `json:"password,omitempty" doc:"At least 12 characters. Without one, the user signs in through single sign-on or uses API tokens."`
}

// userPatch is the body of PATCH /users/{user}.
type userPatch struct {
	DisplayName *string `json:"display_name,omitempty"`
	Email       *string `json:"email,omitempty"`
	IsAdmin     *bool   `json:"is_admin,omitempty"`
	Disabled    *bool   `json:"disabled,omitempty" doc:"Disabling a user ends their sessions and stops their tokens."`
}

// passwordSet is the body of PUT /users/{user}/password.
type passwordSet struct {
	Password string `json:"password" doc:"The new password: at least 12 characters."`
}

type userPath struct {
	User string `path:"user" maxLength:"64" doc:"User name."`
}

// userBody is the input of an operation on a named user that takes a body.
type userBody[B any] struct {
	User string `path:"user" maxLength:"64" doc:"User name."`
	Body B
}

type userOut struct {
	Body user
}

type userCreated struct {
	Location string `header:"Location"`
	Body     user
}

// userNamed loads the user named in a path.
func (a *apiServer) userNamed(ctx context.Context, name string) (*lpm.User, error) {
	u, err := a.st.FindUserByName(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("load user %q: %w", name, err)
	}
	return u, nil
}

func (a *apiServer) listUsers(ctx context.Context, in *pageQuery) (*struct{ Body page[user] }, error) {
	list, next, err := a.st.FindUsers(ctx, in.page())
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return pageOf(list, next, toUser), nil
}

func (a *apiServer) createUser(ctx context.Context, in *struct{ Body userCreate }) (*userCreated, error) {
	b := in.Body
	var hash string
	if b.Password != "" {
		// Judged and hashed first, so a bad password creates no user.
		var err error
		if hash, err = newPasswordHash(b.Password, "password"); err != nil {
			return nil, err
		}
	}
	u := &lpm.User{Name: b.Name, DisplayName: b.DisplayName, Email: b.Email, IsAdmin: b.IsAdmin, CreatedAt: lpm.Now()}
	if err := a.st.CreateUser(ctx, u, hash, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("create user %q: %w", b.Name, err)
	}
	return &userCreated{Location: Prefix + "/users/" + url.PathEscape(u.Name), Body: toUser(u)}, nil
}

func (a *apiServer) getUser(ctx context.Context, in *userPath) (*userOut, error) {
	u, err := a.userNamed(ctx, in.User)
	if err != nil {
		return nil, err
	}
	return &userOut{Body: toUser(u)}, nil
}

func (a *apiServer) patchUser(ctx context.Context, in *userBody[userPatch]) (*userOut, error) {
	u, err := a.userNamed(ctx, in.User)
	if err != nil {
		return nil, err
	}
	b := in.Body
	upd := lpm.UserUpdate{DisplayName: b.DisplayName, Email: b.Email, IsAdmin: b.IsAdmin, Disabled: b.Disabled}
	u, err = a.st.UpdateUser(ctx, u.ID, upd, actorFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("update user %s: %w", in.User, err)
	}
	return &userOut{Body: toUser(u)}, nil
}

func (a *apiServer) setUserPassword(ctx context.Context, in *userBody[passwordSet]) (*struct{}, error) {
	u, err := a.userNamed(ctx, in.User)
	if err != nil {
		return nil, err
	}
	hash, err := newPasswordHash(in.Body.Password, "password")
	if err != nil {
		return nil, err
	}
	if err := a.st.SetPassword(ctx, u.ID, hash, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("set password of user %s: %w", u.Name, err)
	}
	return &struct{}{}, nil
}

// newPasswordHash checks a new password (lpm.ValidatePassword) and hashes
// it. field names the body field it came in, for the problem.
func newPasswordHash(pw, field string) (string, error) {
	if err := lpm.ValidatePassword(pw); err != nil {
		e := lpm.AsError(err)
		if e == nil {
			return "", err
		}
		for i := range e.Violations {
			e.Violations[i].Field = field
		}
		return "", e
	}
	hash, err := lpm.HashPassword(pw)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}
