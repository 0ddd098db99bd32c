package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
)

// The change feed: what a committed write tells the subscribers of its
// portfolio, on both stores, and across two replicas on PostgreSQL.

// feedWait bounds how long a test waits for a change it expects; on
// PostgreSQL changes go through the server and the listener.
const feedWait = 5 * time.Second

func subscribe(t *testing.T, s *store.Store, portfolioID int64) <-chan lpm.Change {
	t.Helper()
	ch, err := s.Subscribe(t.Context(), portfolioID)
	must(t, err)
	return ch
}

// next reads the next change, failing when none comes or the channel closed.
func next(t *testing.T, ch <-chan lpm.Change) lpm.Change {
	t.Helper()
	select {
	case c, ok := <-ch:
		if !ok {
			t.Fatal("the feed closed its channel, want a change")
		}
		return c
	case <-time.After(feedWait):
		t.Fatalf("no change within %s", feedWait)
	}
	return lpm.Change{}
}

// caughtUp makes a subscription, made after writes, ready for a test that
// expects every change from now on. On PostgreSQL a change committed just
// before Subscribe may still be on its way through the listener, so it
// writes a sentinel (a theme) and skips every change before the sentinel's.
func caughtUp(t *testing.T, s *store.Store, portfolioID int64, chs ...<-chan lpm.Change) {
	t.Helper()
	th := createTheme(t, s, portfolioID, fmt.Sprintf("Caught up %d", time.Now().UnixNano()))
	for _, ch := range chs {
		for {
			if c := next(t, ch); c.Object == "theme" && c.ID == th.ID {
				break
			}
		}
	}
}

// expect reads len(want) changes and compares them, in order, to want.
// Since the feed keeps commit order, a test that expects every change from
// its first write on proves that nothing else came in between.
func expect(t *testing.T, ch <-chan lpm.Change, want ...lpm.Change) {
	t.Helper()
	got := make([]lpm.Change, len(want))
	for i := range want {
		got[i] = next(t, ch)
	}
	diff(t, "changes", want, got)
}

// closedWithin fails unless ch closes (after what it holds) within feedWait.
func closedWithin(t *testing.T, ch <-chan lpm.Change) {
	t.Helper()
	deadline := time.After(feedWait)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatalf("the channel is still open after %s", feedWait)
		}
	}
}

// TestChangeFeed follows writes to the subscribers of their portfolio, and
// of the site, and not to another portfolio's. A fresh store numbers
// portfolios from 1, so the test subscribes before its first write and
// expects every change in commit order.
func TestChangeFeed(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		site, one, two := subscribe(t, s, 0), subscribe(t, s, 1), subscribe(t, s, 2)

		olivia := createUser(t, s, "olivia", false)
		expect(t, site, lpm.Change{Portfolio: 0, Object: "user", ID: olivia.ID, Action: "user.create"})
		p1 := createPortfolio(t, s, "One", "ONE")
		p2 := createPortfolio(t, s, "Two", "TWO")
		if p1.ID != 1 || p2.ID != 2 {
			t.Fatalf("portfolios %d and %d, want 1 and 2", p1.ID, p2.ID)
		}
		expect(t, one, lpm.Change{Portfolio: 1, Object: "portfolio", ID: 1, Action: "portfolio.create"})
		expect(t, two, lpm.Change{Portfolio: 2, Object: "portfolio", ID: 2, Action: "portfolio.create"})

		e := createEpic(t, s, lpm.Epic{PortfolioID: p1.ID, EpicOwner: "olivia"})
		move(t, s, e.ID, lpm.TransitionRequest{To: lpm.Reviewing}, alice)
		d := decide(t, s, e.ID, lpm.DecisionAdvanceToAnalyzing, "")
		_, err := s.UpdateEpic(ctx, e.ID, lpm.EpicUpdate{Title: ptr("Renamed")}, alice)
		must(t, err)
		// An update that changes nothing tells nothing.
		_, err = s.UpdateEpic(ctx, e.ID, lpm.EpicUpdate{Title: ptr("Renamed")}, alice)
		must(t, err)
		_, err = s.UpdateColumn(ctx, p1.ID, lpm.Analyzing, lpm.ColumnUpdate{WIPLimit: ptr(4)}, alice)
		must(t, err)
		expect(t, one,
			lpm.Change{Portfolio: 1, Object: "epic", ID: e.ID, Action: "epic.create", Epic: e.ID},
			lpm.Change{Portfolio: 1, Object: "epic", ID: e.ID, Action: "epic.transition", Epic: e.ID},
			lpm.Change{Portfolio: 1, Object: "decision", ID: d.ID, Action: "decision.create", Epic: e.ID},
			lpm.Change{Portfolio: 1, Object: "epic", ID: e.ID, Action: "epic.update", Epic: e.ID},
			lpm.Change{Portfolio: 1, Object: "kanban_column", ID: 3, Action: "kanban_column.update"},
		)

		// Portfolio 2's subscriber saw none of that: the next change it
		// gets is the first write to its portfolio.
		th := createTheme(t, s, p2.ID, "Grow")
		expect(t, two, lpm.Change{Portfolio: 2, Object: "theme", ID: th.ID, Action: "theme.create"})
		// Nor did the site's.
		sam := createUser(t, s, "sam", false)
		expect(t, site, lpm.Change{Portfolio: 0, Object: "user", ID: sam.ID, Action: "user.create"})
	})
}

// TestChangeFeedOfDependencies: a change that concerns two epics comes once
// per epic.
func TestChangeFeedOfDependencies(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "One", "ONE")
		a := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia"})
		b := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia"})
		ch := subscribe(t, s, p.ID)
		caughtUp(t, s, p.ID, ch)
		dep := &lpm.Dependency{PortfolioID: p.ID, FromEpicID: a.ID, ToEpicID: b.ID, Risk: lpm.RiskHigh}
		must(t, s.CreateDependency(ctx, dep, alice))
		expect(t, ch,
			lpm.Change{Portfolio: p.ID, Object: "dependency", ID: dep.ID, Action: "dependency.create", Epic: a.ID},
			lpm.Change{Portfolio: p.ID, Object: "dependency", ID: dep.ID, Action: "dependency.create", Epic: b.ID},
		)
	})
}

// TestChangeFeedTellsNothingOfRefusedWrites: a move refused by a WIP limit,
// or by a policy, rolls back and tells nothing; the next change is the
// write after it.
func TestChangeFeedTellsNothingOfRefusedWrites(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "One", "ONE")
		_, err := s.UpdateColumn(ctx, p.ID, lpm.Reviewing, lpm.ColumnUpdate{WIPLimit: ptr(1)}, alice)
		must(t, err)
		importEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia", State: lpm.Reviewing})
		e := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia"})
		ch := subscribe(t, s, p.ID)
		caughtUp(t, s, p.ID, ch)

		_, err = s.TransitionEpic(ctx, e.ID, lpm.TransitionRequest{To: lpm.Reviewing}, alice)
		wantCode(t, err, lpm.EWIPLIMIT, "")
		_, err = s.TransitionEpic(ctx, e.ID, lpm.TransitionRequest{To: lpm.Analyzing}, alice)
		wantCode(t, err, lpm.ENOTALLOWED, "")
		_, err = s.UpdateEpic(ctx, e.ID, lpm.EpicUpdate{Title: ptr("")}, alice)
		wantCode(t, err, lpm.EINVALID, "title")

		// The sentinel.
		th := createTheme(t, s, p.ID, "Grow")
		expect(t, ch, lpm.Change{Portfolio: p.ID, Object: "theme", ID: th.ID, Action: "theme.create"})
		select {
		case c, ok := <-ch:
			t.Fatalf("after the sentinel: %+v (open %v), want nothing", c, ok)
		case <-time.After(100 * time.Millisecond):
		}
	})
}

// TestChangeFeedOfLargeWrites: a write of up to 100 changes of a portfolio
// tells each (on PostgreSQL in more than one notification, as 100 do not
// fit in one); more tell a resync.
func TestChangeFeedOfLargeWrites(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "One", "ONE")
		theme := createTheme(t, s, p.ID, "Grow")
		o := &lpm.Objective{ThemeID: theme.ID, Title: "Faster"}
		must(t, s.CreateObjective(ctx, o, alice))
		k := &lpm.KeyResult{ObjectiveID: o.ID, Title: "Lead time", Unit: "days", Baseline: 12, Target: 4, Weight: 1}
		must(t, s.CreateKeyResult(ctx, k, alice))
		ch := subscribe(t, s, p.ID)
		caughtUp(t, s, p.ID, ch)

		checkIns := func(n int) []*lpm.CheckIn {
			list := make([]*lpm.CheckIn, n)
			for i := range list {
				list[i] = &lpm.CheckIn{KeyResultID: k.ID, At: time.Date(2026, 1, 1, 0, i, 0, 0, time.UTC), Value: float64(i),
					Confidence: 5, Status: lpm.OnTrack}
			}
			return list
		}
		batch := checkIns(100)
		must(t, s.AddCheckIns(ctx, p.ID, batch, alice))
		want := make([]lpm.Change, len(batch))
		for i, c := range batch {
			want[i] = lpm.Change{Portfolio: p.ID, Object: "check_in", ID: c.ID, Action: "check_in.create"}
		}
		expect(t, ch, want...)

		must(t, s.AddCheckIns(ctx, p.ID, checkIns(101), alice))
		th := createTheme(t, s, p.ID, "Sentinel")
		expect(t, ch, lpm.Resync(p.ID),
			lpm.Change{Portfolio: p.ID, Object: "theme", ID: th.ID, Action: "theme.create"})
	})
}

// TestChangeFeedSubscriptionEnds: cancelling the context closes the
// channel; closing the store closes every channel and refuses new
// subscriptions.
func TestChangeFeedSubscriptionEnds(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		s, err := store.Open(ctx, dsn, nil)
		must(t, err)
		p := createPortfolio(t, s, "One", "ONE")
		sub, cancel := context.WithCancel(t.Context())
		gone, err := s.Subscribe(sub, p.ID)
		must(t, err)
		stays := subscribe(t, s, p.ID)
		caughtUp(t, s, p.ID, stays)
		cancel()
		closedWithin(t, gone)
		th := createTheme(t, s, p.ID, "Grow")
		expect(t, stays, lpm.Change{Portfolio: p.ID, Object: "theme", ID: th.ID, Action: "theme.create"})

		must(t, s.Close())
		closedWithin(t, stays)
		if _, err := s.Subscribe(t.Context(), p.ID); err == nil {
			t.Error("Subscribe after Close: no error")
		}
		waitNoListener(t)
	})
}

// waitNoListener fails if a goroutine of the store's change listener
// outlives the store.
func waitNoListener(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(feedWait)
	for {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		if !strings.Contains(stacks, "store.(*listener)") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the change listener outlived its store:\n%s", stacks)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestChangeFeedAcrossReplicas: two stores on one PostgreSQL database, as
// two replicas of the server: a write through either reaches the
// subscribers of both, once.
func TestChangeFeedAcrossReplicas(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	a, b := openStore(t, dsn), openStore(t, dsn)
	onA, onB := subscribe(t, a, 1), subscribe(t, b, 1)
	p := createPortfolio(t, a, "One", "ONE")
	created := lpm.Change{Portfolio: p.ID, Object: "portfolio", ID: p.ID, Action: "portfolio.create"}
	start := time.Now()
	expect(t, onB, created)
	if d := time.Since(start); d > time.Second {
		t.Errorf("the other replica heard of the write after %s, want within 1s", d)
	}
	expect(t, onA, created)

	th := createTheme(t, b, p.ID, "Grow")
	want := lpm.Change{Portfolio: p.ID, Object: "theme", ID: th.ID, Action: "theme.create"}
	expect(t, onA, want)
	// Once each: the writer does not also publish its own changes.
	expect(t, onB, want)
	th2 := createTheme(t, a, p.ID, "Sentinel")
	sentinel := lpm.Change{Portfolio: p.ID, Object: "theme", ID: th2.ID, Action: "theme.create"}
	expect(t, onA, sentinel)
	expect(t, onB, sentinel)
}

// TestChangeFeedReconnects kills the listener's connection on the server:
// the store reconnects, tells its subscribers to resync, and later changes
// arrive again. The other replica's listener is left alone.
func TestChangeFeedReconnects(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	s, other := openStore(t, dsn), openStore(t, dsn)
	p := createPortfolio(t, s, "One", "ONE")
	mine, theirs := subscribe(t, s, p.ID), subscribe(t, other, p.ID)
	caughtUp(t, s, p.ID, mine, theirs)

	db, err := sql.Open("pgx", dsn)
	must(t, err)
	defer db.Close()
	// Both listeners LISTEN on the database; kill the one with the oldest
	// backend, which is s's, opened first.
	var killed bool
	err = db.QueryRowContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = 'lpm change listener'
		ORDER BY backend_start LIMIT 1`).Scan(&killed)
	must(t, err)
	if !killed {
		t.Fatal("no listener connection to kill")
	}
	expect(t, mine, lpm.Resync(p.ID))

	for i := range 3 {
		th := createTheme(t, s, p.ID, fmt.Sprintf("After %d", i))
		want := lpm.Change{Portfolio: p.ID, Object: "theme", ID: th.ID, Action: "theme.create"}
		expect(t, mine, want)
		expect(t, theirs, want) // no resync: its connection never dropped
	}
}

// TestChangeFeedIgnoresForeignNotifications: notifications on the feed's
// channel that it did not send are ignored, and disturb nothing.
func TestChangeFeedIgnoresForeignNotifications(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	s := openStore(t, dsn)
	p := createPortfolio(t, s, "One", "ONE")
	ch := subscribe(t, s, p.ID)
	caughtUp(t, s, p.ID, ch)
	db, err := sql.Open("pgx", dsn)
	must(t, err)
	defer db.Close()
	for _, payload := range []string{"not json", `{"portfolio": 1}`} {
		_, err = db.ExecContext(ctx, `SELECT pg_notify('lpm_changes', $1)`, payload)
		must(t, err)
	}
	th := createTheme(t, s, p.ID, "Grow")
	expect(t, ch, lpm.Change{Portfolio: p.ID, Object: "theme", ID: th.ID, Action: "theme.create"})
}
