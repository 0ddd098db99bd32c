// Package live fans changes out to the subscribers of each portfolio in
// process: the store publishes committed changes into a Hub (on SQLite after
// each commit, on PostgreSQL from its LISTEN connection), and pages that
// update live subscribe to it.
package live

import (
	"context"
	"errors"
	"sync"

	"github.com/lpm-project/lpm/internal/lpm"
)

// DefaultBuffer is how many changes a subscriber may fall behind before it
// is dropped, unless NewHub is told otherwise.
const DefaultBuffer = 256

// ErrClosed is returned by Subscribe once the hub is closed.
var ErrClosed = errors.New("live: the change feed is closed")

// Hub delivers published changes to the subscribers of their portfolio.
// Publishing never blocks: a subscriber whose buffer is full is dropped, its
// channel closed, and must reload and subscribe again. A Hub is safe for
// concurrent use; its zero value is not usable, use NewHub.
type Hub struct {
	buffer int

	mu     sync.Mutex
	subs   map[int64]map[*subscriber]struct{} // by portfolio
	closed bool
}

type subscriber struct {
	portfolio int64
	ch        chan lpm.Change
	// stop releases the context.AfterFunc that removes the subscriber when
	// its context ends.
	stop func() bool
}

// NewHub returns a hub whose subscribers may each fall buffer changes
// behind; buffer <= 0 means DefaultBuffer.
func NewHub(buffer int) *Hub {
	if buffer <= 0 {
		buffer = DefaultBuffer
	}
	return &Hub{buffer: buffer, subs: map[int64]map[*subscriber]struct{}{}}
}

// Subscribe returns a channel of the changes of portfolio published from
// now on. The channel is closed when ctx ends, when the subscriber falls
// more than the hub's buffer behind, or when the hub closes. It costs no
// goroutine.
func (h *Hub) Subscribe(ctx context.Context, portfolio int64) (<-chan lpm.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := &subscriber{portfolio: portfolio, ch: make(chan lpm.Change, h.buffer)}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrClosed
	}
	set := h.subs[portfolio]
	if set == nil {
		set = map[*subscriber]struct{}{}
		h.subs[portfolio] = set
	}
	set[s] = struct{}{}
	// Registered under the lock, so that drop cannot run before stop is set;
	// if ctx is done already, the function runs at once in a goroutine of
	// its own and waits for the lock.
	s.stop = context.AfterFunc(ctx, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.drop(s)
	})
	return s.ch, nil
}

// Publish delivers each change to the subscribers of its portfolio, in
// order, without waiting: a subscriber with no room left is dropped.
func (h *Hub) Publish(changes ...lpm.Change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range changes {
		for s := range h.subs[c.Portfolio] {
			h.send(s, c)
		}
	}
}

// Resync tells every subscriber that changes may have been missed: each
// gets lpm.Resync of its portfolio (or is dropped if it has no room left,
// which tells it the same).
func (h *Hub) Resync() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for portfolio, set := range h.subs {
		for s := range set {
			h.send(s, lpm.Resync(portfolio))
		}
	}
}

// send delivers c to s or drops s; h.mu is held.
func (h *Hub) send(s *subscriber, c lpm.Change) {
	select {
	case s.ch <- c:
	default:
		h.drop(s)
	}
}

// drop removes s and closes its channel, once; h.mu is held.
func (h *Hub) drop(s *subscriber) {
	set, ok := h.subs[s.portfolio]
	if !ok {
		return
	}
	if _, ok := set[s]; !ok {
		return
	}
	delete(set, s)
	if len(set) == 0 {
		delete(h.subs, s.portfolio)
	}
	s.stop()
	close(s.ch)
}

// Subscribers returns how many subscriptions are open.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, set := range h.subs {
		n += len(set)
	}
	return n
}

// Close closes every subscriber's channel; later subscriptions fail with
// ErrClosed and later changes go nowhere. Closing twice does nothing.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, set := range h.subs {
		for s := range set {
			h.drop(s)
		}
	}
}
