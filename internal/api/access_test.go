package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
)

func TestMe(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		p := e.portfolio("Consumer")
		q := e.portfolio("B2B")
		e.grant(q, alice, lpm.RoleDecisionMaker)
		checkFields(t, e.must(http.StatusOK, alice, "GET", "/api/v1/me", nil), map[string]any{
			"name": alice, "display_name": "Alice", "is_admin": false, "authenticated_by": "token", "token_scope": "read_write",
			"portfolios": []any{
				map[string]any{"portfolio_id": p, "portfolio_name": "Consumer", "roles": []any{"portfolio_admin"}},
				map[string]any{"portfolio_id": q, "portfolio_name": "B2B", "roles": []any{"portfolio_admin", "decision_maker"}},
			}})
		checkFields(t, e.must(http.StatusOK, bob, "GET", "/api/v1/me", nil), map[string]any{"name": bob, "portfolios": []any{}})
		checkFields(t, e.must(http.StatusOK, admin, "GET", "/api/v1/me", nil), map[string]any{"is_admin": true})
	})
}

func TestChangeMyPassword(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		const pw, next = "a first long password", "a second long password"
		invalid := "urn:lpm:problem:invalid"
		// Without a password, no current password is right.
		wantProblem(t, e.do(alice, "POST", "/api/v1/me/password", map[string]any{"current_password": "", "new_password": next}),
			422, invalid, "current_password")
		e.must(http.StatusNoContent, admin, "PUT", "/api/v1/users/alice/password", map[string]any{"password": pw})
		wantProblem(t, e.do(alice, "POST", "/api/v1/me/password", map[string]any{"current_password": pw, "new_password": "short"}),
			422, invalid, "new_password")
		e.must(http.StatusNoContent, alice, "POST", "/api/v1/me/password", map[string]any{"current_password": pw, "new_password": next})
		ctx := context.Background()
		_, hash, err := e.st.PasswordHash(ctx, alice)
		if err != nil || !lpm.CheckPassword(hash, next) {
			t.Fatalf("the new password is not stored (%v)", err)
		}
		// Wrong guesses are slowed down, then locked out. The delays start at
		// a second after the third failure: a slow machine (the race
		// detector makes each password check take about that) may be let
		// through a few more times, never past the lock-out.
		var last *response
		for range lpm.SignInLockAfter + 1 {
			last = e.do(alice, "POST", "/api/v1/me/password", map[string]any{"current_password": "wrong guess", "new_password": pw})
			if last.status == http.StatusTooManyRequests {
				break
			}
		}
		wantProblem(t, last, http.StatusTooManyRequests, "urn:lpm:problem:too-many-requests")
		if last.header.Get("Retry-After") == "" {
			t.Errorf("no Retry-After on %s", last.body)
		}
		if _, hash, _ = e.st.PasswordHash(ctx, alice); !lpm.CheckPassword(hash, next) {
			t.Errorf("a refused change changed the password")
		}
	})
}

func TestUsers(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		const forbidden = "urn:lpm:problem:forbidden"
		created := e.do(admin, "POST", "/api/v1/users", map[string]any{"name": "dora", "display_name": "Dora", "email": "dora@example.com",
			"password": "a long enough password"})
		if created.status != http.StatusCreated || created.header.Get("Location") != "/api/v1/users/dora" {
			t.Fatalf("create user: %d %s %s", created.status, created.header.Get("Location"), created.body)
		}
		checkFields(t, created.json(t), map[string]any{"name": "dora", "email": "dora@example.com", "is_admin": false, "disabled": false})
		if u, hash, err := e.st.PasswordHash(context.Background(), "dora"); err != nil || !lpm.CheckPassword(hash, "a long enough password") {
			t.Errorf("dora's password is not set: %v %v", u, err)
		}
		wantProblem(t, e.do(admin, "POST", "/api/v1/users", map[string]any{"name": "dora"}), 409, "urn:lpm:problem:conflict")
		wantProblem(t, e.do(admin, "POST", "/api/v1/users", map[string]any{"name": "Eve!"}), 422, "urn:lpm:problem:invalid", "name")
		wantProblem(t, e.do(admin, "POST", "/api/v1/users", map[string]any{"name": "eve", "password": "short"}), 422, "urn:lpm:problem:invalid", "password")
		wantProblem(t, e.do(admin, "GET", "/api/v1/users/eve", nil), 404, "urn:lpm:problem:not-found")

		checkFields(t, e.must(http.StatusOK, admin, "GET", "/api/v1/users/dora", nil), map[string]any{"display_name": "Dora"})
		names := map[string]bool{}
		for _, it := range e.must(http.StatusOK, admin, "GET", "/api/v1/users?limit=500", nil)["items"].([]any) {
			names[it.(map[string]any)["name"].(string)] = true
		}
		for _, n := range []string{admin, alice, bob, "dora"} {
			if !names[n] {
				t.Errorf("user list lacks %s", n)
			}
		}

		// Disabling a user stops their tokens at once.
		token := e.must(http.StatusCreated, admin, "POST", "/api/v1/users/dora/tokens", map[string]any{"name": "t"})["token"].(string)
		if r := e.asToken(token, "GET", "/api/v1/me", nil); r.status != http.StatusOK {
			t.Fatalf("dora's token: %d", r.status)
		}
		checkFields(t, e.must(http.StatusOK, admin, "PATCH", "/api/v1/users/dora", map[string]any{"disabled": true, "display_name": "Dora D."}),
			map[string]any{"disabled": true, "display_name": "Dora D."})
		wantProblem(t, e.asToken(token, "GET", "/api/v1/me", nil), 401, "urn:lpm:problem:unauthorized")

		// Only site admins manage users, and a read-only token of one may not either.
		for _, who := range []string{alice, aliceRO, bob} {
			wantProblem(t, e.do(who, "GET", "/api/v1/users", nil), 403, forbidden)
			wantProblem(t, e.do(who, "POST", "/api/v1/users", map[string]any{"name": "mallory", "is_admin": true}), 403, forbidden)
			wantProblem(t, e.do(who, "PATCH", "/api/v1/users/"+who, map[string]any{"is_admin": true}), 403, forbidden)
			wantProblem(t, e.do(who, "PUT", "/api/v1/users/admin/password", map[string]any{"password": "taken over now!"}), 403, forbidden)
		}
		checkFields(t, e.must(http.StatusOK, alice, "GET", "/api/v1/me", nil), map[string]any{"is_admin": false})

		// The only site admin can neither step down nor be disabled; once
		// dora is one too, they can.
		wantProblem(t, e.do(admin, "PATCH", "/api/v1/users/admin", map[string]any{"is_admin": false}), 409, "urn:lpm:problem:conflict", "is_admin")
		wantProblem(t, e.do(admin, "PATCH", "/api/v1/users/admin", map[string]any{"disabled": true}), 409, "urn:lpm:problem:conflict", "disabled")
		e.must(http.StatusOK, admin, "PATCH", "/api/v1/users/dora", map[string]any{"disabled": false, "is_admin": true})
		checkFields(t, e.must(http.StatusOK, admin, "PATCH", "/api/v1/users/admin", map[string]any{"is_admin": false}),
			map[string]any{"is_admin": false})
	})
}

func TestMembers(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		members := fmt.Sprintf("/api/v1/portfolios/%d/members", pid)
		checkFields(t, e.must(http.StatusCreated, alice, "POST", members, map[string]any{"user": bob, "role": "epic_owner"}),
			map[string]any{"user": bob, "role": "epic_owner", "group": absent})
		// Granting again changes nothing.
		e.must(http.StatusCreated, alice, "POST", members, map[string]any{"user": bob, "role": "epic_owner"})
		list := e.must(http.StatusOK, victor, "GET", members, nil)["items"].([]any)
		count := 0
		for _, it := range list {
			m := it.(map[string]any)
			if m["user"] == bob {
				count++
				checkFields(t, m, map[string]any{"role": "epic_owner"})
			}
		}
		if count != 1 {
			t.Errorf("bob holds %d roles in %v, want 1", count, list)
		}
		// bob now sees the portfolio.
		e.must(http.StatusOK, bob, "GET", fmt.Sprintf("/api/v1/portfolios/%d", pid), nil)
		wantProblem(t, e.do(victor, "POST", members, map[string]any{"user": victor, "role": "portfolio_admin"}), 403, "urn:lpm:problem:forbidden")
		wantProblem(t, e.do(alice, "POST", members, map[string]any{"user": bob, "role": "king"}), 422, "urn:lpm:problem:invalid", "body.role")
		e.must(http.StatusNoContent, alice, "DELETE", members+"/bob/epic_owner", nil)
		wantProblem(t, e.do(alice, "DELETE", members+"/bob/epic_owner", nil), 404, "urn:lpm:problem:not-found")
		wantProblem(t, e.do(bob, "GET", fmt.Sprintf("/api/v1/portfolios/%d", pid), nil), 404, "urn:lpm:problem:not-found")

		// The portfolio keeps a portfolio admin.
		e.must(http.StatusNoContent, admin, "DELETE", members+"/admin/portfolio_admin", nil)
		wantProblem(t, e.do(admin, "DELETE", members+"/alice/portfolio_admin", nil), 409, "urn:lpm:problem:conflict")

		// Group mappings, with a group name that needs escaping.
		groups := fmt.Sprintf("/api/v1/portfolios/%d/group-roles", pid)
		const group = "eng/platform team"
		checkFields(t, e.must(http.StatusCreated, alice, "POST", groups, map[string]any{"group": group, "role": "viewer"}),
			map[string]any{"group": group, "role": "viewer"})
		checkFields(t, e.must(http.StatusOK, victor, "GET", groups, nil), map[string]any{"items.0.group": group, "items.1": absent})
		wantProblem(t, e.do(victor, "DELETE", groups+"/"+url.PathEscape(group)+"/viewer", nil), 403, "urn:lpm:problem:forbidden")
		e.must(http.StatusNoContent, alice, "DELETE", groups+"/"+url.PathEscape(group)+"/viewer", nil)
		checkFields(t, e.must(http.StatusOK, alice, "GET", groups, nil), map[string]any{"items": []any{}})
		wantProblem(t, e.do(alice, "DELETE", groups+"/"+url.PathEscape(group)+"/viewer", nil), 404, "urn:lpm:problem:not-found")
	})
}
