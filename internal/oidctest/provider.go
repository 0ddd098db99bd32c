// Package oidctest runs a small but real OpenID Connect provider on loopback
// for tests: discovery, a JSON Web Key Set, an authorization endpoint that
// signs a configured user in without asking, and a token endpoint that checks
// client authentication, single-use codes, the redirect URI and PKCE before it
// returns an RS256-signed ID token. Tests can make it misbehave (sign with an
// unknown key, send the wrong nonce or audience…) to check that a client
// refuses what it must.
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// Config sets up a provider. ClientID and ClientSecret default to
// "lpm-test" and "lpm-test-secret".
type Config struct {
	ClientID     string
	ClientSecret string
	// RedirectURIs are the client's registered redirect URIs; more can be
	// added with AllowRedirectURI once the client's address is known. An
	// authorization request with any other redirect_uri is refused.
	RedirectURIs []string
	// User is who /authorize signs in; SetUser changes it.
	User User
}

// User holds the claims the provider asserts about the person it signs in.
type User struct {
	Subject           string
	Email             string
	EmailVerified     bool
	Name              string
	PreferredUsername string
	// Groups go into the "groups" claim when not nil.
	Groups []string
	// Extra claims are added to the ID token last, so they may replace any
	// of the above (e.g. "groups" as a single string, or another claim name).
	Extra map[string]any
}

// Misbehavior makes the provider break the protocol in one way, for tests
// that check the client notices. The zero value behaves.
type Misbehavior struct {
	// SignWithOtherKey signs ID tokens with a key that is not in the JWKS
	// (under the published key ID, so a key refresh does not help).
	SignWithOtherKey bool
	// WrongNonce puts a nonce other than the requested one in the ID token.
	WrongNonce bool
	// Audience and Issuer, when set, replace the aud and iss claims.
	Audience string
	Issuer   string
	// Expired issues ID tokens that expired a minute ago.
	Expired bool
	// OmitIDToken leaves the id_token out of the token response.
	OmitIDToken bool
	// DenyAuthorization makes /authorize redirect back with
	// error=access_denied instead of a code.
	DenyAuthorization bool
	// DiscoveryDown makes the discovery document answer 503.
	DiscoveryDown bool
}

// Authorization is what the provider saw in an authorization request.
type Authorization struct {
	ClientID            string
	RedirectURI         string
	Scope               string
	State               string
	Nonce               string
	CodeChallenge       string
	CodeChallengeMethod string
}

// TokenRequest records one call of the token endpoint and how it ended.
type TokenRequest struct {
	// AuthMethod is "client_secret_basic", "client_secret_post" or "" when
	// the client did not authenticate.
	AuthMethod string
	// Error is the OAuth error code the provider answered, "" on success,
	// and Description its error_description.
	Error       string
	Description string
}

// Provider is a running OpenID Connect provider. Its methods are safe for
// concurrent use.
type Provider struct {
	// Issuer is the provider's issuer URL (its loopback base URL).
	Issuer       string
	ClientID     string
	ClientSecret string

	server *httptest.Server
	key    *rsa.PrivateKey
	keyID  string

	mu           sync.Mutex
	user         User
	misbehavior  Misbehavior
	redirectURIs []string
	grants       map[string]*grant // by code
	auths        []Authorization
	tokenReqs    []TokenRequest
	secrets      []string        // codes and tokens handed out
	otherKey     *rsa.PrivateKey // made on first use (SignWithOtherKey)
}

// grant is an issued authorization code waiting to be exchanged.
type grant struct {
	auth    Authorization
	user    User
	expires time.Time
}

// codeLifetime bounds how long an authorization code may wait.
const codeLifetime = time.Minute

// New starts a provider on loopback and stops it when the test ends.
func New(t testing.TB, cfg Config) *Provider {
	t.Helper()
	p, err := Start(cfg)
	if err != nil {
		t.Fatalf("start OpenID Connect test provider: %v", err)
	}
	t.Cleanup(p.Close)
	return p
}

// Start starts a provider on loopback; Close stops it.
func Start(cfg Config) (*Provider, error) {
	if cfg.ClientID == "" {
		cfg.ClientID = "lpm-test"
	}
	if cfg.ClientSecret == "" {
		cfg.ClientSecret = "lpm-test-secret"
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	kid, err := randomString(8)
	if err != nil {
		return nil, err
	}
	p := &Provider{
		ClientID:     cfg.ClientID,
		ClientSecret: cfg.ClientSecret,
		key:          key,
		keyID:        kid,
		user:         cfg.User,
		redirectURIs: slices.Clone(cfg.RedirectURIs),
		grants:       make(map[string]*grant),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.server = httptest.NewServer(mux)
	p.Issuer = p.server.URL
	return p, nil
}

// Close stops the provider.
func (p *Provider) Close() { p.server.Close() }

// SetUser changes who the provider signs in from now on.
func (p *Provider) SetUser(u User) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.user = u
}

// SetMisbehavior makes the provider break the protocol as m says, from now on.
func (p *Provider) SetMisbehavior(m Misbehavior) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.misbehavior = m
}

// AllowRedirectURI registers another redirect URI of the client.
func (p *Provider) AllowRedirectURI(uri string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.redirectURIs = append(p.redirectURIs, uri)
}

// Authorizations returns the authorization requests answered with a code or
// an error redirect, oldest first.
func (p *Provider) Authorizations() []Authorization {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.auths)
}

// TokenRequests returns the calls of the token endpoint, oldest first.
func (p *Provider) TokenRequests() []TokenRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.tokenReqs)
}

// Secrets returns every authorization code, access token and ID token the
// provider handed out, and the client secret: what must never show up in a
// client's logs.
func (p *Provider) Secrets() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string{p.ClientSecret}, p.secrets...)
}

// unpublishedKey returns a key that is not in the JWKS.
func (p *Provider) unpublishedKey() (*rsa.PrivateKey, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.otherKey == nil {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, fmt.Errorf("generate an unpublished key: %w", err)
		}
		p.otherKey = k
	}
	return p.otherKey, nil
}

func (p *Provider) state() (User, Misbehavior) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.user, p.misbehavior
}

// randomString returns n random bytes, base64url-encoded.
func randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
