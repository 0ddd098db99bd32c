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
		wantCode(t, s.CreateUser(ctx, &lpm.User{Name: "eve"}, bob.Actor()), lpm.EFORBIDDEN, "")
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
