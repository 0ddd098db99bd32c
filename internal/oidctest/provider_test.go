package oidctest_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/lpm-project/lpm/internal/oidctest"
	"golang.org/x/oauth2"
)

const redirectURI = "http://127.0.0.1:1/callback"

var alice = oidctest.User{
	Subject: "alice-sub", Email: "alice@example.com", EmailVerified: true,
	Name: "Alice Example", PreferredUsername: "alice", Groups: []string{"lpm-deciders", "staff"},
}

// client is a relying party driving the provider the way a real one does.
type client struct {
	t        *testing.T
	p        *oidctest.Provider
	provider *oidc.Provider
	oauth    *oauth2.Config
}

func newClient(t *testing.T, p *oidctest.Provider) *client {
	t.Helper()
	provider, err := oidc.NewProvider(context.Background(), p.Issuer)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	return &client{t: t, p: p, provider: provider, oauth: &oauth2.Config{
		ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: provider.Endpoint(),
		RedirectURL: redirectURI, Scopes: []string{oidc.ScopeOpenID, "email", "profile"},
	}}
}

// authorize runs the authorization request and returns the redirect's query.
func (c *client) authorize(opts ...oauth2.AuthCodeOption) url.Values {
	c.t.Helper()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(c.oauth.AuthCodeURL("the-state", opts...))
	if err != nil {
		c.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		c.t.Fatalf("authorize: status %d, want 302", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		c.t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != redirectURI {
		c.t.Fatalf("redirected to %s, want %s", got, redirectURI)
	}
	return loc.Query()
}

func (c *client) verify(ctx context.Context, raw string) (*oidc.IDToken, error) {
	return c.provider.Verifier(&oidc.Config{ClientID: c.p.ClientID}).Verify(ctx, raw)
}

func newProvider(t *testing.T) *oidctest.Provider {
	return oidctest.New(t, oidctest.Config{RedirectURIs: []string{redirectURI}, User: alice})
}

func TestCodeFlowWithPKCE(t *testing.T) {
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams} {
		p := newProvider(t)
		c := newClient(t, p)
		c.oauth.Endpoint.AuthStyle = style
		ctx := context.Background()
		verifier := oauth2.GenerateVerifier()
		q := c.authorize(oidc.Nonce("n-123"), oauth2.S256ChallengeOption(verifier))
		if q.Get("state") != "the-state" || q.Get("code") == "" {
			t.Fatalf("redirect query = %v, want state and code", q)
		}
		auths := p.Authorizations()
		if len(auths) != 1 || auths[0].Nonce != "n-123" || auths[0].CodeChallengeMethod != "S256" ||
			auths[0].CodeChallenge != oauth2.S256ChallengeFromVerifier(verifier) {
			t.Fatalf("recorded authorizations = %+v", auths)
		}
		tok, err := c.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatalf("exchange: %v", err)
		}
		if tok.AccessToken == "" {
			t.Error("no access token")
		}
		raw, _ := tok.Extra("id_token").(string)
		idt, err := c.verify(ctx, raw)
		if err != nil {
			t.Fatalf("verify ID token: %v", err)
		}
		var claims struct {
			Email         string   `json:"email"`
			EmailVerified bool     `json:"email_verified"`
			Name          string   `json:"name"`
			Preferred     string   `json:"preferred_username"`
			Groups        []string `json:"groups"`
		}
		if err := idt.Claims(&claims); err != nil {
			t.Fatal(err)
		}
		if idt.Subject != alice.Subject || idt.Nonce != "n-123" || claims.Email != alice.Email || !claims.EmailVerified ||
			claims.Name != alice.Name || claims.Preferred != alice.PreferredUsername || !slices.Equal(claims.Groups, alice.Groups) {
			t.Errorf("ID token: sub %q nonce %q claims %+v", idt.Subject, idt.Nonce, claims)
		}
		want := map[oauth2.AuthStyle]string{oauth2.AuthStyleInHeader: "client_secret_basic", oauth2.AuthStyleInParams: "client_secret_post"}[style]
		if reqs := p.TokenRequests(); len(reqs) != 1 || reqs[0].AuthMethod != want || reqs[0].Error != "" {
			t.Errorf("token requests = %+v, want one successful %s", reqs, want)
		}
		secrets := p.Secrets()
		for _, s := range []string{q.Get("code"), tok.AccessToken, raw, p.ClientSecret} {
			if !slices.Contains(secrets, s) {
				t.Errorf("Secrets() lacks a handed-out secret")
			}
		}
	}
}

// wantGrantError exchanges and expects the provider to refuse with code.
func wantGrantError(t *testing.T, c *client, code, want string, opts ...oauth2.AuthCodeOption) {
	t.Helper()
	_, err := c.oauth.Exchange(context.Background(), code, opts...)
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != want {
		t.Fatalf("exchange error = %v, want %s", err, want)
	}
}

func TestTokenRefusals(t *testing.T) {
	p := newProvider(t)
	c := newClient(t, p)
	verifier := oauth2.GenerateVerifier()

	t.Run("tampered verifier", func(t *testing.T) {
		q := c.authorize(oauth2.S256ChallengeOption(verifier))
		wantGrantError(t, c, q.Get("code"), "invalid_grant", oauth2.VerifierOption(oauth2.GenerateVerifier()))
		// The code is gone even though the request failed.
		wantGrantError(t, c, q.Get("code"), "invalid_grant", oauth2.VerifierOption(verifier))
	})
	t.Run("missing verifier", func(t *testing.T) {
		q := c.authorize(oauth2.S256ChallengeOption(verifier))
		wantGrantError(t, c, q.Get("code"), "invalid_grant")
	})
	t.Run("code used twice", func(t *testing.T) {
		q := c.authorize(oauth2.S256ChallengeOption(verifier))
		if _, err := c.oauth.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(verifier)); err != nil {
			t.Fatal(err)
		}
		wantGrantError(t, c, q.Get("code"), "invalid_grant", oauth2.VerifierOption(verifier))
	})
	t.Run("other redirect_uri", func(t *testing.T) {
		q := c.authorize(oauth2.S256ChallengeOption(verifier))
		other := *c
		other.oauth = &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: c.oauth.Endpoint,
			RedirectURL: redirectURI + "/other"}
		wantGrantError(t, &other, q.Get("code"), "invalid_grant", oauth2.VerifierOption(verifier))
	})
	t.Run("wrong client secret", func(t *testing.T) {
		q := c.authorize(oauth2.S256ChallengeOption(verifier))
		other := *c
		cfg := *c.oauth
		cfg.ClientSecret = "wrong"
		other.oauth = &cfg
		wantGrantError(t, &other, q.Get("code"), "invalid_client", oauth2.VerifierOption(verifier))
	})
}

func TestAuthorizeRefusals(t *testing.T) {
	p := newProvider(t)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(q url.Values) *http.Response {
		t.Helper()
		resp, err := noFollow.Get(p.Issuer + "/authorize?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	base := func() url.Values {
		return url.Values{"client_id": {p.ClientID}, "redirect_uri": {redirectURI}, "response_type": {"code"},
			"scope": {"openid"}, "state": {"s"}}
	}
	q := base()
	q.Set("client_id", "someone-else")
	if resp := get(q); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown client: status %d, want 400", resp.StatusCode)
	}
	q = base()
	q.Set("redirect_uri", "http://evil.example/cb")
	if resp := get(q); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unregistered redirect_uri: status %d, want 400", resp.StatusCode)
	}
	q = base()
	q.Set("code_challenge", "abc")
	q.Set("code_challenge_method", "plain")
	if loc := get(q).Header.Get("Location"); !strings.Contains(loc, "error=invalid_request") {
		t.Errorf("plain PKCE: redirected to %q, want error=invalid_request", loc)
	}
	p.SetMisbehavior(oidctest.Misbehavior{DenyAuthorization: true})
	if loc := get(base()).Header.Get("Location"); !strings.Contains(loc, "error=access_denied") || !strings.Contains(loc, "state=s") {
		t.Errorf("denied: redirected to %q, want error=access_denied with the state", loc)
	}
}

func TestMisbehaviorIsCaughtByAVerifier(t *testing.T) {
	cases := []struct {
		name string
		m    oidctest.Misbehavior
		// check returns whether the client noticed.
		noticed func(idt *oidc.IDToken, err error) bool
	}{
		{"other key", oidctest.Misbehavior{SignWithOtherKey: true}, func(_ *oidc.IDToken, err error) bool { return err != nil }},
		{"wrong audience", oidctest.Misbehavior{Audience: "someone-else"}, func(_ *oidc.IDToken, err error) bool { return err != nil }},
		{"wrong issuer", oidctest.Misbehavior{Issuer: "https://evil.example"}, func(_ *oidc.IDToken, err error) bool { return err != nil }},
		{"expired", oidctest.Misbehavior{Expired: true}, func(_ *oidc.IDToken, err error) bool { return err != nil }},
		{"wrong nonce", oidctest.Misbehavior{WrongNonce: true}, func(idt *oidc.IDToken, err error) bool {
			return err == nil && idt.Nonce != "n-1"
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newProvider(t)
			c := newClient(t, p)
			p.SetMisbehavior(tc.m)
			verifier := oauth2.GenerateVerifier()
			q := c.authorize(oidc.Nonce("n-1"), oauth2.S256ChallengeOption(verifier))
			tok, err := c.oauth.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := tok.Extra("id_token").(string)
			idt, err := c.verify(context.Background(), raw)
			if !tc.noticed(idt, err) {
				t.Errorf("the misbehaviour went unnoticed (err %v)", err)
			}
		})
	}
}

func TestDiscoveryDown(t *testing.T) {
	p := newProvider(t)
	p.SetMisbehavior(oidctest.Misbehavior{DiscoveryDown: true})
	if _, err := oidc.NewProvider(context.Background(), p.Issuer); err == nil {
		t.Fatal("discovery worked while down")
	}
	p.SetMisbehavior(oidctest.Misbehavior{})
	if _, err := oidc.NewProvider(context.Background(), p.Issuer); err != nil {
		t.Fatalf("discovery after recovery: %v", err)
	}
}
