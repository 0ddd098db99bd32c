package server

import (
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"

	"github.com/lpm-project/lpm/internal/httpauth"
)

// trustedProxies are the networks of the reverse proxies in front of lpm.
type trustedProxies []netip.Prefix

func (p trustedProxies) trusts(a netip.Addr) bool {
	return slices.ContainsFunc(p, func(n netip.Prefix) bool { return n.Contains(a) })
}

// clientAddress records who the client is (httpauth.WithClientAddress), for
// the log, the rate limits and the audit trail, and whether people reach
// lpm over HTTPS (httpauth.WithHTTPS), for the session cookie.
func (s *Server) clientAddress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := s.proxies.client(r.RemoteAddr, r.Header.Values("X-Forwarded-For"))
		ctx := httpauth.WithClientAddress(r.Context(), addr)
		if s.hsts {
			ctx = httpauth.WithHTTPS(ctx)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// client returns the client's address. X-Forwarded-For is believed only
// when the connection comes from a trusted proxy, since anyone can send the
// header; then it is read from the right, where the proxies appended, and
// the first address that is not itself a trusted proxy is the client (the
// ones further left were written by the client and prove nothing). A
// malformed entry stops the walk at the last address known good.
func (p trustedProxies) client(remoteAddr string, forwarded []string) string {
	peer, ok := parseAddr(remoteAddr)
	if !ok {
		return remoteAddr
	}
	if len(p) == 0 || !p.trusts(peer) {
		return peer.String()
	}
	var hops []string
	for _, h := range forwarded {
		hops = append(hops, strings.Split(h, ",")...)
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseAddr(strings.TrimSpace(hops[i]))
		if !ok {
			break
		}
		client = a
		if !p.trusts(a) {
			break
		}
	}
	return client.String()
}

// parseAddr reads an IP address, with or without a port, as IPv4 when it is
// IPv4 mapped into IPv6, so "::ffff:10.0.0.1" matches 10.0.0.0/8.
func parseAddr(s string) (netip.Addr, bool) {
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	a, err := netip.ParseAddr(strings.Trim(s, "[]"))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}
