package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// asToken sends a request with the given token secret.
func (e *env) asToken(secret, method, path string, body any) *response {
	e.t.Helper()
	req := e.request(method, path, body)
	req.Header.Set("Authorization", "Bearer "+secret)
	return e.send(req)
}

func TestTokens(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		epics := fmt.Sprintf("/api/v1/portfolios/%d/epics", pid)
		const unauthorized = "urn:lpm:problem:unauthorized"

		// A new token works, and its secret is shown once.
		before := time.Now()
		created := e.must(http.StatusCreated, alice, "POST", "/api/v1/me/tokens", map[string]any{"name": "ci pipeline"})
		secret, _ := created["token"].(string)
		if !strings.HasPrefix(secret, "lpm_") || created["note"] == "" {
			t.Fatalf("created token = %v", created)
		}
		checkFields(t, created, map[string]any{"name": "ci pipeline", "scope": "read_write", "last_used_at": absent})
		exp, err := time.Parse(time.RFC3339, created["expires_at"].(string))
		if err != nil || exp.Before(before.Add(lpm.DefaultTokenLifetime-time.Minute)) || exp.After(time.Now().Add(lpm.DefaultTokenLifetime)) {
			t.Errorf("expires_at %v, want 90 days from now (%v)", created["expires_at"], err)
		}
		me := e.asToken(secret, "GET", "/api/v1/me", nil)
		if me.status != http.StatusOK {
			t.Fatalf("GET /me with the new token: %d %s", me.status, me.body)
		}
		checkFields(t, me.json(t), map[string]any{"name": alice, "token_scope": "read_write", "authenticated_by": "token"})
		if r := e.asToken(secret, "POST", epics, map[string]any{"title": "By token", "type": "business"}); r.status != http.StatusCreated {
			t.Errorf("write with the new token: %d %s", r.status, r.body)
		}
		list := e.do(alice, "GET", "/api/v1/me/tokens", nil)
		if strings.Contains(string(list.body), secret) || strings.Contains(string(list.body), `"token"`) {
			t.Errorf("the token list shows a secret: %s", list.body)
		}
		tokenID := int64(created["id"].(float64))
		found := false
		for _, it := range list.json(t).(map[string]any)["items"].([]any) {
			found = found || int64(it.(map[string]any)["id"].(float64)) == tokenID
		}
		if !found {
			t.Errorf("the token list lacks the new token: %s", list.body)
		}

		// A read-only token reads and is refused writes, its own account included.
		ro := e.must(http.StatusCreated, alice, "POST", "/api/v1/me/tokens", map[string]any{"name": "dashboards", "scope": "read"})
		roSecret := ro["token"].(string)
		if r := e.asToken(roSecret, "GET", epics, nil); r.status != http.StatusOK {
			t.Errorf("read with a read-only token: %d %s", r.status, r.body)
		}
		wantProblem(t, e.asToken(roSecret, "POST", epics, map[string]any{"title": "T", "type": "business"}), 403, "urn:lpm:problem:forbidden")
		wantProblem(t, e.asToken(roSecret, "POST", "/api/v1/me/tokens", map[string]any{"name": "escalate"}), 403, "urn:lpm:problem:forbidden")
		checkFields(t, e.asToken(roSecret, "GET", "/api/v1/me", nil).json(t), map[string]any{"token_scope": "read"})

		// Other users' tokens are neither listed nor revocable.
		if r := e.do(bob, "GET", "/api/v1/me/tokens", nil); strings.Contains(string(r.body), "ci pipeline") {
			t.Errorf("bob sees alice's tokens: %s", r.body)
		}
		sameNotFound(t, e, bob, "DELETE", "/api/v1/me/tokens/%d", tokenID, 987654321, nil)
		if r := e.asToken(secret, "GET", "/api/v1/me", nil); r.status != http.StatusOK {
			t.Errorf("alice's token stopped working after bob tried to revoke it: %d", r.status)
		}

		// A revoked token stops working at once.
		e.must(http.StatusNoContent, alice, "DELETE", fmt.Sprintf("/api/v1/me/tokens/%d", tokenID), nil)
		wantProblem(t, e.asToken(secret, "GET", "/api/v1/me", nil), 401, unauthorized)
		if r := e.do(alice, "GET", "/api/v1/me/tokens", nil); strings.Contains(string(r.body), "ci pipeline") {
			t.Errorf("a revoked token is still listed: %s", r.body)
		}

		// Lifetimes are bounded.
		for _, tc := range []struct {
			expires time.Time
			status  int
		}{
			{time.Now().Add(-time.Hour), 422},
			{time.Now().Add(3 * 365 * 24 * time.Hour), 422},
			{time.Now().Add(365 * 24 * time.Hour), 201},
		} {
			r := e.do(alice, "POST", "/api/v1/me/tokens", map[string]any{"name": "bounded", "expires_at": tc.expires.Format(time.RFC3339)})
			if r.status != tc.status {
				t.Errorf("expires_at %v: status %d, want %d: %s", tc.expires, r.status, tc.status, r.body)
			}
			if tc.status == 422 {
				wantProblem(t, r, 422, "urn:lpm:problem:invalid", "expires_at")
			}
		}
		wantProblem(t, e.do(alice, "POST", "/api/v1/me/tokens", map[string]any{"name": " "}), 422, "urn:lpm:problem:invalid", "name")
		wantProblem(t, e.do(alice, "POST", "/api/v1/me/tokens", map[string]any{"name": "x", "scope": "admin"}), 422, "urn:lpm:problem:invalid", "body.scope")

		// An expired token stops working.
		short, err := lpm.NewToken(lpm.Token{UserID: e.users[alice].ID, Name: "short", ExpiresAt: time.Now().Add(time.Second)}, lpm.Now())
		if err != nil {
			t.Fatal(err)
		}
		shortSecret, err := e.st.CreateToken(context.Background(), short, system)
		if err != nil {
			t.Fatal(err)
		}
		if r := e.asToken(shortSecret, "GET", "/api/v1/me", nil); r.status != http.StatusOK {
			t.Errorf("short-lived token before it expires: %d", r.status)
		}
		time.Sleep(time.Until(short.ExpiresAt) + 10*time.Millisecond)
		wantProblem(t, e.asToken(shortSecret, "GET", "/api/v1/me", nil), 401, unauthorized)
	})
}

func TestUserTokensBySiteAdmin(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		created := e.must(http.StatusCreated, admin, "POST", "/api/v1/users/bob/tokens", map[string]any{"name": "service", "scope": "read"})
		secret := created["token"].(string)
		checkFields(t, e.asToken(secret, "GET", "/api/v1/me", nil).json(t), map[string]any{"name": bob, "token_scope": "read"})
		list := e.must(http.StatusOK, admin, "GET", "/api/v1/users/bob/tokens", nil)
		if strings.Contains(fmt.Sprint(list), secret) {
			t.Errorf("list shows the secret")
		}
		tokenID := int64(created["id"].(float64))
		// alice is no site admin.
		wantProblem(t, e.do(alice, "GET", "/api/v1/users/bob/tokens", nil), 403, "urn:lpm:problem:forbidden")
		wantProblem(t, e.do(alice, "DELETE", fmt.Sprintf("/api/v1/users/bob/tokens/%d", tokenID), nil), 403, "urn:lpm:problem:forbidden")
		// A token of another user is not found under this one.
		wantProblem(t, e.do(admin, "DELETE", fmt.Sprintf("/api/v1/users/alice/tokens/%d", tokenID), nil), 404, "urn:lpm:problem:not-found")
		e.must(http.StatusNoContent, admin, "DELETE", fmt.Sprintf("/api/v1/users/bob/tokens/%d", tokenID), nil)
		wantProblem(t, e.asToken(secret, "GET", "/api/v1/me", nil), 401, "urn:lpm:problem:unauthorized")
		wantProblem(t, e.do(admin, "GET", "/api/v1/users/nosuchuser/tokens", nil), 404, "urn:lpm:problem:not-found")
	})
}
