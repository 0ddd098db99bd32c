package web

import (
	"net/http"
	"time"

	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

// Cookies the web pages set besides the session cookie (whose names live in
// httpauth, shared with the API).
const (
	// csrfCookie holds the double-submit CSRF token of the sign-in form,
	// before a session (and its own token) exists.
	csrfCookie = "lpm_csrf"
	// oidcCookie holds a single sign-on attempt in flight: state, nonce,
	// PKCE verifier and where to go afterwards.
	oidcCookie = "lpm_oidc"
	// oidcCookiePath keeps the attempt's cookie to the OIDC routes.
	oidcCookiePath = "/auth/oidc/"
	// oidcCookieLifetime bounds how long a sign-in at the provider may take.
	oidcCookieLifetime = 10 * time.Minute
)

// sessionCookieName is the session cookie's name: with the __Host- prefix
// when the cookie is Secure, which the browser then binds to this host.
func (h *handler) sessionCookieName(r *http.Request) string {
	if h.secure(r) {
		return httpauth.SessionCookie
	}
	return httpauth.SessionCookieInsecure
}

// setSessionCookie hands the browser a new session's secret and drops a
// session cookie of the other name, if the browser still has one.
func (h *handler) setSessionCookie(w http.ResponseWriter, r *http.Request, secret string) {
	name := h.sessionCookieName(r)
	http.SetCookie(w, &http.Cookie{
		Name:     name,
		Value:    secret,
		Path:     "/",
		MaxAge:   int(lpm.SessionLifetime / time.Second),
		HttpOnly: true,
		Secure:   h.secure(r),
		SameSite: http.SameSiteLaxMode,
	})
	for _, other := range []string{httpauth.SessionCookie, httpauth.SessionCookieInsecure} {
		if other != name {
			if _, err := r.Cookie(other); err == nil {
				h.expireCookie(w, r, other, "/")
			}
		}
	}
}

// clearSessionCookies expires every session cookie the request carries.
func (h *handler) clearSessionCookies(w http.ResponseWriter, r *http.Request) {
	for _, name := range []string{httpauth.SessionCookie, httpauth.SessionCookieInsecure} {
		if _, err := r.Cookie(name); err == nil {
			h.expireCookie(w, r, name, "/")
		}
	}
}

// expireCookie tells the browser to drop a cookie. A __Host- cookie is only
// replaced by a Secure one, so those are always expired Secure.
func (h *handler) expireCookie(w http.ResponseWriter, r *http.Request, name, path string) {
	http.SetCookie(w, &http.Cookie{
		Name:     name,
		Value:    "",
		Path:     path,
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   h.secure(r) || name == httpauth.SessionCookie,
		SameSite: http.SameSiteLaxMode,
	})
}

// setCSRFCookie sets the sign-in form's double-submit token. It lives as
// long as the browser session and goes only to same-site requests.
func (h *handler) setCSRFCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name:     csrfCookie,
		Value:    token,
		Path:     "/",
		HttpOnly: true,
		Secure:   h.secure(r),
		SameSite: http.SameSiteStrictMode,
	})
}

// setOIDCCookie keeps a single sign-on attempt for the callback. It must be
// SameSite=Lax: the provider's redirect back is a cross-site navigation.
func (h *handler) setOIDCCookie(w http.ResponseWriter, r *http.Request, value string) {
	http.SetCookie(w, &http.Cookie{
		Name:     oidcCookie,
		Value:    value,
		Path:     oidcCookiePath,
		MaxAge:   int(oidcCookieLifetime / time.Second),
		HttpOnly: true,
		Secure:   h.secure(r),
		SameSite: http.SameSiteLaxMode,
	})
}
