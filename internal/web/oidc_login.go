package web

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/lpm-project/lpm/internal/httpauth"
	"golang.org/x/oauth2"
)

// oidcFlow is a single sign-on attempt in flight, kept in the browser's
// lpm_oidc cookie between the redirect to the provider and the callback.
type oidcFlow struct {
	// State ties the callback to this attempt (and this browser).
	State string `json:"s"`
	// Nonce ties the ID token to this attempt.
	Nonce string `json:"n"`
	// Verifier is the PKCE code verifier: only who holds it can redeem the
	// code the provider returns.
	Verifier string `json:"v"`
	// Redirect is the redirect URI sent, which the token request must repeat.
	Redirect string `json:"r"`
	// Next is where to go once signed in.
	Next string `json:"x"`
}

// maxFlowCookieLen bounds the cookie read back.
const maxFlowCookieLen = 4096

func (f oidcFlow) encode() (string, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return "", fmt.Errorf("encode the sign-in attempt: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// readOIDCFlow returns the attempt the browser's cookie holds, if any.
func readOIDCFlow(r *http.Request) (oidcFlow, bool) {
	var f oidcFlow
	c, err := r.Cookie(oidcCookie)
	if err != nil || len(c.Value) > maxFlowCookieLen {
		return f, false
	}
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || json.Unmarshal(b, &f) != nil {
		return f, false
	}
	if f.State == "" || f.Nonce == "" || f.Verifier == "" || f.Redirect == "" {
		return f, false
	}
	f.Next = localPath(f.Next)
	return f, true
}

// oidcLogin starts a single sign-on: it remembers a fresh state, nonce and
// PKCE verifier in a short-lived cookie and sends the browser to the
// provider.
func (h *handler) oidcLogin(w http.ResponseWriter, r *http.Request) {
	if h.oidc == nil {
		h.ssoOff(w, r)
		return
	}
	ctx := r.Context()
	_, err := h.oidc.discover(ctx)
	if err != nil {
		h.log.WarnContext(ctx, "single sign-on unavailable", "err", err, "request_id", requestID(r))
		h.failTo(w, r, http.StatusBadGateway, "Single sign-on is unavailable",
			"lpm cannot reach the single sign-on provider right now. Try again in a minute, or sign in with your password if you have one. If this goes on, ask your administrator to check the provider and lpm's single sign-on settings.",
			link{"/sign-in", "Back to sign-in"})
		return
	}
	state, err := newToken()
	if err != nil {
		h.internalError(w, r, "start single sign-on", err)
		return
	}
	nonce, err := newToken()
	if err != nil {
		h.internalError(w, r, "start single sign-on", err)
		return
	}
	flow := oidcFlow{
		State:    state,
		Nonce:    nonce,
		Verifier: oauth2.GenerateVerifier(),
		Redirect: h.redirectURL(r),
		Next:     localPath(r.URL.Query().Get("next")),
	}
	value, err := flow.encode()
	if err != nil {
		h.internalError(w, r, "start single sign-on", err)
		return
	}
	h.setOIDCCookie(w, r, value)
	h.log.DebugContext(ctx, "single sign-on started", "issuer", h.oidc.cfg.Issuer,
		"address", httpauth.ClientAddress(r), "request_id", requestID(r))
	authURL := h.oidc.oauth2Config(flow.Redirect).AuthCodeURL(state,
		oidc.Nonce(nonce), oauth2.S256ChallengeOption(flow.Verifier))
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, authURL, http.StatusSeeOther)
}
