package store_test

import (
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// Single sign-on finds a user by issuer and subject only, creating one on
// the first sign-in with a name of its own, and keeps the user's groups as
// the latest sign-in reported them.
func TestSignInExternal(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "alice", false)
		const issuer = "https://login.example.com/v2"
		id := lpm.ExternalIdentity{Issuer: issuer, Subject: "0001", Email: "Alice@Example.com", Name: "Alice Liddell",
			PreferredName: "alice@example.com", Groups: []string{"lpm-users"}}
		u, err := s.SignInExternal(ctx, id)
		must(t, err)
		// "alice" is the local user's: the newcomer gets the next free name.
		if u.Name != "alice2" || u.Email != "Alice@Example.com" || u.DisplayName != "Alice Liddell" || u.IsAdmin || u.ID == 0 {
			t.Errorf("created user = %+v", u)
		}
		got, err := s.FindUserByID(ctx, u.ID)
		must(t, err)
		diff(t, "stored user", u, got)

		// Later sign-ins find the same user, whatever the claims say now.
		id.Email, id.PreferredName, id.Name = "new@example.com", "somebody-else", "Someone"
		again, err := s.SignInExternal(ctx, id)
		must(t, err)
		diff(t, "user at the next sign-in", u, again)
		// Another issuer's subject 0001 is another account.
		other, err := s.SignInExternal(ctx, lpm.ExternalIdentity{Issuer: "https://idp.example.org", Subject: "0001", PreferredName: "alice"})
		must(t, err)
		if other.ID == u.ID || other.Name != "alice3" {
			t.Errorf("another issuer's account = %+v", other)
		}

		// Names come from the preferred name, else the e-mail, else the
		// display name, in the user-name alphabet.
		for _, tc := range []struct {
			id   lpm.ExternalIdentity
			want string
		}{
			{lpm.ExternalIdentity{PreferredName: "J.R.R. Tolkien"}, "j.r.r.tolkien"},
			{lpm.ExternalIdentity{Email: "_Grace.Hopper+lpm@navy.mil"}, "grace.hopperlpm"},
			{lpm.ExternalIdentity{Name: "Ada Lovelace"}, "adalovelace"},
			{lpm.ExternalIdentity{PreferredName: "Łukasz"}, "ukasz"},
			{lpm.ExternalIdentity{PreferredName: "李"}, "user"},
			{lpm.ExternalIdentity{}, "user2"},
			{lpm.ExternalIdentity{PreferredName: strings.Repeat("x", 80)}, strings.Repeat("x", 64)},
			{lpm.ExternalIdentity{PreferredName: strings.Repeat("x", 80)}, strings.Repeat("x", 63) + "2"},
			{lpm.ExternalIdentity{Email: "not an e-mail", PreferredName: "mail"}, "mail"},
		} {
			tc.id.Issuer, tc.id.Subject = issuer, tc.want+"-subject"
			u, err := s.SignInExternal(ctx, tc.id)
			must(t, err)
			if u.Name != tc.want {
				t.Errorf("name from %+v = %q, want %q", tc.id, u.Name, tc.want)
			}
			if err := u.Validate(); err != nil {
				t.Errorf("user %q from %+v: %v", u.Name, tc.id, err)
			}
		}

		// A disabled user cannot sign in, and their groups stay as they were.
		_, err = s.UpdateUser(ctx, u.ID, lpm.UserUpdate{Disabled: ptr(true)}, admin)
		must(t, err)
		id.Groups = []string{"lpm-admins"}
		_, err = s.SignInExternal(ctx, id)
		wantCode(t, err, lpm.EFORBIDDEN, "")
		p := createPortfolio(t, s, "Digital", "EP")
		must(t, s.MapGroup(ctx, lpm.GroupRole{PortfolioID: p.ID, Group: "lpm-users", Role: lpm.RoleViewer}, admin))
		must(t, s.MapGroup(ctx, lpm.GroupRole{PortfolioID: p.ID, Group: "lpm-admins", Role: lpm.RolePortfolioAdmin}, admin))
		access, err := s.Access(ctx, u.ID)
		must(t, err)
		diff(t, "a disabled user's access", lpm.Access{p.ID: lpm.NewRoleSet(lpm.RoleViewer)}, access)

		// Enabled again, the sign-in replaces the groups; names no mapping
		// could hold are dropped.
		_, err = s.UpdateUser(ctx, u.ID, lpm.UserUpdate{Disabled: ptr(false)}, admin)
		must(t, err)
		id.Groups = []string{"lpm-admins", "lpm-admins", " ", "bad\x00group", strings.Repeat("g", 300)}
		_, err = s.SignInExternal(ctx, id)
		must(t, err)
		access, err = s.Access(ctx, u.ID)
		must(t, err)
		diff(t, "access after the groups changed", lpm.Access{p.ID: lpm.NewRoleSet(lpm.RolePortfolioAdmin)}, access)
		id.Groups = nil
		_, err = s.SignInExternal(ctx, id)
		must(t, err)
		access, err = s.Access(ctx, u.ID)
		must(t, err)
		diff(t, "access without groups", lpm.Access{}, access)

		_, err = s.SignInExternal(ctx, lpm.ExternalIdentity{Issuer: issuer})
		wantCode(t, err, lpm.EINVALID, "subject")
		verified(t, s)
	})
}

// Groups give roles, so a sign-in that changes a user's groups is in the
// site's audit trail, and one that changes nothing is not.
func TestSignInExternalAuditsGroups(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		id := lpm.ExternalIdentity{Issuer: "https://login.example.com", Subject: "g-1", PreferredName: "gina",
			Groups: []string{"lpm-viewers", "lpm-admins"}}
		u, err := s.SignInExternal(ctx, id)
		must(t, err)
		wantAudit(t, s, 0, auditEntry{"user.groups", "user", u.ID, "sso:login.example.com",
			`{"groups":[]}`, `{"groups":["lpm-admins","lpm-viewers"]}`})
		n := auditLen(t, s, 0)
		id.Groups = []string{"lpm-admins", "lpm-viewers"}
		_, err = s.SignInExternal(ctx, id)
		must(t, err)
		if got := auditLen(t, s, 0); got != n {
			t.Errorf("a sign-in with the same groups wrote %d entries", got-n)
		}
		id.Groups = []string{"lpm-viewers"}
		_, err = s.SignInExternal(ctx, id)
		must(t, err)
		wantAudit(t, s, 0, auditEntry{"user.groups", "user", u.ID, "sso:login.example.com",
			`{"groups":["lpm-admins","lpm-viewers"]}`, `{"groups":["lpm-viewers"]}`})
		verified(t, s)
	})
}
