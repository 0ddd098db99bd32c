package server

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/lpm-project/lpm/internal/httpauth"
)

func TestClientAddress(t *testing.T) {
	proxies := trustedProxies{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	tests := []struct {
		name      string
		proxies   trustedProxies
		remote    string
		forwarded []string
		want      string
	}{
		{"direct", proxies, "192.0.2.7:4242", nil, "192.0.2.7"},
		{"no proxies trusted: the header is ignored", nil, "10.1.1.1:4242", []string{"203.0.113.5"}, "10.1.1.1"},
		{"from an untrusted peer: the header is ignored", proxies, "192.0.2.7:4242", []string{"203.0.113.5"}, "192.0.2.7"},
		{"through a trusted proxy", proxies, "10.1.1.1:4242", []string{"203.0.113.5"}, "203.0.113.5"},
		{"through two trusted proxies", proxies, "10.1.1.1:4242", []string{"203.0.113.5, 10.2.2.2"}, "203.0.113.5"},
		{"a forged entry left of the client is not believed", proxies, "10.1.1.1:4242",
			[]string{"198.51.100.1, 203.0.113.5"}, "203.0.113.5"},
		{"several headers read as one list", proxies, "10.1.1.1:4242", []string{"198.51.100.1", "203.0.113.5, 10.2.2.2"}, "203.0.113.5"},
		{"a malformed entry stops the walk", proxies, "10.1.1.1:4242", []string{"203.0.113.5, garbage, 10.2.2.2"}, "10.2.2.2"},
		{"only proxies: the leftmost", proxies, "10.1.1.1:4242", []string{"10.3.3.3, 10.2.2.2"}, "10.3.3.3"},
		{"trusted proxy without the header", proxies, "10.1.1.1:4242", nil, "10.1.1.1"},
		{"IPv6 client through an IPv6 proxy", proxies, "[fd00::1]:4242", []string{"2001:db8::5"}, "2001:db8::5"},
		{"IPv4-mapped peer", proxies, "[::ffff:10.1.1.1]:4242", []string{"203.0.113.5"}, "203.0.113.5"},
		{"entry with a port", proxies, "10.1.1.1:4242", []string{"203.0.113.5:1234"}, "203.0.113.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.proxies.client(tt.remote, tt.forwarded); got != tt.want {
				t.Errorf("client(%q, %q) = %q, want %q", tt.remote, tt.forwarded, got, tt.want)
			}
		})
	}
}

// The middleware records the address where handlers (and the audit trail,
// through httpauth.Actor) find it.
func TestClientAddressRecorded(t *testing.T) {
	s := &Server{proxies: trustedProxies{netip.MustParsePrefix("127.0.0.0/8")}}
	var got string
	h := s.clientAddress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = httpauth.ClientAddress(r) }))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.RemoteAddr = "127.0.0.1:9999"
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	h.ServeHTTP(httptest.NewRecorder(), req)
	if got != "203.0.113.9" {
		t.Errorf("recorded %q, want the forwarded client", got)
	}
}
