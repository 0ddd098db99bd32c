package store

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/testenv"
)

func TestNotifyPayloads(t *testing.T) {
	changes := make([]lpm.Change, 500)
	for i := range changes {
		changes[i] = lpm.Change{Portfolio: 7, Object: "check_in", ID: int64(i + 1), Action: "check_in.create", Epic: int64(i % 3)}
	}
	for _, limit := range []int{maxNotifyPayload, 1000, 150, 10} {
		payloads, err := notifyPayloads(changes, limit)
		if err != nil {
			t.Fatal(err)
		}
		var got []lpm.Change
		for _, p := range payloads {
			if len(p) > limit && limit >= 150 {
				t.Errorf("limit %d: a payload of %d bytes", limit, len(p))
			}
			var part []lpm.Change
			if err := json.Unmarshal([]byte(p), &part); err != nil {
				t.Fatalf("limit %d: %v in %s", limit, err, p)
			}
			if len(part) == 0 {
				t.Errorf("limit %d: an empty payload", limit)
			}
			got = append(got, part...)
		}
		if d := cmp.Diff(changes, got); d != "" {
			t.Errorf("limit %d: changes lost or reordered (-want +got):\n%s", limit, d)
		}
		if limit == 10 && len(payloads) != len(changes) {
			t.Errorf("limit 10: %d payloads, want one per change", len(payloads))
		}
	}
	one, err := notifyPayloads(changes[:3], maxNotifyPayload)
	if err != nil || len(one) != 1 {
		t.Fatalf("3 changes: %d payloads, %v", len(one), err)
	}
}

func TestCompactChanges(t *testing.T) {
	var changes []lpm.Change
	add := func(portfolio int64, n int) {
		for range n {
			changes = append(changes, lpm.Change{Portfolio: portfolio, Object: "check_in", ID: int64(len(changes) + 1), Action: "check_in.create"})
		}
	}
	add(1, 2)
	add(2, maxChangesPerWrite+1)
	add(1, 1)
	got := compactChanges(changes)
	want := []lpm.Change{changes[0], changes[1], lpm.Resync(2), changes[len(changes)-1]}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("compacted (-want +got):\n%s", d)
	}
	few := changes[:maxChangesPerWrite]
	if d := cmp.Diff(few, compactChanges(few)); d != "" {
		t.Errorf("%d changes compacted (-want +got):\n%s", len(few), d)
	}
}

// TestChangesOfRolledBackTransactions: a transaction that audited a change
// and then failed tells nothing, even though audit noted the change; the
// next committed one comes first. On PostgreSQL this is NOTIFY's own
// promise, checked here through the store.
func TestChangesOfRolledBackTransactions(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		s, err := Open(t.Context(), dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		// Subscribed before the portfolio is created, so that nothing
		// committed before the subscription is still on its way.
		ch, err := s.Subscribe(t.Context(), 1)
		if err != nil {
			t.Fatal(err)
		}
		admin := lpm.Actor{Name: "ada", IsAdmin: true}
		p := &lpm.Portfolio{Name: "One", KeyPrefix: "ONE"}
		p.WithDefaults(lpm.Now())
		if err := s.CreatePortfolio(t.Context(), p, admin); err != nil {
			t.Fatal(err)
		}
		if c := <-ch; c.Object != "portfolio" || p.ID != 1 {
			t.Fatalf("first change %+v of portfolio %d", c, p.ID)
		}
		write := func(id int64, fail error) error {
			return s.inTx(t.Context(), "test", func(tx *dbtx) error {
				err := audit(t.Context(), tx, admin, lpm.Now(), record{action: "theme.update", object: "theme", id: id,
					chain: p.ID, before: lpm.Fields{"name": "a"}, after: lpm.Fields{"name": "b"}})
				if err != nil {
					return err
				}
				if len(tx.changes) != 1 {
					t.Errorf("audit noted %d changes, want 1", len(tx.changes))
				}
				return fail
			})
		}
		refused := errors.New("refused after audit")
		if err := write(1, refused); !errors.Is(err, refused) {
			t.Fatalf("write: %v", err)
		}
		if err := write(2, nil); err != nil {
			t.Fatal(err)
		}
		select {
		case c := <-ch:
			if c.ID != 2 {
				t.Fatalf("first change %+v, want the committed one (ID 2)", c)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the committed change did not arrive")
		}
	})
}

// TestListenerPingsWhenIdle: with no notification for a while the listener
// pings its connection, and keeps listening on it (no resync).
func TestListenerPingsWhenIdle(t *testing.T) {
	dsn := testenv.PostgresDSN(t)
	old := listenerIdle
	listenerIdle = 50 * time.Millisecond
	defer func() { listenerIdle = old }()
	s, err := Open(t.Context(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ch, err := s.Subscribe(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var pings int
	for range 20 {
		time.Sleep(25 * time.Millisecond)
		if err := s.read.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM pg_stat_activity
			WHERE datname = current_database() AND application_name = $1 AND query LIKE '%ping%'`, listenerAppName).Scan(&pings); err != nil {
			t.Fatal(err)
		}
		if pings > 0 {
			break
		}
	}
	if pings == 0 {
		t.Error("the idle listener never pinged")
	}
	u := &lpm.User{Name: "sam", DisplayName: "Sam"}
	if err := s.CreateUser(t.Context(), u, "", lpm.Actor{Name: "ada", IsAdmin: true}); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-ch:
		if c.IsResync() || !strings.HasPrefix(c.Action, "user.") {
			t.Fatalf("got %+v, want the user's creation", c)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no change after idle pings")
	}
}
