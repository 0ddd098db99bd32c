package web_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
	"github.com/lpm-project/lpm/internal/web"
)

// stream is a page's open event stream.
type stream struct {
	t      *testing.T
	events chan string // "event: data" per event
	cancel context.CancelFunc
}

// openStream opens the portfolio's event stream in b and waits for "ready".
func (b *browser) openStream(portfolioID int64) *stream {
	b.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.abs(fmt.Sprintf("/portfolios/%d/events", portfolioID)), nil)
	if err != nil {
		b.t.Fatal(err)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		cancel()
		b.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		cancel()
		resp.Body.Close()
		b.t.Fatalf("event stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	s := &stream{t: b.t, events: make(chan string, 64), cancel: cancel}
	go func() {
		defer close(s.events)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var event string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				s.events <- event + ": " + strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	b.t.Cleanup(cancel)
	if got := s.next(5 * time.Second); !strings.HasPrefix(got, "ready: ") {
		b.t.Fatalf("first event %q, want ready", got)
	}
	return s
}

// next returns the next event, "" when none comes within wait, "closed"
// when the stream ended.
func (s *stream) next(wait time.Duration) string {
	s.t.Helper()
	select {
	case e, ok := <-s.events:
		if !ok {
			return "closed"
		}
		return e
	case <-time.After(wait):
		return ""
	}
}

func TestEventStream(t *testing.T) {
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		e := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Watched"})
		other := fx.importEpic(t, lpm.Epic{PortfolioID: fx.beta.ID, Title: "Elsewhere"})
		alice := s.browser(t)
		wantStatus(t, alice.signIn("alice", alicePassword, "/"), http.StatusSeeOther)
		events := alice.openStream(fx.alpha.ID)

		// A change in another portfolio does not reach this stream; the one
		// after it, in this portfolio, does (and comes first).
		rename := func(id int64, title string) {
			if _, err := fx.st.UpdateEpic(ctx, id, lpm.EpicUpdate{Title: &title}, system); err != nil {
				t.Fatal(err)
			}
		}
		start := time.Now()
		rename(other.ID, "Elsewhere, renamed")
		rename(e.ID, "Watched, renamed")
		got := events.next(time.Second)
		if want := fmt.Sprintf(`change: {"portfolio":%d,"object":"epic","id":%d,"action":"epic.update","epic":%d}`, fx.alpha.ID, e.ID, e.ID); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
		t.Logf("change arrived after %v", time.Since(start))

		// A refused move sends nothing.
		if _, err := fx.st.TransitionEpic(ctx, e.ID, lpm.TransitionRequest{To: lpm.Done}, system); err == nil {
			t.Fatal("a move to done without a reason was allowed")
		}
		rename(e.ID, "Watched again")
		if got := events.next(time.Second); !strings.Contains(got, `"action":"epic.update"`) {
			t.Errorf("after a refused move, got %q, want the next update", got)
		}

		// Someone without a role in the portfolio cannot listen.
		bob := s.browser(t)
		wantStatus(t, bob.signIn("bob", bobPassword, "/"), http.StatusSeeOther)
		wantStatus(t, bob.get(fmt.Sprintf("/portfolios/%d/events", fx.alpha.ID)), http.StatusNotFound)
	})
}

// TestEventStreamEndsOnShutdown: closing StreamsDone ends open streams, so a
// graceful shutdown does not wait for browsers.
func TestEventStreamEndsOnShutdown(t *testing.T) {
	onSQLite(t, func(t *testing.T, fx *fixture) {
		done := make(chan struct{})
		h, err := web.New(web.Config{Store: fx.st, Logger: slog.New(slog.DiscardHandler), StreamsDone: done})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		s := &site{t: t, srv: srv, log: &testenv.SyncBuffer{}}
		b := s.browser(t)
		wantStatus(t, b.signIn("alice", alicePassword, "/"), http.StatusSeeOther)
		events := b.openStream(fx.alpha.ID)
		close(done)
		if got := events.next(5 * time.Second); got != "closed" {
			t.Errorf("after shutdown began: %q, want the stream closed", got)
		}
	})
}

// TestEventStreamAcrossReplicas: two servers on one PostgreSQL database; a
// change made through one reaches a page listening on the other within a
// second (LISTEN/NOTIFY).
func TestEventStreamAcrossReplicas(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	fx := newFixture(t, dsn)
	replica, err := store.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { replica.Close() })
	// The page is served by the replica; the change is made on fx.st.
	h, err := web.New(web.Config{Store: replica, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	s := &site{t: t, srv: srv, log: &testenv.SyncBuffer{}}
	b := s.browser(t)
	wantStatus(t, b.signIn("alice", alicePassword, "/"), http.StatusSeeOther)
	events := b.openStream(fx.alpha.ID)
	e := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Made on the other replica"})
	start := time.Now()
	got := events.next(time.Second)
	if !strings.Contains(got, fmt.Sprintf(`"epic":%d`, e.ID)) {
		t.Fatalf("within a second of the change on the other replica: %q", got)
	}
	t.Logf("change crossed replicas in %v", time.Since(start))
}
