package loadtest

import (
	"context"
	"sync"
	"sync/atomic"
)

// eachIndex calls do for every index in [0, n) from `workers` goroutines,
// handing out indexes in order. The first error stops all workers and is
// returned; an error seen after another worker already failed (a cancelled
// request) is dropped.
func eachIndex(ctx context.Context, n, workers int, do func(ctx context.Context, worker, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	var once sync.Once
	var first error
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := do(ctx, w, i); err != nil {
					if ctx.Err() == nil {
						once.Do(func() { first = err })
					}
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}
