package lpm

import (
	"fmt"
	"slices"
	"strings"
)

// Role is what a person does in one portfolio. Roles follow the LPM function
// (DOMAIN §15); a person may hold several in a portfolio and different ones
// in different portfolios. Site admins (User.IsAdmin) stand outside roles.
type Role string

// Roles, from the most to the least powerful.
const (
	RolePortfolioAdmin      Role = "portfolio_admin"
	RoleDecisionMaker       Role = "decision_maker"
	RoleEnterpriseArchitect Role = "enterprise_architect"
	RoleEpicOwner           Role = "epic_owner"
	RolePortfolioOperations Role = "portfolio_operations"
	RoleContributor         Role = "contributor"
	RoleViewer              Role = "viewer"
)

// Roles lists every role in the order documents show them.
var Roles = []Role{
	RolePortfolioAdmin, RoleDecisionMaker, RoleEnterpriseArchitect, RoleEpicOwner,
	RolePortfolioOperations, RoleContributor, RoleViewer,
}

// roleTitles say who holds each role, in the words of the LPM function.
var roleTitles = map[Role]string{
	RolePortfolioAdmin:      "Portfolio admin: runs the portfolio's set-up and who belongs to it",
	RoleDecisionMaker:       "LPM decision maker (business owner): approves go/no-go, persevere/pivot/stop and budgets",
	RoleEnterpriseArchitect: "Enterprise architect: owns enabler epics and the architectural runway",
	RoleEpicOwner:           "Epic owner: edits own epics and takes them through the Kanban",
	RolePortfolioOperations: "Portfolio operations (VMO/LACE): Kanban policies, WIP limits, events and metrics",
	RoleContributor:         "Contributor (RTE, product management): proposes epics and moves them within the analysis states",
	RoleViewer:              "Viewer: reads the portfolio",
}

// Title describes the role for people.
func (r Role) Title() string { return roleTitles[r] }

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// ParseRole returns the role named s, or an EINVALID error listing the roles.
func ParseRole(s string) (Role, error) {
	r := Role(strings.TrimSpace(s))
	if !r.Valid() {
		return "", &Error{Code: EINVALID, Message: "invalid role", Violations: []Violation{{
			Field: "role", Rule: "enum", Message: fmt.Sprintf("role must be one of %s, got %q", join(Roles, ", "), s)}}}
	}
	return r, nil
}

// RoleSet is a set of roles, small enough to copy.
type RoleSet uint16

// NewRoleSet returns the set holding roles.
func NewRoleSet(roles ...Role) RoleSet {
	var s RoleSet
	for _, r := range roles {
		if i := slices.Index(Roles, r); i >= 0 {
			s |= 1 << i
		}
	}
	return s
}

// Has reports whether the set holds r.
func (s RoleSet) Has(r Role) bool {
	i := slices.Index(Roles, r)
	return i >= 0 && s&(1<<i) != 0
}

// Add returns the set with r added.
func (s RoleSet) Add(r Role) RoleSet { return s | NewRoleSet(r) }

// List returns the roles of the set in the order of Roles.
func (s RoleSet) List() []Role {
	var out []Role
	for _, r := range Roles {
		if s.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

// Membership gives a user a role in a portfolio. Group is set when the role
// comes from a single sign-on group mapped to it rather than from a grant.
type Membership struct {
	PortfolioID int64
	UserID      int64
	UserName    string
	Role        Role
	Group       string
}

// GroupRole maps a group of the single sign-on provider to a role in a
// portfolio: every member of the group holds the role there.
type GroupRole struct {
	PortfolioID int64
	Group       string
	Role        Role
}

var groupNameMax = 200

// Validate checks a group mapping before it is stored.
func (g GroupRole) Validate() error {
	var vs violations
	if strings.TrimSpace(g.Group) == "" {
		vs.add("group", "required", "group is required: the group name as the identity provider sends it")
	}
	vs.checkText("group", g.Group, groupNameMax)
	if !g.Role.Valid() {
		vs.add("role", "enum", "role must be one of %s, got %q", join(Roles, ", "), g.Role)
	}
	return vs.err(EINVALID, "invalid group mapping")
}
