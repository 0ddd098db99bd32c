package store_test

import (
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// Every write asks the domain whether the actor may, inside its
// transaction: someone without a role in the portfolio is told the object
// does not exist, someone whose roles do not allow the write is refused, and
// a refused write leaves nothing behind, not even an audit entry.
func TestWritesAreAuthorized(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		olivia := createUser(t, s, "olivia", false)
		oscar := createUser(t, s, "oscar", false)
		vera := createUser(t, s, "vera", false)
		p := createPortfolio(t, s, "Digital", "EP")
		theirs := createPortfolio(t, s, "Theirs", "TH")
		mine := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia"})
		others := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "oscar"})
		elsewhere := createEpic(t, s, lpm.Epic{PortfolioID: theirs.ID, EpicOwner: "oscar"})

		owner := member(olivia, p.ID, lpm.RoleEpicOwner)
		viewer := member(vera, p.ID, lpm.RoleViewer)
		readOnly := member(oscar, p.ID, lpm.RolePortfolioAdmin)
		readOnly.ReadOnly = true

		before := map[int64]int{p.ID: auditLen(t, s, p.ID), theirs.ID: auditLen(t, s, theirs.ID)}
		newEpic := func(portfolioID int64, owner string) *lpm.Epic {
			e, err := lpm.NewEpic(lpm.Epic{PortfolioID: portfolioID, Title: "Refused", Type: lpm.Business, EpicOwner: owner}, lpm.Now())
			must(t, err)
			return e
		}
		for _, tc := range []struct {
			name  string
			write func() error
			code  lpm.ErrorCode
			msg   string // the whole message, when it matters
		}{
			{"value stream in a hidden portfolio", func() error {
				return s.CreateValueStream(ctx, &lpm.ValueStream{PortfolioID: theirs.ID, Name: "X", Kind: lpm.Development}, owner)
			}, lpm.ENOTFOUND, "portfolio 2 not found"},
			{"theme in a hidden portfolio", func() error {
				return s.CreateTheme(ctx, &lpm.StrategicTheme{PortfolioID: theirs.ID, Name: "X", Status: lpm.ThemeDraft}, owner)
			}, lpm.ENOTFOUND, "portfolio 2 not found"},
			// Not "there is no user named nobody": that would tell an
			// outsider which user names exist.
			{"epic in a hidden portfolio, unknown owner", func() error {
				return s.CreateEpic(ctx, newEpic(theirs.ID, "nobody"), owner)
			}, lpm.ENOTFOUND, "portfolio 2 not found"},
			{"portfolio settings of a hidden portfolio", func() error {
				_, err := s.UpdatePortfolio(ctx, theirs.ID, lpm.PortfolioUpdate{Description: ptr("x")}, owner)
				return err
			}, lpm.ENOTFOUND, "portfolio 2 not found"},
			{"column of a hidden portfolio", func() error {
				_, err := s.UpdateColumn(ctx, theirs.ID, lpm.Ready, lpm.ColumnUpdate{WIPLimit: ptr(1)}, owner)
				return err
			}, lpm.ENOTFOUND, "portfolio 2 not found"},
			{"member of a hidden portfolio", func() error {
				return s.Grant(ctx, lpm.Membership{PortfolioID: theirs.ID, UserName: "olivia", Role: lpm.RoleViewer}, owner)
			}, lpm.ENOTFOUND, "portfolio 2 not found"},
			{"edit a hidden epic", func() error {
				_, err := s.UpdateEpic(ctx, elsewhere.ID, lpm.EpicUpdate{Title: ptr("x")}, owner)
				return err
			}, lpm.ENOTFOUND, "epic 3 not found"},
			{"delete a hidden epic", func() error { return s.DeleteEpic(ctx, elsewhere.ID, owner) }, lpm.ENOTFOUND, "epic 3 not found"},
			{"move a hidden epic", func() error {
				_, err := s.TransitionEpic(ctx, elsewhere.ID, lpm.TransitionRequest{To: lpm.Reviewing}, owner)
				return err
			}, lpm.ENOTFOUND, "epic 3 not found"},
			{"decide on a hidden epic", func() error {
				return s.CreateDecision(ctx, &lpm.Decision{EpicID: elsewhere.ID, Kind: lpm.DecisionGo, Rationale: "x"}, owner)
			}, lpm.ENOTFOUND, "epic 3 not found"},

			{"viewer proposes", func() error { return s.CreateEpic(ctx, newEpic(p.ID, ""), viewer) }, lpm.EFORBIDDEN, ""},
			{"viewer edits", func() error {
				_, err := s.UpdateEpic(ctx, mine.ID, lpm.EpicUpdate{Title: ptr("x")}, viewer)
				return err
			}, lpm.EFORBIDDEN, ""},
			{"viewer moves", func() error {
				_, err := s.TransitionEpic(ctx, mine.ID, lpm.TransitionRequest{To: lpm.Reviewing}, viewer)
				return err
			}, lpm.EFORBIDDEN, ""},
			{"viewer configures", func() error {
				_, err := s.UpdateColumn(ctx, p.ID, lpm.Ready, lpm.ColumnUpdate{WIPLimit: ptr(1)}, viewer)
				return err
			}, lpm.EFORBIDDEN, ""},
			{"viewer grants", func() error {
				return s.Grant(ctx, lpm.Membership{PortfolioID: p.ID, UserID: vera.ID, Role: lpm.RolePortfolioAdmin}, viewer)
			}, lpm.EFORBIDDEN, ""},
			{"epic owner edits another's epic", func() error {
				_, err := s.UpdateEpic(ctx, others.ID, lpm.EpicUpdate{Title: ptr("x")}, owner)
				return err
			}, lpm.EFORBIDDEN, ""},
			{"epic owner deletes another's epic", func() error { return s.DeleteEpic(ctx, others.ID, owner) }, lpm.EFORBIDDEN, ""},
			{"epic owner decides", func() error {
				return s.CreateDecision(ctx, &lpm.Decision{EpicID: mine.ID, Kind: lpm.DecisionNoGo, Rationale: "x"}, owner)
			}, lpm.EFORBIDDEN, ""},
			{"epic owner changes the portfolio", func() error {
				_, err := s.UpdatePortfolio(ctx, p.ID, lpm.PortfolioUpdate{Description: ptr("x")}, owner)
				return err
			}, lpm.EFORBIDDEN, ""},
			{"epic owner creates a portfolio", func() error {
				np := &lpm.Portfolio{Name: "Mine", KeyPrefix: "MI"}
				np.WithDefaults(lpm.Now())
				return s.CreatePortfolio(ctx, np, owner)
			}, lpm.EFORBIDDEN, ""},
			{"portfolio admin imports", func() error {
				e := lpm.Epic{PortfolioID: p.ID, Title: "Imported", Type: lpm.Business, State: lpm.Funnel}
				return s.ImportEpic(ctx, &e, nil, nil, member(olivia, p.ID, lpm.RolePortfolioAdmin))
			}, lpm.EFORBIDDEN, ""},
			{"read-only token edits", func() error {
				_, err := s.UpdateEpic(ctx, mine.ID, lpm.EpicUpdate{Title: ptr("x")}, readOnly)
				return err
			}, lpm.EFORBIDDEN, ""},
			{"read-only token grants", func() error {
				return s.Grant(ctx, lpm.Membership{PortfolioID: p.ID, UserID: vera.ID, Role: lpm.RoleViewer}, readOnly)
			}, lpm.EFORBIDDEN, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := tc.write()
				wantCode(t, err, tc.code, "")
				if tc.msg != "" && err.Error() != tc.msg {
					t.Errorf("message %q, want %q", err, tc.msg)
				}
			})
		}
		for id, n := range before {
			if got := auditLen(t, s, id); got != n {
				t.Errorf("refused writes added %d audit entries to portfolio %d", got-n, id)
			}
		}
		diff(t, "epic after refused writes", mine, findEpic(t, s, mine.ID))
		diff(t, "other epic after refused writes", others, findEpic(t, s, others.ID))
		list, _, err := s.FindEpics(ctx, lpm.EpicFilter{})
		must(t, err)
		if len(list) != 3 {
			t.Errorf("%d epics after refused writes, want 3", len(list))
		}
		members, err := s.FindMembers(ctx, p.ID)
		must(t, err)
		if len(members) != 0 {
			t.Errorf("refused grants left members %+v", members)
		}

		// What the roles do allow goes through.
		_, err = s.UpdateEpic(ctx, mine.ID, lpm.EpicUpdate{Title: ptr("Mine, edited")}, owner)
		must(t, err)
		move(t, s, mine.ID, lpm.TransitionRequest{To: lpm.Reviewing}, owner)
		must(t, s.CreateEpic(ctx, newEpic(p.ID, "olivia"), owner))
		must(t, s.CreateDecision(ctx, &lpm.Decision{EpicID: mine.ID, Kind: lpm.DecisionNoGo, Rationale: "x"},
			member(vera, p.ID, lpm.RoleDecisionMaker)))
	})
}

// Roles come from grants and from single sign-on groups mapped to roles;
// a user sees the portfolios they hold a role in, a site admin all.
func TestMembershipsAndGroups(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		ada := createUser(t, s, "ada", true)
		bob := createUser(t, s, "bob", false)
		cleo := createUser(t, s, "cleo", false)
		siteAdmin := ada.Actor()
		p := &lpm.Portfolio{Name: "Digital", KeyPrefix: "EP"}
		p.WithDefaults(lpm.Now())
		must(t, s.CreatePortfolio(ctx, p, siteAdmin))
		q := createPortfolio(t, s, "Core", "CO")
		createPortfolio(t, s, "Nobody's", "NB")

		must(t, s.Grant(ctx, lpm.Membership{PortfolioID: p.ID, UserName: "bob", Role: lpm.RoleEpicOwner}, siteAdmin))
		must(t, s.Grant(ctx, lpm.Membership{PortfolioID: p.ID, UserID: bob.ID, Role: lpm.RoleContributor}, siteAdmin))
		// Granted again: no error, nothing new.
		must(t, s.Grant(ctx, lpm.Membership{PortfolioID: p.ID, UserID: bob.ID, Role: lpm.RoleContributor}, siteAdmin))
		wantCode(t, s.Grant(ctx, lpm.Membership{PortfolioID: p.ID, UserName: "nobody", Role: lpm.RoleViewer}, siteAdmin), lpm.EINVALID, "user")
		wantCode(t, s.Grant(ctx, lpm.Membership{PortfolioID: p.ID, UserID: 999, Role: lpm.RoleViewer}, siteAdmin), lpm.EINVALID, "user")
		wantCode(t, s.Grant(ctx, lpm.Membership{PortfolioID: p.ID, Role: lpm.RoleViewer}, siteAdmin), lpm.EINVALID, "user")
		wantCode(t, s.Grant(ctx, lpm.Membership{PortfolioID: p.ID, UserID: bob.ID, Role: "overlord"}, siteAdmin), lpm.EINVALID, "role")
		wantCode(t, s.Grant(ctx, lpm.Membership{PortfolioID: 999, UserID: bob.ID, Role: lpm.RoleViewer}, siteAdmin), lpm.ENOTFOUND, "")

		// The cleo of single sign-on is not the local cleo; her roles come
		// from her groups.
		must(t, s.MapGroup(ctx, lpm.GroupRole{PortfolioID: q.ID, Group: "architects", Role: lpm.RoleEnterpriseArchitect}, siteAdmin))
		must(t, s.MapGroup(ctx, lpm.GroupRole{PortfolioID: q.ID, Group: "everyone", Role: lpm.RoleViewer}, siteAdmin))
		must(t, s.MapGroup(ctx, lpm.GroupRole{PortfolioID: p.ID, Group: "everyone", Role: lpm.RoleViewer}, siteAdmin))
		wantCode(t, s.MapGroup(ctx, lpm.GroupRole{PortfolioID: p.ID, Group: " ", Role: lpm.RoleViewer}, siteAdmin), lpm.EINVALID, "group")
		wantCode(t, s.MapGroup(ctx, lpm.GroupRole{PortfolioID: p.ID, Group: "x", Role: "boss"}, siteAdmin), lpm.EINVALID, "role")
		groups, err := s.FindGroupRoles(ctx, q.ID)
		must(t, err)
		diff(t, "group mappings", []lpm.GroupRole{
			{PortfolioID: q.ID, Group: "architects", Role: lpm.RoleEnterpriseArchitect},
			{PortfolioID: q.ID, Group: "everyone", Role: lpm.RoleViewer},
		}, groups)

		// The groups a user has are those of their latest sign-in.
		cleoSSO := lpm.ExternalIdentity{Issuer: "https://idp.example.com", Subject: "cleo", PreferredName: "cleo"}
		cleoSSO.Groups = []string{"architects", "everyone"}
		sso, err := s.SignInExternal(ctx, cleoSSO)
		must(t, err)
		cleoID := sso.ID
		if cleoID == cleo.ID || sso.Name != "cleo2" {
			t.Fatalf("single sign-on as cleo gave user %d %q; the local cleo is %d", sso.ID, sso.Name, cleo.ID)
		}
		access := func(id int64) lpm.Access {
			a, err := s.Access(ctx, id)
			must(t, err)
			return a
		}
		diff(t, "bob's access", lpm.Access{p.ID: lpm.NewRoleSet(lpm.RoleEpicOwner, lpm.RoleContributor)}, access(bob.ID))
		diff(t, "cleo's access through groups", lpm.Access{
			p.ID: lpm.NewRoleSet(lpm.RoleViewer),
			q.ID: lpm.NewRoleSet(lpm.RoleEnterpriseArchitect, lpm.RoleViewer),
		}, access(cleoID))
		diff(t, "the creator's access", lpm.Access{p.ID: lpm.NewRoleSet(lpm.RolePortfolioAdmin)}, access(ada.ID))
		diff(t, "no access", lpm.Access{}, access(cleo.ID))

		// A direct grant and the same role through a group are one role.
		must(t, s.Grant(ctx, lpm.Membership{PortfolioID: p.ID, UserID: cleoID, Role: lpm.RoleViewer}, siteAdmin))
		diff(t, "cleo's access, granted too", lpm.NewRoleSet(lpm.RoleViewer), access(cleoID)[p.ID])

		members, err := s.FindMembers(ctx, p.ID)
		must(t, err)
		diff(t, "members", []lpm.Membership{
			{PortfolioID: p.ID, UserID: ada.ID, UserName: "ada", Role: lpm.RolePortfolioAdmin},
			{PortfolioID: p.ID, UserID: bob.ID, UserName: "bob", Role: lpm.RoleEpicOwner},
			{PortfolioID: p.ID, UserID: bob.ID, UserName: "bob", Role: lpm.RoleContributor},
			{PortfolioID: p.ID, UserID: cleoID, UserName: "cleo2", Role: lpm.RoleViewer},
			{PortfolioID: p.ID, UserID: cleoID, UserName: "cleo2", Role: lpm.RoleViewer, Group: "everyone"},
		}, members)

		listed := func(a lpm.Actor) []int64 {
			list, _, err := s.FindPortfolios(ctx, a, lpm.Page{})
			must(t, err)
			var ids []int64
			for _, p := range list {
				ids = append(ids, p.ID)
			}
			return ids
		}
		diff(t, "bob's portfolios", []int64{p.ID}, listed(bob.Actor()))
		diff(t, "cleo's portfolios", []int64{p.ID, q.ID}, listed(lpm.Actor{UserID: cleoID, Name: "cleo2"}))
		diff(t, "a stranger's portfolios", []int64(nil), listed(cleo.Actor()))
		diff(t, "a site admin's portfolios", []int64{p.ID, q.ID, q.ID + 1}, listed(siteAdmin))

		// A new sign-in with other groups replaces them.
		cleoSSO.Groups = []string{"architects"}
		_, err = s.SignInExternal(ctx, cleoSSO)
		must(t, err)
		diff(t, "cleo's access after leaving a group", lpm.Access{
			p.ID: lpm.NewRoleSet(lpm.RoleViewer), // granted directly
			q.ID: lpm.NewRoleSet(lpm.RoleEnterpriseArchitect),
		}, access(cleoID))
		must(t, s.UnmapGroup(ctx, lpm.GroupRole{PortfolioID: q.ID, Group: "architects", Role: lpm.RoleEnterpriseArchitect}, siteAdmin))
		wantCode(t, s.UnmapGroup(ctx, lpm.GroupRole{PortfolioID: q.ID, Group: "architects", Role: lpm.RoleEnterpriseArchitect}, siteAdmin), lpm.ENOTFOUND, "")
		diff(t, "cleo's portfolios after the unmapping", []int64{p.ID}, listed(lpm.Actor{UserID: cleoID, Name: "cleo2"}))

		// Revoking: only direct grants, never the last portfolio admin.
		must(t, s.Revoke(ctx, lpm.Membership{PortfolioID: p.ID, UserName: "bob", Role: lpm.RoleContributor}, siteAdmin))
		wantCode(t, s.Revoke(ctx, lpm.Membership{PortfolioID: p.ID, UserName: "bob", Role: lpm.RoleContributor}, siteAdmin), lpm.ENOTFOUND, "")
		wantCode(t, s.Revoke(ctx, lpm.Membership{PortfolioID: q.ID, UserID: cleoID, Role: lpm.RoleViewer}, siteAdmin), lpm.ENOTFOUND, "")
		wantCode(t, s.Revoke(ctx, lpm.Membership{PortfolioID: p.ID, UserName: "nobody", Role: lpm.RoleViewer}, siteAdmin), lpm.ENOTFOUND, "")
		err = s.Revoke(ctx, lpm.Membership{PortfolioID: p.ID, UserID: ada.ID, Role: lpm.RolePortfolioAdmin}, siteAdmin)
		wantCode(t, err, lpm.ECONFLICT, "role")
		if want := "cannot revoke the last portfolio admin: ada is the last portfolio admin of portfolio 1; grant portfolio_admin to someone else first"; err.Error() != want {
			t.Errorf("message %q, want %q", err, want)
		}
		// A portfolio admin manages the members; with a second admin the
		// first may go.
		padmin := ada.Actor()
		padmin.IsAdmin = false
		padmin.Access = access(ada.ID)
		must(t, s.Grant(ctx, lpm.Membership{PortfolioID: p.ID, UserID: bob.ID, Role: lpm.RolePortfolioAdmin}, padmin))
		must(t, s.Revoke(ctx, lpm.Membership{PortfolioID: p.ID, UserID: ada.ID, Role: lpm.RolePortfolioAdmin}, padmin))
		wantCode(t, s.Revoke(ctx, lpm.Membership{PortfolioID: p.ID, UserID: bob.ID, Role: lpm.RolePortfolioAdmin}, bob.Actor()), lpm.ENOTFOUND, "")
		bobAdmin := member(bob, p.ID, lpm.RolePortfolioAdmin)
		wantCode(t, s.Revoke(ctx, lpm.Membership{PortfolioID: p.ID, UserID: bob.ID, Role: lpm.RolePortfolioAdmin}, bobAdmin), lpm.ECONFLICT, "role")
		diff(t, "bob's access at the end", lpm.Access{p.ID: lpm.NewRoleSet(lpm.RolePortfolioAdmin, lpm.RoleEpicOwner)}, access(bob.ID))
		verified(t, s)
	})
}
