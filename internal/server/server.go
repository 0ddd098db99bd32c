// Package server is lpm's HTTP server: it mounts the JSON API and the web
// pages behind the middleware every request goes through (request ids,
// logging, security headers, client addresses, rate limits, size limits),
// answers health checks, and starts and stops the listener, over TLS when
// given a certificate.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/web"
)

// Store is what the server serves from: lpm's store, which /healthz pings.
type Store interface {
	lpm.Store
	Ping(ctx context.Context) error
}

// Config is what the server needs.
type Config struct {
	// Addr is the address to listen on, e.g. ":8080" or "127.0.0.1:0".
	Addr   string
	Store  Store
	Logger *slog.Logger
	// Version is the lpm release, reported in logs.
	Version string
	// PublicURL is the URL people reach lpm at ("https://lpm.example.com"),
	// when it differs from the listening address (behind a proxy). An https
	// URL turns on Strict-Transport-Security.
	PublicURL string
	// TLSCertFile and TLSKeyFile, both set, make the server speak HTTPS with
	// that certificate and key (PEM files).
	TLSCertFile, TLSKeyFile string
	// OIDC, when not nil, lets people sign in with an OpenID Connect provider.
	OIDC *web.OIDCConfig
	// TrustedProxies are the networks whose X-Forwarded-For header is
	// believed; from anywhere else it is ignored.
	TrustedProxies []netip.Prefix
	// RateLimits bound each client's requests; the zero value limits nothing.
	RateLimits RateLimits
	// Timeouts bound slow clients; zero fields take DefaultTimeouts.
	Timeouts Timeouts
}

// Timeouts of the HTTP server, so slow clients cannot hold connections (and
// goroutines) for ever.
type Timeouts struct {
	// ReadHeader bounds reading a request's headers: what cuts off a client
	// that trickles them in (slowloris).
	ReadHeader time.Duration
	// Read bounds reading a whole request, body included.
	Read time.Duration
	// Write bounds a response from the end of the request's headers; the
	// slowest legitimate response (a large audit export) must fit in it.
	Write time.Duration
	// Idle bounds how long a kept-alive connection waits for its next request.
	Idle time.Duration
}

// DefaultTimeouts are the timeouts of a server whose Config sets none.
var DefaultTimeouts = Timeouts{
	ReadHeader: 5 * time.Second,
	Read:       30 * time.Second,
	Write:      60 * time.Second,
	Idle:       120 * time.Second,
}

// withDefaults fills the zero fields of t from DefaultTimeouts.
func (t Timeouts) withDefaults() Timeouts {
	or := func(v, d time.Duration) time.Duration {
		if v > 0 {
			return v
		}
		return d
	}
	d := DefaultTimeouts
	return Timeouts{or(t.ReadHeader, d.ReadHeader), or(t.Read, d.Read), or(t.Write, d.Write), or(t.Idle, d.Idle)}
}

// Size limits of a request. The API limits its bodies itself (1 MiB); other
// paths only take sign-in and sign-out forms, for which 64 KiB is ample.
const (
	maxHeaderBytes = 64 << 10
	maxFormBytes   = 64 << 10
)

// shutdownTimeout is how long requests in flight get to finish on shutdown.
const shutdownTimeout = 10 * time.Second

// Server is lpm's HTTP server.
type Server struct {
	cfg     Config
	log     *slog.Logger
	handler http.Handler
	// hsts is set when browsers reach lpm over HTTPS only.
	hsts bool
	// proxies judges X-Forwarded-For.
	proxies trustedProxies
	limits  *rateLimiter
	// tlsConf holds the certificate when the server speaks HTTPS.
	tlsConf *tls.Config
	// streamsDone is closed (once, by stopStreams) when shutdown starts, to
	// end the pages' event streams, which would otherwise hold it up.
	streamsDone chan struct{}
	stopStreams func()
}

// New returns a server for cfg; it does not listen until ListenAndServe. It
// checks everything it can before anything listens: the public URL, the TLS
// certificate and key (loaded now, so a wrong path fails at start), and the
// web pages' settings (single sign-on).
func New(cfg Config) (*Server, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	cfg.Timeouts = cfg.Timeouts.withDefaults()
	if (cfg.TLSCertFile == "") != (cfg.TLSKeyFile == "") {
		return nil, errors.New("TLS needs both a certificate file and a key file")
	}
	s := &Server{cfg: cfg, log: log, proxies: trustedProxies(cfg.TrustedProxies), limits: newRateLimiter(cfg.RateLimits),
		// web.New below refuses a public URL that is not scheme and host.
		hsts:        strings.HasPrefix(strings.ToLower(cfg.PublicURL), "https://"),
		streamsDone: make(chan struct{})}
	s.stopStreams = sync.OnceFunc(func() { close(s.streamsDone) })
	if cfg.TLSCertFile != "" {
		var err error
		if s.tlsConf, err = loadTLS(cfg.TLSCertFile, cfg.TLSKeyFile); err != nil {
			return nil, err
		}
		s.hsts = true
	}
	pages, err := web.New(web.Config{Store: cfg.Store, Logger: log, PublicURL: cfg.PublicURL, OIDC: cfg.OIDC,
		StreamsDone: s.streamsDone})
	if err != nil {
		return nil, fmt.Errorf("set up the web pages: %w", err)
	}
	s.handler = s.routes(pages)
	return s, nil
}

// Handler returns the whole site: /healthz, /api/v1/… and the web pages.
func (s *Server) Handler() http.Handler { return s.handler }

// httpServer returns the net/http server with lpm's limits.
func (s *Server) httpServer(ctx context.Context) *http.Server {
	t := s.cfg.Timeouts
	return &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
}

// loadTLS loads a certificate and its key, so that a wrong path or a key
// that does not match fails at start rather than on the first connection. A
// renewed certificate takes a restart.
func loadTLS(certFile, keyFile string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load the TLS certificate %s and key %s: %w", certFile, keyFile, err)
	}
	return &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}, nil
}

// ListenAndServe serves until ctx is done, then shuts down gracefully, giving
// requests in flight up to 10 seconds. ready, if not nil, is called with the
// bound address once the server accepts connections (useful with port 0).
func (s *Server) ListenAndServe(ctx context.Context, ready func(addr string)) error {
	srv := s.httpServer(ctx)
	srv.TLSConfig = s.tlsConf
	srv.RegisterOnShutdown(s.stopStreams)
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	addr := ln.Addr().String()
	s.log.Info("listening", "addr", addr, "tls", s.tlsConf != nil, "version", s.cfg.Version)
	if ready != nil {
		ready(addr)
	}

	served := make(chan error, 1)
	go func() {
		if s.tlsConf != nil {
			served <- srv.ServeTLS(ln, "", "") // the certificate is in srv.TLSConfig
		} else {
			served <- srv.Serve(ln)
		}
	}()

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
