package store_test

import (
	"fmt"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// Users: found by ID, listed in pages, changed only by site admins; a
// password is the user's own business or a site admin's.
func TestUsers(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		var want []*lpm.User
		for i := range 5 {
			want = append(want, createUser(t, s, fmt.Sprintf("user%d", i), false))
		}
		bob := want[1]
		got, err := s.FindUserByID(ctx, bob.ID)
		must(t, err)
		diff(t, "user by id", bob, got)
		_, err = s.FindUserByID(ctx, 999)
		wantCode(t, err, lpm.ENOTFOUND, "")

		var paged []*lpm.User
		page := lpm.Page{Limit: 2}
		for range 4 {
			list, next, err := s.FindUsers(ctx, page)
			must(t, err)
			paged = append(paged, list...)
			if next == "" {
				break
			}
			page.Cursor = next
		}
		diff(t, "paged users", want, paged)

		// Only a site admin changes users, themselves included.
		wantCode(t, s.CreateUser(ctx, &lpm.User{Name: "eve"}, "", bob.Actor()), lpm.EFORBIDDEN, "")
		_, err = s.UpdateUser(ctx, bob.ID, lpm.UserUpdate{IsAdmin: ptr(true)}, bob.Actor())
		wantCode(t, err, lpm.EFORBIDDEN, "")
		_, err = s.UpdateUser(ctx, bob.ID, lpm.UserUpdate{Email: ptr("not an address")}, admin)
		wantCode(t, err, lpm.EINVALID, "email")
		_, err = s.UpdateUser(ctx, 999, lpm.UserUpdate{Email: ptr("x@example.com")}, admin)
		wantCode(t, err, lpm.ENOTFOUND, "")
		up, err := s.UpdateUser(ctx, bob.ID, lpm.UserUpdate{DisplayName: ptr("Bob"), Email: ptr("bob@example.com"), IsAdmin: ptr(true)}, admin)
		must(t, err)
		got, err = s.FindUserByID(ctx, bob.ID)
		must(t, err)
		diff(t, "updated user", up, got)
		if got.DisplayName != "Bob" || got.Email != "bob@example.com" || !got.IsAdmin || got.Disabled {
			t.Errorf("update not applied: %+v", got)
		}

		// Passwords: stored as given, read back by name.
		u, hash, err := s.PasswordHash(ctx, bob.Name)
		must(t, err)
		if hash != "" || u.ID != bob.ID {
			t.Errorf("a new user has password hash %q (user %d)", hash, u.ID)
		}
		carol := want[2]
		wantCode(t, s.SetPassword(ctx, carol.ID, "$argon2id$x", bob.Actor()), lpm.EFORBIDDEN, "")
		readOnly := carol.Actor()
		readOnly.ReadOnly = true
		wantCode(t, s.SetPassword(ctx, carol.ID, "$argon2id$x", readOnly), lpm.EFORBIDDEN, "")
		must(t, s.SetPassword(ctx, carol.ID, "$argon2id$own", carol.Actor()))
		must(t, s.SetPassword(ctx, bob.ID, "$argon2id$set-by-admin", admin))
		wantCode(t, s.SetPassword(ctx, 999, "$argon2id$x", admin), lpm.ENOTFOUND, "")
		for name, want := range map[string]string{carol.Name: "$argon2id$own", bob.Name: "$argon2id$set-by-admin"} {
			_, hash, err := s.PasswordHash(ctx, name)
			must(t, err)
			if hash != want {
				t.Errorf("password hash of %s = %q, want %q", name, hash, want)
			}
		}
		// A user created with a password gets both in one change, audited
		// as two entries; a name taken keeps its user's password.
		frank := &lpm.User{Name: "frank"}
		must(t, s.CreateUser(ctx, frank, "$argon2id$frank", admin))
		if _, hash, err := s.PasswordHash(ctx, "frank"); err != nil || hash != "$argon2id$frank" {
			t.Errorf("password of a user created with one: %q, %v", hash, err)
		}
		var actions []string
		for _, e := range lastAudit(t, s, 0, 2) {
			actions = append(actions, fmt.Sprint(e.Action, " ", e.ObjectID))
		}
		diff(t, "audit of a user created with a password",
			[]string{fmt.Sprint("user.create ", frank.ID), fmt.Sprint("user.password ", frank.ID)}, actions)
		if e := lastAudit(t, s, 0, 1)[0]; e.After != `{"password":"changed"}` {
			t.Errorf("the audit of the new password holds %s", e.After)
		}
		wantCode(t, s.CreateUser(ctx, &lpm.User{Name: "frank"}, "$argon2id$intruder", admin), lpm.ECONFLICT, "name")
		if _, hash, _ := s.PasswordHash(ctx, "frank"); hash != "$argon2id$frank" {
			t.Errorf("creating a taken name changed its password to %q", hash)
		}
		_, _, err = s.PasswordHash(ctx, "nobody")
		wantCode(t, err, lpm.ENOTFOUND, "")

		// A disabled user is still found, marked.
		_, err = s.UpdateUser(ctx, carol.ID, lpm.UserUpdate{Disabled: ptr(true)}, admin)
		must(t, err)
		u, _, err = s.PasswordHash(ctx, carol.Name)
		must(t, err)
		if !u.Disabled {
			t.Error("PasswordHash hides that the user is disabled")
		}
	})
}

// The site always keeps an active site admin: the last one can be neither
// demoted nor disabled, not even by two admins demoting each other at once.
func TestLastSiteAdmin(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		root1 := createUser(t, s, "root1", true)
		root2 := createUser(t, s, "root2", true)
		plain := createUser(t, s, "plain", false)
		demote := lpm.UserUpdate{IsAdmin: ptr(false)}
		disable := lpm.UserUpdate{Disabled: ptr(true)}

		_, err := s.UpdateUser(ctx, root1.ID, demote, admin)
		must(t, err)
		_, err = s.UpdateUser(ctx, root2.ID, demote, root2.Actor())
		wantCode(t, err, lpm.ECONFLICT, "is_admin")
		_, err = s.UpdateUser(ctx, root2.ID, disable, admin)
		wantCode(t, err, lpm.ECONFLICT, "disabled")
		got, err := s.FindUserByID(ctx, root2.ID)
		must(t, err)
		if !got.ActiveSiteAdmin() {
			t.Fatalf("a refused change changed the last site admin: %+v", got)
		}
		// Other changes to the last admin, and to others, go on.
		_, err = s.UpdateUser(ctx, root2.ID, lpm.UserUpdate{DisplayName: ptr("Root")}, admin)
		must(t, err)
		_, err = s.UpdateUser(ctx, plain.ID, disable, admin)
		must(t, err)
		// A disabled admin is no admin to fall back on.
		_, err = s.UpdateUser(ctx, plain.ID, lpm.UserUpdate{IsAdmin: ptr(true)}, admin)
		must(t, err)
		_, err = s.UpdateUser(ctx, root2.ID, demote, admin)
		wantCode(t, err, lpm.ECONFLICT, "is_admin")

		// Two admins demoting each other at once: one of them stays.
		_, err = s.UpdateUser(ctx, root1.ID, lpm.UserUpdate{IsAdmin: ptr(true)}, admin)
		must(t, err)
		for round := range 5 {
			errs := make(chan error, 2)
			for _, u := range []*lpm.User{root1, root2} {
				go func() {
					_, err := s.UpdateUser(ctx, u.ID, demote, admin)
					errs <- err
				}()
			}
			var refused int
			for range 2 {
				switch err := <-errs; lpm.ErrorCodeOf(err) {
				case lpm.ECONFLICT:
					refused++
				case "":
				default:
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if refused != 1 {
				t.Fatalf("round %d: %d of two demotions refused, want 1", round, refused)
			}
			for _, u := range []*lpm.User{root1, root2} {
				_, err := s.UpdateUser(ctx, u.ID, lpm.UserUpdate{IsAdmin: ptr(true)}, admin)
				must(t, err)
			}
		}
		verified(t, s)
	})
}
