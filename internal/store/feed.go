package store

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/lpm-project/lpm/internal/lpm"
)

// The change feed (lpm.ChangeFeed). audit, which every write calls last,
// notes on the transaction the lpm.Changes its records make (Change values
// carry identifiers only). What happens to them depends on the engine:
//
//   - SQLite has one process: inTx publishes them to the store's hub after
//     the commit, still holding the write turn, so they come out in commit
//     order; a rolled-back transaction never gets there.
//   - PostgreSQL may have several replicas: inTx sends them with pg_notify
//     on changeChannel as the transaction's last statement. PostgreSQL
//     delivers a notification when its transaction commits, in commit
//     order, and drops it on rollback. Every replica, the writer's included,
//     hears them on a connection of its own that LISTENs (listener below)
//     and publishes them to its hub, so nothing is published locally.

// changeChannel is the PostgreSQL notification channel of the feed.
const changeChannel = "lpm_changes"

// maxNotifyPayload bounds the JSON of one notification. PostgreSQL refuses
// a payload of 8000 bytes or more; the margin keeps clear of it.
const maxNotifyPayload = 7000

var (
	// notifySQL and notifyManySQL are not fixed(): SQLite could not
	// prepare them.
	notifySQL     = `SELECT pg_notify('` + changeChannel + `', $1)`
	notifyManySQL = `SELECT pg_notify('` + changeChannel + `', p) FROM unnest($1::text[]) AS p`
)

// maxChangesPerWrite bounds how many changes of one portfolio a write tells
// one by one. A write that changes more (a large import of check-ins) tells
// that portfolio's subscribers to resync instead: a page would reload for
// that many anyway, a burst larger than a subscriber's buffer (256) would
// drop it, and on PostgreSQL it keeps the notifications few.
const maxChangesPerWrite = 100

// compactChanges returns changes with those of every portfolio that has more
// than maxChangesPerWrite replaced by one resync, in the place of its first.
func compactChanges(changes []lpm.Change) []lpm.Change {
	if len(changes) <= maxChangesPerWrite {
		return changes
	}
	count := map[int64]int{}
	for _, c := range changes {
		count[c.Portfolio]++
	}
	out := make([]lpm.Change, 0, len(count))
	resynced := map[int64]bool{}
	for _, c := range changes {
		switch {
		case count[c.Portfolio] <= maxChangesPerWrite:
			out = append(out, c)
		case !resynced[c.Portfolio]:
			resynced[c.Portfolio] = true
			out = append(out, lpm.Resync(c.Portfolio))
		}
	}
	return out
}

// notifyChanges sends the changes of tx, at its commit, to every replica's
// listener: one statement, whatever the number of changes.
func notifyChanges(ctx context.Context, tx *dbtx, changes []lpm.Change) error {
	payloads, err := notifyPayloads(changes, maxNotifyPayload)
	if err != nil {
		return err
	}
	if len(payloads) == 1 {
		_, err = tx.ExecContext(ctx, notifySQL, payloads[0])
	} else {
		_, err = tx.ExecContext(ctx, notifyManySQL, payloads)
	}
	if err != nil {
		return fmt.Errorf("notify %d changes: %w", len(changes), err)
	}
	return nil
}

// notifyPayloads encodes changes as JSON arrays of at most limit bytes
// each (a single change longer than limit, which the audit trail's short
// names never make, goes alone), in order.
func notifyPayloads(changes []lpm.Change, limit int) ([]string, error) {
	all, err := json.Marshal(changes)
	if err != nil {
		return nil, fmt.Errorf("encode changes: %w", err)
	}
	if len(all) <= limit {
		return []string{string(all)}, nil
	}
	var (
		payloads []string
		buf      = []byte{'['}
	)
	for _, c := range changes {
		one, err := json.Marshal(c)
		if err != nil {
			return nil, fmt.Errorf("encode change: %w", err)
		}
		if len(buf) > 1 && len(buf)+1+len(one)+1 > limit { // a comma, the change, the bracket
			payloads = append(payloads, string(append(buf, ']')))
			buf = buf[:1]
		}
		if len(buf) > 1 {
			buf = append(buf, ',')
		}
		buf = append(buf, one...)
	}
	return append(payloads, string(append(buf, ']'))), nil
}

// Subscribe delivers the changes of a portfolio (0: the site) committed
// from now on; see lpm.ChangeFeed.
func (s *Store) Subscribe(ctx context.Context, portfolioID int64) (<-chan lpm.Change, error) {
	ch, err := s.hub.Subscribe(ctx, portfolioID)
	if err != nil {
		return nil, fmt.Errorf("subscribe to the changes of portfolio %d: %w", portfolioID, err)
	}
	return ch, nil
}

// Timing of the listener: variables, so that tests can shorten them.
var (
	// listenerIdle is how long the listener waits for a notification
	// before it pings the server, so that a connection that died without a
	// word (a dropped network path) is noticed.
	listenerIdle = 30 * time.Second
	// listenerPingTimeout bounds that ping.
	listenerPingTimeout = 10 * time.Second
	// listenerBackoff is the first wait before reconnecting; each failed
	// attempt doubles it, up to listenerMaxBackoff.
	listenerBackoff    = 100 * time.Millisecond
	listenerMaxBackoff = 5 * time.Second
)

// listenerAppName names the listener's connection in pg_stat_activity,
// unless the DSN names its connections.
const listenerAppName = "lpm change listener"

// listener holds one PostgreSQL connection that LISTENs on changeChannel
// and publishes what it hears into the store's hub. When the connection
// drops it reconnects, with backoff, and then tells every subscriber to
// resync, since notifications sent meanwhile are lost.
type listener struct {
	cfg  *pgx.ConnConfig
	s    *Store
	stop context.CancelFunc
	done chan struct{}
}

// startListener connects and LISTENs before it returns, so that every
// change committed after Open returns reaches the hub.
func (s *Store) startListener(ctx context.Context, dsn string) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("change listener: %w", err)
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = listenerAppName
	}
	conn, err := listen(ctx, cfg)
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	l := &listener{cfg: cfg, s: s, stop: stop, done: make(chan struct{})}
	s.listener = l
	go l.run(runCtx, conn)
	return nil
}

// close stops the listener and waits until its connection is closed.
func (l *listener) close() {
	l.stop()
	<-l.done
}

func listen(ctx context.Context, cfg *pgx.ConnConfig) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("change listener: connect: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+changeChannel); err != nil {
		closeConn(conn)
		return nil, fmt.Errorf("change listener: LISTEN: %w", err)
	}
	return conn, nil
}

func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = conn.Close(ctx) // the connection is being dropped either way
}

func (l *listener) run(ctx context.Context, conn *pgx.Conn) {
	defer close(l.done)
	log := l.s.log
	for {
		err := l.receive(ctx, conn)
		closeConn(conn)
		if ctx.Err() != nil {
			return
		}
		log.WarnContext(ctx, "change feed: lost its database connection, reconnecting", slog.Any("error", err))
		if conn = l.reconnect(ctx); conn == nil {
			return
		}
		log.InfoContext(ctx, "change feed: listening again; subscribers reload, since changes may have been missed")
		l.s.hub.Resync()
	}
}

// receive publishes notifications until the connection fails or ctx ends.
func (l *listener) receive(ctx context.Context, conn *pgx.Conn) error {
	for {
		wait, cancel := context.WithTimeout(ctx, listenerIdle)
		n, err := conn.WaitForNotification(wait)
		idle := wait.Err() != nil
		cancel()
		switch {
		case err == nil:
			l.deliver(ctx, n.Payload)
		case ctx.Err() != nil:
			return ctx.Err()
		case idle && !conn.IsClosed():
			ping, cancel := context.WithTimeout(ctx, listenerPingTimeout)
			err := conn.Ping(ping)
			cancel()
			if err != nil {
				return fmt.Errorf("ping after %s without a notification: %w", listenerIdle, err)
			}
		default:
			return err
		}
	}
}

// deliver publishes the changes of one notification.
func (l *listener) deliver(ctx context.Context, payload string) {
	var changes []lpm.Change
	if err := json.Unmarshal([]byte(payload), &changes); err != nil {
		// Not ours: something else notified on the channel.
		l.s.log.WarnContext(ctx, "change feed: ignored a notification it cannot read", slog.Any("error", err))
		return
	}
	l.s.hub.Publish(changes...)
}

// reconnect connects and LISTENs again, waiting longer after each failure,
// until it succeeds or ctx ends (nil).
func (l *listener) reconnect(ctx context.Context) *pgx.Conn {
	delay := listenerBackoff
	for attempt := 1; ; attempt++ {
		// Up to half the delay again at random, so that replicas that lost
		// the server together do not come back in lockstep.
		wait := delay + rand.N(delay/2+1)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		connect, cancel := context.WithTimeout(ctx, 10*time.Second)
		conn, err := listen(connect, l.cfg)
		cancel()
		if err == nil {
			return conn
		}
		if ctx.Err() != nil {
			return nil
		}
		l.s.log.WarnContext(ctx, "change feed: could not reconnect", slog.Int("attempt", attempt), slog.Any("error", err))
		delay = min(2*delay, listenerMaxBackoff)
	}
}
