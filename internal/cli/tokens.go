package cli

import (
	"fmt"
	"strconv"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// tokenCmd groups the token commands.
type tokenCmd struct {
	Create tokenCreateCmd `cmd:"" help:"Create an API token for a user and print it."`
	List   tokenListCmd   `cmd:"" help:"List a user's API tokens (never their secrets)."`
	Revoke tokenRevokeCmd `cmd:"" help:"Revoke one of a user's API tokens: it stops working at once."`
}

// tokenCreateCmd creates an API token.
type tokenCreateCmd struct {
	adminFlags
	User      string `required:"" help:"User name the token acts as."`
	Name      string `default:"cli" help:"Label that tells this token from the user's others."`
	Scope     string `enum:"read,read_write" default:"read_write" help:"read: the token may only read; read_write: it may do what the user may (default ${default})."`
	ExpiresIn string `name:"expires-in" default:"90d" placeholder:"DURATION" help:"How long the token works: days (90d), weeks (12w) or hours (36h); at most two years (default ${default})."`
}

// Run creates the token and prints only its secret on stdout: the secret
// is not stored and cannot be shown again.
func (c *tokenCreateCmd) Run(e *env) error {
	life, err := parseLifetime(c.ExpiresIn)
	if err != nil {
		return usageError{err}
	}
	st, err := c.open(e)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := findUser(e.ctx, st, c.Store.DB, c.User)
	if err != nil {
		return err
	}
	t := &lpm.Token{UserID: u.ID, Name: c.Name, Scope: lpm.TokenScope(c.Scope), ExpiresAt: lpm.Now().Add(life)}
	secret, err := st.CreateToken(e.ctx, t, cliActor())
	if err != nil {
		return fmt.Errorf("create a token for %s: %w", c.User, err)
	}
	fmt.Fprintln(e.stdout, secret)
	return nil
}

// parseLifetime reads a token lifetime: a number of days ("90d"), weeks
// ("12w") or anything time.ParseDuration takes ("36h").
func parseLifetime(s string) (time.Duration, error) {
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	var d time.Duration
	var err error
	if n := len(s); n > 1 && unit[s[n-1]] != 0 {
		var v int
		if v, err = strconv.Atoi(s[:n-1]); err == nil {
			d = time.Duration(v) * unit[s[n-1]]
		}
	} else {
		d, err = time.ParseDuration(s)
	}
	switch {
	case err != nil:
		return 0, fmt.Errorf("--expires-in %q: give days (90d), weeks (12w) or hours (36h)", s)
	case d <= 0 || d > lpm.MaxTokenLifetime:
		return 0, fmt.Errorf("--expires-in %q: a token must work for more than nothing and at most two years (730d)", s)
	}
	return d, nil
}

// tokenListCmd lists a user's tokens.
type tokenListCmd struct {
	adminFlags
	User string `required:"" help:"User name."`
}

// Run prints one line per live token on stdout.
func (c *tokenListCmd) Run(e *env) error {
	st, err := c.open(e)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := findUser(e.ctx, st, c.Store.DB, c.User)
	if err != nil {
		return err
	}
	tw := table(e.stdout, "ID\tNAME\tSCOPE\tCREATED\tEXPIRES\tLAST USED")
	page := lpm.Page{Limit: lpm.MaxPageSize}
	now := lpm.Now()
	for {
		list, next, err := st.FindTokens(e.ctx, u.ID, page)
		if err != nil {
			return fmt.Errorf("list the tokens of %s: %w", c.User, err)
		}
		for _, t := range list {
			expires, used := when(t.ExpiresAt), "never"
			if t.Expired(now) {
				expires += " (expired)"
			}
			if !t.LastUsedAt.IsZero() {
				used = when(t.LastUsedAt)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Scope, when(t.CreatedAt), expires, used)
		}
		if next == "" {
			return tw.Flush()
		}
		page.Cursor = next
	}
}

// tokenRevokeCmd revokes a token.
type tokenRevokeCmd struct {
	adminFlags
	User string `required:"" help:"User name the token belongs to."`
	ID   int64  `arg:"" help:"Token id, as lpm token list shows it."`
}

// Run revokes the token.
func (c *tokenRevokeCmd) Run(e *env) error {
	st, err := c.open(e)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := findUser(e.ctx, st, c.Store.DB, c.User)
	if err != nil {
		return err
	}
	err = st.RevokeToken(e.ctx, u.ID, c.ID, cliActor())
	if lpm.ErrorCodeOf(err) == lpm.ENOTFOUND {
		return fmt.Errorf("%s has no token %d; see their tokens with: lpm token list --user %s", c.User, c.ID, c.User)
	}
	if err != nil {
		return fmt.Errorf("revoke token %d of %s: %w", c.ID, c.User, err)
	}
	fmt.Fprintf(e.stderr, "lpm: revoked token %d of %s\n", c.ID, c.User)
	return nil
}
