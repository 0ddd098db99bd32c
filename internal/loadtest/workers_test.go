package loadtest

import (
	"context"
	"errors"
	"sync"
	"testing"
)

func TestEachIndexVisitsEveryIndexOnce(t *testing.T) {
	var mu sync.Mutex
	seen := map[int]int{}
	workers := map[int]bool{}
	err := eachIndex(context.Background(), 1000, 4, func(_ context.Context, w, i int) error {
		mu.Lock()
		defer mu.Unlock()
		seen[i]++
		workers[w] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		if seen[i] != 1 {
			t.Fatalf("index %d visited %d times", i, seen[i])
		}
	}
	for w := range workers {
		if w < 0 || w >= 4 {
			t.Errorf("worker %d out of range", w)
		}
	}
}

func TestEachIndexStopsAtFirstError(t *testing.T) {
	boom := errors.New("boom")
	var mu sync.Mutex
	calls := 0
	err := eachIndex(context.Background(), 1_000_000, 3, func(ctx context.Context, _, i int) error {
		mu.Lock()
		calls++
		mu.Unlock()
		if i == 10 {
			return boom
		}
		if i > 10 {
			<-ctx.Done() // later work sees the stop
			return ctx.Err()
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the first failure", err)
	}
	if calls > 20 {
		t.Errorf("%d calls after a failure at index 10; the workers did not stop", calls)
	}
}

func TestEachIndexReportsInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := eachIndex(ctx, 10, 2, func(context.Context, int, int) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
