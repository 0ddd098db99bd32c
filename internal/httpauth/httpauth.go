// Package httpauth holds what the API and the web pages share about who is
// making an HTTP request: the session cookie and CSRF token names, the
// client's address, and turning a signed-in user into an lpm.Actor.
package httpauth

import (
	"context"
	"fmt"
	"net"
	"net/http"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Names shared by the web pages (which set them) and the API (which accepts
// a session cookie as well as a bearer token).
const (
	// SessionCookie holds the session secret. With __Host- the browser only
	// accepts it when Secure, from the same host, for path /; over plain HTTP
	// (local use) SessionCookieInsecure is used instead.
	SessionCookie         = "__Host-lpm_session"
	SessionCookieInsecure = "lpm_session"
	// CSRFHeader carries the session's CSRF token on state-changing API calls
	// authenticated by the session cookie.
	CSRFHeader = "X-CSRF-Token"
	// CSRFField carries it in forms.
	CSRFField = "csrf_token"
)

// SessionSecret returns the session secret the request's cookie carries, ""
// if none. Over HTTPS only SessionCookie counts: a plain lpm_session cookie
// there may have been planted by someone on the network over plain HTTP
// (cookie tossing) to sign the victim into the planter's session, which the
// __Host- prefix rules out.
func SessionSecret(r *http.Request) string {
	names := []string{SessionCookie, SessionCookieInsecure}
	if HTTPS(r) {
		names = names[:1]
	}
	for _, name := range names {
		if c, err := r.Cookie(name); err == nil && c.Value != "" {
			return c.Value
		}
	}
	return ""
}

type (
	addrKey  struct{}
	httpsKey struct{}
)

// WithHTTPS records in the context that people reach lpm over HTTPS, though
// the request itself may have come over plain HTTP from a proxy that ended
// TLS; the server's middleware sets it when its public URL is https.
func WithHTTPS(ctx context.Context) context.Context {
	return context.WithValue(ctx, httpsKey{}, true)
}

// HTTPS reports whether the request came over TLS or WithHTTPS says people
// reach lpm over HTTPS.
func HTTPS(r *http.Request) bool {
	return r.TLS != nil || r.Context().Value(httpsKey{}) != nil
}

// WithClientAddress records the client's address in the request context; the
// server's middleware sets it once it has judged forwarding headers.
func WithClientAddress(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, addrKey{}, addr)
}

// ClientAddress returns the address the server's middleware recorded, or the
// host of the connection's remote address.
func ClientAddress(r *http.Request) string {
	if a, ok := r.Context().Value(addrKey{}).(string); ok && a != "" {
		return a
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Actor returns u as the permission rules see them: with their roles in
// every portfolio, the token's scope and the client's address.
func Actor(ctx context.Context, st lpm.AccessStore, u *lpm.User, readOnly bool, addr string) (lpm.Actor, error) {
	a := u.Actor()
	access, err := st.Access(ctx, u.ID)
	if err != nil {
		return lpm.Actor{}, fmt.Errorf("load roles of user %s: %w", u.Name, err)
	}
	a.Access, a.ReadOnly, a.Address = access, readOnly, addr
	return a, nil
}
