package e2e

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/browsertest"
	"github.com/lpm-project/lpm/internal/demo"
	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/server"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
)

// All tests of the package share one Chromium; each page is a browser
// context of its own.
func TestMain(m *testing.M) { browsertest.Main(m) }

// site is a running lpm server with the demo loaded, and a browser for it.
type site struct {
	// URL is where the server listens, such as "http://127.0.0.1:34567".
	URL     string
	Store   *store.Store
	Browser *browsertest.Browser
	log     *testenv.SyncBuffer
}

// startSite starts the browser (skipping the test without Chromium), then
// an lpm server on a loopback port on a fresh SQLite store with the demo in
// it; both stop when the test ends. The server's log is shown when the test
// fails.
func startSite(t *testing.T) *site {
	t.Helper()
	b := browsertest.New(t) // first, so that a test without Chromium skips at once
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.SQLiteDSN(t), nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Load(ctx, st, lpm.Now()); err != nil {
		t.Fatalf("load the demo: %v", err)
	}
	s := &site{Store: st, Browser: b, log: &testenv.SyncBuffer{}}
	srv, err := server.New(server.Config{
		Addr:   "127.0.0.1:0",
		Store:  st,
		Logger: slog.New(slog.NewTextHandler(s.log, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	sctx, stop := context.WithCancel(ctx)
	addrs, done := make(chan string, 1), make(chan error, 1)
	go func() { done <- srv.ListenAndServe(sctx, func(addr string) { addrs <- addr }) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("ListenAndServe: %v", err)
		}
		if t.Failed() {
			t.Logf("the server's log:\n%s", s.log.String())
		}
	})
	select {
	case addr := <-addrs:
		s.URL = "http://" + addr
	case err := <-done:
		done <- err
		t.Fatalf("ListenAndServe: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the server does not listen after 10s")
	}
	b.BaseURL = s.URL
	return s
}

// Names of demo users the tests sign in as.
const (
	// decisionMaker holds the business owner's role in both portfolios.
	decisionMaker = "thomas.keller"
	// viewer may only look, in both portfolios.
	viewer = "hannah.schmidt"
)

// signIn opens a new page (a browser of its own, with no cookies), signs the
// demo user name in through the sign-in form and returns the page, showing
// the home page.
func (s *site) signIn(t *testing.T, name string) *browsertest.Page {
	t.Helper()
	p := s.Browser.NewPage(t)
	p.Open("/sign-in", "#name")
	p.Fill("#name", name)
	p.Fill("#password", demo.Password)
	if status := p.ClickAndLoad(`form[action="/sign-in"] button[type=submit]`); status != http.StatusOK {
		t.Fatalf("signing in as %s: status %d, page:\n%s", name, status, p.Text("main"))
	}
	if got := p.URL(); strings.Contains(got, "/sign-in") {
		t.Fatalf("signing in as %s: still at %s:\n%s", name, got, p.Text("main"))
	}
	return p
}
