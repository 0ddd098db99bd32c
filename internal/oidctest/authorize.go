package oidctest

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// authorize is the authorization endpoint: it checks the client and its
// redirect URI, then signs the configured user in without asking and sends
// the browser back with a code (or with an error the test asked for).
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	auth := Authorization{
		ClientID:            q.Get("client_id"),
		RedirectURI:         q.Get("redirect_uri"),
		Scope:               q.Get("scope"),
		State:               q.Get("state"),
		Nonce:               q.Get("nonce"),
		CodeChallenge:       q.Get("code_challenge"),
		CodeChallengeMethod: q.Get("code_challenge_method"),
	}
	// Errors about the client or its redirect URI must not redirect
	// (RFC 6749 §4.1.2.1): the redirect URI cannot be trusted.
	if auth.ClientID != p.ClientID {
		http.Error(w, "unknown client_id", http.StatusBadRequest)
		return
	}
	redirect, err := url.Parse(auth.RedirectURI)
	if err != nil || !p.redirectAllowed(auth.RedirectURI) {
		http.Error(w, "redirect_uri is not registered for this client", http.StatusBadRequest)
		return
	}
	fail := func(code, description string) {
		p.record(auth)
		p.redirect(w, r, redirect, url.Values{"error": {code}, "error_description": {description}, "state": {auth.State}})
	}
	user, m := p.state()
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "only the authorization code flow is supported")
	case !slices.Contains(strings.Fields(auth.Scope), "openid"):
		fail("invalid_scope", "the openid scope is required")
	case auth.CodeChallenge != "" && auth.CodeChallengeMethod != "S256":
		fail("invalid_request", "code_challenge_method must be S256")
	case m.DenyAuthorization:
		fail("access_denied", "the user did not allow the sign-in")
	default:
		code, err := randomString(32)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		p.mu.Lock()
		p.grants[code] = &grant{auth: auth, user: user, expires: time.Now().Add(codeLifetime)}
		p.secrets = append(p.secrets, code)
		p.mu.Unlock()
		p.record(auth)
		p.redirect(w, r, redirect, url.Values{"code": {code}, "state": {auth.State}})
	}
}

func (p *Provider) redirectAllowed(uri string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return uri != "" && slices.Contains(p.redirectURIs, uri)
}

func (p *Provider) record(auth Authorization) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.auths = append(p.auths, auth)
}

// redirect sends the browser to base with params added to its query.
func (p *Provider) redirect(w http.ResponseWriter, r *http.Request, base *url.URL, params url.Values) {
	u := *base
	q := u.Query()
	for k, vs := range params {
		if len(vs) == 1 && vs[0] == "" {
			continue
		}
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}
