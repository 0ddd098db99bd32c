package cli

import (
	"fmt"

	"github.com/lpm-project/lpm/internal/lpm"
)

// userCmd groups the user commands.
type userCmd struct {
	Add userAddCmd `cmd:"" help:"Create a user."`
}

// userAddCmd creates a user.
type userAddCmd struct {
	Store       storeFlags `embed:""`
	LogLevel    string     `name:"log-level" env:"LPM_LOG_LEVEL" enum:"debug,info,warn,error" default:"warn" help:"Least severe log level written to stderr (${env})."`
	Name        string     `arg:"" help:"User name: lower-case letters, digits, '.', '_' or '-'."`
	DisplayName string     `name:"display-name" help:"Name shown to people (default: the user name)."`
	Admin       bool       `help:"Make the user an admin: may create portfolios, configure the Kanban and override WIP limits."`
}

// Run stores the user. The confirmation goes to stderr, so that scripts can
// chain commands on stdout.
func (c *userAddCmd) Run(e *env) error {
	u := &lpm.User{Name: c.Name, DisplayName: c.DisplayName, IsAdmin: c.Admin}
	if err := u.Validate(); err != nil {
		return usageError{err}
	}
	st, err := c.Store.open(e.ctx, newLogger(e.stderr, c.LogLevel))
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CreateUser(e.ctx, u); err != nil {
		return fmt.Errorf("create user %s: %w", c.Name, err)
	}
	role := "user"
	if u.IsAdmin {
		role = "admin"
	}
	fmt.Fprintf(e.stderr, "lpm: created %s %s; give it a token with: lpm token create --user %s\n", role, u.Name, u.Name)
	return nil
}

// tokenCmd groups the token commands.
type tokenCmd struct {
	Create tokenCreateCmd `cmd:"" help:"Create an API token for a user and print it."`
}

// tokenCreateCmd creates an API token.
type tokenCreateCmd struct {
	Store    storeFlags `embed:""`
	LogLevel string     `name:"log-level" env:"LPM_LOG_LEVEL" enum:"debug,info,warn,error" default:"warn" help:"Least severe log level written to stderr (${env})."`
	User     string     `required:"" help:"User name the token acts as."`
	Name     string     `default:"cli" help:"Label that tells this token from the user's others."`
}

// Run creates the token and prints only its secret on stdout: the secret
// is not stored and cannot be shown again.
func (c *tokenCreateCmd) Run(e *env) error {
	st, err := c.Store.open(e.ctx, newLogger(e.stderr, c.LogLevel))
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.FindUserByName(e.ctx, c.User)
	if lpm.ErrorCodeOf(err) == lpm.ENOTFOUND {
		return fmt.Errorf("there is no user %q in %s; create it with: lpm user add %s", c.User, redact(c.Store.DB), c.User)
	}
	if err != nil {
		return fmt.Errorf("find user %s: %w", c.User, err)
	}
	secret, err := st.CreateToken(e.ctx, u.ID, c.Name)
	if err != nil {
		return fmt.Errorf("create a token for %s: %w", c.User, err)
	}
	fmt.Fprintln(e.stdout, secret)
	return nil
}
