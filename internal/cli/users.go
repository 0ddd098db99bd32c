package cli

import (
	"fmt"

	"github.com/lpm-project/lpm/internal/lpm"
)

// userCmd groups the user commands.
type userCmd struct {
	Add     userAddCmd     `cmd:"" help:"Create a user."`
	Passwd  userPasswdCmd  `cmd:"" help:"Set a user's password, read as one line from stdin; ends the user's sessions."`
	List    userListCmd    `cmd:"" help:"List the users."`
	Disable userDisableCmd `cmd:"" help:"Disable a user: they can no longer sign in, and their tokens and sessions stop working."`
	Enable  userEnableCmd  `cmd:"" help:"Enable a disabled user again."`
}

// userAddCmd creates a user.
type userAddCmd struct {
	adminFlags
	Name          string `arg:"" help:"User name: lower-case letters, digits, '.', '_' or '-'."`
	DisplayName   string `name:"display-name" help:"Name shown to people (default: the user name)."`
	Email         string `help:"E-mail address."`
	Admin         bool   `help:"Make the user a site admin: may do everything in every portfolio, create portfolios and manage users."`
	PasswordStdin bool   `name:"password-stdin" help:"Read the user's password as one line from stdin (at least 12 characters). Without it, the user signs in through single sign-on or uses API tokens."`
}

// Run stores the user, and the password if asked. The confirmation goes to
// stderr, so that scripts can chain commands on stdout.
func (c *userAddCmd) Run(e *env) error {
	u := &lpm.User{Name: c.Name, DisplayName: c.DisplayName, Email: c.Email, IsAdmin: c.Admin}
	if err := u.Validate(); err != nil {
		return usageError{err}
	}
	// The password is read and checked before anything is stored, so a bad
	// one leaves no user behind.
	var hash string
	if c.PasswordStdin {
		pw, err := readPassword(e.stdin, c.Name)
		if err != nil {
			return err
		}
		if hash, err = lpm.HashPassword(pw); err != nil {
			return fmt.Errorf("hash the password: %w", err)
		}
	}
	st, err := c.open(e)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CreateUser(e.ctx, u, hash, cliActor()); err != nil {
		return fmt.Errorf("create user %s: %w", c.Name, err)
	}
	kind := "user"
	if u.IsAdmin {
		kind = "site admin"
	}
	fmt.Fprintf(e.stderr, "lpm: created %s %s; give it a token with: lpm token create --user %s\n", kind, u.Name, u.Name)
	return nil
}

// userPasswdCmd sets a password.
type userPasswdCmd struct {
	adminFlags
	Name string `arg:"" help:"User name."`
}

// Run reads the password from stdin and stores its hash.
func (c *userPasswdCmd) Run(e *env) error {
	pw, err := readPassword(e.stdin, c.Name)
	if err != nil {
		return err
	}
	hash, err := lpm.HashPassword(pw)
	if err != nil {
		return fmt.Errorf("hash the password: %w", err)
	}
	st, err := c.open(e)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := findUser(e.ctx, st, c.Store.DB, c.Name)
	if err != nil {
		return err
	}
	if err := st.SetPassword(e.ctx, u.ID, hash, cliActor()); err != nil {
		return fmt.Errorf("set the password of %s: %w", c.Name, err)
	}
	fmt.Fprintf(e.stderr, "lpm: set the password of %s; their sessions have ended\n", c.Name)
	return nil
}

// userListCmd lists users.
type userListCmd struct {
	adminFlags
}

// Run prints one line per user on stdout.
func (c *userListCmd) Run(e *env) error {
	st, err := c.open(e)
	if err != nil {
		return err
	}
	defer st.Close()
	users, err := allUsers(e.ctx, st)
	if err != nil {
		return err
	}
	tw := table(e.stdout, "ID\tNAME\tDISPLAY NAME\tEMAIL\tSITE ADMIN\tSTATUS\tCREATED")
	for _, u := range users {
		admin, status := "no", "active"
		if u.IsAdmin {
			admin = "yes"
		}
		if u.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Name, orDash(u.DisplayName), orDash(u.Email), admin, status, when(u.CreatedAt))
	}
	return tw.Flush()
}

// orDash shows an empty value as "—".
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// userDisableCmd disables a user.
type userDisableCmd struct {
	adminFlags
	Name string `arg:"" help:"User name."`
}

// Run disables the user.
func (c *userDisableCmd) Run(e *env) error { return setDisabled(e, c.adminFlags, c.Name, true) }

// userEnableCmd enables a user.
type userEnableCmd struct {
	adminFlags
	Name string `arg:"" help:"User name."`
}

// Run enables the user.
func (c *userEnableCmd) Run(e *env) error { return setDisabled(e, c.adminFlags, c.Name, false) }

// setDisabled disables or enables the user called name.
func setDisabled(e *env, f adminFlags, name string, disabled bool) error {
	st, err := f.open(e)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := findUser(e.ctx, st, f.Store.DB, name)
	if err != nil {
		return err
	}
	verb := "enable"
	if disabled {
		verb = "disable"
	}
	if _, err := st.UpdateUser(e.ctx, u.ID, lpm.UserUpdate{Disabled: &disabled}, cliActor()); err != nil {
		return fmt.Errorf("%s user %s: %w", verb, name, err)
	}
	if disabled {
		fmt.Fprintf(e.stderr, "lpm: disabled %s: they cannot sign in, and their tokens and sessions no longer work\n", name)
	} else {
		fmt.Fprintf(e.stderr, "lpm: enabled %s\n", name)
	}
	return nil
}
