package cli

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"net/url"
	"strings"

	"github.com/lpm-project/lpm/internal/server"
	"github.com/lpm-project/lpm/internal/web"
)

// oidcFlags configure single sign-on through an OpenID Connect provider.
type oidcFlags struct {
	Issuer         string   `env:"LPM_OIDC_ISSUER" placeholder:"URL" help:"Issuer URL of the OpenID Connect provider, e.g. https://sso.example.com/realms/acme; turns on single sign-on, with --oidc-client-id (${env})."`
	ClientID       string   `name:"client-id" env:"LPM_OIDC_CLIENT_ID" placeholder:"ID" help:"Client ID of lpm at the provider (${env})."`
	ClientSecret   string   `name:"client-secret" env:"LPM_OIDC_CLIENT_SECRET" placeholder:"SECRET" help:"Client secret of lpm at the provider (${env}). Prefer the environment variable: command-line flags show in process lists. Leave empty for a public client."`
	RedirectURL    string   `name:"redirect-url" env:"LPM_OIDC_REDIRECT_URL" placeholder:"URL" help:"Callback URL registered at the provider (${env}); default: the public URL (or the request's host) followed by /auth/oidc/callback."`
	AllowedDomains []string `name:"allowed-domains" env:"LPM_OIDC_ALLOWED_DOMAINS" sep:"," placeholder:"DOMAIN" help:"E-mail domains allowed to sign in, comma-separated (${env}); default: any address the provider vouches for."`
	GroupsClaim    string   `name:"groups-claim" env:"LPM_OIDC_GROUPS_CLAIM" placeholder:"CLAIM" help:"ID token claim that lists the user's groups, for lpm group map (${env}); default groups."`
}

// config checks what the flags say about serving, before anything is opened,
// and returns the server's configuration (without store and logger). Every
// error names the flag to fix.
func (c *serveCmd) config() (server.Config, error) {
	var errs []error
	cfg := server.Config{Addr: c.Addr, PublicURL: strings.TrimSuffix(c.PublicURL, "/"), TLSCertFile: c.TLSCert, TLSKeyFile: c.TLSKey,
		RateLimits: server.RateLimits{PerAddress: c.RateLimitAddress, PerToken: c.RateLimitToken}}
	if cfg.PublicURL != "" {
		if err := checkURL(cfg.PublicURL, true); err != nil {
			errs = append(errs, fmt.Errorf("--public-url %q %w", c.PublicURL, err))
		}
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key go together: give both, or neither to serve plain HTTP behind a TLS proxy"))
	}
	for _, p := range c.TrustedProxies {
		prefix, err := parseProxy(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, prefix)
	}
	for _, l := range []struct {
		flag string
		v    float64
	}{{"--rate-limit-address", c.RateLimitAddress}, {"--rate-limit-token", c.RateLimitToken}} {
		if l.v < 0 || math.IsNaN(l.v) || math.IsInf(l.v, 0) {
			errs = append(errs, fmt.Errorf("%s must be a number of requests per second, 0 or more (0 turns the limit off), got %v", l.flag, l.v))
		}
	}
	var err error
	if cfg.OIDC, err = c.OIDC.config(); err != nil {
		errs = append(errs, err)
	}
	return cfg, errors.Join(errs...)
}

// config returns the single sign-on settings, nil when none are given.
func (f oidcFlags) config() (*web.OIDCConfig, error) {
	if f.Issuer == "" && f.ClientID == "" {
		if f.ClientSecret != "" || f.RedirectURL != "" || len(f.AllowedDomains) > 0 || f.GroupsClaim != "" {
			return nil, errors.New("the --oidc-… settings need --oidc-issuer and --oidc-client-id to turn single sign-on on")
		}
		return nil, nil
	}
	if f.Issuer == "" || f.ClientID == "" {
		return nil, errors.New("--oidc-issuer and --oidc-client-id go together: give both to turn single sign-on on")
	}
	var errs []error
	if err := checkURL(f.Issuer, false); err != nil {
		errs = append(errs, fmt.Errorf("--oidc-issuer %q %w", f.Issuer, err))
	}
	if f.RedirectURL != "" {
		if err := checkURL(f.RedirectURL, false); err != nil {
			errs = append(errs, fmt.Errorf("--oidc-redirect-url %q %w", f.RedirectURL, err))
		}
	}
	return &web.OIDCConfig{Issuer: f.Issuer, ClientID: f.ClientID, ClientSecret: f.ClientSecret, RedirectURL: f.RedirectURL,
		AllowedDomains: f.AllowedDomains, GroupsClaim: f.GroupsClaim}, errors.Join(errs...)
}

// checkURL checks an absolute http(s) URL; hostOnly refuses a path, a query
// or credentials too. The error completes a sentence naming the flag.
func checkURL(s string, hostOnly bool) error {
	u, err := url.Parse(s)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return errors.New("must be an absolute http:// or https:// URL, e.g. https://lpm.example.com")
	case hostOnly && (u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil):
		return errors.New("must be a scheme and host only, e.g. https://lpm.example.com: lpm serves from the root of its host")
	}
	return nil
}

// parseProxy reads a trusted proxy: a network (10.0.0.0/8) or one address.
func parseProxy(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err == nil {
			return p.Masked(), nil
		}
	} else if a, err := netip.ParseAddr(s); err == nil {
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	return netip.Prefix{}, fmt.Errorf("--trusted-proxy %q must be a network such as 10.0.0.0/8 or an address such as 10.0.0.5", s)
}
