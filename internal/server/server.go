// Package server is lpm's HTTP server: it mounts the JSON API (and later the
// web UI) behind the middleware every request goes through, answers health
// checks, and starts and stops the listener.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Config is what the server needs.
type Config struct {
	// Addr is the address to listen on, e.g. ":8080" or "127.0.0.1:0".
	Addr  string
	Store lpm.Store
	// Pinger checks the store for /healthz.
	Pinger interface{ Ping(context.Context) error }
	Logger *slog.Logger
	// Version is the lpm release, reported in logs.
	Version string
}

// Server is lpm's HTTP server.
type Server struct {
	cfg     Config
	log     *slog.Logger
	handler http.Handler
}

// Timeouts of the HTTP server: slow clients cannot hold connections forever.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
	shutdownTimeout   = 10 * time.Second
)

// New returns a server for cfg; it does not listen until ListenAndServe.
func New(cfg Config) *Server {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{cfg: cfg, log: log}
	s.handler = s.routes()
	return s
}

// Handler returns the whole site: /healthz and /api/v1/….
func (s *Server) Handler() http.Handler { return s.handler }

// ListenAndServe serves until ctx is done, then shuts down gracefully, giving
// requests in flight up to 10 seconds. ready, if not nil, is called with the
// bound address once the server accepts connections (useful with port 0).
func (s *Server) ListenAndServe(ctx context.Context, ready func(addr string)) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	addr := ln.Addr().String()
	s.log.Info("listening", "addr", addr, "version", s.cfg.Version)
	if ready != nil {
		ready(addr)
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		return fmt.Errorf("serve on %s: %w", addr, err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "addr", addr)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("shut down %s: %w", addr, err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", addr, err)
	}
	return nil
}
