package web_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/api"
	"github.com/lpm-project/lpm/internal/lpm"
)

var (
	tokenSecretRE = regexp.MustCompile(`id="new-token-secret" type="text" value="(lpm_[a-z0-9]+)"`)
	revokeRE      = regexp.MustCompile(`action="/account/tokens/(\d+)/revoke"`)
)

// apiStatus is the status the API answers GET /api/v1/me with, sent with
// the token.
func apiStatus(t *testing.T, srv *httptest.Server, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+api.Prefix+"/me", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (fx *fixture) tokens(t *testing.T, u *lpm.User) []*lpm.Token {
	t.Helper()
	list, _, err := fx.st.FindTokens(ctx, u.ID, lpm.Page{Limit: lpm.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestAPITokensPage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		apiSrv := httptest.NewServer(api.New(fx.st, slog.New(slog.DiscardHandler)))
		t.Cleanup(apiSrv.Close)
		alice := s.signedInAs(t, "alice", alicePassword)

		list := alice.get("/account/tokens")
		wantStatus(t, list, http.StatusOK)
		wantBody(t, list, "You have no API tokens.", "Make a token", `<option value="90" selected>90 days</option>`)
		wantAccessible(t, list)

		// Made: the secret shows on the answer, once, and works.
		before := lpm.Now()
		made := alice.post("/account/tokens", withCSRF(t, list, url.Values{"name": {"ci pipeline"}, "scope": {"read"}, "lifetime": {"30"}}))
		wantStatus(t, made, http.StatusOK)
		m := tokenSecretRE.FindStringSubmatch(made.body)
		if m == nil {
			t.Fatalf("no secret on the page:\n%s", made.body)
		}
		secret := m[1]
		s.addSecrets(secret)
		wantBody(t, made, "Copy it now: it will not be shown again.", "Your new token “ci pipeline”", "read only")
		if cc := made.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("page with the secret: Cache-Control %q", cc)
		}
		wantAccessible(t, made)
		stored := fx.tokens(t, fx.alice)
		if len(stored) != 1 || stored[0].Name != "ci pipeline" || stored[0].Scope != lpm.ScopeRead {
			t.Fatalf("tokens stored: %+v", stored)
		}
		if exp := stored[0].ExpiresAt.Sub(before); exp < 30*24*time.Hour-time.Hour || exp > 30*24*time.Hour+time.Hour {
			t.Errorf("token expires in %v, want 30 days", exp)
		}
		if got := apiStatus(t, apiSrv, secret); got != http.StatusOK {
			t.Fatalf("API with the new token: %d, want 200", got)
		}
		list = alice.get("/account/tokens")
		wantNoBody(t, list, secret, "Copy it now")
		wantBody(t, list, `<th scope="row">ci pipeline</th><td data-label="May">read only</td>`)

		// Refused: no name, a lifetime not offered, a scope not offered.
		for name, c := range map[string]struct {
			values url.Values
			want   string
		}{
			"no name":  {url.Values{"name": {"  "}, "scope": {"read"}, "lifetime": {"30"}}, "Name is required"},
			"lifetime": {url.Values{"name": {"forever"}, "scope": {"read"}, "lifetime": {"99999"}}, "Choose how long the token works from the list."},
			"scope":    {url.Values{"name": {"admin"}, "scope": {"admin"}, "lifetime": {"30"}}, "Choose what the token may do"},
			"name too long": {url.Values{"name": {strings.Repeat("x", lpm.MaxNameLen+1)}, "scope": {"read"}, "lifetime": {"30"}},
				"Name must be at most 200 characters"},
		} {
			p := alice.post("/account/tokens", withCSRF(t, list, c.values))
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", name, p.status)
				continue
			}
			wantBody(t, p, c.want, "No token made. Please correct:")
			if v := c.values.Get("name"); strings.TrimSpace(v) != "" {
				wantBody(t, p, `value="`+v+`"`)
			}
			wantNoBody(t, p, "new-token-secret")
			wantAccessible(t, p)
		}
		if n := len(fx.tokens(t, fx.alice)); n != 1 {
			t.Errorf("%d tokens after refusals, want 1", n)
		}

		// Someone else's token cannot be revoked from here.
		bobToken := &lpm.Token{UserID: fx.bob.ID, Name: "bob's"}
		bobSecret, err := fx.st.CreateToken(ctx, bobToken, system)
		if err != nil {
			t.Fatal(err)
		}
		s.addSecrets(bobSecret)
		refused := alice.post(fmt.Sprintf("/account/tokens/%d/revoke", bobToken.ID), withCSRF(t, list, nil))
		alice.wantNotice(t, refused, "Not revoked: you have no such token (it may have been revoked already).", true)
		if got := apiStatus(t, apiSrv, bobSecret); got != http.StatusOK {
			t.Errorf("bob's token after alice tried to revoke it: %d, want 200", got)
		}

		// Revoked: it stops working and leaves the list.
		ids := revokeRE.FindStringSubmatch(list.body)
		if ids == nil {
			t.Fatalf("no revoke form:\n%s", list.body)
		}
		revoked := alice.post("/account/tokens/"+ids[1]+"/revoke", withCSRF(t, list, nil))
		list = alice.wantNotice(t, revoked, "Token ci pipeline revoked: it no longer works.", false)
		wantBody(t, list, "You have no API tokens.")
		if got := apiStatus(t, apiSrv, secret); got != http.StatusUnauthorized {
			t.Errorf("API with the revoked token: %d, want 401", got)
		}
		if n := len(fx.tokens(t, fx.alice)); n != 0 {
			t.Errorf("%d tokens after revoking, want 0", n)
		}
		wantStatus(t, alice.post("/account/tokens/nope/revoke", withCSRF(t, list, nil)), http.StatusNotFound)

		// Signed out, the page sends to sign in.
		out := s.browser(t).get("/account/tokens")
		if out.status != http.StatusSeeOther || out.location() != "/sign-in?next=/account/tokens" {
			t.Errorf("signed out: %d to %q", out.status, out.location())
		}
	})
}
