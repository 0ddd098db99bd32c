package loadtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/server"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
)

// startServer runs the real server on a fresh SQLite store and returns its
// URL, the store, and a token for each of an admin and a plain user.
func startServer(t *testing.T) (string, *store.Store, string, string) {
	t.Helper()
	return startServerWith(t, server.Config{}, nil)
}

// startServerWith is startServer with the server configured as cfg says and,
// unless wrap is nil, its handler wrapped by wrap.
func startServerWith(t *testing.T, cfg server.Config, wrap func(http.Handler) http.Handler) (string, *store.Store, string, string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.SQLiteDSN(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tokens := make([]string, 2)
	setup := lpm.SystemActor("test")
	for i, u := range []*lpm.User{{Name: "admin", IsAdmin: true}, {Name: "viewer"}} {
		if err := st.CreateUser(ctx, u, "", setup); err != nil {
			t.Fatal(err)
		}
		if tokens[i], err = st.CreateToken(ctx, &lpm.Token{UserID: u.ID, Name: "loadtest"}, setup); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Store, cfg.Logger, cfg.Version = st, slog.New(slog.DiscardHandler), "test"
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL, st, tokens[0], tokens[1]
}

// config is DefaultConfig against url with token, changed by set.
func config(url, token string, set func(c *Config)) Config {
	c := DefaultConfig()
	c.URL, c.Token = url, token
	if set != nil {
		set(&c)
	}
	return c
}

func TestRunAgainstRealServer(t *testing.T) {
	url, st, admin, _ := startServer(t)
	var out bytes.Buffer
	cfg := config(url, admin, func(c *Config) {
		c.Epics, c.Clients, c.BoardClients, c.RetiredPercent, c.Duration = 50, 4, 2, 20, 2*time.Second
	})
	rep, err := Run(context.Background(), cfg, &out)
	t.Logf("report:\n%s", out.String())
	if err != nil {
		t.Fatal(err)
	}

	create, retire, moves, reads := rep.Phase("create"), rep.Phase("retire"), rep.Phase("transitions"), rep.Phase("board")
	if create == nil || retire == nil || moves == nil || reads == nil {
		t.Fatalf("phases = %+v, want create, retire, transitions and board", rep.Phases)
	}
	if create.Requests != 50 || retire.Requests != 10 {
		t.Errorf("create phase made %d requests, retire %d; want 50 and 10 (20%%)", create.Requests, retire.Requests)
	}
	if moves.Requests == 0 || reads.Requests == 0 {
		t.Errorf("transitions made %d requests, board %d; want both > 0", moves.Requests, reads.Requests)
	}
	for _, p := range rep.Phases {
		if p.ErrorCount() != 0 {
			t.Errorf("%s: %d errors (%v), want none", p.Name, p.ErrorCount(), p.Errors)
		}
		l := p.Latency
		if !(0 < l.P50 && l.P50 <= l.P90 && l.P90 <= l.P99 && l.P99 <= l.Max) {
			t.Errorf("%s: latencies out of order: %+v", p.Name, l)
		}
		if p.Throughput() <= 0 {
			t.Errorf("%s: throughput %v", p.Name, p.Throughput())
		}
	}
	// The load phases run for the duration, not much less or more.
	if moves.Elapsed < 2*time.Second || moves.Elapsed > 4*time.Second {
		t.Errorf("transitions phase lasted %v, want about 2s", moves.Elapsed)
	}
	if !rep.Consistent() || rep.BoardTotal() != 50 {
		t.Errorf("board after the run holds %d epics (%+v), want 50", rep.BoardTotal(), rep.Board)
	}

	// The server's own view agrees: 50 epics, 10 done and the rest in funnel
	// or reviewing, and the histories hold exactly the moves the load test
	// saw succeed.
	ctx := context.Background()
	board, err := st.Board(ctx, rep.PortfolioID, lpm.BoardFilter{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range board.Columns {
		total += c.Count
		switch c.State {
		case lpm.Funnel, lpm.Reviewing:
		case lpm.Done:
			if c.Count != 10 {
				t.Errorf("%d epics done, want the 10 retired", c.Count)
			}
		default:
			if c.Count > 0 {
				t.Errorf("%d epics in %s; the load test only moves between funnel and reviewing", c.Count, c.State)
			}
		}
	}
	if total != 50 {
		t.Errorf("store board holds %d epics, want 50", total)
	}
	epics, _, err := st.FindEpics(ctx, lpm.EpicFilter{PortfolioID: rep.PortfolioID, Page: lpm.Page{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	stored := 0
	for _, e := range epics {
		h, err := st.EpicHistory(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		stored += len(h) - 1 // the first entry is the creation
	}
	if ok := moves.Requests - moves.ErrorCount() + retire.Requests; stored != ok {
		t.Errorf("histories hold %d moves; the load test counted %d successful ones", stored, ok)
	}
	for _, want := range []string{"transitions", "board", "p99", "consistent"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report does not mention %q", want)
		}
	}
}

func TestRunRefusals(t *testing.T) {
	url, st, admin, viewer := startServer(t)
	small := func(c *Config) { c.Epics, c.Clients, c.Duration = 5, 1, time.Second }
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"not an admin", config(url, viewer, small), "403"},
		{"bad token", config(url, "lpm_nope", small), "401"},
		{"owner does not exist", config(url, admin, func(c *Config) { small(c); c.Owner = "ghost" }),
			`there is no user named "ghost"`},
		{"no token", config(url, "", nil), "token is required"},
		{"no owner", config(url, admin, func(c *Config) { c.Owner = "" }), "owner is required"},
		{"no such server", config("http://127.0.0.1:1", "x", small), "connect"},
		{"bad url", config("ftp://example.com", "x", nil), "http:// or https://"},
		{"bad mode", config(url, "x", func(c *Config) { c.Mode = "sideways" }), "mode must be"},
		{"bad numbers", config(url, "x", func(c *Config) { c.Epics, c.Clients, c.Duration = -1, -2, time.Millisecond }),
			"epics must be between 1 and 1000000, got -1; clients must be between 1 and 10000, got -2; duration must be between"},
		// Zero is not "the default": a caller who asks for none gets told.
		{"zero epics", config(url, "x", func(c *Config) { c.Epics = 0 }), "epics must be between 1 and 1000000, got 0"},
		{"zero clients", config(url, "x", func(c *Config) { c.Clients = 0 }), "clients must be between 1 and 10000, got 0"},
		{"zero board clients", config(url, "x", func(c *Config) { c.BoardClients = 0 }), "board-clients must be between 1 and 10000, got 0"},
		{"zero duration", config(url, "x", func(c *Config) { c.Duration = 0 }), "duration must be between 100ms and 24h, got 0s"},
		{"zero max requests", config(url, "x", func(c *Config) { c.MaxRequests = 0 }), "max-requests must be between"},
		{"zero config", Config{}, "token is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			rep, err := Run(context.Background(), tt.cfg, &out)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Run error = %v, want one mentioning %q", err, tt.want)
			}
			if rep != nil {
				t.Errorf("a refused run returned a report: %+v", rep)
			}
		})
	}
	// Only the run with an unknown owner got as far as creating its
	// portfolio (the API has no way to look a user up first); it holds no
	// epic, since the first one was refused.
	list, _, err := st.FindPortfolios(context.Background(), lpm.SystemActor("test"), lpm.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("refused runs left %d portfolios, want the unknown owner's one", len(list))
	}
	epics, _, err := st.FindEpics(context.Background(), lpm.EpicFilter{PortfolioID: list[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(epics) != 0 {
		t.Errorf("the refused run left %d epics", len(epics))
	}
}

func TestRunModes(t *testing.T) {
	url, _, admin, _ := startServer(t)
	tests := []struct {
		mode Mode
		want []string
	}{
		{ModeTransitions, []string{"create", "transitions"}},
		{ModeBoard, []string{"create", "board"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			rep, err := Run(context.Background(), config(url, admin, func(c *Config) {
				c.Epics, c.Clients, c.BoardClients, c.Duration, c.Mode = 10, 2, 2, 300*time.Millisecond, tt.mode
			}), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range rep.Phases {
				got = append(got, p.Name)
				if p.Requests == 0 || p.ErrorCount() != 0 {
					t.Errorf("%s: %d requests, %d errors", p.Name, p.Requests, p.ErrorCount())
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("phases (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunBounds checks both bounds of the load: the request budget ends a
// phase early, and an interrupt ends the run at once with what it measured.
func TestRunBounds(t *testing.T) {
	t.Run("max requests", func(t *testing.T) {
		url, _, admin, _ := startServer(t)
		start := time.Now()
		rep, err := Run(context.Background(), config(url, admin, func(c *Config) {
			c.Epics, c.Clients, c.Duration, c.Mode, c.MaxRequests = 10, 3, time.Minute, ModeTransitions, 25
		}), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if n := rep.Phase("transitions").Requests; n != 25 {
			t.Errorf("transitions made %d requests, want the budget of 25", n)
		}
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("a 25-request run took %v", d)
		}
	})
	t.Run("interrupt", func(t *testing.T) {
		// Interrupt once the server has answered three moves: with two
		// clients sending one request at a time, one of them has then had
		// its first answer and recorded it, however slow the machine.
		var answered atomic.Int64
		progressed := make(chan struct{})
		url, _, admin, _ := startServerWith(t, server.Config{}, func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h.ServeHTTP(w, r)
				if strings.HasSuffix(r.URL.Path, "/transitions") && answered.Add(1) == 3 {
					close(progressed)
				}
			})
		})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			select {
			case <-progressed:
			case <-time.After(20 * time.Second):
			}
			cancel()
		}()
		start := time.Now()
		rep, err := Run(ctx, config(url, admin, func(c *Config) { c.Epics, c.Clients, c.Duration = 10, 2, time.Minute }), io.Discard)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("interrupted run: error %v, want context.Canceled", err)
		}
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("an interrupted one-minute run took %v", d)
		}
		if rep == nil || rep.Phase("transitions").Requests == 0 || !rep.Consistent() {
			t.Fatalf("interrupted run reported %+v; want its measurements and a consistent board", rep)
		}
	})
}

// With Limited, reviewing keeps a WIP limit no move reaches, so every move
// into it takes the locked path and none is refused.
func TestRunLimited(t *testing.T) {
	url, st, admin, _ := startServer(t)
	var out bytes.Buffer
	rep, err := Run(context.Background(), config(url, admin, func(c *Config) {
		c.Epics, c.Clients, c.Duration, c.Mode, c.Limited = 20, 2, time.Second, ModeTransitions, true
	}), &out)
	if err != nil {
		t.Fatal(err)
	}
	moves := rep.Phase("transitions")
	if moves == nil || moves.Requests == 0 || moves.ErrorCount() != 0 {
		t.Fatalf("transitions phase %+v, want moves and no errors", moves)
	}
	cols, err := st.FindColumns(context.Background(), rep.PortfolioID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if c.State == lpm.Reviewing && (c.WIPLimit == nil || *c.WIPLimit != 20) {
			t.Errorf("reviewing limit = %v, want 20", c.WIPLimit)
		}
	}
	if !strings.Contains(out.String(), "reviewing keeps a WIP limit") {
		t.Errorf("report does not say the limit was kept:\n%s", out.String())
	}
}

// Against a server whose rate limits hold it back, the load test says how to
// turn them off rather than report the limits as the server's capacity.
func TestRunRateLimited(t *testing.T) {
	url, _, admin, _ := startServerWith(t, server.Config{RateLimits: server.RateLimits{PerToken: 2}}, nil)
	_, err := Run(context.Background(), config(url, admin, func(c *Config) {
		c.Epics, c.Clients, c.Duration = 20, 2, time.Second
	}), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "HTTP 429") || !strings.Contains(err.Error(), "--rate-limit-address 0 --rate-limit-token 0") {
		t.Errorf("Run error = %v, want a 429 and how to turn the limits off", err)
	}
}
