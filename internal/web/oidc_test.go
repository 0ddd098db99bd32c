package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/oidctest"
	"github.com/lpm-project/lpm/internal/web"
)

var carol = oidctest.User{
	Subject: "carol-sub", Email: "carol@example.com", EmailVerified: true,
	Name: "Carol Cloud", PreferredUsername: "carol", Groups: []string{"lpm-deciders", "staff"},
}

// ssoSignIn signs in through the provider and returns the page it ends on.
func (b *browser) ssoSignIn(next string) page {
	b.t.Helper()
	start := b.get("/auth/oidc/login?next=" + url.QueryEscape(next))
	if start.status != http.StatusSeeOther {
		b.t.Fatalf("GET /auth/oidc/login: status %d, want 303 to the provider:\n%s", start.status, start.body)
	}
	return b.follow(start)
}

func countUsers(t *testing.T, fx *fixture) int {
	t.Helper()
	users, _, err := fx.st.FindUsers(ctx, lpm.Page{Limit: lpm.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return len(users)
}

func TestSingleSignOn(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		if err := fx.st.MapGroup(ctx, lpm.GroupRole{PortfolioID: fx.beta.ID, Group: "lpm-deciders", Role: lpm.RoleDecisionMaker}, system); err != nil {
			t.Fatal(err)
		}
		s, idp := ssoSite(t, fx, carol, nil)

		t.Run("first sign-in creates the user, groups give roles", func(t *testing.T) {
			b := s.browser(t)
			form := b.get("/sign-in")
			wantBody(t, form, `href="/auth/oidc/login?next=%2f"`, "Sign in with single sign-on")
			before := countUsers(t, fx)
			home := b.ssoSignIn("/")
			wantStatus(t, home, http.StatusOK)
			wantBody(t, home, "Signed in as <strong>Carol Cloud</strong>", "Beta Portfolio", lpm.RoleDecisionMaker.Title())
			wantNoBody(t, home, "Alpha Portfolio")
			if got := countUsers(t, fx); got != before+1 {
				t.Errorf("%d users after the first sign-in, want %d", got, before+1)
			}
			u, err := fx.st.FindUserByName(ctx, "carol")
			if err != nil || u.Email != carol.Email {
				t.Fatalf("user carol = %+v (%v)", u, err)
			}
			auth := idp.Authorizations()
			last := auth[len(auth)-1]
			if last.CodeChallengeMethod != "S256" || last.CodeChallenge == "" || last.Nonce == "" || last.State == "" ||
				last.RedirectURI != s.srv.URL+"/auth/oidc/callback" || last.Scope != "openid email profile" {
				t.Errorf("authorization request = %+v, want PKCE S256, a nonce, a state, the callback and the default scopes", last)
			}
			if c := b.get("/").csrf(t); c == "" {
				t.Error("no sign-out form")
			}
		})

		t.Run("second sign-in reuses the user", func(t *testing.T) {
			before := countUsers(t, fx)
			b := s.browser(t)
			home := b.ssoSignIn("/portfolios")
			if home.url.Path != "/portfolios" {
				t.Errorf("ended on %s, want next (/portfolios)", home.url.Path)
			}
			b.wantSignedIn("Carol Cloud")
			if got := countUsers(t, fx); got != before {
				t.Errorf("%d users after signing in again, want %d", got, before)
			}
		})

		t.Run("the state must match", func(t *testing.T) {
			b := s.browser(t)
			toIdP := b.get("/auth/oidc/login")
			back := b.get(toIdP.location())
			cb, err := url.Parse(back.location())
			if err != nil || cb.Query().Get("code") == "" {
				t.Fatalf("provider redirect %q", back.location())
			}
			q := cb.Query()
			q.Set("state", "forged-state")
			cb.RawQuery = q.Encode()
			p := b.get(cb.String())
			wantStatus(t, p, http.StatusBadRequest)
			wantBody(t, p, "does not belong to the sign-in this browser started")
			b.wantSignedOut()

			// Without the attempt's cookie (another browser, or too late).
			p = s.browser(t).get("/auth/oidc/callback?code=abc&state=def")
			wantStatus(t, p, http.StatusBadRequest)
			wantBody(t, p, "Start again")
		})

		t.Run("a code from another attempt fails PKCE", func(t *testing.T) {
			b := s.browser(t)
			first := b.get("/auth/oidc/login").location()
			second := b.get("/auth/oidc/login").location() // the browser now holds the second attempt
			firstURL, _ := url.Parse(first)
			secondURL, _ := url.Parse(second)
			// The first attempt's authorization (its code challenge), sent
			// back under the second attempt's state: the state check passes,
			// the provider must refuse the second attempt's verifier.
			q := firstURL.Query()
			q.Set("state", secondURL.Query().Get("state"))
			firstURL.RawQuery = q.Encode()
			p := b.follow(b.get(firstURL.String()))
			wantStatus(t, p, http.StatusBadRequest)
			wantBody(t, p, "Single sign-on could not be completed")
			reqs := idp.TokenRequests()
			if last := reqs[len(reqs)-1]; last.Error != "invalid_grant" || !strings.Contains(last.Description, "code_verifier") {
				t.Errorf("provider's last token request = %+v, want refused for the code_verifier", last)
			}
			if n := len(reqs); n > 1 && reqs[n-2].Error != "" {
				t.Errorf("the refused code was sent twice: %+v", reqs[n-2:])
			}
			b.wantSignedOut()
		})

		t.Run("a disabled user is refused", func(t *testing.T) {
			dave := oidctest.User{Subject: "dave-sub", Email: "dave@example.com", EmailVerified: true, PreferredUsername: "dave"}
			idp.SetUser(dave)
			defer idp.SetUser(carol)
			wantStatus(t, s.browser(t).ssoSignIn("/"), http.StatusOK)
			u, err := fx.st.FindUserByName(ctx, "dave")
			if err != nil {
				t.Fatal(err)
			}
			disabled := true
			if _, err := fx.st.UpdateUser(ctx, u.ID, lpm.UserUpdate{Disabled: &disabled}, system); err != nil {
				t.Fatal(err)
			}
			b := s.browser(t)
			p := b.ssoSignIn("/")
			wantStatus(t, p, http.StatusForbidden)
			wantBody(t, p, "Your lpm account is disabled")
			b.wantSignedOut()
		})

		t.Run("the provider refuses", func(t *testing.T) {
			idp.SetMisbehavior(oidctest.Misbehavior{DenyAuthorization: true})
			defer idp.SetMisbehavior(oidctest.Misbehavior{})
			b := s.browser(t)
			p := b.ssoSignIn("/")
			wantStatus(t, p, http.StatusForbidden)
			wantBody(t, p, "did not let you sign in")
			b.wantSignedOut()
		})

		if !strings.Contains(s.log.String(), `"method":"oidc"`) {
			t.Errorf("no single sign-on was logged:\n%s", s.log.String())
		}
	})
}

func TestSingleSignOnRefusesBadAnswers(t *testing.T) {
	t.Parallel()
	erin := oidctest.User{Subject: "erin-sub", Email: "erin@other.org", EmailVerified: true, PreferredUsername: "erin"}
	cases := []struct {
		name    string
		user    oidctest.User
		m       oidctest.Misbehavior
		domains []string
		status  int
		says    string
	}{
		{"domain not allowed", erin, oidctest.Misbehavior{}, []string{"example.com"}, http.StatusForbidden, "only accounts with an e-mail address at example.com"},
		{"e-mail not verified", oidctest.User{Subject: "erin-sub", Email: "erin@example.com", PreferredUsername: "erin"},
			oidctest.Misbehavior{}, []string{"example.com"}, http.StatusForbidden, "has not verified your e-mail address"},
		{"no e-mail", oidctest.User{Subject: "erin-sub", PreferredUsername: "erin"},
			oidctest.Misbehavior{}, []string{"example.com"}, http.StatusForbidden, "sent none"},
		{"signed with another key", erin, oidctest.Misbehavior{SignWithOtherKey: true}, nil, http.StatusBadGateway, "(signature, issuer, audience or expiry)"},
		{"nonce mismatch", erin, oidctest.Misbehavior{WrongNonce: true}, nil, http.StatusBadGateway, "belongs to another sign-in"},
		{"wrong audience", erin, oidctest.Misbehavior{Audience: "another-client"}, nil, http.StatusBadGateway, "(signature, issuer, audience or expiry)"},
		{"wrong issuer", erin, oidctest.Misbehavior{Issuer: "https://evil.example"}, nil, http.StatusBadGateway, "(signature, issuer, audience or expiry)"},
		{"expired", erin, oidctest.Misbehavior{Expired: true}, nil, http.StatusBadGateway, "(signature, issuer, audience or expiry)"},
		{"no ID token", erin, oidctest.Misbehavior{OmitIDToken: true}, nil, http.StatusBadGateway, "did not send an ID token"},
	}
	forEachStore(t, func(t *testing.T, fx *fixture) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				s, idp := ssoSite(t, fx, tc.user, func(c *web.OIDCConfig) { c.AllowedDomains = tc.domains })
				idp.SetMisbehavior(tc.m)
				before := countUsers(t, fx)
				b := s.browser(t)
				p := b.ssoSignIn("/")
				wantStatus(t, p, tc.status)
				wantBody(t, p, tc.says, "Back to sign-in")
				b.wantSignedOut()
				if got := countUsers(t, fx); got != before {
					t.Errorf("a refused sign-in created a user")
				}
			})
		}
		t.Run("allowed domain, any case", func(t *testing.T) {
			frank := oidctest.User{Subject: "frank-sub", Email: "Frank@EXAMPLE.com", EmailVerified: true, PreferredUsername: "frank"}
			s, _ := ssoSite(t, fx, frank, func(c *web.OIDCConfig) { c.AllowedDomains = []string{" Example.COM ", "example.org"} })
			b := s.browser(t)
			wantStatus(t, b.ssoSignIn("/"), http.StatusOK)
			b.wantSignedIn("frank")
		})
		t.Run("groups from another claim, as one string", func(t *testing.T) {
			if err := fx.st.MapGroup(ctx, lpm.GroupRole{PortfolioID: fx.alpha.ID, Group: "alpha-viewers", Role: lpm.RoleViewer}, system); err != nil {
				t.Fatal(err)
			}
			gina := oidctest.User{Subject: "gina-sub", Email: "gina@example.com", EmailVerified: true, Name: "Gina",
				Groups: []string{"ignored"}, Extra: map[string]any{"roles": "alpha-viewers"}}
			s, _ := ssoSite(t, fx, gina, func(c *web.OIDCConfig) { c.GroupsClaim = "roles" })
			b := s.browser(t)
			home := b.ssoSignIn("/")
			wantStatus(t, home, http.StatusOK)
			wantBody(t, home, "Alpha Portfolio", lpm.RoleViewer.Title())
		})
	})
}

func TestSingleSignOnProviderDownAtStart(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, fx *fixture) {
		idp := oidctest.New(t, oidctest.Config{User: carol})
		idp.SetMisbehavior(oidctest.Misbehavior{DiscoveryDown: true})
		s := startSite(t, fx, siteOptions{oidc: &web.OIDCConfig{Issuer: idp.Issuer, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret}})
		idp.AllowRedirectURI(s.srv.URL + "/auth/oidc/callback")
		t.Cleanup(func() { s.addSecrets(idp.Secrets()...) })

		b := s.browser(t)
		wantBody(t, b.get("/sign-in"), "Sign in with single sign-on")
		p := b.get("/auth/oidc/login")
		wantStatus(t, p, http.StatusBadGateway)
		wantBody(t, p, "cannot reach the single sign-on provider")
		// Password sign-in works meanwhile.
		wantStatus(t, b.signIn("alice", alicePassword, "/"), http.StatusSeeOther)

		idp.SetMisbehavior(oidctest.Misbehavior{})
		time.Sleep(2100 * time.Millisecond) // discovery is retried after 2 s
		other := s.browser(t)
		wantStatus(t, other.ssoSignIn("/"), http.StatusOK)
		other.wantSignedIn("Carol Cloud")
	})
}

func TestSingleSignOnOff(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		for _, path := range []string{"/auth/oidc/login", "/auth/oidc/callback?code=a&state=b"} {
			p := s.browser(t).get(path)
			wantStatus(t, p, http.StatusNotFound)
			wantBody(t, p, "does not use single sign-on")
		}
	})
}
