package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lpm-project/lpm/internal/demo"
	"github.com/lpm-project/lpm/internal/loadtest"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
)

// run runs lpm in-process and returns its exit status and output.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runIn(t, "", args...)
}

// runIn runs lpm in-process with stdin and returns its exit status and output.
func runIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestVersion(t *testing.T) {
	code, out, errOut := run(t, "version")
	if code != 0 || errOut != "" {
		t.Fatalf("lpm version: exit %d, stderr %q", code, errOut)
	}
	if !regexp.MustCompile(`^lpm \S+ \(go1\.\d+[^)]*\)\n$`).MatchString(out) {
		t.Errorf("lpm version printed %q, want \"lpm <version> (<go version>)\"", out)
	}
}

func TestVersionFromLinker(t *testing.T) {
	old := Version
	t.Cleanup(func() { Version = old })
	Version = "v1.2.3" // what -ldflags -X sets
	if _, out, _ := run(t, "version"); !strings.HasPrefix(out, "lpm v1.2.3 (go") {
		t.Errorf("lpm version printed %q, want the linker-set version", out)
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string // in the usage printed on stdout
	}{
		{[]string{"help"}, []string{"Usage: lpm <command>", "serve", "user add", "token create", "loadtest", "version"}},
		{[]string{"--help"}, []string{"Usage: lpm <command>", "serve"}},
		{[]string{"-h"}, []string{"Usage: lpm <command>"}},
		{[]string{"help", "serve"}, []string{"Usage: lpm serve", "--addr", "LPM_ADDR", "--db", "LPM_DB", "--log-level", "--demo"}},
		{[]string{"serve", "--help"}, []string{"Usage: lpm serve", "--demo"}},
		{[]string{"user", "add", "--help"}, []string{"Usage: lpm user add <name>", "--display-name", "--admin"}},
		{[]string{"help", "token", "create"}, []string{"Usage: lpm token create --user=STRING", "--name"}},
		{[]string{"token", "create", "--help"}, []string{"Usage: lpm token create"}},
		{[]string{"loadtest", "--help"}, []string{"Usage: lpm loadtest", "--url", "--token", "--epics", "--clients",
			"--duration", "--board-clients", "--mode", "--owner"}},
		{[]string{"help", "okr", "import"}, []string{"Usage: lpm okr import --portfolio=ID|NAME --theme=ID|NAME <file>", "--dry-run", "reads stdin"}},
		{[]string{"version", "--help"}, []string{"Usage: lpm version"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := run(t, tt.args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q; want 0 and nothing", code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("usage lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// The loadtest flags default to the load test's own defaults.
func TestLoadtestDefaults(t *testing.T) {
	for _, k := range []string{"LPM_URL", "LPM_TOKEN"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	var cmds commands
	k, err := newParser(&cmds, io.Discard, io.Discard, func(int) {})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Parse([]string{"loadtest", "--token", "x"}); err != nil {
		t.Fatal(err)
	}
	want := loadtest.DefaultConfig()
	want.Token = "x"
	if diff := cmp.Diff(want, cmds.Loadtest.config()); diff != "" {
		t.Errorf("loadtest flags (-want +got):\n%s", diff)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string // on stderr
	}{
		{"no command", nil, nil, "no command given"},
		{"unknown command", []string{"deploy"}, nil, "unexpected argument deploy"},
		{"unknown flag", []string{"serve", "--port", "80"}, nil, "unknown flag --port"},
		{"unknown subcommand", []string{"user", "remove", "bob"}, nil, "unexpected argument remove"},
		{"missing required flag", []string{"token", "create"}, nil, "missing flags: --user"},
		{"missing argument", []string{"user", "add"}, nil, "expected \"<name>\""},
		{"bad log level", []string{"serve", "--log-level", "loud"}, nil, "--log-level must be one of"},
		{"bad log level from env", []string{"serve"}, map[string]string{"LPM_LOG_LEVEL": "loud"}, "must be one of"},
		{"bad duration", []string{"loadtest", "--token", "x", "--duration", "soon"}, nil, "--duration"},
		{"bad mode", []string{"loadtest", "--token", "x", "--mode", "sideways"}, nil, "--mode must be one of"},
		{"loadtest without token", []string{"loadtest"}, nil, "missing flags: --token"},
		// Zero is refused, not replaced by the default, before anything is sent.
		{"zero epics", []string{"loadtest", "--token", "x", "--url", "http://127.0.0.1:1", "--epics", "0"}, nil,
			"epics must be between 1 and 1000000, got 0"},
		{"zero clients", []string{"loadtest", "--token", "x", "--url", "http://127.0.0.1:1", "--clients", "0"}, nil,
			"clients must be between 1 and 10000, got 0"},
		{"zero duration", []string{"loadtest", "--token", "x", "--url", "http://127.0.0.1:1", "--duration", "0s"}, nil,
			"duration must be between 100ms and 24h, got 0s"},
		{"zero board clients", []string{"loadtest", "--token", "x", "--url", "http://127.0.0.1:1", "--board-clients=0"}, nil,
			"board-clients must be between"},
		{"empty owner", []string{"loadtest", "--token", "x", "--url", "http://127.0.0.1:1", "--owner="}, nil, "owner is required"},
		{"bad user name", []string{"user", "add", "Bob Smith", "--db", "unused.db"}, nil, "user name must be"},
		{"tls cert without key", []string{"serve", "--db", "unused.db", "--tls-cert", "cert.pem"}, nil, "--tls-cert and --tls-key go together"},
		{"tls key from env without cert", []string{"serve", "--db", "unused.db"}, map[string]string{"LPM_TLS_KEY": "key.pem"}, "--tls-cert and --tls-key go together"},
		{"public url without scheme", []string{"serve", "--db", "unused.db", "--public-url", "lpm.example.com"}, nil, "--public-url \"lpm.example.com\" must be an absolute"},
		{"public url with a path", []string{"serve", "--db", "unused.db", "--public-url", "https://example.com/lpm"}, nil, "scheme and host only"},
		{"bad trusted proxy", []string{"serve", "--db", "unused.db", "--trusted-proxy", "10.0.0.0/8,proxy.local"}, nil, "--trusted-proxy \"proxy.local\""},
		{"bad trusted proxy from env", []string{"serve", "--db", "unused.db"}, map[string]string{"LPM_TRUSTED_PROXIES": "10.0.0.0/33"}, "--trusted-proxy"},
		{"negative rate limit", []string{"serve", "--db", "unused.db", "--rate-limit-token=-1"}, nil, "--rate-limit-token must be"},
		{"rate limit not a number", []string{"serve", "--db", "unused.db", "--rate-limit-address", "many"}, nil, "--rate-limit-address"},
		{"oidc issuer without client", []string{"serve", "--db", "unused.db", "--oidc-issuer", "https://sso.example.com"}, nil,
			"--oidc-issuer and --oidc-client-id go together"},
		{"oidc client without issuer", []string{"serve", "--db", "unused.db"}, map[string]string{"LPM_OIDC_CLIENT_ID": "lpm"},
			"--oidc-issuer and --oidc-client-id go together"},
		{"oidc secret alone", []string{"serve", "--db", "unused.db"}, map[string]string{"LPM_OIDC_CLIENT_SECRET": "s3cret"}, "need --oidc-issuer"},
		{"oidc issuer not a url", []string{"serve", "--db", "unused.db", "--oidc-issuer", "sso", "--oidc-client-id", "lpm"}, nil, "--oidc-issuer \"sso\""},
		{"oidc bad redirect", []string{"serve", "--db", "unused.db", "--oidc-issuer", "https://sso.example.com", "--oidc-client-id", "lpm",
			"--oidc-redirect-url", "/callback"}, nil, "--oidc-redirect-url"},
		{"bad role", []string{"role", "grant", "--db", "unused.db", "--portfolio", "1", "--user", "bob", "--role", "boss"}, nil, "role must be one of portfolio_admin"},
		{"bad group role", []string{"group", "map", "--db", "unused.db", "--portfolio", "1", "--group", "g", "--role", "boss"}, nil, "role must be one of"},
		{"bad scope", []string{"token", "create", "--db", "unused.db", "--user", "bob", "--scope", "admin"}, nil, "--scope must be one of"},
		{"bad lifetime", []string{"token", "create", "--db", "unused.db", "--user", "bob", "--expires-in", "soon"}, nil, "--expires-in \"soon\""},
		{"lifetime too long", []string{"token", "create", "--db", "unused.db", "--user", "bob", "--expires-in", "800d"}, nil, "at most two years"},
		{"password not on stdin", []string{"user", "passwd", "bob", "--db", "unused.db"}, nil, "no password on stdin"},
		{"export of no trail", []string{"audit", "export", "--db", "unused.db"}, nil, "--portfolio ID|NAME or --site"},
		{"export of two trails", []string{"audit", "export", "--db", "unused.db", "--site", "--portfolio", "1"}, nil, "--site"},
		{"bad export format", []string{"audit", "export", "--db", "unused.db", "--site", "--format", "xml"}, nil, "--format must be one of"},
		{"help on nothing", []string{"help", "deploy"}, nil, "deploy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir()) // nothing a refused command writes may land in the source tree
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			code, out, errOut := run(t, tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q does not say %q", errOut, tt.want)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			if _, err := os.Stat("unused.db"); err == nil {
				t.Errorf("a refused command created a database")
			}
		})
	}
}

func TestUserAndToken(t *testing.T) {
	db := testenv.SQLiteDSN(t)
	code, out, errOut := run(t, "user", "add", "alice", "--db", db, "--display-name", "Alice Martin", "--admin")
	if code != 0 || out != "" || !strings.Contains(errOut, "created site admin alice") {
		t.Fatalf("user add: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// LPM_DB names the same store as --db does.
	t.Setenv("LPM_DB", db)
	if code, _, errOut := run(t, "user", "add", "bob"); code != 0 {
		t.Fatalf("user add with LPM_DB: exit %d, stderr %q", code, errOut)
	}

	code, out, errOut = run(t, "token", "create", "--user", "alice", "--name", "ci")
	if code != 0 || errOut != "" {
		t.Fatalf("token create: exit %d, stderr %q", code, errOut)
	}
	if !regexp.MustCompile(`^lpm_[a-z2-7]+\n$`).MatchString(out) {
		t.Fatalf("token create printed %q, want the token alone on a line", out)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for name, wantAdmin := range map[string]bool{"alice": true, "bob": false} {
		u, err := st.FindUserByName(ctx, name)
		if err != nil || u.IsAdmin != wantAdmin {
			t.Errorf("user %s: %+v, %v; want admin=%v", name, u, err, wantAdmin)
		}
	}
	u, _, err := st.Authenticate(ctx, strings.TrimSpace(out))
	if err != nil || u.Name != "alice" || u.DisplayName != "Alice Martin" || !u.IsAdmin {
		t.Errorf("the printed token authenticates %+v, %v; want admin alice", u, err)
	}

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"duplicate user", []string{"user", "add", "alice"}, "create user alice"},
		{"token for nobody", []string{"token", "create", "--user", "ghost"}, `no user "ghost"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.args...)
			if code != 1 || out != "" || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 1, nothing, and %q", code, out, errOut, tt.want)
			}
		})
	}
}

// serving is an lpm serve running in the background.
type serving struct {
	stdout, stderr testenv.SyncBuffer
	cancel         context.CancelFunc
	done           chan int
}

// startServe runs `lpm args…` until the test stops it.
func startServe(t *testing.T, args ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{cancel: cancel, done: make(chan int, 1)}
	go func() { s.done <- Run(ctx, args, strings.NewReader(""), &s.stdout, &s.stderr) }()
	t.Cleanup(func() {
		cancel()
		<-s.done
	})
	return s
}

// await waits for re to match what the command printed on stdout and
// returns the submatches; it fails if the command exits first.
func (s *serving) await(t *testing.T, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(s.stdout.String()); m != nil {
			return m
		}
		select {
		case code := <-s.done:
			s.done <- code
			t.Fatalf("lpm exited with %d before printing %v; stdout:\n%s\nstderr:\n%s", code, re, s.stdout.String(), s.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("lpm did not print %v in time; stdout:\n%s\nstderr:\n%s", re, s.stdout.String(), s.stderr.String())
	return nil
}

// stop cancels the command's context and returns its exit status.
func (s *serving) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		s.done <- code
		return code
	case <-time.After(20 * time.Second):
		t.Fatal("lpm serve did not stop within 20s of its context ending")
		return -1
	}
}

var (
	listeningRE = regexp.MustCompile(`lpm: listening on (http://\S+)\n`)
	tokenRE     = regexp.MustCompile(`Authorization: Bearer (lpm_[a-z2-7]+)" (http://\S+)/api/v1/portfolios\n`)
)

func TestServeDemo(t *testing.T) {
	// The load test below drives thousands of requests a second from one
	// address: the rate limits are off, as docs/BENCHMARKS.md runs it.
	s := startServe(t, "serve", "--demo", "--db", testenv.SQLiteDSN(t), "--addr", "127.0.0.1:0",
		"--rate-limit-address", "0", "--rate-limit-token", "0")
	base := s.await(t, listeningRE)[1]
	m := s.await(t, tokenRE)
	token := m[1]
	if m[2] != base {
		t.Errorf("the curl example uses %s, the server listens on %s", m[2], base)
	}
	if !strings.Contains(s.stdout.String(), "60 epics") {
		t.Errorf("stdout does not summarise the demo:\n%s", s.stdout.String())
	}
	// Who holds which role where, and the password they share.
	for _, want := range []string{"sign in at " + base + "/sign-in", demo.Password, "DIGITAL BANKING", "CORE PLATFORMS",
		"admin ", "site admin", "nina.hofmann", "portfolio_admin", "decision_maker", "enterprise_architect", "epic_owner",
		"portfolio_operations", "contributor", "viewer", "cannot see it"} {
		if !strings.Contains(s.stdout.String(), want) {
			t.Errorf("stdout does not show %q:\n%s", want, s.stdout.String())
		}
	}

	tests := []struct {
		name, path, token string
		status            int
	}{
		{"health", "/healthz", "", http.StatusOK},
		{"portfolios", "/api/v1/portfolios", token, http.StatusOK},
		{"portfolios without a token", "/api/v1/portfolios", "", http.StatusUnauthorized},
		{"portfolios with a wrong token", "/api/v1/portfolios", "lpm_wrong", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, base+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.StatusCode != tt.status {
				t.Fatalf("GET %s: %d, want %d", tt.path, res.StatusCode, tt.status)
			}
			if tt.path != "/api/v1/portfolios" || tt.status != http.StatusOK {
				return
			}
			var page struct {
				Items []struct {
					Name string `json:"name"`
				} `json:"items"`
			}
			if err := json.NewDecoder(res.Body).Decode(&page); err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != 2 {
				t.Errorf("GET /api/v1/portfolios lists %d portfolios, want the demo's 2", len(page.Items))
			}
		})
	}

	// The load test command drives the demo server with the printed token.
	code, out, errOut := run(t, "loadtest", "--url", base, "--token", token, "--epics", "20", "--clients", "2",
		"--board-clients", "1", "--duration", "300ms")
	if code != 0 || !strings.Contains(out, "transitions") || !strings.Contains(out, "board after the run: 20 epics") ||
		!strings.Contains(out, "consistent") {
		t.Errorf("lpm loadtest: exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}

	if code := s.stop(t); code != 0 {
		t.Errorf("lpm serve exited with %d after its context ended, want 0; stderr:\n%s", code, s.stderr.String())
	}
	if !strings.Contains(s.stderr.String(), "level=INFO") {
		t.Errorf("no slog text lines on stderr:\n%s", s.stderr.String())
	}
}

// TestServeDemoRefusesData checks that --demo never mixes into existing
// data, and that LPM_DB names the store like --db does.
func TestServeDemoRefusesData(t *testing.T) {
	db := testenv.SQLiteDSN(t)
	if code, _, errOut := run(t, "user", "add", "carol", "--db", db); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	t.Setenv("LPM_DB", db)
	t.Setenv("LPM_ADDR", "127.0.0.1:0")
	code, out, errOut := run(t, "serve", "--demo")
	want := "lpm: " + db + " already holds data; --demo only loads into an empty store. Run `lpm serve` to use it, or pass --db with a new file\n"
	if code != 1 || out != "" || !strings.HasSuffix(errOut, want) {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1, nothing, and ending in %q", code, out, errOut, want)
	}
}

// TestServeFromEnv starts the server configured only by environment.
func TestServeFromEnv(t *testing.T) {
	db := testenv.SQLiteDSN(t)
	t.Setenv("LPM_DB", db)
	t.Setenv("LPM_ADDR", "127.0.0.1:0")
	t.Setenv("LPM_LOG_LEVEL", "warn")
	s := startServe(t, "serve")
	s.await(t, listeningRE)
	if _, err := os.Stat(db); err != nil {
		t.Errorf("the store named by LPM_DB was not created: %v", err)
	}
	if code := s.stop(t); code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
	if strings.Contains(s.stderr.String(), "level=INFO") {
		t.Errorf("LPM_LOG_LEVEL=warn still logs info:\n%s", s.stderr.String())
	}
}

func TestBaseURL(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8080": "http://127.0.0.1:8080",
		"[::]:8080":      "http://127.0.0.1:8080",
		"0.0.0.0:80":     "http://127.0.0.1:80",
		":9000":          "http://127.0.0.1:9000",
		"[::1]:8080":     "http://[::1]:8080",
		"lpm.local:443":  "http://lpm.local:443",
	} {
		if got := baseURL("http", addr); got != want {
			t.Errorf("baseURL(http, %q) = %q, want %q", addr, got, want)
		}
	}
	if got := baseURL("https", "[::]:8443"); got != "https://127.0.0.1:8443" {
		t.Errorf("baseURL(https, [::]:8443) = %q", got)
	}
}

func TestRedact(t *testing.T) {
	for dsn, want := range map[string]string{
		"./lpm.db": "./lpm.db",
		"postgres://lpm:s3cret@db:5432/lpm?sslmode=disable": "postgres://lpm:xxxxx@db:5432/lpm?sslmode=disable",
		"postgres://db/lpm": "postgres://db/lpm",
	} {
		if got := redact(dsn); got != want {
			t.Errorf("redact(%q) = %q, want %q", dsn, got, want)
		}
	}
}
