package server

import (
	"fmt"
	"net/http"

	"github.com/lpm-project/lpm/internal/api"
)

// contentSecurityPolicy allows the pages to load only lpm's own scripts,
// styles, images and fonts, and no inline script or style at all, so that
// text someone managed to inject into a page cannot run. 'none' for frames
// and base stops clickjacking and <base> tricks. form-action 'self' holds
// with single sign-on too, because signing in with the provider starts from
// a link, not a form (browsers apply form-action to a form's redirects).
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// permissionsPolicy turns off the browser features lpm never uses, so that
// injected content cannot use them either.
const permissionsPolicy = "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), " +
	"magnetometer=(), microphone=(), midi=(), payment=(), serial=(), usb=()"

// hstsPolicy keeps browsers on HTTPS for a year once they have seen lpm over
// it. It leaves out includeSubDomains: lpm cannot know whether every other
// host under its domain speaks HTTPS.
const hstsPolicy = "max-age=31536000"

// securityHeaders sets the headers that harden every response, before the
// handler runs (a handler may still replace one it knows better about).
//
// Referrer-Policy is same-origin rather than no-referrer: no URL of lpm (an
// epic id, a search) ever leaves for another site, while lpm's own requests
// keep their Origin and Referer. With no-referrer, browsers send "Origin:
// null" on every POST, even to lpm itself, which defeats origin checks
// against cross-site request forgery (such as http.CrossOriginProtection's
// fallback for browsers that send no Sec-Fetch-Site). A page that must not
// leak even to lpm (the sign-in callback, whose URL holds a code) sets
// no-referrer itself.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", permissionsPolicy)
		if s.hsts {
			h.Set("Strict-Transport-Security", hstsPolicy)
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody refuses request bodies over n bytes: at once when the request
// announces its length, and by failing the handler's read otherwise.
func limitBody(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			api.WriteProblem(w, api.TooLargeProblem(fmt.Sprintf("the request body may be at most %d KiB here", n>>10)))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, n)
		next.ServeHTTP(w, r)
	})
}
