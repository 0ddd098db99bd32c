package cli

import (
	"fmt"
	"io"
	"net"

	"github.com/alecthomas/kong"
	"github.com/lpm-project/lpm/internal/server"
)

// serveCmd runs the server.
type serveCmd struct {
	Store    storeFlags `embed:""`
	Addr     string     `env:"LPM_ADDR" default:"127.0.0.1:8080" placeholder:"HOST:PORT" help:"Address to listen on (default ${default}; ${env}); port 0 picks a free one."`
	LogLevel string     `name:"log-level" env:"LPM_LOG_LEVEL" enum:"debug,info,warn,error" default:"info" help:"Least severe log level written to stderr: debug, info, warn or error (${env})."`
	Demo     bool       `help:"Load the demo portfolios, users and roles into an empty store and print who holds which role, the demo password and an API token of the admin."`

	PublicURL string `group:"HTTPS and proxies" name:"public-url" env:"LPM_PUBLIC_URL" placeholder:"URL" help:"URL people reach lpm at when a reverse proxy stands in front, scheme and host only, e.g. https://lpm.example.com (${env}). An https URL turns on HSTS and secure cookies."`
	TLSCert   string `group:"HTTPS and proxies" name:"tls-cert" env:"LPM_TLS_CERT" placeholder:"FILE" help:"PEM certificate (chain) file: serve HTTPS with it; needs --tls-key (${env}). Restart to load a renewed one."`
	TLSKey    string `group:"HTTPS and proxies" name:"tls-key" env:"LPM_TLS_KEY" placeholder:"FILE" help:"PEM private key file of --tls-cert (${env})."`
	// The flag is named for one proxy and may be repeated; the environment
	// variable holds a list.
	TrustedProxies []string `group:"HTTPS and proxies" name:"trusted-proxy" env:"LPM_TRUSTED_PROXIES" sep:"," placeholder:"CIDR|IP" help:"Network or address of a reverse proxy whose X-Forwarded-For names the client; repeat, or separate with commas (${env}). Without one, the header is ignored."`

	RateLimitAddress float64 `group:"Rate limits" name:"rate-limit-address" env:"LPM_RATE_LIMIT_ADDRESS" default:"${rate_limit_address}" placeholder:"PER-SECOND" help:"Requests per second one client address may make, in bursts of up to twice that; 0 turns the limit off (default ${default}; ${env})."`
	RateLimitToken   float64 `group:"Rate limits" name:"rate-limit-token" env:"LPM_RATE_LIMIT_TOKEN" default:"${rate_limit_token}" placeholder:"PER-SECOND" help:"Requests per second one API token or browser session may make, in bursts of up to twice that; 0 turns the limit off (default ${default}; ${env})."`

	OIDC oidcFlags `embed:"" prefix:"oidc-" group:"Single sign-on (OpenID Connect)"`
}

// serveVars gives the serve flags the server's defaults.
func serveVars() kong.Vars {
	return kong.Vars{
		"rate_limit_address": fmt.Sprint(server.DefaultRateLimits.PerAddress),
		"rate_limit_token":   fmt.Sprint(server.DefaultRateLimits.PerToken),
	}
}

// Run checks the flags, opens the store (which migrates it) and sets up the
// server, so that a wrong setting fails before the demo is loaded; then it
// loads the demo if asked and serves until the context ends.
func (c *serveCmd) Run(e *env) error {
	cfg, err := c.config()
	if err != nil {
		return usageError{err}
	}
	log := newLogger(e.stderr, c.LogLevel)
	st, err := c.Store.open(e.ctx, log)
	if err != nil {
		return err
	}
	defer st.Close()

	empty, err := st.IsEmpty(e.ctx)
	if err != nil {
		return fmt.Errorf("inspect the store %s: %w", redact(c.Store.DB), err)
	}
	if c.Demo && !empty {
		return fmt.Errorf("%s already holds data; --demo only loads into an empty store. "+
			"Run `lpm serve` to use it, or pass --db with a new file", redact(c.Store.DB))
	}
	cfg.Store, cfg.Logger, cfg.Version = st, log, version()
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}

	var welcome func(w io.Writer, baseURL string)
	switch {
	case c.Demo:
		welcome, err = loadDemo(e.ctx, st)
		if err != nil {
			return fmt.Errorf("load the demo into %s (remove it before trying again): %w", redact(c.Store.DB), err)
		}
	case empty:
		log.Info("the store is empty; create an admin and a token to use the API",
			"user", "lpm user add NAME --admin --password-stdin", "token", "lpm token create --user NAME")
	}
	scheme := "http"
	if cfg.TLSCertFile != "" {
		scheme = "https"
	}
	return srv.ListenAndServe(e.ctx, func(addr string) {
		base := baseURL(scheme, addr)
		fmt.Fprintf(e.stdout, "lpm: listening on %s\n", base)
		if welcome != nil {
			welcome(e.stdout, base)
		}
	})
}

// baseURL is the URL people reach a listening address at: a wildcard host
// (":8080", "[::]:8080") is reached through localhost.
func baseURL(scheme, addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return scheme + "://" + addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}
