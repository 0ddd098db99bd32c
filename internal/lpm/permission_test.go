package lpm

import (
	"os"
	"testing"
)

// member returns an actor holding roles in portfolio 1.
func member(name string, roles ...Role) Actor {
	return Actor{UserID: 7, Name: name, Access: Access{1: NewRoleSet(roles...)}}
}

func TestAuthorizeHidesPortfoliosWithoutRole(t *testing.T) {
	a := member("amara", RoleViewer)
	for _, act := range Actions {
		if err := a.Authorize(act, PortfolioTarget(2)); err != ErrHidden {
			t.Errorf("%s in a portfolio without a role: got %v, want ErrHidden", act, err)
		}
	}
	e := &Epic{ID: 42, PortfolioID: 2}
	err := a.AuthorizeEpic(EditEpic, e)
	if ErrorCodeOf(err) != ENOTFOUND || err.Error() != "epic 42 not found" {
		t.Errorf("epic of a hidden portfolio: got %v, want \"epic 42 not found\"", err)
	}
}

func TestAuthorizeScopes(t *testing.T) {
	own := Target{PortfolioID: 1, EpicOwner: "amara", EpicType: Business}
	other := Target{PortfolioID: 1, EpicOwner: "lukas", EpicType: Business}
	enabler := Target{PortfolioID: 1, EpicOwner: "lukas", EpicType: Enabler}
	cases := []struct {
		role   Role
		act    Action
		target Target
		want   bool
	}{
		{RoleEpicOwner, EditEpic, own, true},
		{RoleEpicOwner, EditEpic, other, false},
		{RoleEpicOwner, EditEpic, enabler, false},
		{RoleEnterpriseArchitect, EditEpic, enabler, true},
		{RoleEnterpriseArchitect, EditEpic, other, false},
		{RoleEnterpriseArchitect, EditEpic, own, true},
		{RoleContributor, MoveEpicInAnalysis, other, true},
		{RoleContributor, MoveEpicInDelivery, other, false},
		{RoleContributor, ProposeEpic, PortfolioTarget(1), true},
		{RoleViewer, ProposeEpic, PortfolioTarget(1), false},
		{RoleViewer, ViewPortfolio, PortfolioTarget(1), true},
		{RoleViewer, ViewAudit, PortfolioTarget(1), false},
		{RoleDecisionMaker, DecideEpic, other, true},
		{RolePortfolioOperations, DecideEpic, other, false},
		{RolePortfolioOperations, ConfigureKanban, PortfolioTarget(1), true},
		{RoleDecisionMaker, ConfigureKanban, PortfolioTarget(1), false},
		{RolePortfolioAdmin, ManageMembers, PortfolioTarget(1), true},
		{RolePortfolioOperations, ManageMembers, PortfolioTarget(1), false},
	}
	for _, c := range cases {
		err := member("amara", c.role).Authorize(c.act, c.target)
		if got := err == nil; got != c.want {
			t.Errorf("%s %s on %+v: allowed=%v, want %v (err %v)", c.role, c.act, c.target, got, c.want, err)
		}
		if err != nil && ErrorCodeOf(err) != EFORBIDDEN {
			t.Errorf("%s %s: got %v, want forbidden", c.role, c.act, err)
		}
		if got := Allowed(NewRoleSet(c.role), "amara", c.act, c.target); got != c.want {
			t.Errorf("Allowed(%s, %s) = %v, want %v", c.role, c.act, got, c.want)
		}
	}
}

func TestAuthorizeSiteAdminAndReadOnly(t *testing.T) {
	admin := Actor{Name: "root", IsAdmin: true}
	for _, act := range append(append([]Action{}, Actions...), SiteActions...) {
		if err := admin.Authorize(act, PortfolioTarget(9)); err != nil {
			t.Errorf("site admin %s: %v", act, err)
		}
	}
	if err := member("amara", RolePortfolioAdmin).Authorize(CreatePortfolio, Target{}); ErrorCodeOf(err) != EFORBIDDEN {
		t.Errorf("portfolio admin creating a portfolio: got %v, want forbidden", err)
	}
	ro := member("amara", RolePortfolioAdmin)
	ro.ReadOnly = true
	if err := ro.Authorize(ViewAudit, PortfolioTarget(1)); err != nil {
		t.Errorf("read-only token reading the audit trail: %v", err)
	}
	if err := ro.Authorize(ProposeEpic, PortfolioTarget(1)); ErrorCodeOf(err) != EFORBIDDEN {
		t.Errorf("read-only token proposing an epic: got %v, want forbidden", err)
	}
	roAdmin := admin
	roAdmin.ReadOnly = true
	if err := roAdmin.Authorize(UpdatePortfolio, PortfolioTarget(1)); ErrorCodeOf(err) != EFORBIDDEN {
		t.Errorf("read-only token of a site admin: got %v, want forbidden", err)
	}
}

func TestMoveAction(t *testing.T) {
	cases := []struct {
		from, to State
		want     Action
	}{
		{Funnel, Reviewing, MoveEpicInAnalysis},
		{Analyzing, Reviewing, MoveEpicInAnalysis},
		{Analyzing, Ready, MoveEpicInDelivery},
		{Ready, ImplementingMVP, MoveEpicInDelivery},
		{ImplementingMVP, Done, RetireEpic},
		{Funnel, Done, RetireEpic},
	}
	for _, c := range cases {
		if got := MoveAction(c.from, c.to); got != c.want {
			t.Errorf("MoveAction(%s, %s) = %s, want %s", c.from, c.to, got, c.want)
		}
	}
}

// Every action is in the matrix with a description, and the committed
// docs/PERMISSIONS.md is the matrix as rendered now.
func TestPermissionMatrixDocument(t *testing.T) {
	for _, act := range append(append([]Action{}, Actions...), SiteActions...) {
		if act.Describe() == "" {
			t.Errorf("action %s has no description", act)
		}
	}
	for act := range matrix {
		found := false
		for _, a := range append(append([]Action{}, Actions...), SiteActions...) {
			found = found || a == act
		}
		if !found {
			t.Errorf("action %s is in the matrix but not listed in Actions or SiteActions", act)
		}
	}
	doc, err := os.ReadFile("../../docs/PERMISSIONS.md")
	if err != nil {
		t.Fatalf("read docs/PERMISSIONS.md: %v (create it with: go run ./cmd/lpm permissions > docs/PERMISSIONS.md)", err)
	}
	if string(doc) != PermissionMatrix() {
		t.Errorf("docs/PERMISSIONS.md differs from the permission matrix in permission.go; regenerate it with: go run ./cmd/lpm permissions > docs/PERMISSIONS.md")
	}
}
