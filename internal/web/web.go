// Package web serves lpm's HTML pages: signing in with a password or through
// an OpenID Connect provider (single sign-on), signing out, and the home page
// that shows what the signed-in person may do in each portfolio.
//
// Pages are html/template templates and one style sheet, all embedded; they
// need no JavaScript and carry no inline scripts or styles, so the server's
// strict Content-Security-Policy holds. Every state-changing form carries a
// CSRF token, and unsafe requests sent from another site are refused.
package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Config is what the web pages need from the server.
type Config struct {
	Store  lpm.Store
	Logger *slog.Logger // nil: discard
	// PublicURL is the site's external URL (e.g. https://lpm.example.com);
	// "" means derive it from each request. Cookies are Secure when it is
	// https or the request came over TLS.
	PublicURL string
	OIDC      *OIDCConfig // nil: single sign-on off
	// StreamsDone, when closed, ends the pages' event streams, so that a
	// graceful shutdown need not wait for the browsers to hang up.
	StreamsDone <-chan struct{}
}

// OIDCConfig turns on single sign-on with an OpenID Connect provider.
type OIDCConfig struct {
	Issuer, ClientID, ClientSecret string
	// RedirectURL is the callback registered at the provider; default
	// PublicURL + "/auth/oidc/callback" (from the request when PublicURL is "").
	RedirectURL string
	// AllowedDomains are the e-mail domains allowed to sign in; empty: any.
	// When set, the provider must also say the address is verified.
	AllowedDomains []string
	// GroupsClaim names the ID token claim holding the user's groups;
	// default "groups".
	GroupsClaim string
	// Scopes requested; default openid, email and profile.
	Scopes []string
}

// handler serves every page.
type handler struct {
	store  lpm.Store
	log    *slog.Logger
	public *url.URL // nil: derive from the request
	oidc   *oidcClient
	pages  *pages
	static *staticFiles
	// passwordChecks bounds concurrent argon2 checks (19 MiB each), so a
	// flood of sign-ins cannot exhaust memory.
	passwordChecks chan struct{}
	streamsDone    <-chan struct{}
}

// maxConcurrentPasswordChecks is the size of the password check semaphore.
const maxConcurrentPasswordChecks = 4

// New returns the handler of lpm's web pages, to be mounted at "/".
func New(cfg Config) (http.Handler, error) {
	if cfg.Store == nil {
		return nil, errors.New("web: Config.Store is required")
	}
	h := &handler{
		store:          cfg.Store,
		log:            cfg.Logger,
		passwordChecks: make(chan struct{}, maxConcurrentPasswordChecks),
		streamsDone:    cfg.StreamsDone,
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if cfg.PublicURL != "" {
		u, err := parsePublicURL(cfg.PublicURL)
		if err != nil {
			return nil, err
		}
		h.public = u
	}
	if cfg.OIDC != nil {
		c, err := newOIDCClient(*cfg.OIDC, h.public)
		if err != nil {
			return nil, err
		}
		h.oidc = c
	}
	var err error
	if h.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if h.pages, err = parsePages(h.static); err != nil {
		return nil, err
	}
	return h.routes(), nil
}

// parsePublicURL checks the site's external URL: http or https, a host, and
// no path, since lpm serves from the root.
func parsePublicURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSuffix(s, "/"))
	if err != nil {
		return nil, fmt.Errorf("web: public URL %q: %w", s, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("web: public URL %q must be an absolute http or https URL such as https://lpm.example.com", s)
	}
	if u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("web: public URL %q must be scheme and host only: lpm serves from the root of its host", s)
	}
	return u, nil
}

// baseURL is the site's external URL: PublicURL, or the scheme and host the
// request came to.
func (h *handler) baseURL(r *http.Request) string {
	if h.public != nil {
		return h.public.String()
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// secure reports whether cookies must be Secure: the site is https, or this
// request came over TLS.
func (h *handler) secure(r *http.Request) bool {
	return r.TLS != nil || (h.public != nil && h.public.Scheme == "https")
}
