package loadtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
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
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.SQLiteDSN(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tokens := make([]string, 2)
	for i, u := range []*lpm.User{{Name: "admin", IsAdmin: true}, {Name: "viewer"}} {
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if tokens[i], err = st.CreateToken(ctx, u.ID, "loadtest"); err != nil {
			t.Fatal(err)
		}
	}
	srv := server.New(server.Config{Store: st, Pinger: st, Logger: slog.New(slog.DiscardHandler), Version: "test"})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL, st, tokens[0], tokens[1]
}

func TestRunAgainstRealServer(t *testing.T) {
	url, st, admin, _ := startServer(t)
	var out bytes.Buffer
	cfg := Config{URL: url, Token: admin, Owner: "admin", Epics: 50, Clients: 4, BoardClients: 2,
		RetiredPercent: 20, Duration: 2 * time.Second, Mode: ModeBoth}
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
	board, err := st.Board(ctx, rep.PortfolioID, 1)
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
	url, _, admin, viewer := startServer(t)
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"not an admin", Config{URL: url, Token: viewer, Epics: 5, Clients: 1, Duration: time.Second}, "403"},
		{"bad token", Config{URL: url, Token: "lpm_nope", Epics: 5, Clients: 1, Duration: time.Second}, "401"},
		{"owner does not exist", Config{URL: url, Token: admin, Owner: "ghost", Epics: 5, Clients: 2, Duration: time.Second}, "ghost"},
		{"no token", Config{URL: url, Epics: 5}, "token is required"},
		{"no such server", Config{URL: "http://127.0.0.1:1", Token: "x", Epics: 1, Clients: 1, Duration: time.Second}, "connect"},
		{"bad url", Config{URL: "ftp://example.com", Token: "x"}, "http:// or https://"},
		{"bad mode", Config{URL: url, Token: "x", Mode: "sideways"}, "mode must be"},
		{"bad numbers", Config{URL: url, Token: "x", Epics: -1, Clients: -2, Duration: time.Millisecond},
			"epics must be between 1 and 1000000, got -1; clients must be between 1 and 10000, got -2; duration must be between"},
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
			rep, err := Run(context.Background(), Config{URL: url, Token: admin, Epics: 10, Clients: 2, BoardClients: 2,
				Duration: 300 * time.Millisecond, Mode: tt.mode}, io.Discard)
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
	url, _, admin, _ := startServer(t)
	t.Run("max requests", func(t *testing.T) {
		start := time.Now()
		rep, err := Run(context.Background(), Config{URL: url, Token: admin, Epics: 10, Clients: 3,
			Duration: time.Minute, Mode: ModeTransitions, MaxRequests: 25}, io.Discard)
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
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var out testenv.SyncBuffer
		go func() {
			for !strings.Contains(out.String(), "running") {
				time.Sleep(5 * time.Millisecond)
			}
			time.Sleep(200 * time.Millisecond)
			cancel()
		}()
		start := time.Now()
		rep, err := Run(ctx, Config{URL: url, Token: admin, Epics: 10, Clients: 2, Duration: time.Minute}, &out)
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
