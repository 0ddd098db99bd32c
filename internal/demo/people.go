package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Demo credentials. The demo is for trying lpm out, so its one password is
// published here and printed by `lpm serve --demo`.
const (
	// Password signs in every demo user.
	Password = "lean-portfolio-demo"
	// Admin is the demo's site admin, who may do everything everywhere.
	Admin = "admin"
)

// The people of the demo bank whose names the history uses: the VMO lead
// runs the Kanban at the portfolio sync, the business owner takes the LPM
// decisions, the enterprise architect owns the enablers.
const (
	vmoLead       = "amara.okafor"
	businessOwner = "thomas.keller"
	architect     = "lukas.brandt"
)

// Key prefixes of the two portfolios, which roles refer to.
const (
	digital = "DIG"
	core    = "CORE"
)

// person is one demo user and the roles they hold in each portfolio (by its
// key prefix).
type person struct {
	name, displayName string
	admin             bool
	roles             map[string][]lpm.Role
}

// both gives the same roles in both portfolios.
func both(roles ...lpm.Role) map[string][]lpm.Role {
	return map[string][]lpm.Role{digital: roles, core: roles}
}

// people are created in this order. Every role is held by someone in each
// portfolio, some people share a role, and several people hold no role in
// Core Platforms, so signing in as them shows that a portfolio one does not
// belong to stays invisible.
var people = []person{
	{name: Admin, displayName: "Administrator", admin: true},
	{name: "nina.hofmann", displayName: "Nina Hofmann", roles: both(lpm.RolePortfolioAdmin)},
	{name: businessOwner, displayName: "Thomas Keller", roles: both(lpm.RoleDecisionMaker)},
	{name: vmoLead, displayName: "Amara Okafor", roles: both(lpm.RolePortfolioOperations)},
	{name: architect, displayName: "Lukas Brandt", roles: both(lpm.RoleEnterpriseArchitect)},
	{name: "jonas.weber", displayName: "Jonas Weber", roles: both(lpm.RoleEpicOwner)},
	{name: "elif.yilmaz", displayName: "Elif Yılmaz", roles: both(lpm.RoleEpicOwner)},
	{name: "sofia.marques", displayName: "Sofia Marques", roles: map[string][]lpm.Role{digital: {lpm.RoleEpicOwner}}},
	{name: "priya.raman", displayName: "Priya Raman", roles: map[string][]lpm.Role{digital: {lpm.RoleEpicOwner}}},
	{name: "mateo.garcia", displayName: "Mateo García", roles: map[string][]lpm.Role{digital: {lpm.RoleEpicOwner}}},
	// The release train engineers of an ART in each portfolio.
	{name: "kai.nakamura", displayName: "Kai Nakamura", roles: map[string][]lpm.Role{digital: {lpm.RoleContributor}}},
	{name: "lena.fischer", displayName: "Lena Fischer", roles: map[string][]lpm.Role{core: {lpm.RoleContributor}}},
	{name: "hannah.schmidt", displayName: "Hannah Schmidt", roles: both(lpm.RoleViewer)},
}

// displayName is how history reasons name a person.
func displayName(name string) string {
	for _, p := range people {
		if p.name == name {
			return p.displayName
		}
	}
	return name
}

// proposers are the people who put ideas into a portfolio's funnel: its
// epic owners and contributors.
func proposers(keyPrefix string) []string {
	var out []string
	for _, p := range people {
		r := p.roles[keyPrefix]
		if slices.Contains(r, lpm.RoleEpicOwner) || slices.Contains(r, lpm.RoleContributor) {
			out = append(out, p.name)
		}
	}
	return out
}

// createPeople stores the demo users, each with the demo password. They all
// share one hash: the password is public anyway, and one argon2id hash
// instead of a dozen keeps the demo quick to load.
func createPeople(ctx context.Context, st lpm.Store, since time.Time, actor lpm.Actor) error {
	hash, err := lpm.HashPassword(Password)
	if err != nil {
		return fmt.Errorf("hash the demo password: %w", err)
	}
	for _, p := range people {
		u := &lpm.User{Name: p.name, DisplayName: p.displayName, IsAdmin: p.admin, CreatedAt: since}
		if err := u.Validate(); err != nil {
			return fmt.Errorf("demo user %s: %w", p.name, err)
		}
		if err := st.CreateUser(ctx, u, hash, actor); err != nil {
			return fmt.Errorf("create user %s: %w", p.name, err)
		}
	}
	return nil
}

// grantRoles gives the demo people their roles in the portfolio and returns
// how many grants it made.
func grantRoles(ctx context.Context, st lpm.Store, p *lpm.Portfolio, actor lpm.Actor) (int, error) {
	n := 0
	for _, person := range people {
		for _, r := range person.roles[p.KeyPrefix] {
			m := lpm.Membership{PortfolioID: p.ID, UserName: person.name, Role: r}
			if err := st.Grant(ctx, m, actor); err != nil {
				return n, fmt.Errorf("grant %s the role %s in %s: %w", person.name, r, p.Name, err)
			}
			n++
		}
	}
	return n, nil
}
