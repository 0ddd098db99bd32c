package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/testenv"
)

// BenchmarkRoadmapRequest measures the whole GET of the roadmap through the
// API on SQLite, as JSON, SVG and PNG, and of the backlog forecast: authentication, the store reads
// (epics, value streams, every ART share, the throughput history), SAFe's
// forecast of each epic with shares, the Monte Carlo forecast (10,000
// trials) and, for the images, drawing. The portfolio holds n epics from
// analysis through implementation (a tenth in analysis, 40 % Ready, half
// implementing) in ten value streams, half of them with shares, and n/20
// done epics finished over the last half year. Each epic has its history
// through the Kanban to its state, a move a week: the roadmap reads when
// the epics in implementation entered it from there.
func BenchmarkRoadmapRequest(b *testing.B) {
	for _, n := range []int{1000, 10_000} {
		e := newEnv(b, testenv.SQLiteDSN(b))
		ctx := context.Background()
		now := lpm.Now()
		p := &lpm.Portfolio{Name: "Bench", PICadence: lpm.PICadence{Start: now.AddDate(-1, 0, 0).Truncate(24 * time.Hour), LengthWeeks: 10}}
		p.WithDefaults(now)
		if err := e.st.CreatePortfolio(ctx, p, system); err != nil {
			b.Fatal(err)
		}
		var streams []int64
		for v := range 10 {
			vs := &lpm.ValueStream{PortfolioID: p.ID, Name: fmt.Sprintf("Stream %d", v), Kind: lpm.Development, ARTs: []lpm.ART{{Name: "A"}}}
			if err := e.st.CreateValueStream(ctx, vs, system); err != nil {
				b.Fatal(err)
			}
			streams = append(streams, vs.ID)
		}
		for i := 1; i <= n+n/20; i++ {
			ep := &lpm.Epic{PortfolioID: p.ID, Type: lpm.Business, Title: fmt.Sprintf("Epic number %d with a title of ordinary length", i),
				EpicOwner: alice, ValueStreamIDs: []int64{streams[i%10]}, StateEnteredAt: now.AddDate(0, 0, -(i % 180)),
				WSJF: lpm.WSJFComponents{UserBusinessValue: lpm.WSJFScale[i%7], TimeCriticality: 3, RiskReduction: 2, JobSize: lpm.WSJFScale[(i/7)%7]}}
			switch {
			case i > n:
				ep.State, ep.DoneReason = lpm.Done, lpm.Completed
			case i%10 == 0:
				ep.State = lpm.Analyzing
			case i%10 < 5:
				ep.State = lpm.Ready
			case i%10 < 8:
				ep.State = lpm.ImplementingMVP
			default:
				ep.State = lpm.ImplementingPersevere
			}
			if err := e.st.ImportEpic(ctx, ep, benchHistory(ep), nil, system); err != nil {
				b.Fatal(err)
			}
			if i <= n && i%2 == 0 {
				if err := e.st.SetForecastInputs(ctx, ep.ID, []lpm.ARTShare{{ART: "A", RemainingPoints: float64(100 + i%2000), Velocity: 1000, Allocation: 0.25}}, system); err != nil {
					b.Fatal(err)
				}
			}
		}
		// The roadmap in its three forms, and the Monte Carlo forecast of the
		// Ready backlog (10,000 trials) over the same portfolio.
		for _, path := range []string{"roadmap", "roadmap.svg", "roadmap.png", "forecasts/backlog"} {
			name := map[string]string{"roadmap": "json", "roadmap.svg": "svg", "roadmap.png": "png", "forecasts/backlog": "backlog"}[path]
			b.Run(fmt.Sprintf("epics=%d/%s", n, name), func(b *testing.B) {
				var size int
				for b.Loop() {
					req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/portfolios/%d/%s", e.srv.URL, p.ID, path), nil)
					req.Header.Set("Authorization", "Bearer "+e.token[admin])
					res, err := e.srv.Client().Do(req)
					if err != nil {
						b.Fatal(err)
					}
					body, err := io.ReadAll(res.Body)
					res.Body.Close()
					if err != nil || res.StatusCode != http.StatusOK {
						b.Fatalf("status %d: %s", res.StatusCode, body)
					}
					size = len(body)
				}
				b.ReportMetric(float64(size)/1024, "KiB")
			})
		}
	}
}

// benchHistory walks the epic through the Kanban to its state, a move a
// week, the last one when it entered that state.
func benchHistory(e *lpm.Epic) []lpm.Transition {
	path := lpm.States[:slices.Index(lpm.States, e.State)+1]
	h := make([]lpm.Transition, len(path))
	from := lpm.State("")
	for i, to := range path {
		h[i] = lpm.Transition{From: from, To: to, Actor: alice, At: e.StateEnteredAt.AddDate(0, 0, -7*(len(path)-1-i))}
		from = to
	}
	h[len(h)-1].DoneReason = e.DoneReason
	return h
}
