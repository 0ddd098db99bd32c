package server_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/server"
	"github.com/lpm-project/lpm/internal/testenv"
)

// TestLogsHoldNoSecrets sends requests carrying every kind of secret a
// request can carry (a bearer token, session cookies, an OpenID Connect code
// and state, a password in a form) and checks that the log, written at its
// most verbose, names the paths but none of the secrets.
func TestLogsHoldNoSecrets(t *testing.T) {
	var logs testenv.SyncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	st := openStore(t, testenv.SQLiteDSN(t))
	srv := site(t, server.Config{Store: st, Logger: logger})

	secrets := []string{"lpm_bearersecret7q", "lpms_cookiesecret7q", "lpms_hostcookie7q", "codesecret7q", "statesecret7q",
		"passwordsecret7q", "csrfsecret7q"}
	cookies := "lpm_session=lpms_cookiesecret7q; __Host-lpm_session=lpms_hostcookie7q"
	requests := []struct {
		method, path string
		header       http.Header
		body         string
	}{
		{"GET", "/api/v1/portfolios", http.Header{"Authorization": {"Bearer lpm_bearersecret7q"}}, ""},
		{"GET", "/api/v1/portfolios?cursor=codesecret7q", http.Header{"Cookie": {cookies}}, ""},
		{"GET", "/", http.Header{"Cookie": {cookies}}, ""},
		{"GET", "/auth/oidc/callback?code=codesecret7q&state=statesecret7q", http.Header{"Cookie": {cookies}}, ""},
		{"GET", "/nothing?code=codesecret7q&state=statesecret7q", nil, ""},
		{"POST", "/sign-in", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Cookie": {cookies}},
			url.Values{"name": {"alice"}, "password": {"passwordsecret7q"}, "csrf_token": {"csrfsecret7q"}}.Encode()},
		{"POST", "/api/v1/portfolios", http.Header{"Authorization": {"Bearer lpm_bearersecret7q"}, "Content-Type": {"application/json"}},
			`{"name":`},
	}
	for _, r := range requests {
		res, _ := do(t, r.method, srv.URL+r.path, r.header, strings.NewReader(r.body))
		if res.StatusCode >= 500 {
			t.Errorf("%s %s: status %d", r.method, r.path, res.StatusCode)
		}
	}
	out := logs.String()
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("the log holds the secret %q:\n%s", s, out)
		}
	}
	for _, path := range []string{`"path":"/api/v1/portfolios"`, `"path":"/auth/oidc/callback"`, `"path":"/sign-in"`} {
		if !strings.Contains(out, path) {
			t.Errorf("the log does not name %s:\n%s", path, out)
		}
	}
	// At least one line per request (redirects followed add some).
	if n := bytes.Count([]byte(out), []byte(`"msg":"request"`)); n < len(requests) {
		t.Errorf("%d request lines for %d requests:\n%s", n, len(requests), out)
	}
}
