package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/testenv"
)

// testCert writes the certificate and key net/http/httptest serves with
// (valid for 127.0.0.1) to PEM files, and returns them with a client that
// trusts the certificate.
func testCert(t *testing.T) (certFile, keyFile string, client *http.Client) {
	t.Helper()
	ts := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(ts.Close)
	cert := ts.TLS.Certificates[0]
	key, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for file, block := range map[string]*pem.Block{certFile: {Type: "CERTIFICATE", Bytes: cert.Certificate[0]}, keyFile: {Type: "PRIVATE KEY", Bytes: key}} {
		if err := os.WriteFile(file, pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	pool := x509.NewCertPool()
	pool.AddCert(ts.Certificate())
	client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	t.Cleanup(client.CloseIdleConnections)
	return certFile, keyFile, client
}

// TestServeHardened starts lpm serve with TLS, single sign-on, a trusted
// proxy and a tight token limit, configured by flags and environment, and
// checks each reaches the server.
func TestServeHardened(t *testing.T) {
	db := testenv.SQLiteDSN(t)
	c := lpmCLI{t, db}
	c.ok("", "user", "add", "alice", "--admin")
	token, _ := c.ok("", "token", "create", "--user", "alice")
	token = strings.TrimSpace(token)
	certFile, keyFile, client := testCert(t)

	t.Setenv("LPM_OIDC_CLIENT_SECRET", "not-on-the-command-line")
	s := startServe(t, "serve", "--db", db, "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile,
		"--public-url", "https://lpm.example.com", "--trusted-proxy", "127.0.0.1,10.0.0.0/8",
		"--oidc-issuer", "https://sso.example.com/realms/acme", "--oidc-client-id", "lpm", "--oidc-allowed-domains", "example.com",
		"--rate-limit-token", "1")
	base := s.await(t, regexp.MustCompile(`lpm: listening on (https://\S+)\n`))[1]

	send := func(method, path string, header http.Header) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header = header
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	res, _ := send("GET", "/healthz", http.Header{})
	if res.StatusCode != http.StatusOK || res.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("GET /healthz over TLS: %d, HSTS %q", res.StatusCode, res.Header.Get("Strict-Transport-Security"))
	}
	if _, body := send("GET", "/sign-in", http.Header{}); !strings.Contains(body, "/auth/oidc/login") {
		t.Errorf("the sign-in page offers no single sign-on:\n%s", body)
	}

	// The proxy's X-Forwarded-For reaches the audit trail.
	auth := http.Header{"Authorization": {"Bearer " + token}, "X-Forwarded-For": {"198.51.100.1, 203.0.113.9"}}
	req, _ := http.NewRequest("POST", base+"/api/v1/portfolios", strings.NewReader(`{"name":"Retail"}`))
	req.Header = auth.Clone()
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/v1/portfolios: %d", res.StatusCode)
	}
	st := c.store()
	entries, _, err := st.FindAudit(context.Background(), lpm.AuditFilter{PortfolioID: 1, Page: lpm.Page{Limit: 10}})
	if err != nil || len(entries) == 0 || entries[0].Address != "203.0.113.9" {
		t.Errorf("audit entries %+v, %v; want the forwarded client's address", entries, err)
	}

	// One request a second per token, in bursts of two: the POST above and
	// this one spend the burst, so the next request must wait.
	if res, _ := send("GET", "/api/v1/portfolios", auth); res.StatusCode != http.StatusOK {
		t.Errorf("second request of a token: %d", res.StatusCode)
	}
	res, body := send("GET", "/api/v1/portfolios", auth)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "1" ||
		!strings.Contains(body, "urn:lpm:problem:too-many-requests") {
		t.Errorf("third request of a token: %d, Retry-After %q: %s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}

	if code := s.stop(t); code != 0 {
		t.Errorf("exit %d; stderr:\n%s", code, s.stderr.String())
	}
	if strings.Contains(s.stderr.String(), "not-on-the-command-line") || strings.Contains(s.stderr.String(), token) {
		t.Errorf("a secret reached the log:\n%s", s.stderr.String())
	}
}

// A certificate that cannot be loaded stops serve before the demo is
// loaded, so fixing the path and running again works.
func TestServeBadCertificate(t *testing.T) {
	db := testenv.SQLiteDSN(t)
	certFile, _, _ := testCert(t)
	code, out, errOut := run(t, "serve", "--demo", "--db", db, "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", certFile+".missing")
	if code != 1 || out != "" || !strings.Contains(errOut, "load the TLS certificate") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	st := lpmCLI{t, db}.store()
	if empty, err := st.IsEmpty(context.Background()); err != nil || !empty {
		t.Errorf("the store holds data after a refused start (%v)", err)
	}
}
