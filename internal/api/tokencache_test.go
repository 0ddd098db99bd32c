package api

import (
	"context"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
)

// countingStore is the real store, counting token lookups.
type countingStore struct {
	lpm.Store
	lookups int
}

func (s *countingStore) FindUserByToken(ctx context.Context, secret string) (*lpm.User, error) {
	s.lookups++
	return s.Store.FindUserByToken(ctx, secret)
}

func TestTokenCache(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.SQLiteDSN(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u := &lpm.User{Name: "carol"}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	secret, err := st.CreateToken(ctx, u.ID, "t")
	if err != nil {
		t.Fatal(err)
	}
	cs := &countingStore{Store: st}
	c := newTokenCache()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }

	find := func(secret string, wantLookups int) *lpm.User {
		t.Helper()
		got, err := c.find(ctx, cs, secret)
		if cs.lookups != wantLookups {
			t.Fatalf("store lookups = %d, want %d", cs.lookups, wantLookups)
		}
		if err != nil {
			if lpm.ErrorCodeOf(err) != lpm.ENOTFOUND {
				t.Fatalf("find: %v", err)
			}
			return nil
		}
		return got
	}
	first := find(secret, 1)
	if first == nil || first.Name != "carol" {
		t.Fatalf("user = %+v", first)
	}
	second := find(secret, 1) // cached
	if second.Name != "carol" || second == first {
		t.Errorf("cached user %+v must be an equal copy", second)
	}
	second.IsAdmin = true
	if find(secret, 1).IsAdmin {
		t.Errorf("a caller's change leaked into the cache")
	}
	now = now.Add(tokenTTL)
	find(secret, 2) // expired: asked again
	if find("lpm_unknown", 3) != nil || find("lpm_unknown", 4) != nil {
		t.Errorf("unknown token resolved")
	}
}
