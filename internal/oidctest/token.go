package oidctest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"time"
)

// tokenError is an OAuth 2.0 error answer of the token endpoint.
type tokenError struct {
	status      int
	code        string
	description string
}

// token is the token endpoint: it authenticates the client, redeems the code
// once, checks the redirect URI and the PKCE verifier, and answers with an
// access token and a signed ID token.
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		p.tokenFail(w, "", tokenError{http.StatusBadRequest, "invalid_request", "the form cannot be read"})
		return
	}
	method, terr := p.authenticateClient(r)
	if terr != nil {
		p.tokenFail(w, method, *terr)
		return
	}
	g, terr := p.redeem(r.PostForm)
	if terr != nil {
		p.tokenFail(w, method, *terr)
		return
	}
	_, m := p.state()
	idToken, err := p.signIDToken(g, m, time.Now())
	if err != nil {
		p.tokenFail(w, method, tokenError{http.StatusInternalServerError, "server_error", err.Error()})
		return
	}
	access, err := randomString(32)
	if err != nil {
		p.tokenFail(w, method, tokenError{http.StatusInternalServerError, "server_error", err.Error()})
		return
	}
	resp := map[string]any{
		"access_token": access,
		"token_type":   "Bearer",
		"expires_in":   3600,
		"scope":        g.auth.Scope,
	}
	if !m.OmitIDToken {
		resp["id_token"] = idToken
	}
	p.mu.Lock()
	p.secrets = append(p.secrets, access, idToken)
	p.tokenReqs = append(p.tokenReqs, TokenRequest{AuthMethod: method})
	p.mu.Unlock()
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, resp)
}

// authenticateClient checks client_secret_basic or client_secret_post
// (exactly one of them) and names the method used.
func (p *Provider) authenticateClient(r *http.Request) (string, *tokenError) {
	basicID, basicSecret, basic := r.BasicAuth()
	formID, formSecret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	var method, id, secret string
	switch {
	case basic && formSecret != "":
		return "", &tokenError{http.StatusBadRequest, "invalid_request", "use one client authentication method, not two"}
	case basic:
		// RFC 6749 §2.3.1: both parts are form-encoded before Basic encoding.
		var err1, err2 error
		id, err1 = url.QueryUnescape(basicID)
		secret, err2 = url.QueryUnescape(basicSecret)
		if err1 != nil || err2 != nil {
			return "client_secret_basic", &tokenError{http.StatusUnauthorized, "invalid_client", "malformed client credentials"}
		}
		method = "client_secret_basic"
	case formSecret != "":
		id, secret, method = formID, formSecret, "client_secret_post"
	default:
		return "", &tokenError{http.StatusUnauthorized, "invalid_client", "client authentication is required"}
	}
	if !equal(id, p.ClientID) || !equal(secret, p.ClientSecret) {
		return method, &tokenError{http.StatusUnauthorized, "invalid_client", "unknown client or wrong secret"}
	}
	if formID != "" && formID != p.ClientID {
		return method, &tokenError{http.StatusUnauthorized, "invalid_client", "client_id does not match the credentials"}
	}
	return method, nil
}

// redeem takes the code out of circulation (it works once, even when the
// rest of the request is wrong) and checks it against the request.
func (p *Provider) redeem(form url.Values) (*grant, *tokenError) {
	invalid := func(desc string) *tokenError {
		return &tokenError{http.StatusBadRequest, "invalid_grant", desc}
	}
	if form.Get("grant_type") != "authorization_code" {
		return nil, &tokenError{http.StatusBadRequest, "unsupported_grant_type", "only authorization_code is supported"}
	}
	code := form.Get("code")
	p.mu.Lock()
	g, ok := p.grants[code]
	delete(p.grants, code)
	p.mu.Unlock()
	switch {
	case !ok:
		return nil, invalid("unknown or already used code")
	case time.Now().After(g.expires):
		return nil, invalid("the code has expired")
	case g.auth.ClientID != p.ClientID:
		return nil, invalid("the code was issued to another client")
	case form.Get("redirect_uri") != g.auth.RedirectURI:
		return nil, invalid("redirect_uri differs from the authorization request")
	}
	verifier := form.Get("code_verifier")
	switch {
	case g.auth.CodeChallenge == "" && verifier != "":
		return nil, invalid("code_verifier sent but no code_challenge was")
	case g.auth.CodeChallenge != "" && verifier == "":
		return nil, invalid("code_verifier is required")
	case g.auth.CodeChallenge != "" && !equal(s256(verifier), g.auth.CodeChallenge):
		return nil, invalid("code_verifier does not match the code_challenge")
	}
	return g, nil
}

func (p *Provider) tokenFail(w http.ResponseWriter, method string, e tokenError) {
	p.mu.Lock()
	p.tokenReqs = append(p.tokenReqs, TokenRequest{AuthMethod: method, Error: e.code, Description: e.description})
	p.mu.Unlock()
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="oidctest"`)
	}
	writeJSON(w, e.status, map[string]string{"error": e.code, "error_description": e.description})
}

// s256 is the PKCE S256 transformation (RFC 7636 §4.2).
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
