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
	mux.Handle(api.Prefix+"/", api.New(s.cfg.Store, s.log))
	mux.HandleFunc("/", s.notFound)
	return s.requestID(s.logRequests(s.recoverPanics(mux)))
}

// notFound answers paths outside every mounted part of the site.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	api.WriteProblem(w, &api.Problem{Type: "urn:lpm:problem:not-found", Title: "Not found",
		Status: http.StatusNotFound, Detail: "nothing at " + r.URL.Path})
}
