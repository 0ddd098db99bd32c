package server

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/lpm-project/lpm/internal/api"
)

// healthTimeout bounds the store ping, so a hung database makes the check
// fail instead of hang.
const healthTimeout = 2 * time.Second

// health answers load balancers and orchestrators: 200 when the store
// answers a ping, 503 otherwise. It needs no credentials and says nothing
// more than which kind of store is in use.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if s.cfg.Store != nil {
		ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
		defer cancel()
		if err := s.cfg.Store.Ping(ctx); err != nil {
			s.log.WarnContext(r.Context(), "health check: store does not answer", "err", err)
			api.WriteProblem(w, api.UnavailableProblem("the store does not answer"))
			return
		}
	}
	st := api.HealthStatus{Status: "ok"}
	if d, ok := s.cfg.Store.(interface{ Dialect() string }); ok {
		st.Store = d.Dialect()
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(st)
}
