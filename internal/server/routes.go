package server

import (
	"net/http"

	"github.com/lpm-project/lpm/internal/api"
)

// routes is the whole URL surface of the site, in one place, wrapped in the
// middleware every request goes through (outermost first): the request id,
// the client's address (which the log, the rate limits and the audit trail
// use), security headers, the request log, panic recovery, and rate limits.
func (s *Server) routes(pages http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+api.HealthPath, s.health)
	// Without this, other methods on the health path would fall through to
	// the web pages and be told the path does not exist.
	mux.HandleFunc(api.HealthPath, allowOnly(http.MethodGet))
	mux.Handle(api.Prefix+"/", api.New(s.cfg.Store, s.log))
	// Everything else is the web pages, which answer unknown paths with
	// their own 404 page. The API limits its bodies itself.
	mux.Handle("/", limitBody(maxFormBytes, pages))
	return s.requestID(s.clientAddress(s.securityHeaders(s.logRequests(s.recoverPanics(s.rateLimit(mux))))))
}

// allowOnly answers a path that exists with other methods than the request's:
// 405, with the methods it does take in Allow (as the API does).
func allowOnly(method string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", method)
		api.WriteProblem(w, api.MethodNotAllowedProblem(r.Method+" is not supported on "+r.URL.Path+"; use "+method))
	}
}
