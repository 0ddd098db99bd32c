package httpauth_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/lpm-project/lpm/internal/httpauth"
)

// Over plain HTTP either session cookie counts, the __Host- one first; over
// HTTPS, or behind a proxy that ends it, only the __Host- one does.
func TestSessionSecret(t *testing.T) {
	request := func(https, tlsConn bool, cookies ...*http.Cookie) *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		for _, c := range cookies {
			r.AddCookie(c)
		}
		if tlsConn {
			r.TLS = &tls.ConnectionState{}
		}
		if https {
			r = r.WithContext(httpauth.WithHTTPS(r.Context()))
		}
		return r
	}
	host := &http.Cookie{Name: httpauth.SessionCookie, Value: "host"}
	plain := &http.Cookie{Name: httpauth.SessionCookieInsecure, Value: "plain"}
	for _, tc := range []struct {
		name           string
		https, tlsConn bool
		cookies        []*http.Cookie
		want           string
	}{
		{"plain HTTP, plain cookie", false, false, []*http.Cookie{plain}, "plain"},
		{"plain HTTP, both", false, false, []*http.Cookie{plain, host}, "host"},
		{"TLS, plain cookie planted", false, true, []*http.Cookie{plain}, ""},
		{"TLS, both", false, true, []*http.Cookie{plain, host}, "host"},
		{"behind a TLS proxy, plain cookie planted", true, false, []*http.Cookie{plain}, ""},
		{"behind a TLS proxy, host cookie", true, false, []*http.Cookie{host}, "host"},
		{"no cookie", false, false, nil, ""},
	} {
		if got := httpauth.SessionSecret(request(tc.https, tc.tlsConn, tc.cookies...)); got != tc.want {
			t.Errorf("%s: secret %q, want %q", tc.name, got, tc.want)
		}
	}
}
