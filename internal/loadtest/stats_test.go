package loadtest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPercentile(t *testing.T) {
	ms := func(vs ...int) []time.Duration {
		out := make([]time.Duration, len(vs))
		for i, v := range vs {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	ten := ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"no samples", nil, 50, 0},
		{"one sample is every percentile", ms(7), 1, 7 * time.Millisecond},
		{"one sample, max", ms(7), 100, 7 * time.Millisecond},
		// rank = ceil(0.5 × 10) = 5 → the 5th sample
		{"median of ten", ten, 50, 5 * time.Millisecond},
		// rank = ceil(0.9 × 10) = 9
		{"p90 of ten", ten, 90, 9 * time.Millisecond},
		// rank = ceil(0.99 × 10) = ceil(9.9) = 10
		{"p99 of ten is the max", ten, 99, 10 * time.Millisecond},
		{"p100 is the max", ten, 100, 10 * time.Millisecond},
		// rank = ceil(0.01 × 10) = 1
		{"p1 is the min", ten, 1, 1 * time.Millisecond},
		// rank = ceil(0.5 × 4) = 2: nearest rank, no interpolation between 20 and 30
		{"median of an even count is a sample", ms(10, 20, 30, 40), 50, 20 * time.Millisecond},
		// rank = ceil(0.5 × 3) = 2
		{"median of three", ms(1, 5, 100), 50, 5 * time.Millisecond},
		// rank = ceil(0.9 × 3) = ceil(2.7) = 3
		{"p90 of three", ms(1, 5, 100), 90, 100 * time.Millisecond},
		// 200 samples 1..200 ms: p99 rank = ceil(198) = 198
		{"p99 of two hundred", seq(200), 99, 198 * time.Millisecond},
		// rank = ceil(0.999 × 200) = ceil(199.8) = 200
		{"p99.9 of two hundred", seq(200), 99.9, 200 * time.Millisecond},
		{"p0 clamps to the min", ten, 0, 1 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("Percentile(p=%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

// seq returns 1ms, 2ms, … n ms.
func seq(n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration(i+1) * time.Millisecond
	}
	return out
}

func TestPhaseReportMergesClients(t *testing.T) {
	var a, b tally
	for _, d := range []int{5, 1, 9} {
		a.record(time.Duration(d)*time.Millisecond, 200, true)
	}
	b.record(3*time.Millisecond, 409, false)
	b.record(7*time.Millisecond, 0, false)
	b.record(2*time.Millisecond, 409, false)
	got := phaseReport("transitions", 2*time.Second, []tally{a, b})
	want := PhaseReport{
		Name: "transitions", Clients: 2, Requests: 6, Elapsed: 2 * time.Second,
		Errors: map[int]int{409: 2, 0: 1},
		// samples 1 2 3 5 7 9: p50 rank 3 → 3ms; p90 rank ceil(5.4)=6 → 9ms
		Latency: Latency{P50: 3 * time.Millisecond, P90: 9 * time.Millisecond, P99: 9 * time.Millisecond, Max: 9 * time.Millisecond},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("phaseReport (-want +got):\n%s", diff)
	}
	if got.ErrorCount() != 3 || got.Throughput() != 3 {
		t.Errorf("ErrorCount, Throughput = %d, %v; want 3, 3", got.ErrorCount(), got.Throughput())
	}
}
