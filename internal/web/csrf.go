package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"

	"github.com/lpm-project/lpm/internal/httpauth"
)

// Cross-site request forgery is stopped three ways:
//   - forms sent from another site are refused when the browser says so
//     (Sec-Fetch-Site: cross-site), before any handler runs;
//   - the sign-in form, sent before a session exists, carries a random
//     token that must equal the lpm_csrf cookie (double submit: another site
//     can neither read nor set that cookie);
//   - every form of a signed-in person carries the session's own CSRF
//     token (lpm.Session.CSRFToken), checked against the session.

// tokenBytes is the size of random tokens: state, nonce, CSRF (256 bits).
const tokenBytes = 32

// newToken returns a fresh random token, base64url without padding.
func newToken() (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// tokensEqual compares a token someone sent with the expected one in
// constant time; an empty token never matches.
func tokensEqual(sent, want string) bool {
	return sent != "" && want != "" && subtle.ConstantTimeCompare([]byte(sent), []byte(want)) == 1
}

// signInCSRFToken returns the double-submit token for the sign-in form: the
// browser's lpm_csrf cookie when it has a well-formed one, else a new one
// set as the cookie.
func (h *handler) signInCSRFToken(w http.ResponseWriter, r *http.Request) (string, error) {
	if c, err := r.Cookie(csrfCookie); err == nil && wellFormedToken(c.Value) {
		return c.Value, nil
	}
	token, err := newToken()
	if err != nil {
		return "", err
	}
	h.setCSRFCookie(w, r, token)
	return token, nil
}

// checkDoubleSubmit reports whether the form's CSRF field equals the
// lpm_csrf cookie. The form must be parsed.
func checkDoubleSubmit(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	return err == nil && wellFormedToken(c.Value) && tokensEqual(r.PostForm.Get(httpauth.CSRFField), c.Value)
}

// wellFormedToken reports whether s looks like a token newToken made.
func wellFormedToken(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == tokenBytes
}

// refuseCrossSite refuses unsafe requests the browser says come from another
// site, whatever they carry.
func (h *handler) refuseCrossSite(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		default:
			if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
				h.log.InfoContext(r.Context(), "refused a cross-site request", "method", r.Method, "path", r.URL.Path,
					"address", httpauth.ClientAddress(r), "request_id", requestID(r))
				h.fail(w, r, http.StatusForbidden, "Request from another site refused",
					"Your browser says this form was sent from another web site, so lpm did not act on it. If you meant to do this, go to lpm and do it from there.")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
