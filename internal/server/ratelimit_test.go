package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// clock is a fake time for the limiter.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newTestLimiter(l RateLimits) (*rateLimiter, *clock) {
	c := &clock{t: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)}
	rl := newRateLimiter(l)
	rl.now = c.now
	return rl, c
}

func TestRateLimitPerAddress(t *testing.T) {
	rl, c := newTestLimiter(RateLimits{PerAddress: 1})
	// A burst of twice the rate, then one request a second.
	for i := range 2 {
		if wait := rl.allow("192.0.2.1", ""); wait != 0 {
			t.Fatalf("request %d of the burst refused (wait %v)", i+1, wait)
		}
	}
	wait := rl.allow("192.0.2.1", "")
	if wait <= 0 || wait > time.Second {
		t.Fatalf("third request: wait %v, want up to 1s", wait)
	}
	// Another address has its own budget.
	if w := rl.allow("192.0.2.2", ""); w != 0 {
		t.Errorf("another address refused (wait %v)", w)
	}
	// The refused request cost nothing: waiting as told is enough.
	c.advance(wait)
	if w := rl.allow("192.0.2.1", ""); w != 0 {
		t.Errorf("after waiting %v as told: wait %v more", wait, w)
	}
}

// Both limits must pass: many tokens from one address meet the address
// limit, one token from many addresses meets the token limit.
func TestRateLimitBoth(t *testing.T) {
	rl, _ := newTestLimiter(RateLimits{PerAddress: 5, PerToken: 1})
	for i := range 2 {
		if w := rl.allow(fmt.Sprintf("192.0.2.%d", i+1), "lpm_secret"); w != 0 {
			t.Fatalf("request %d refused", i+1)
		}
	}
	if w := rl.allow("192.0.2.9", "lpm_secret"); w == 0 {
		t.Error("a third request with one token from a third address passed the token limit")
	}
	// That refusal took nothing from the third address's budget.
	for i := range 10 {
		if w := rl.allow("192.0.2.9", fmt.Sprintf("lpm_token%d", i)); w != 0 {
			t.Fatalf("request %d from 192.0.2.9 with a fresh token: wait %v", i+1, w)
		}
	}
	if w := rl.allow("192.0.2.9", "lpm_another"); w == 0 {
		t.Error("an 11th request from one address passed its limit of 5/s (burst 10)")
	}
	// The credential is kept only hashed.
	for k := range rl.buckets {
		if strings.Contains(k, "secret") {
			t.Errorf("limiter key %q holds the credential", k)
		}
	}
}

func TestRateLimitMemoryBounded(t *testing.T) {
	rl, c := newTestLimiter(RateLimits{PerAddress: 10, PerToken: 10})
	for i := range 1000 {
		rl.allow(fmt.Sprintf("10.0.%d.%d", i/256, i%256), fmt.Sprintf("lpm_%d", i))
	}
	if n := rl.size(); n != 2000 {
		t.Fatalf("%d buckets after 1000 clients with a token each, want 2000", n)
	}
	// Once their buckets have filled up again, the next sweep drops them.
	c.advance(sweepEvery)
	rl.allow("10.9.9.9", "")
	if n := rl.size(); n != 1 {
		t.Errorf("%d buckets after a sweep, want the one just used", n)
	}
	// However many clients come at once, the map stays within its bound.
	for i := range maxLimiters + 500 {
		rl.allow(fmt.Sprintf("addr-%d", i), "")
	}
	if n := rl.size(); n > maxLimiters {
		t.Errorf("%d buckets, want at most %d", n, maxLimiters)
	}
}

func TestRateLimitMiddleware(t *testing.T) {
	s := &Server{limits: newRateLimiter(RateLimits{PerAddress: 0.5})}
	h := s.clientAddress(s.rateLimit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	send := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.RemoteAddr = "192.0.2.1:5555"
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := send("/api/v1/portfolios"); rec.Code != http.StatusOK {
		t.Fatalf("first request: %d", rec.Code)
	}
	rec := send("/api/v1/portfolios")
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Content-Type") != "application/problem+json" ||
		!strings.Contains(rec.Body.String(), "urn:lpm:problem:too-many-requests") {
		t.Fatalf("second request: %d %s %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	// 0.5 requests a second: the next one is 2 s away, in whole seconds.
	if got := rec.Header().Get("Retry-After"); got != "2" {
		t.Errorf("Retry-After %q, want 2", got)
	}
	for range 5 {
		if rec := send("/healthz"); rec.Code != http.StatusOK {
			t.Fatalf("health check limited: %d", rec.Code)
		}
	}
}

func TestRateLimitRetryAfterAtLeastOne(t *testing.T) {
	s := &Server{limits: newRateLimiter(RateLimits{PerToken: 1000})}
	h := s.rateLimit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	var last *httptest.ResponseRecorder
	for range 10_000 {
		last = httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Authorization", "Bearer lpm_fast")
		h.ServeHTTP(last, req)
		if last.Code == http.StatusTooManyRequests {
			break
		}
	}
	if last.Code != http.StatusTooManyRequests || last.Header().Get("Retry-After") != "1" {
		t.Errorf("status %d, Retry-After %q; want 429 and a wait of at least 1 s", last.Code, last.Header().Get("Retry-After"))
	}
}

func TestRateLimitOff(t *testing.T) {
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	s := &Server{limits: newRateLimiter(RateLimits{})}
	rec := httptest.NewRecorder()
	h := s.rateLimit(next)
	for range 1000 {
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	}
	if rec.Code != http.StatusOK || s.limits.size() != 0 {
		t.Errorf("with both limits 0: status %d, %d buckets; want no limiting at all", rec.Code, s.limits.size())
	}
}

func TestCredential(t *testing.T) {
	for _, tc := range []struct {
		header http.Header
		want   string
	}{
		{http.Header{"Authorization": {"Bearer lpm_abc"}}, "lpm_abc"},
		{http.Header{"Authorization": {"bearer  lpm_abc "}}, "lpm_abc"},
		{http.Header{"Authorization": {"Basic dXNlcjpwdw=="}}, ""},
		{http.Header{"Cookie": {"lpm_session=lpms_xyz"}}, "lpms_xyz"},
		{http.Header{"Cookie": {"__Host-lpm_session=lpms_xyz"}, "Authorization": {"Bearer lpm_abc"}}, "lpm_abc"},
		{http.Header{}, ""},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header = tc.header
		if got := credential(r); got != tc.want {
			t.Errorf("credential(%v) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

// An IPv6 host usually holds a whole /64, so the /64 shares one bucket;
// IPv4 addresses, mapped or not, keep one each.
func TestRateLimitIPv6Network(t *testing.T) {
	for addr, want := range map[string]string{
		"192.0.2.1":                 "192.0.2.1",
		"::ffff:192.0.2.1":          "192.0.2.1",
		"2001:db8:1:2:aaaa::1":      "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff::9": "2001:db8:1:2::/64",
		"fe80::1%eth0":              "fe80::/64",
		"not an address":            "not an address",
	} {
		if got := addressKey(addr); got != want {
			t.Errorf("addressKey(%q) = %q, want %q", addr, got, want)
		}
	}
	rl, _ := newTestLimiter(RateLimits{PerAddress: 1})
	for i, addr := range []string{"2001:db8::1", "2001:db8::2"} {
		if wait := rl.allow(addr, ""); wait != 0 {
			t.Fatalf("request %d of the burst refused (wait %v)", i+1, wait)
		}
	}
	if wait := rl.allow("2001:db8::3", ""); wait <= 0 {
		t.Error("a third address of the same /64 was not limited with the others")
	}
	if wait := rl.allow("2001:db8:0:1::1", ""); wait != 0 {
		t.Errorf("another /64 was limited (wait %v)", wait)
	}
}
