package store_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
)

// BenchmarkTransition measures one Kanban move: funnel→reviewing and back,
// alternately, one epic at a time and from 16 goroutines at once. Each move
// is authorized by the actor's roles and appended to the portfolio's audit
// chain, as every move is.
func BenchmarkTransition(b *testing.B) {
	for _, kind := range testenv.Stores(b) {
		setup := func(b *testing.B) (*store.Store, int64) {
			s := openStore(b, kind.DSN(b))
			createUser(b, s, "olivia", false)
			p := createPortfolio(b, s, "Bench", "EP")
			_, err := s.UpdateColumn(ctx, p.ID, lpm.Reviewing, lpm.ColumnUpdate{ClearWIPLimit: true}, alice)
			must(b, err)
			return s, p.ID
		}
		b.Run(kind.Name, func(b *testing.B) {
			s, portfolioID := setup(b)
			e := createEpic(b, s, lpm.Epic{PortfolioID: portfolioID, EpicOwner: "olivia"})
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				roundTrip(b, s, e.ID, i)
			}
		})
		b.Run(kind.Name+"/clients16", func(b *testing.B) {
			s, portfolioID := setup(b)
			// 16 goroutines whatever GOMAXPROCS is, each moving its own epic.
			procs := runtime.GOMAXPROCS(0)
			b.SetParallelism((16 + procs - 1) / procs)
			var (
				mu    sync.Mutex
				times []time.Duration
			)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				e := createEpic(b, s, lpm.Epic{PortfolioID: portfolioID, EpicOwner: "olivia"})
				var mine []time.Duration
				for i := 0; pb.Next(); i++ {
					start := time.Now()
					roundTrip(b, s, e.ID, i)
					mine = append(mine, time.Since(start))
				}
				mu.Lock()
				times = append(times, mine...)
				mu.Unlock()
			})
			slices.Sort(times)
			if len(times) > 0 {
				b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
				b.ReportMetric(float64(len(times))/b.Elapsed().Seconds(), "moves/s")
			}
		})
	}
}

func roundTrip(b *testing.B, s *store.Store, id int64, i int) {
	req := lpm.TransitionRequest{To: lpm.Reviewing}
	if i%2 == 1 {
		req = lpm.TransitionRequest{To: lpm.Funnel, Reason: "again"}
	}
	if _, err := s.TransitionEpic(ctx, id, req, alice); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAuthenticate measures the look-up of an API token on every
// request: a read, since the token's last use is written at most once a
// minute.
func BenchmarkAuthenticate(b *testing.B) {
	for _, kind := range testenv.Stores(b) {
		b.Run(kind.Name, func(b *testing.B) {
			s := openStore(b, kind.DSN(b))
			u := createUser(b, s, "olivia", false)
			secret, err := s.CreateToken(ctx, &lpm.Token{UserID: u.ID, Name: "bench"}, admin)
			must(b, err)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, _, err := s.Authenticate(ctx, secret); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkBoard reads the board of a portfolio of 10,000 epics, 50 cards
// per column.
func BenchmarkBoard(b *testing.B) {
	for _, kind := range testenv.Stores(b) {
		// With b.Loop the function runs once, so the setup runs once too,
		// and only for the stores -bench selects; the timer starts at the
		// first b.Loop.
		b.Run(kind.Name, func(b *testing.B) {
			s := openStore(b, kind.DSN(b))
			createUser(b, s, "olivia", false)
			id := createPortfolio(b, s, "Bench", "EP").ID
			fillPortfolio(b, s, id, 10_000)
			b.ReportAllocs()
			for b.Loop() {
				board, err := s.Board(ctx, id, lpm.BoardFilter{}, 50)
				if err != nil {
					b.Fatal(err)
				}
				if board.Columns[3].Count == 0 {
					b.Fatal("empty ready column")
				}
			}
		})
	}
}

// fillPortfolio imports n epics spread over the board, most of them done as
// in a portfolio that has run for a while, with random WSJF scores.
func fillPortfolio(b *testing.B, s *store.Store, portfolioID int64, n int) {
	b.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	states := []lpm.State{lpm.Funnel, lpm.Funnel, lpm.Reviewing, lpm.Analyzing, lpm.Ready, lpm.Ready,
		lpm.ImplementingMVP, lpm.ImplementingPersevere, lpm.Done, lpm.Done, lpm.Done, lpm.Done}
	for i := range n {
		e := lpm.Epic{PortfolioID: portfolioID, Title: fmt.Sprintf("Epic %d", i), Type: lpm.Business,
			EpicOwner: "olivia", State: states[r.IntN(len(states))]}
		if r.IntN(4) > 0 {
			scale := lpm.WSJFScale
			e.WSJF = lpm.WSJFComponents{UserBusinessValue: scale[r.IntN(7)], TimeCriticality: scale[r.IntN(7)],
				RiskReduction: scale[r.IntN(7)], JobSize: scale[r.IntN(7)]}
		}
		if e.State == lpm.Done {
			e.DoneReason = lpm.Completed
		}
		must(b, s.ImportEpic(ctx, &e, []lpm.Transition{{To: e.State, Actor: "bench"}}, nil, admin))
	}
}
