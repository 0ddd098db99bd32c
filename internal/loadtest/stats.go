package loadtest

import (
	"maps"
	"math"
	"slices"
	"time"
)

// Percentile returns the p-th percentile (0 < p ≤ 100) of sorted samples by
// the nearest-rank method: the smallest sample such that at least p % of the
// samples are less than or equal to it. It is always one of the samples, never
// an interpolation, so a reported p99 is a latency some request really had.
// It returns 0 for no samples.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// Latency summarises the latencies of a phase's requests.
type Latency struct {
	P50, P90, P99, Max time.Duration
}

// latencyOf sorts samples in place and summarises them.
func latencyOf(samples []time.Duration) Latency {
	slices.Sort(samples)
	return Latency{
		P50: Percentile(samples, 50), P90: Percentile(samples, 90), P99: Percentile(samples, 99),
		Max: Percentile(samples, 100),
	}
}

// tally is what one client of a phase measured. Each client keeps its own, so
// measuring adds no lock to the path being measured; tallies are merged when
// the phase ends.
type tally struct {
	samples []time.Duration
	// errors counts failed requests by HTTP status, 0 for no response.
	errors map[int]int
}

func (t *tally) record(d time.Duration, status int, ok bool) {
	t.samples = append(t.samples, d)
	if !ok {
		if t.errors == nil {
			t.errors = map[int]int{}
		}
		t.errors[status]++
	}
}

// PhaseReport is the outcome of one phase of the load test.
type PhaseReport struct {
	Name    string
	Clients int
	// Requests counts the requests that completed, successful or not.
	// Requests cut short by an interrupt are not counted.
	Requests int
	// Errors counts failed requests by HTTP status; status 0 means the
	// request got no response (connection refused or reset, timeout).
	Errors  map[int]int
	Elapsed time.Duration
	Latency Latency
}

// ErrorCount is the number of failed requests.
func (p PhaseReport) ErrorCount() int {
	n := 0
	for _, c := range p.Errors {
		n += c
	}
	return n
}

// Throughput is completed requests per second of the phase.
func (p PhaseReport) Throughput() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Requests) / p.Elapsed.Seconds()
}

// phaseReport merges the tallies of a phase's clients.
func phaseReport(name string, elapsed time.Duration, tallies []tally) PhaseReport {
	r := PhaseReport{Name: name, Clients: len(tallies), Elapsed: elapsed, Errors: map[int]int{}}
	var all []time.Duration
	for _, t := range tallies {
		all = append(all, t.samples...)
		for status, n := range t.errors {
			r.Errors[status] += n
		}
	}
	r.Requests = len(all)
	r.Latency = latencyOf(all)
	return r
}

// statuses lists error statuses in order, for stable output.
func statuses(errs map[int]int) []int { return slices.Sorted(maps.Keys(errs)) }
