package store_test

import (
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
)

// A token authenticates its user until it expires or is revoked, or the
// user is disabled; every token that does not work gets the same answer.
func TestTokens(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		s := openStore(t, dsn)
		bob := createUser(t, s, "bob", false)
		carol := createUser(t, s, "carol", false)

		// People manage their own tokens; site admins everyone's.
		ci := &lpm.Token{UserID: bob.ID, Name: "ci", Scope: lpm.ScopeRead}
		ciSecret, err := s.CreateToken(ctx, ci, bob.Actor())
		must(t, err)
		if ci.ID == 0 || ci.Scope != lpm.ScopeRead || ci.CreatedAt.IsZero() {
			t.Errorf("created token = %+v", ci)
		}
		if d := ci.ExpiresAt.Sub(ci.CreatedAt); d != lpm.DefaultTokenLifetime {
			t.Errorf("token lifetime = %v, want the default %v", d, lpm.DefaultTokenLifetime)
		}
		_, err = s.CreateToken(ctx, &lpm.Token{UserID: carol.ID, Name: "mine now"}, bob.Actor())
		wantCode(t, err, lpm.EFORBIDDEN, "")
		_, err = s.CreateToken(ctx, &lpm.Token{UserID: bob.ID, Name: " "}, bob.Actor())
		wantCode(t, err, lpm.EINVALID, "name")
		_, err = s.CreateToken(ctx, &lpm.Token{UserID: bob.ID, Name: "x", Scope: "admin"}, bob.Actor())
		wantCode(t, err, lpm.EINVALID, "scope")
		_, err = s.CreateToken(ctx, &lpm.Token{UserID: bob.ID, Name: "x", ExpiresAt: lpm.Now().Add(-time.Hour)}, bob.Actor())
		wantCode(t, err, lpm.EINVALID, "expires_at")
		laptop := &lpm.Token{UserID: bob.ID, Name: "laptop"}
		laptopSecret, err := s.CreateToken(ctx, laptop, admin)
		must(t, err)
		if laptop.Scope != lpm.ScopeReadWrite {
			t.Errorf("default scope %q", laptop.Scope)
		}
		carolToken := &lpm.Token{UserID: carol.ID, Name: "carol's"}
		carolSecret, err := s.CreateToken(ctx, carolToken, carol.Actor())
		must(t, err)

		u, tok, err := s.Authenticate(ctx, ciSecret)
		must(t, err)
		diff(t, "token user", bob, u)
		if tok.ID != ci.ID || tok.Scope != lpm.ScopeRead || !tok.ExpiresAt.Equal(ci.ExpiresAt) || since(tok.LastUsedAt) > time.Minute {
			t.Errorf("authenticated token = %+v", tok)
		}

		// The use is noted once a minute at most.
		_, again, err := s.Authenticate(ctx, ciSecret)
		must(t, err)
		list, _, err := s.FindTokens(ctx, bob.ID, lpm.Page{})
		must(t, err)
		if !list[0].LastUsedAt.Equal(tok.LastUsedAt) || !again.LastUsedAt.Equal(tok.LastUsedAt) {
			t.Errorf("last use moved within a minute: %v, then %v and %v", tok.LastUsedAt, again.LastUsedAt, list[0].LastUsedAt)
		}
		rawExec(t, s, dsn, `UPDATE api_tokens SET last_used_at = last_used_at - 120000000 WHERE id = $1`, ci.ID)
		_, later, err := s.Authenticate(ctx, ciSecret)
		must(t, err)
		list, _, err = s.FindTokens(ctx, bob.ID, lpm.Page{})
		must(t, err)
		if !list[0].LastUsedAt.Equal(later.LastUsedAt) || !later.LastUsedAt.After(tok.LastUsedAt) {
			t.Errorf("a stale last use was not moved: stored %v, returned %v, first %v", list[0].LastUsedAt, later.LastUsedAt, tok.LastUsedAt)
		}

		// Revoked: gone from the list, refused; only by its user or an admin.
		wantCode(t, s.RevokeToken(ctx, bob.ID, laptop.ID, carol.Actor()), lpm.EFORBIDDEN, "")
		wantCode(t, s.RevokeToken(ctx, carol.ID, laptop.ID, carol.Actor()), lpm.ENOTFOUND, "")
		must(t, s.RevokeToken(ctx, bob.ID, laptop.ID, bob.Actor()))
		wantCode(t, s.RevokeToken(ctx, bob.ID, laptop.ID, bob.Actor()), lpm.ENOTFOUND, "")
		unknown := func(secret string) {
			t.Helper()
			_, _, err := s.Authenticate(ctx, secret)
			wantCode(t, err, lpm.ENOTFOUND, "")
			if want := "the API token is unknown, expired or revoked"; err.Error() != want {
				t.Errorf("message %q, want %q", err, want)
			}
		}
		unknown(laptopSecret)
		unknown("lpm_nosuchtoken")
		list, _, err = s.FindTokens(ctx, bob.ID, lpm.Page{})
		must(t, err)
		if len(list) != 1 || list[0].ID != ci.ID {
			t.Errorf("tokens after a revocation = %+v", list)
		}

		// Expired: refused, but still listed, so its user sees what to replace.
		soon := &lpm.Token{UserID: bob.ID, Name: "soon", ExpiresAt: lpm.Now().Add(200 * time.Millisecond)}
		soonSecret, err := s.CreateToken(ctx, soon, bob.Actor())
		must(t, err)
		_, _, err = s.Authenticate(ctx, soonSecret)
		must(t, err)
		time.Sleep(time.Until(soon.ExpiresAt))
		unknown(soonSecret)
		list, _, err = s.FindTokens(ctx, bob.ID, lpm.Page{})
		must(t, err)
		if len(list) != 2 || list[1].ID != soon.ID || !list[1].Expired(lpm.Now()) {
			t.Errorf("tokens with an expired one = %+v", list)
		}

		// A disabled user's tokens stop working, and work again when enabled.
		_, err = s.UpdateUser(ctx, carol.ID, lpm.UserUpdate{Disabled: ptr(true)}, admin)
		must(t, err)
		unknown(carolSecret)
		_, err = s.UpdateUser(ctx, carol.ID, lpm.UserUpdate{Disabled: ptr(false)}, admin)
		must(t, err)
		_, _, err = s.Authenticate(ctx, carolSecret)
		must(t, err)

		// Tokens from before lifetimes (NULL expiry) never expire.
		rawExec(t, s, dsn, `UPDATE api_tokens SET expires_at = NULL WHERE id = $1`, carolToken.ID)
		_, old, err := s.Authenticate(ctx, carolSecret)
		must(t, err)
		if !old.ExpiresAt.IsZero() {
			t.Errorf("a token without expiry reads back expiring at %v", old.ExpiresAt)
		}
	})
}

func TestTokenPages(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		bob := createUser(t, s, "bob", false)
		var want []int64
		for _, name := range []string{"a", "b", "c"} {
			tok := &lpm.Token{UserID: bob.ID, Name: name}
			_, err := s.CreateToken(ctx, tok, admin)
			must(t, err)
			want = append(want, tok.ID)
		}
		var got []int64
		page := lpm.Page{Limit: 2}
		for range 3 {
			list, next, err := s.FindTokens(ctx, bob.ID, page)
			must(t, err)
			for _, tok := range list {
				got = append(got, tok.ID)
			}
			if next == "" {
				break
			}
			page.Cursor = next
		}
		diff(t, "paged tokens", want, got)
	})
}
