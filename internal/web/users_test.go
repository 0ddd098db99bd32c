package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
)

var cursorFieldRE = regexp.MustCompile(`<input type="hidden" name="cursor" value="([^"]*)">`)

var nextPageRE = regexp.MustCompile(`<a href="(/admin/users\?cursor=[^"]+)" rel="next">Next page</a>`)

func (fx *fixture) userNamed(t *testing.T, name string) *lpm.User {
	t.Helper()
	u, err := fx.st.FindUserByName(ctx, name)
	if err != nil {
		t.Fatalf("user %s: %v", name, err)
	}
	return u
}

func TestUsersPage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})

		// Only site admins: others are told who may, and change nothing.
		alice := s.signedInAs(t, "alice", alicePassword)
		home := alice.get("/")
		wantNoBody(t, home, `href="/admin/users"`)
		denied := alice.get("/admin/users")
		wantStatus(t, denied, http.StatusForbidden)
		wantBody(t, denied, "Only a site admin may manage users")
		wantAccessible(t, denied)
		wantStatus(t, alice.post("/admin/users", withCSRF(t, home, url.Values{"name": {"mallory"}, "password": {"a long password here"}})),
			http.StatusForbidden)
		wantStatus(t, alice.post(fmt.Sprintf("/admin/users/%d", fx.alice.ID), withCSRF(t, home, url.Values{"change": {"make_admin"}})),
			http.StatusForbidden)
		if _, err := fx.st.FindUserByName(ctx, "mallory"); lpm.ErrorCodeOf(err) != lpm.ENOTFOUND {
			t.Errorf("a non-admin created a user: %v", err)
		}
		if fx.userNamed(t, "alice").IsAdmin {
			t.Errorf("alice made herself a site admin")
		}

		root := s.signedInAs(t, "root", adminPassword)
		list := root.get("/admin/users")
		wantStatus(t, list, http.StatusOK)
		wantBody(t, list, `<span class="user-name">alice</span> <span class="muted">Alice Example</span>`,
			`<span class="user-name">root</span> <span class="muted">Site Admin</span> <strong class="badge">you</strong>`,
			fmt.Sprintf(`<tr id="user-%d" class="disabled">`, fx.dora.ID), "Create a user")
		wantAccessible(t, list)

		// Created, with a password they can sign in with.
		const erinPassword = "erin's very own password"
		s.addSecrets(erinPassword)
		created := root.post("/admin/users", withCSRF(t, list, url.Values{"name": {"erin"}, "display_name": {"Erin Example"},
			"email": {"erin@example.com"}, "password": {erinPassword}}))
		list = root.wantNotice(t, created, "User erin created.", false)
		wantBody(t, list, `<span class="user-name">erin</span> <span class="muted">Erin Example</span>`, "erin@example.com")
		erin := fx.userNamed(t, "erin")
		if erin.DisplayName != "Erin Example" || erin.Email != "erin@example.com" || erin.IsAdmin || erin.Disabled {
			t.Errorf("erin stored as %+v", erin)
		}
		s.signedInAs(t, "erin", erinPassword).wantSignedIn("Erin Example")

		// Refused: a short password, a bad name, a taken name; the input
		// comes back (never the password) and nothing is written.
		for name, c := range map[string]struct {
			values url.Values
			want   []string
		}{
			"short password": {url.Values{"name": {"frank"}, "display_name": {"Frank"}, "password": {"too short"}},
				[]string{"Password must be at least 12 characters", `value="frank"`, `value="Frank"`, `autocomplete="new-password" aria-describedby="user-password-hint" aria-invalid="true">`}},
			"bad name": {url.Values{"name": {"Frank Sinatra"}, "password": {"a long enough password"}},
				[]string{"User name must be 1–64 lower-case letters", `value="Frank Sinatra"`}},
			"both": {url.Values{"name": {"Frank!"}, "email": {"frank"}, "password": {"short"}},
				[]string{"User name must be", "Email must be an address like name@example.com", "Password must be at least"}},
			"taken": {url.Values{"name": {"alice"}, "password": {"a long enough password"}}, []string{"There is already a user named &#34;alice&#34;"}},
		} {
			p := root.post("/admin/users", withCSRF(t, list, c.values))
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", name, p.status)
				continue
			}
			wantBody(t, p, append(c.want, "Not created. Please correct:")...)
			if pw := c.values.Get("password"); strings.Contains(p.body, pw) {
				t.Errorf("%s: the password comes back in the page", name)
			}
			wantAccessible(t, p)
		}
		for _, name := range []string{"frank", "Frank Sinatra", "Frank!"} {
			if _, err := fx.st.FindUserByName(ctx, name); lpm.ErrorCodeOf(err) != lpm.ENOTFOUND {
				t.Errorf("user %q was created: %v", name, err)
			}
		}

		// Disabled: bob's session ends; enabled again.
		bob := s.signedInAs(t, "bob", bobPassword)
		change := func(u *lpm.User, what string) page {
			return root.post(fmt.Sprintf("/admin/users/%d", u.ID), withCSRF(t, list, url.Values{"change": {what}}))
		}
		root.wantNotice(t, change(fx.bob, "disable"), "bob disabled: their sessions ended and their API tokens stopped working.", false)
		if !fx.userNamed(t, "bob").Disabled {
			t.Errorf("bob is not disabled")
		}
		bob.wantSignedOut()
		root.wantNotice(t, change(fx.bob, "enable"), "bob enabled.", false)
		if fx.userNamed(t, "bob").Disabled {
			t.Errorf("bob is still disabled")
		}

		// The last active site admin cannot stop being one: the refusal in
		// words, and nothing changed.
		last := change(fx.root, "remove_admin")
		wantStatus(t, last, http.StatusUnprocessableEntity)
		wantBody(t, last, "Not changed: Root is the last site admin and cannot stop being a site admin: make someone else a site admin first")
		wantAccessible(t, last)
		last = change(fx.root, "disable")
		wantStatus(t, last, http.StatusUnprocessableEntity)
		wantBody(t, last, "cannot be disabled")
		if u := fx.userNamed(t, "root"); !u.IsAdmin || u.Disabled {
			t.Errorf("root after the refusals: %+v", u)
		}
		// With another site admin, the first may step down.
		root.wantNotice(t, change(fx.alice, "make_admin"), "alice is now a site admin.", false)
		if !fx.userNamed(t, "alice").IsAdmin {
			t.Errorf("alice is not a site admin")
		}
		p := change(fx.root, "remove_admin")
		wantStatus(t, p, http.StatusSeeOther)
		if p.location() != "/" {
			t.Errorf("stepping down: to %q, want the home page", p.location())
		}
		if fx.userNamed(t, "root").IsAdmin {
			t.Errorf("root is still a site admin")
		}
		wantStatus(t, root.get("/admin/users"), http.StatusForbidden)
		wantStatus(t, change(fx.root, "make_admin"), http.StatusForbidden)

		// What the form does not offer.
		aliceAdmin := s.signedInAs(t, "alice", alicePassword)
		list = aliceAdmin.get("/admin/users")
		wantStatus(t, list, http.StatusOK)
		wantStatus(t, aliceAdmin.post(fmt.Sprintf("/admin/users/%d", fx.bob.ID), withCSRF(t, list, url.Values{"change": {"promote"}})),
			http.StatusBadRequest)
		wantStatus(t, aliceAdmin.post("/admin/users/999999", withCSRF(t, list, url.Values{"change": {"disable"}})), http.StatusNotFound)
	})
}

func TestUsersPageIsPaginated(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		for i := range lpm.DefaultPageSize {
			fx.user(t, fmt.Sprintf("user-%02d", i), "", "", false)
		}
		root := s.signedInAs(t, "root", adminPassword)
		first := root.get("/admin/users")
		wantStatus(t, first, http.StatusOK)
		if n := strings.Count(first.body, `<tr id="user-`); n != lpm.DefaultPageSize {
			t.Errorf("first page: %d users, want %d", n, lpm.DefaultPageSize)
		}
		m := nextPageRE.FindStringSubmatch(first.body)
		if m == nil {
			t.Fatalf("no next page link:\n%s", first.body)
		}
		second := root.get(strings.ReplaceAll(m[1], "&amp;", "&"))
		wantStatus(t, second, http.StatusOK)
		// 5 users of the fixture and 50 more: 5 on the second page.
		if n := strings.Count(second.body, `<tr id="user-`); n != 5 {
			t.Errorf("second page: %d users, want 5", n)
		}
		wantBody(t, second, "user-49", `<a href="/admin/users">First page</a>`)
		wantNoBody(t, second, "Next page", `<span class="user-name">alice</span>`)
		wantAccessible(t, second)

		// A change on the second page comes back to it.
		u := fx.userNamed(t, "user-49")
		c := cursorFieldRE.FindStringSubmatch(second.body)
		if c == nil || c[1] == "" {
			t.Fatalf("no cursor in the forms of the second page")
		}
		p := root.post(fmt.Sprintf("/admin/users/%d", u.ID), withCSRF(t, second, url.Values{"change": {"disable"}, "cursor": {html.UnescapeString(c[1])}}))
		back := root.wantNotice(t, p, "user-49 disabled: their sessions ended and their API tokens stopped working.", false)
		wantBody(t, back, fmt.Sprintf(`<tr id="user-%d" class="disabled">`, u.ID))
		wantNoBody(t, back, "Next page")

		bad := root.get("/admin/users?cursor=nonsense")
		wantStatus(t, bad, http.StatusBadRequest)
		wantBody(t, bad, "No such page of users")
	})
}
