package cli

import (
	"fmt"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// roleCmd groups the commands about who holds which role.
type roleCmd struct {
	Grant  roleGrantCmd  `cmd:"" help:"Give a user a role in a portfolio."`
	Revoke roleRevokeCmd `cmd:"" help:"Take a directly granted role away from a user."`
	List   roleListCmd   `cmd:"" help:"List who holds which role in a portfolio, directly or through a group."`
}

// portfolioFlag names the portfolio a command is about.
type portfolioFlag struct {
	Portfolio string `required:"" placeholder:"ID|NAME" help:"Portfolio id or name."`
}

// membershipFlags name a user, a role and a portfolio.
type membershipFlags struct {
	adminFlags
	portfolioFlag
	User string `required:"" help:"User name."`
	Role string `required:"" placeholder:"ROLE" help:"One of portfolio_admin, decision_maker, enterprise_architect, epic_owner, portfolio_operations, contributor, viewer (see lpm permissions)."`
}

// resolve opens the store and finds the membership the flags name. The
// caller closes the store.
func (f membershipFlags) resolve(e *env) (*store.Store, lpm.Membership, *lpm.Portfolio, error) {
	role, err := lpm.ParseRole(f.Role)
	if err != nil {
		return nil, lpm.Membership{}, nil, usageError{err}
	}
	st, err := f.open(e)
	if err != nil {
		return nil, lpm.Membership{}, nil, err
	}
	p, err := findPortfolio(e.ctx, st, f.Store.DB, f.Portfolio)
	if err == nil {
		var u *lpm.User
		if u, err = findUser(e.ctx, st, f.Store.DB, f.User); err == nil {
			return st, lpm.Membership{PortfolioID: p.ID, UserID: u.ID, UserName: u.Name, Role: role}, p, nil
		}
	}
	st.Close()
	return nil, lpm.Membership{}, nil, err
}

// roleGrantCmd grants a role.
type roleGrantCmd struct {
	membershipFlags
}

// Run grants the role; granting one held already is no error.
func (c *roleGrantCmd) Run(e *env) error {
	st, m, p, err := c.resolve(e)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Grant(e.ctx, m, cliActor()); err != nil {
		return fmt.Errorf("grant %s the role %s in %s: %w", m.UserName, m.Role, p.Name, err)
	}
	fmt.Fprintf(e.stderr, "lpm: %s holds %s in %s\n", m.UserName, m.Role, p.Name)
	return nil
}

// roleRevokeCmd revokes a role.
type roleRevokeCmd struct {
	membershipFlags
}

// Run revokes the role.
func (c *roleRevokeCmd) Run(e *env) error {
	st, m, p, err := c.resolve(e)
	if err != nil {
		return err
	}
	defer st.Close()
	err = st.Revoke(e.ctx, m, cliActor())
	switch lpm.ErrorCodeOf(err) {
	case "":
		fmt.Fprintf(e.stderr, "lpm: %s no longer holds %s in %s (directly)\n", m.UserName, m.Role, p.Name)
		return nil
	case lpm.ENOTFOUND:
		return fmt.Errorf("%s does not hold %s in %s directly; see who holds what with: lpm role list --portfolio %d",
			m.UserName, m.Role, p.Name, p.ID)
	case lpm.ECONFLICT:
		return fmt.Errorf("revoke %s from %s in %s: %w; grant portfolio_admin to someone else first", m.Role, m.UserName, p.Name, err)
	}
	return fmt.Errorf("revoke %s from %s in %s: %w", m.Role, m.UserName, p.Name, err)
}

// roleListCmd lists a portfolio's members.
type roleListCmd struct {
	adminFlags
	portfolioFlag
}

// Run prints one line per role held, with the group it comes through.
func (c *roleListCmd) Run(e *env) error {
	st, err := c.open(e)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := findPortfolio(e.ctx, st, c.Store.DB, c.Portfolio)
	if err != nil {
		return err
	}
	members, err := st.FindMembers(e.ctx, p.ID)
	if err != nil {
		return fmt.Errorf("list the members of %s: %w", p.Name, err)
	}
	tw := table(e.stdout, "USER\tROLE\tTHROUGH")
	for _, m := range members {
		through := "grant"
		if m.Group != "" {
			through = "group " + m.Group
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", m.UserName, m.Role, through)
	}
	return tw.Flush()
}

// groupCmd groups the commands that map single sign-on groups to roles.
type groupCmd struct {
	Map   groupMapCmd   `cmd:"" help:"Give every member of a single sign-on group a role in a portfolio."`
	Unmap groupUnmapCmd `cmd:"" help:"Remove a group's role in a portfolio."`
	List  groupListCmd  `cmd:"" help:"List the groups mapped to roles in a portfolio."`
}

// groupRoleFlags name a group, a role and a portfolio.
type groupRoleFlags struct {
	adminFlags
	portfolioFlag
	Group string `required:"" help:"Group name exactly as the identity provider sends it in the groups claim."`
	Role  string `required:"" placeholder:"ROLE" help:"Role the group's members hold (see lpm permissions)."`
}

// resolve opens the store and finds the mapping the flags name. The caller
// closes the store.
func (f groupRoleFlags) resolve(e *env) (*store.Store, lpm.GroupRole, *lpm.Portfolio, error) {
	role, err := lpm.ParseRole(f.Role)
	if err != nil {
		return nil, lpm.GroupRole{}, nil, usageError{err}
	}
	g := lpm.GroupRole{Group: f.Group, Role: role}
	if err := g.Validate(); err != nil {
		return nil, lpm.GroupRole{}, nil, usageError{err}
	}
	st, err := f.open(e)
	if err != nil {
		return nil, lpm.GroupRole{}, nil, err
	}
	p, err := findPortfolio(e.ctx, st, f.Store.DB, f.Portfolio)
	if err != nil {
		st.Close()
		return nil, lpm.GroupRole{}, nil, err
	}
	g.PortfolioID = p.ID
	return st, g, p, nil
}

// groupMapCmd maps a group to a role.
type groupMapCmd struct {
	groupRoleFlags
}

// Run maps the group.
func (c *groupMapCmd) Run(e *env) error {
	st, g, p, err := c.resolve(e)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.MapGroup(e.ctx, g, cliActor()); err != nil {
		return fmt.Errorf("map group %s to %s in %s: %w", g.Group, g.Role, p.Name, err)
	}
	fmt.Fprintf(e.stderr, "lpm: members of group %s (as their latest sign-in reported it) hold %s in %s\n", g.Group, g.Role, p.Name)
	return nil
}

// groupUnmapCmd removes a mapping.
type groupUnmapCmd struct {
	groupRoleFlags
}

// Run removes the mapping.
func (c *groupUnmapCmd) Run(e *env) error {
	st, g, p, err := c.resolve(e)
	if err != nil {
		return err
	}
	defer st.Close()
	err = st.UnmapGroup(e.ctx, g, cliActor())
	if lpm.ErrorCodeOf(err) == lpm.ENOTFOUND {
		return fmt.Errorf("group %s is not mapped to %s in %s; see the mappings with: lpm group list --portfolio %d",
			g.Group, g.Role, p.Name, p.ID)
	}
	if err != nil {
		return fmt.Errorf("unmap group %s from %s in %s: %w", g.Group, g.Role, p.Name, err)
	}
	fmt.Fprintf(e.stderr, "lpm: members of group %s no longer hold %s in %s through it\n", g.Group, g.Role, p.Name)
	return nil
}

// groupListCmd lists a portfolio's group mappings.
type groupListCmd struct {
	adminFlags
	portfolioFlag
}

// Run prints one line per mapping.
func (c *groupListCmd) Run(e *env) error {
	st, err := c.open(e)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := findPortfolio(e.ctx, st, c.Store.DB, c.Portfolio)
	if err != nil {
		return err
	}
	groups, err := st.FindGroupRoles(e.ctx, p.ID)
	if err != nil {
		return fmt.Errorf("list the groups of %s: %w", p.Name, err)
	}
	tw := table(e.stdout, "GROUP\tROLE")
	for _, g := range groups {
		fmt.Fprintf(tw, "%s\t%s\n", g.Group, g.Role)
	}
	return tw.Flush()
}
