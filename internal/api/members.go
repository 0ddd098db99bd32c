package api

import (
	"context"
	"fmt"

	"github.com/lpm-project/lpm/internal/lpm"
)

// member is one role one user holds in a portfolio.
type member struct {
	User  string   `json:"user" doc:"User name."`
	Role  roleName `json:"role"`
	Group string   `json:"group,omitempty" doc:"The single sign-on group the role comes from; absent for a role granted directly. Such a role goes when the group mapping does."`
}

func toMember(m lpm.Membership) member {
	return member{User: m.UserName, Role: roleName(m.Role), Group: m.Group}
}

// memberCreate is the body of POST /portfolios/{portfolio}/members.
type memberCreate struct {
	User string   `json:"user" doc:"User name."`
	Role roleName `json:"role"`
}

// memberPath names one directly granted role of a user in a portfolio.
type memberPath struct {
	Portfolio int64    `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	User      string   `path:"user" maxLength:"64" doc:"User name."`
	Role      roleName `path:"role" doc:"The role to revoke."`
}

// groupRole maps a single sign-on group to a role in a portfolio.
type groupRole struct {
	Group string   `json:"group" doc:"The group's name exactly as the identity provider sends it."`
	Role  roleName `json:"role"`
}

func toGroupRole(g lpm.GroupRole) groupRole { return groupRole{Group: g.Group, Role: roleName(g.Role)} }

// groupRolePath names one group mapping of a portfolio.
type groupRolePath struct {
	Portfolio int64    `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	Group     string   `path:"group" maxLength:"600" doc:"The group's name, path-escaped (a/b is a%2Fb)."`
	Role      roleName `path:"role" doc:"The role the group is mapped to."`
}

type memberCreated struct {
	Body member
}

type groupRoleCreated struct {
	Body groupRole
}

func (a *apiServer) listMembers(ctx context.Context, in *portfolioPath) (*struct{ Body items[member] }, error) {
	list, err := a.st.FindMembers(ctx, in.Portfolio)
	if err := a.listed(ctx, in.Portfolio, len(list), err, "members"); err != nil {
		return nil, err
	}
	return itemsOf(list, toMember), nil
}

func (a *apiServer) grantRole(ctx context.Context, in *portfolioBody[memberCreate]) (*memberCreated, error) {
	m := lpm.Membership{PortfolioID: in.Portfolio, UserName: in.Body.User, Role: lpm.Role(in.Body.Role)}
	if err := a.st.Grant(ctx, m, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("grant %s to %s in portfolio %d: %w", m.Role, m.UserName, m.PortfolioID, err)
	}
	return &memberCreated{Body: toMember(m)}, nil
}

func (a *apiServer) revokeRole(ctx context.Context, in *memberPath) (*struct{}, error) {
	m := lpm.Membership{PortfolioID: in.Portfolio, UserName: in.User, Role: lpm.Role(in.Role)}
	if err := a.st.Revoke(ctx, m, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("revoke %s from %s in portfolio %d: %w", m.Role, m.UserName, m.PortfolioID, err)
	}
	return &struct{}{}, nil
}

func (a *apiServer) listGroupRoles(ctx context.Context, in *portfolioPath) (*struct{ Body items[groupRole] }, error) {
	list, err := a.st.FindGroupRoles(ctx, in.Portfolio)
	if err := a.listed(ctx, in.Portfolio, len(list), err, "group mappings"); err != nil {
		return nil, err
	}
	return itemsOf(list, toGroupRole), nil
}

func (a *apiServer) mapGroup(ctx context.Context, in *portfolioBody[groupRole]) (*groupRoleCreated, error) {
	g := lpm.GroupRole{PortfolioID: in.Portfolio, Group: in.Body.Group, Role: lpm.Role(in.Body.Role)}
	if err := a.st.MapGroup(ctx, g, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("map group to %s in portfolio %d: %w", g.Role, g.PortfolioID, err)
	}
	return &groupRoleCreated{Body: toGroupRole(g)}, nil
}

func (a *apiServer) unmapGroup(ctx context.Context, in *groupRolePath) (*struct{}, error) {
	g := lpm.GroupRole{PortfolioID: in.Portfolio, Group: in.Group, Role: lpm.Role(in.Role)}
	if err := a.st.UnmapGroup(ctx, g, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("unmap group from %s in portfolio %d: %w", g.Role, g.PortfolioID, err)
	}
	return &struct{}{}, nil
}
