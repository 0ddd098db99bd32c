package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/server"
	"github.com/lpm-project/lpm/internal/testenv"
)

// wantHeaders are the hardening headers every response carries.
var wantHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	"X-Content-Type-Options":       "nosniff",
	"Referrer-Policy":              "same-origin",
	"X-Frame-Options":              "DENY",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
}

func TestSecurityHeaders(t *testing.T) {
	st := openStore(t, testenv.SQLiteDSN(t))
	plain := site(t, server.Config{Store: st})
	public := site(t, server.Config{Store: st, PublicURL: "https://lpm.example.com"})
	paths := []string{"/healthz", "/api/v1/portfolios", "/api/v1/openapi.json", "/api/v1/nothing", "/", "/sign-in", "/nothing"}
	for _, tc := range []struct {
		name string
		url  string
		hsts bool
	}{
		{"plain HTTP", plain.URL, false},
		{"behind an HTTPS proxy", public.URL, true},
	} {
		for _, path := range paths {
			t.Run(tc.name+" "+path, func(t *testing.T) {
				res, _ := get(t, tc.url+path, nil)
				for k, want := range wantHeaders {
					if got := res.Header.Get(k); got != want {
						t.Errorf("%s: %q, want %q", k, got, want)
					}
				}
				pp := res.Header.Get("Permissions-Policy")
				for _, feature := range []string{"camera=()", "microphone=()", "geolocation=()", "payment=()"} {
					if !strings.Contains(pp, feature) {
						t.Errorf("Permissions-Policy %q does not turn off %s", pp, feature)
					}
				}
				hsts := res.Header.Get("Strict-Transport-Security")
				if tc.hsts != (hsts == "max-age=31536000") || (!tc.hsts && hsts != "") {
					t.Errorf("Strict-Transport-Security %q; want it only when browsers reach lpm over HTTPS", hsts)
				}
			})
		}
	}
}

func TestPublicURLMustParse(t *testing.T) {
	st := openStore(t, testenv.SQLiteDSN(t))
	for _, u := range []string{"lpm.example.com", "ftp://lpm.example.com", "https://", "http://[::1"} {
		if _, err := server.New(server.Config{Store: st, PublicURL: u}); err == nil {
			t.Errorf("public URL %q accepted", u)
		}
	}
}

// Bodies outside the API are forms: a large one is refused before it is read.
func TestFormBodyLimit(t *testing.T) {
	st := openStore(t, testenv.SQLiteDSN(t))
	srv := site(t, server.Config{Store: st})
	big := strings.Repeat("x", 65<<10)
	res, body := do(t, http.MethodPost, srv.URL+"/sign-in", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		strings.NewReader("name=a&password="+big))
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 65 KiB form: status %d, want 413: %s", res.StatusCode, body)
	}
	var p struct{ Type string }
	if err := json.Unmarshal(body, &p); err != nil || p.Type != "urn:lpm:problem:too-large" {
		t.Errorf("problem %s (%v)", body, err)
	}
}

// A slow client that trickles its headers in is disconnected once the
// read-header timeout has passed, and holds no connection after that.
func TestSlowClientCutOff(t *testing.T) {
	st := openStore(t, testenv.SQLiteDSN(t))
	const timeout = 200 * time.Millisecond
	addr := listen(t, server.Config{Store: st, Timeouts: server.Timeouts{ReadHeader: timeout}})

	start := time.Now() // before the server can start its clock
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: lpm\r\n"); err != nil {
		t.Fatal(err)
	}
	// One more header line every 50 ms, never the blank line that ends them.
	go func() {
		for i := 0; ; i++ {
			time.Sleep(50 * time.Millisecond)
			if _, err := io.WriteString(conn, "X-Slow: "+strings.Repeat("a", i%10)+"\r\n"); err != nil {
				return
			}
		}
	}()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, err := io.ReadAll(conn)
	elapsed := time.Since(start)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the connection was still open after 5s (read %q)", got)
	}
	if elapsed < timeout || elapsed > 2*time.Second {
		t.Errorf("disconnected after %v, want soon after the %v read-header timeout", elapsed, timeout)
	}
	if bytes.Contains(got, []byte("200 OK")) {
		t.Errorf("the slow request was served: %q", got)
	}

	// A client that sends its headers at once is served as usual.
	res, body := get(t, "http://"+addr+"/healthz", nil)
	if res.StatusCode != http.StatusOK {
		t.Errorf("a prompt client: status %d: %s", res.StatusCode, body)
	}
}

// Headers are bounded: a request with 100 KiB of them is refused with 431.
func TestHeaderLimit(t *testing.T) {
	st := openStore(t, testenv.SQLiteDSN(t))
	addr := listen(t, server.Config{Store: st})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	req := "GET /healthz HTTP/1.1\r\nHost: lpm\r\nX-Big: " + strings.Repeat("a", 100<<10) + "\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("status %d, want 431", res.StatusCode)
	}
}
