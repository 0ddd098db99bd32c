package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// OpenID Connect client settings.
const (
	// oidcHTTPTimeout bounds every request to the provider (discovery, keys,
	// token exchange), so a hung provider cannot hold a sign-in forever.
	oidcHTTPTimeout = 10 * time.Second
	// discoveryRetryAfter is how long a failed discovery is remembered
	// before the next sign-in tries again.
	discoveryRetryAfter = 2 * time.Second
	// callbackPath is where the provider sends the browser back.
	callbackPath = "/auth/oidc/callback"
)

// oidcClient is lpm as an OpenID Connect relying party. The provider's
// discovery document is fetched at the first sign-in, not at start, so lpm
// starts (and password sign-in works) while the provider is down; a failed
// discovery is tried again by a later sign-in.
type oidcClient struct {
	cfg  OIDCConfig // validated, defaults filled in
	http *http.Client

	mu       sync.Mutex
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	endpoint oauth2.Endpoint
	failedAt time.Time
	failure  error
}

// newOIDCClient checks cfg and fills in its defaults.
func newOIDCClient(cfg OIDCConfig, public *url.URL) (*oidcClient, error) {
	cfg.Issuer = strings.TrimSpace(cfg.Issuer)
	if err := checkAbsoluteURL("issuer", cfg.Issuer); err != nil {
		return nil, err
	}
	if cfg.ClientID = strings.TrimSpace(cfg.ClientID); cfg.ClientID == "" {
		return nil, fmt.Errorf("web: OIDC client ID is required: the ID of lpm's client at the provider")
	}
	if cfg.RedirectURL == "" && public != nil {
		cfg.RedirectURL = public.String() + callbackPath
	}
	if cfg.RedirectURL != "" {
		if err := checkAbsoluteURL("redirect URL", cfg.RedirectURL); err != nil {
			return nil, err
		}
	}
	if cfg.GroupsClaim = strings.TrimSpace(cfg.GroupsClaim); cfg.GroupsClaim == "" {
		cfg.GroupsClaim = "groups"
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{oidc.ScopeOpenID, "email", "profile"}
	} else if !slices.Contains(cfg.Scopes, oidc.ScopeOpenID) {
		cfg.Scopes = append([]string{oidc.ScopeOpenID}, cfg.Scopes...)
	}
	var domains []string
	for _, d := range cfg.AllowedDomains {
		if d = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "@")); d != "" {
			domains = append(domains, d)
		}
	}
	cfg.AllowedDomains = domains
	return &oidcClient{
		cfg:  cfg,
		http: &http.Client{Timeout: oidcHTTPTimeout, Transport: http.DefaultTransport.(*http.Transport).Clone()},
	}, nil
}

func checkAbsoluteURL(what, s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("web: OIDC %s %q must be an absolute URL such as https://sso.example.com", what, s)
	}
	return nil
}

// discover fetches the provider's discovery document unless that has
// worked already, and returns an ID token verifier bound to the provider's
// keys, its issuer and lpm's client ID.
func (c *oidcClient) discover(ctx context.Context) (*oidc.IDTokenVerifier, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.verifier, nil
	}
	if c.failure != nil && time.Since(c.failedAt) < discoveryRetryAfter {
		return nil, c.failure
	}
	// Not the request's cancellation: one impatient browser should not
	// count as the provider failing for everyone waiting on the lock.
	ctx, cancel := context.WithTimeout(c.context(context.WithoutCancel(ctx)), oidcHTTPTimeout)
	defer cancel()
	p, err := oidc.NewProvider(ctx, c.cfg.Issuer)
	if err != nil {
		c.failedAt, c.failure = time.Now(), fmt.Errorf("discover the OpenID Connect provider %s: %w", c.cfg.Issuer, err)
		return nil, c.failure
	}
	// The verifier checks the signature against the provider's published
	// keys, the issuer, that lpm is in the audience, and the expiry.
	c.provider, c.verifier = p, p.Verifier(&oidc.Config{ClientID: c.cfg.ClientID})
	c.endpoint = p.Endpoint()
	c.endpoint.AuthStyle = c.authStyle(p)
	c.failure = nil
	return c.verifier, nil
}

// authStyle picks how lpm authenticates at the token endpoint from what the
// provider says it supports (client_secret_basic when it says nothing, as
// the discovery spec has it). Left to guess, the oauth2 package would try
// one way and then the other, and a refused code would be sent twice.
func (c *oidcClient) authStyle(p *oidc.Provider) oauth2.AuthStyle {
	if c.cfg.ClientSecret == "" {
		return oauth2.AuthStyleInParams // a public client sends only its ID
	}
	var meta struct {
		Methods []string `json:"token_endpoint_auth_methods_supported"`
	}
	if err := p.Claims(&meta); err != nil || len(meta.Methods) == 0 || slices.Contains(meta.Methods, "client_secret_basic") {
		return oauth2.AuthStyleInHeader
	}
	if slices.Contains(meta.Methods, "client_secret_post") {
		return oauth2.AuthStyleInParams
	}
	return oauth2.AuthStyleAutoDetect
}

// context makes requests to the provider use the client with timeouts.
func (c *oidcClient) context(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, c.http)
}

// oauth2Config is lpm's OAuth 2.0 client at the provider, returning to
// redirectURL. Call it after discover has worked.
func (c *oidcClient) oauth2Config(redirectURL string) *oauth2.Config {
	c.mu.Lock()
	defer c.mu.Unlock()
	return &oauth2.Config{
		ClientID:     c.cfg.ClientID,
		ClientSecret: c.cfg.ClientSecret,
		Endpoint:     c.endpoint,
		RedirectURL:  redirectURL,
		Scopes:       c.cfg.Scopes,
	}
}

// redirectURL is the callback address for a sign-in started by r.
func (h *handler) redirectURL(r *http.Request) string {
	if h.oidc.cfg.RedirectURL != "" {
		return h.oidc.cfg.RedirectURL
	}
	return h.baseURL(r) + callbackPath
}

// ssoOff answers the single sign-on routes when it is not configured.
func (h *handler) ssoOff(w http.ResponseWriter, r *http.Request) {
	h.failTo(w, r, http.StatusNotFound, "Single sign-on is not set up",
		"This lpm server does not use single sign-on. Sign in with your user name and password.",
		link{"/sign-in", "Sign in"})
}
