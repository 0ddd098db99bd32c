package cli

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/lpm-project/lpm/internal/demo"
	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/server"
)

// serveCmd runs the server.
type serveCmd struct {
	Store    storeFlags `embed:""`
	Addr     string     `env:"LPM_ADDR" default:"127.0.0.1:8080" placeholder:"HOST:PORT" help:"Address to listen on (default ${default}; ${env}); port 0 picks a free one."`
	LogLevel string     `name:"log-level" env:"LPM_LOG_LEVEL" enum:"debug,info,warn,error" default:"info" help:"Least severe log level written to stderr: debug, info, warn or error (${env})."`
	Demo     bool       `help:"Load a demo portfolio into an empty store, create the admin user and print a token for it."`
}

// demoAdmin is the user --demo creates to sign in with.
const demoAdmin = "admin"

// Run opens the store (which migrates it), loads the demo if asked, and
// serves until the context ends.
func (c *serveCmd) Run(e *env) error {
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
	var welcome func(w io.Writer, baseURL string)
	switch {
	case c.Demo && !empty:
		return fmt.Errorf("%s already holds data; --demo only loads into an empty store. "+
			"Run `lpm serve` to use it, or pass --db with a new file", redact(c.Store.DB))
	case c.Demo:
		welcome, err = loadDemo(e.ctx, st)
		if err != nil {
			return fmt.Errorf("load the demo into %s (remove it before trying again): %w", redact(c.Store.DB), err)
		}
	case empty:
		log.Info("the store is empty; create an admin and a token to use the API",
			"user", "lpm user add NAME --admin", "token", "lpm token create --user NAME")
	}

	srv := server.New(server.Config{Addr: c.Addr, Store: st, Pinger: st, Logger: log, Version: version()})
	return srv.ListenAndServe(e.ctx, func(addr string) {
		base := baseURL(addr)
		fmt.Fprintf(e.stdout, "lpm: listening on %s\n", base)
		if welcome != nil {
			welcome(e.stdout, base)
		}
	})
}

// loadDemo fills an empty store with the demo and the admin user, and returns
// what to tell the person who asked for it once the address is known.
func loadDemo(ctx context.Context, st lpm.Store) (func(io.Writer, string), error) {
	sum, err := demo.Load(ctx, st, lpm.Now())
	if err != nil {
		return nil, err
	}
	admin := &lpm.User{Name: demoAdmin, DisplayName: "Administrator", IsAdmin: true}
	if err := st.CreateUser(ctx, admin); err != nil {
		return nil, fmt.Errorf("create user %s: %w", demoAdmin, err)
	}
	token, err := st.CreateToken(ctx, admin.ID, "demo")
	if err != nil {
		return nil, fmt.Errorf("create a token for %s: %w", demoAdmin, err)
	}
	return func(w io.Writer, base string) {
		fmt.Fprintf(w, "lpm: demo loaded: %d portfolios, %d value streams, %d strategic themes, %d epics, %d users, %d transitions\n",
			sum.Portfolios, sum.ValueStreams, sum.Themes, sum.Epics, sum.Users, sum.Transitions)
		fmt.Fprintf(w, "lpm: API token of user %q (shown once): %s\n", demoAdmin, token)
		fmt.Fprintf(w, "lpm: try: curl -H \"Authorization: Bearer %s\" %s/api/v1/portfolios\n", token, base)
	}, nil
}

// baseURL is the URL people reach a listening address at: a wildcard host
// (":8080", "[::]:8080") is reached through localhost.
func baseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}
