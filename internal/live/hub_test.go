package live_test

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/live"
	"github.com/lpm-project/lpm/internal/lpm"
)

func change(portfolio, id int64) lpm.Change {
	return lpm.Change{Portfolio: portfolio, Object: "epic", ID: id, Action: "epic.update", Epic: id}
}

// receive reads one change or fails after a second.
func receive(t *testing.T, ch <-chan lpm.Change) lpm.Change {
	t.Helper()
	select {
	case c, ok := <-ch:
		if !ok {
			t.Fatal("channel closed, want a change")
		}
		return c
	case <-time.After(time.Second):
		t.Fatal("no change within 1s")
	}
	return lpm.Change{}
}

// closed fails unless ch is closed (after draining what it holds).
func closed(t *testing.T, ch <-chan lpm.Change) {
	t.Helper()
	deadline := time.After(time.Second)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("channel still open after 1s")
		}
	}
}

func subscribe(t *testing.T, h *live.Hub, ctx context.Context, portfolio int64) <-chan lpm.Change {
	t.Helper()
	ch, err := h.Subscribe(ctx, portfolio)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

func TestPublishReachesTheSubscribersOfItsPortfolioOnly(t *testing.T) {
	h := live.NewHub(0)
	defer h.Close()
	a1 := subscribe(t, h, t.Context(), 1)
	a2 := subscribe(t, h, t.Context(), 1)
	b := subscribe(t, h, t.Context(), 2)
	site := subscribe(t, h, t.Context(), 0)

	h.Publish(change(1, 10), change(1, 11))
	h.Publish(change(0, 5))
	for _, ch := range []<-chan lpm.Change{a1, a2} {
		if got := receive(t, ch); got != change(1, 10) {
			t.Errorf("first = %+v, want %+v", got, change(1, 10))
		}
		if got := receive(t, ch); got != change(1, 11) {
			t.Errorf("second = %+v, want %+v", got, change(1, 11))
		}
	}
	if got := receive(t, site); got != change(0, 5) {
		t.Errorf("site = %+v", got)
	}
	// Order-based: b gets its own change next, so nothing of portfolio 1
	// came before it.
	h.Publish(change(2, 20))
	if got := receive(t, b); got != change(2, 20) {
		t.Errorf("portfolio 2 got %+v, want only its own change", got)
	}
}

func TestCancelClosesTheChannel(t *testing.T) {
	h := live.NewHub(0)
	defer h.Close()
	ctx, cancel := context.WithCancel(t.Context())
	ch := subscribe(t, h, ctx, 1)
	other := subscribe(t, h, t.Context(), 1)
	cancel()
	closed(t, ch)
	waitFor(t, func() bool { return h.Subscribers() == 1 })
	h.Publish(change(1, 1))
	if got := receive(t, other); got != change(1, 1) {
		t.Errorf("other subscriber got %+v", got)
	}

	done, cancelDone := context.WithCancel(t.Context())
	cancelDone()
	if _, err := h.Subscribe(done, 1); err == nil {
		t.Error("Subscribe with a finished context: no error")
	}
}

func TestSlowSubscriberIsDroppedWithoutBlocking(t *testing.T) {
	const buffer = 4
	h := live.NewHub(buffer)
	defer h.Close()
	slow := subscribe(t, h, t.Context(), 1)
	fast := subscribe(t, h, t.Context(), 1)

	// Publish never waits, so a blocked one would hang here; fast keeps up
	// with every change, slow with none.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range int64(buffer) {
			h.Publish(change(1, i))
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Publish blocked")
	}
	for i := range int64(buffer) {
		if got := receive(t, fast); got.ID != i {
			t.Fatalf("fast got %d, want %d", got.ID, i)
		}
	}
	h.Publish(change(1, buffer)) // one too many for slow
	// The slow one holds the first buffer changes, then its channel closes.
	for i := range int64(buffer) {
		if got := receive(t, slow); got.ID != i {
			t.Fatalf("slow got %d, want %d", got.ID, i)
		}
	}
	if _, ok := <-slow; ok {
		t.Fatal("slow subscriber's channel still open after it fell behind")
	}
	if got := receive(t, fast); got.ID != buffer {
		t.Errorf("fast got %d, want %d", got.ID, buffer)
	}
	if n := h.Subscribers(); n != 1 {
		t.Errorf("%d subscribers left, want 1", n)
	}
}

func TestResyncReachesEverySubscriber(t *testing.T) {
	h := live.NewHub(0)
	defer h.Close()
	a := subscribe(t, h, t.Context(), 1)
	b := subscribe(t, h, t.Context(), 2)
	h.Resync()
	if got := receive(t, a); got != lpm.Resync(1) || !got.IsResync() {
		t.Errorf("portfolio 1 got %+v", got)
	}
	if got := receive(t, b); got != lpm.Resync(2) {
		t.Errorf("portfolio 2 got %+v", got)
	}
}

func TestCloseClosesEveryChannel(t *testing.T) {
	h := live.NewHub(0)
	chs := []<-chan lpm.Change{subscribe(t, h, t.Context(), 1), subscribe(t, h, t.Context(), 2)}
	h.Close()
	for _, ch := range chs {
		closed(t, ch)
	}
	if _, err := h.Subscribe(t.Context(), 1); err != live.ErrClosed {
		t.Errorf("Subscribe after Close: %v, want ErrClosed", err)
	}
	h.Publish(change(1, 1)) // goes nowhere, does not panic
	h.Resync()
	h.Close()
}

// TestConcurrentUse runs publishers and subscribers that come and go at
// once, for the race detector: every subscriber that keeps up sees each
// publisher's changes in order, and nothing is left behind.
func TestConcurrentUse(t *testing.T) {
	before := hubGoroutines()
	h := live.NewHub(1024)
	const (
		publishers = 8
		perPub     = 200
		portfolios = 3
	)
	var wg sync.WaitGroup
	start := make(chan struct{})
	// Subscribers that read everything until the publishers are done.
	type seen struct {
		portfolio int64
		ids       []int64
	}
	results := make(chan seen, 32)
	ready := sync.WaitGroup{}
	stop, stopAll := context.WithCancel(t.Context())
	for i := range 12 {
		ready.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := int64(i % portfolios)
			ch, err := h.Subscribe(stop, p)
			ready.Done()
			if err != nil {
				t.Error(err)
				return
			}
			var ids []int64
			for c := range ch {
				ids = append(ids, c.ID)
			}
			results <- seen{p, ids}
		}()
	}
	// Subscribers that come and go.
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for j := range 50 {
				ctx, cancel := context.WithCancel(t.Context())
				ch, err := h.Subscribe(ctx, int64(j%portfolios))
				if err != nil {
					t.Error(err)
					cancel()
					return
				}
				if j%2 == 0 {
					select {
					case <-ch:
					default:
					}
				}
				cancel()
			}
		}()
	}
	ready.Wait()
	var pubs sync.WaitGroup
	for p := range publishers {
		pubs.Add(1)
		go func() {
			defer pubs.Done()
			<-start
			for i := range perPub {
				// IDs encode publisher and sequence.
				h.Publish(change(int64(p%portfolios), int64(p*perPub+i)))
			}
		}()
	}
	close(start)
	pubs.Wait()
	stopAll()
	wg.Wait()
	close(results)
	for r := range results {
		want := 0
		last := map[int64]int64{}
		for p := range publishers {
			if int64(p%portfolios) == r.portfolio {
				want += perPub
			}
		}
		if len(r.ids) != want {
			t.Errorf("a subscriber of portfolio %d saw %d changes, want %d", r.portfolio, len(r.ids), want)
		}
		for _, id := range r.ids {
			pub := id / perPub
			if prev, ok := last[pub]; ok && id <= prev {
				t.Errorf("publisher %d's changes out of order: %d after %d", pub, id, prev)
			}
			last[pub] = id
		}
	}
	waitFor(t, func() bool { return h.Subscribers() == 0 })
	h.Close()
	waitFor(t, func() bool { return hubGoroutines() <= before })
}

// hubGoroutines counts goroutines running code of package live.
func hubGoroutines() int {
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	count := 0
	for g := range strings.SplitSeq(string(buf[:n]), "\n\n") {
		if strings.Contains(g, "internal/live.") && !strings.Contains(g, "internal/live_test.") {
			count++
		}
	}
	return count
}

func TestUnsubscribeLeaksNoGoroutine(t *testing.T) {
	h := live.NewHub(0)
	defer h.Close()
	before := runtime.NumGoroutine()
	for i := range 1000 {
		ctx, cancel := context.WithCancel(t.Context())
		ch := subscribe(t, h, ctx, int64(i%7))
		cancel()
		closed(t, ch)
	}
	waitFor(t, func() bool { return h.Subscribers() == 0 })
	waitFor(t, func() bool { return runtime.NumGoroutine() <= before })
	// Subscriptions that end with the hub's Close release their context
	// hooks too: cancelling afterwards is harmless.
	ctx, cancel := context.WithCancel(t.Context())
	ch := subscribe(t, h, ctx, 1)
	h.Close()
	closed(t, ch)
	cancel()
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within 5s (%d goroutines)", runtime.NumGoroutine())
		}
		time.Sleep(5 * time.Millisecond)
	}
}
