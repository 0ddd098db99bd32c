package server

import (
	"net/http"

	"github.com/lpm-project/lpm/internal/api"
)

// routes is the whole URL surface of the site, in one place, wrapped in the
// middleware every request goes through (outermost first).
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+api.HealthPath, s.health)
	// Without this, other methods on the health path would fall through to
	// the catch-all and be told the path does not exist.
	mux.HandleFunc(api.HealthPath, allowOnly(http.MethodGet))
	mux.Handle(api.Prefix+"/", api.New(s.cfg.Store, s.log))
	mux.HandleFunc("/", s.notFound)
	return s.requestID(s.logRequests(s.recoverPanics(mux)))
}

// notFound answers paths outside every mounted part of the site.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	api.WriteProblem(w, api.NotFoundProblem("nothing at "+r.URL.Path))
}

// allowOnly answers a path that exists with other methods than the request's:
// 405, with the methods it does take in Allow (as the API does).
func allowOnly(method string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", method)
		api.WriteProblem(w, api.MethodNotAllowedProblem(r.Method+" is not supported on "+r.URL.Path+"; use "+method))
	}
}
