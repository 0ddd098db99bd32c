package server

import (
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/lpm-project/lpm/internal/api"
	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

// RateLimits bound the requests of one client, in requests per second; each
// may burst to twice its rate. 0 turns a limit off. A request must pass both:
// the limit of its address, and the limit of its credentials (API token or
// session), so neither many tokens from one address nor one token from many
// addresses gets past.
type RateLimits struct {
	PerAddress float64
	PerToken   float64
}

// DefaultRateLimits are the limits `lpm serve` applies unless told otherwise.
// A person at a browser makes a handful of requests per page; a script
// syncing a portfolio a few dozen per second at most. The address limit is
// the larger because several people may share an address (a NAT, or a proxy
// not listed as trusted).
var DefaultRateLimits = RateLimits{PerAddress: 50, PerToken: 20}

// Bounds of the limiter's memory: a key whose bucket has filled up again is
// the same as a fresh one, so it is dropped at the next sweep (at most every
// sweepEvery); beyond maxLimiters keys, arbitrary ones are dropped, which at
// worst lets those clients burst once more.
const (
	sweepEvery  = time.Minute
	maxLimiters = 50_000
)

// rateLimiter holds one token bucket per key: "addr:<address>" and
// "token:<SHA-256 of the credential>" (the credential itself is never kept).
type rateLimiter struct {
	perAddress, perToken rate.Limit
	now                  func() time.Time

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	swept   time.Time
}

func newRateLimiter(l RateLimits) *rateLimiter {
	return &rateLimiter{perAddress: rate.Limit(l.PerAddress), perToken: rate.Limit(l.PerToken), now: time.Now,
		buckets: map[string]*rate.Limiter{}}
}

// burst is twice the rate, and at least one request.
func burst(r rate.Limit) int { return max(1, int(math.Ceil(2*float64(r)))) }

// bucket returns the bucket of key, creating it with rate r.
func (l *rateLimiter) bucket(key string, r rate.Limit, now time.Time) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.buckets[key]; ok {
		return b
	}
	full := len(l.buckets) >= maxLimiters
	if now.Sub(l.swept) >= sweepEvery || (full && now.Sub(l.swept) >= time.Second) {
		l.sweep(now)
	}
	for k := range l.buckets {
		if len(l.buckets) < maxLimiters {
			break
		}
		delete(l.buckets, k)
	}
	b := rate.NewLimiter(r, burst(r))
	l.buckets[key] = b
	return b
}

// sweep drops the buckets that are full again. l.mu is held.
func (l *rateLimiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(b.Burst()) {
			delete(l.buckets, k)
		}
	}
	l.swept = now
}

// size is how many buckets the limiter holds.
func (l *rateLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// allow takes one request from each of the client's buckets, or from none:
// it returns 0 when the request may go on, otherwise how long the client
// must wait. A refused request costs nothing, so a client that waits as told
// gets through.
func (l *rateLimiter) allow(addr, credential string) time.Duration {
	now := l.now()
	type take struct {
		key string
		r   rate.Limit
	}
	var takes []take
	if l.perAddress > 0 {
		takes = append(takes, take{"addr:" + addressKey(addr), l.perAddress})
	}
	if l.perToken > 0 && credential != "" {
		takes = append(takes, take{"token:" + lpm.HashToken(credential), l.perToken})
	}
	var taken []*rate.Reservation
	for _, t := range takes {
		res := l.bucket(t.key, t.r, now).ReserveN(now, 1)
		if wait := res.DelayFrom(now); wait > 0 {
			res.CancelAt(now)
			for _, prev := range taken {
				prev.CancelAt(now)
			}
			return wait
		}
		taken = append(taken, res)
	}
	return 0
}

// addressKey is the part of a client address one bucket covers: the whole
// IPv4 address, but the /64 network of an IPv6 one, since a single host is
// usually handed a whole /64 and could take a fresh address per request.
func addressKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	if a = a.Unmap(); a.Is4() {
		return a.String()
	}
	p, err := a.WithZone("").Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}

// credential returns what authenticates the request: the bearer token, else
// the session cookie; "" for neither.
func credential(r *http.Request) string {
	if h := r.Header.Get("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return httpauth.SessionSecret(r)
}

// rateLimit answers 429 to a client over its limits, with Retry-After in
// whole seconds. Health checks are exempt: a load balancer must always be
// able to tell whether lpm is up.
func (s *Server) rateLimit(next http.Handler) http.Handler {
	if s.limits.perAddress <= 0 && s.limits.perToken <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == api.HealthPath {
			next.ServeHTTP(w, r)
			return
		}
		wait := s.limits.allow(httpauth.ClientAddress(r), credential(r))
		if wait <= 0 {
			next.ServeHTTP(w, r)
			return
		}
		secs := max(1, lpm.RetryAfterSeconds(wait))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		api.WriteProblem(w, api.TooManyRequestsProblem(
			fmt.Sprintf("too many requests from this client; try again in %d s", secs)))
	})
}
