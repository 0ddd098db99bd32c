package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lpm-project/lpm/internal/server"
	"github.com/lpm-project/lpm/internal/testenv"
)

func TestHealth(t *testing.T) {
	for _, kind := range testenv.Stores(t) {
		t.Run(kind.Name, func(t *testing.T) {
			st := openStore(t, kind.DSN(t))
			srv := site(t, server.Config{Store: st})

			res, body := get(t, srv.URL+"/healthz", nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", res.StatusCode, body)
			}
			var got map[string]string
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(map[string]string{"status": "ok", "store": kind.Name}, got); d != "" {
				t.Errorf("health (-want +got):\n%s", d)
			}

			// A store that no longer answers makes the check fail.
			st.Close()
			res, body = get(t, srv.URL+"/healthz", nil)
			if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("closed store: status %d %s: %s", res.StatusCode, res.Header.Get("Content-Type"), body)
			}
			var p struct{ Type string }
			if err := json.Unmarshal(body, &p); err != nil || p.Type != "urn:lpm:problem:unavailable" {
				t.Errorf("problem %s (%v)", body, err)
			}
		})
	}
}

func TestRequestID(t *testing.T) {
	st := openStore(t, testenv.SQLiteDSN(t))
	srv := site(t, server.Config{Store: st})

	res, _ := get(t, srv.URL+"/healthz", nil)
	generated := res.Header.Get("X-Request-Id")
	if len(generated) != 16 {
		t.Errorf("generated request id %q", generated)
	}
	res, _ = get(t, srv.URL+"/healthz", nil)
	if res.Header.Get("X-Request-Id") == generated {
		t.Errorf("two requests got the same id %q", generated)
	}
	res, _ = get(t, srv.URL+"/api/v1/portfolios", http.Header{"X-Request-Id": {"from-proxy.42"}})
	if got := res.Header.Get("X-Request-Id"); got != "from-proxy.42" {
		t.Errorf("request id %q, want the caller's", got)
	}
	res, _ = get(t, srv.URL+"/healthz", http.Header{"X-Request-Id": {"bad id\twith spaces"}})
	if got := res.Header.Get("X-Request-Id"); len(got) != 16 {
		t.Errorf("request id %q, want a fresh one instead of an unsafe one", got)
	}
}

func TestUnknownPathAndMethod(t *testing.T) {
	st := openStore(t, testenv.SQLiteDSN(t))
	srv := site(t, server.Config{Store: st})
	// Paths outside the API and /healthz belong to the web pages, which
	// answer unknown ones with an HTML page (typ "html").
	tests := []struct {
		method, path string
		status       int
		typ, allow   string
	}{
		{"GET", "/nothing", http.StatusNotFound, "html", ""},
		{"POST", "/healthz", http.StatusMethodNotAllowed, "urn:lpm:problem:method-not-allowed", "GET"},
		{"DELETE", "/healthz", http.StatusMethodNotAllowed, "urn:lpm:problem:method-not-allowed", "GET"},
		{"POST", "/healthz/", http.StatusNotFound, "html", ""},
		{"GET", "/api/v1/nothing", http.StatusNotFound, "urn:lpm:problem:not-found", ""},
		{"HEAD", "/healthz", http.StatusOK, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tt.status || res.Header.Get("Allow") != tt.allow {
				t.Fatalf("status %d, Allow %q; want %d, %q: %s", res.StatusCode, res.Header.Get("Allow"), tt.status, tt.allow, body)
			}
			switch tt.typ {
			case "":
				return
			case "html":
				if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("Content-Type %q, want the web pages' HTML", ct)
				}
				return
			}
			var p struct{ Type, Detail string }
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q, want application/problem+json", ct)
			}
			if err := json.Unmarshal(body, &p); err != nil || p.Type != tt.typ || p.Detail == "" {
				t.Errorf("problem %s (%v), want type %s with a detail", body, err, tt.typ)
			}
		})
	}
}

func TestListenAndServe(t *testing.T) {
	st := openStore(t, testenv.SQLiteDSN(t))
	s := newServer(t, server.Config{Addr: "127.0.0.1:0", Store: st})
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- s.ListenAndServe(ctx, func(addr string) { addrs <- addr }) }()

	var addr string
	select {
	case addr = <-addrs:
	case err := <-done:
		t.Fatalf("ListenAndServe returned early: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("not ready after 10s")
	}
	res, body := get(t, "http://"+addr+"/healthz", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("ListenAndServe: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no shutdown within 15s")
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Errorf("server still answers after shutdown")
	}
}

func TestListenError(t *testing.T) {
	s := newServer(t, server.Config{Addr: "256.0.0.1:bad", Store: openStore(t, testenv.SQLiteDSN(t))})
	if err := s.ListenAndServe(context.Background(), nil); err == nil {
		t.Fatal("want an error for a bad address")
	}
}

// The health check sits outside /api/v1, yet the OpenAPI document must cover
// it: with a server of its own, so a client resolving it lands on /healthz.
func TestHealthDocumented(t *testing.T) {
	st := openStore(t, testenv.SQLiteDSN(t))
	srv := site(t, server.Config{Store: st})
	res, body := get(t, srv.URL+"/api/v1/openapi.json", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	var doc struct {
		Paths map[string]struct {
			Servers []struct {
				URL string `json:"url"`
			} `json:"servers"`
			Get *struct {
				Responses map[string]json.RawMessage `json:"responses"`
			} `json:"get"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	item, ok := doc.Paths["/healthz"]
	if !ok || item.Get == nil {
		t.Fatal("GET /healthz is not in the OpenAPI document")
	}
	if len(item.Servers) != 1 || item.Servers[0].URL != "/" {
		t.Errorf("servers of /healthz = %+v, want the site root", item.Servers)
	}
	for _, status := range []string{"200", "503"} {
		if _, ok := item.Get.Responses[status]; !ok {
			t.Errorf("/healthz documents no %s response", status)
		}
	}
	if res, _ := get(t, srv.URL+"/healthz", nil); res.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz = %d", res.StatusCode)
	}
}
