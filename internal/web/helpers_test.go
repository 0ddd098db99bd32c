package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/oidctest"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
	"github.com/lpm-project/lpm/internal/web"
)

var (
	ctx    = context.Background()
	system = lpm.SystemActor("test")
)

// Passwords of the fixture's users.
const (
	alicePassword = "correct horse battery staple"
	bobPassword   = "bob's own long password"
	adminPassword = "the site admin's password"
)

// fixture is a store with a few users and portfolios:
//   - alice: decision maker and epic owner in Alpha, no role in Beta;
//   - bob: viewer in Beta;
//   - root: site admin, no roles;
//   - nopass: has no password; dora: disabled.
type fixture struct {
	st                       *store.Store
	alice, bob, root, nopass *lpm.User
	dora                     *lpm.User
	alpha, beta              *lpm.Portfolio
}

// forEachStore runs f on a fresh fixture on SQLite and on PostgreSQL.
func forEachStore(t *testing.T, f func(t *testing.T, fx *fixture)) {
	t.Helper()
	testenv.ForEachStore(t, func(t *testing.T, dsn string) { f(t, newFixture(t, dsn)) })
}

func newFixture(t testing.TB, dsn string) *fixture {
	t.Helper()
	st, err := store.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	fx := &fixture{st: st}
	fx.alice = fx.user(t, "alice", "Alice Example", alicePassword, false)
	fx.bob = fx.user(t, "bob", "Bob Builder", bobPassword, false)
	fx.root = fx.user(t, "root", "Site Admin", adminPassword, true)
	fx.nopass = fx.user(t, "nopass", "No Password", "", false)
	fx.dora = fx.user(t, "dora", "Disabled Dora", "dora's long password", false)
	disabled := true
	if _, err := st.UpdateUser(ctx, fx.dora.ID, lpm.UserUpdate{Disabled: &disabled}, system); err != nil {
		t.Fatalf("disable dora: %v", err)
	}
	fx.alpha = fx.portfolio(t, "Alpha Portfolio", "ALPHA")
	fx.beta = fx.portfolio(t, "Beta Portfolio", "BETA")
	fx.grant(t, fx.alpha, fx.alice, lpm.RoleDecisionMaker)
	fx.grant(t, fx.alpha, fx.alice, lpm.RoleEpicOwner)
	fx.grant(t, fx.beta, fx.bob, lpm.RoleViewer)
	return fx
}

func (fx *fixture) user(t testing.TB, name, display, password string, admin bool) *lpm.User {
	t.Helper()
	u := &lpm.User{Name: name, DisplayName: display, IsAdmin: admin}
	if err := fx.st.CreateUser(ctx, u, "", system); err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	if password != "" {
		hash, err := lpm.HashPassword(password)
		if err != nil {
			t.Fatal(err)
		}
		if err := fx.st.SetPassword(ctx, u.ID, hash, system); err != nil {
			t.Fatalf("set password of %s: %v", name, err)
		}
	}
	return u
}

func (fx *fixture) portfolio(t testing.TB, name, prefix string) *lpm.Portfolio {
	t.Helper()
	p := &lpm.Portfolio{Name: name, KeyPrefix: prefix}
	p.WithDefaults(lpm.Now())
	if err := fx.st.CreatePortfolio(ctx, p, system); err != nil {
		t.Fatalf("create portfolio %s: %v", name, err)
	}
	return p
}

func (fx *fixture) grant(t testing.TB, p *lpm.Portfolio, u *lpm.User, r lpm.Role) {
	t.Helper()
	if err := fx.st.Grant(ctx, lpm.Membership{PortfolioID: p.ID, UserID: u.ID, Role: r}, system); err != nil {
		t.Fatalf("grant %s to %s: %v", r, u.Name, err)
	}
}

// site is lpm's web pages served by a real HTTP server, with their log.
type site struct {
	t   *testing.T
	srv *httptest.Server
	log *testenv.SyncBuffer
	// secrets are values that must never appear in the log; browsers and
	// tests add to it, and the site checks when the test ends.
	mu      sync.Mutex
	secrets []string
}

// siteOptions changes how a site is started.
type siteOptions struct {
	tls    bool
	public string
	oidc   *web.OIDCConfig
}

// startSite serves the web pages on fx's store and checks, when the test
// ends, that no secret reached the log.
func startSite(t *testing.T, fx *fixture, opts siteOptions) *site {
	t.Helper()
	s := &site{t: t, log: &testenv.SyncBuffer{}}
	logger := slog.New(slog.NewJSONHandler(s.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h, err := web.New(web.Config{Store: fx.st, Logger: logger, PublicURL: opts.public, OIDC: opts.oidc})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	if opts.tls {
		s.srv = httptest.NewTLSServer(h)
	} else {
		s.srv = httptest.NewServer(h)
	}
	t.Cleanup(s.srv.Close)
	s.addSecrets(alicePassword, bobPassword, adminPassword, "dora's long password")
	t.Cleanup(s.checkLog)
	return s
}

func (s *site) addSecrets(secrets ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range secrets {
		if len(v) >= 8 { // shorter values could match by chance
			s.secrets = append(s.secrets, v)
		}
	}
}

// checkLog fails the test if any secret shows up in the log.
func (s *site) checkLog() {
	s.t.Helper()
	log := s.log.String()
	if os.Getenv("SHOWLOG") != "" {
		s.t.Log(log)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.secrets {
		if strings.Contains(log, v) {
			s.t.Errorf("a secret (%.6s…) appears in the log:\n%s", v, log)
		}
	}
}

// browser is a person's browser: a cookie jar and a client that does not
// follow redirects on its own, so tests see each step.
type browser struct {
	t      *testing.T
	site   *site
	client *http.Client
}

func (s *site) browser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := *s.srv.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{t: t, site: s, client: &c}
}

// page is a response, read.
type page struct {
	status int
	header http.Header
	body   string
	url    *url.URL
}

func (p page) location() string { return p.header.Get("Location") }

func (b *browser) abs(u string) string {
	if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		return u
	}
	return b.site.srv.URL + u
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	// Whatever the server hands out in cookies is a secret, and so are the
	// state, nonce and PKCE verifier inside the single sign-on cookie.
	for _, c := range resp.Cookies() {
		b.site.addSecrets(c.Value)
		if raw, err := base64.RawURLEncoding.DecodeString(c.Value); err == nil {
			var fields map[string]any
			if json.Unmarshal(raw, &fields) == nil {
				for _, v := range fields {
					if s, ok := v.(string); ok && len(s) >= 32 && !strings.Contains(s, "/") {
						b.site.addSecrets(s)
					}
				}
			}
		}
	}
	p := page{status: resp.StatusCode, header: resp.Header, body: string(body), url: req.URL}
	for _, m := range csrfRE.FindAllStringSubmatch(p.body, -1) {
		b.site.addSecrets(m[1])
	}
	return p
}

func (b *browser) get(u string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.abs(u), nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

func (b *browser) post(u string, form url.Values) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.abs(u), strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// follow follows redirects from p until a page that is not one.
func (b *browser) follow(p page) page {
	b.t.Helper()
	for range 10 {
		if p.status < 300 || p.status >= 400 {
			return p
		}
		next, err := p.url.Parse(p.location())
		if err != nil {
			b.t.Fatalf("bad Location %q: %v", p.location(), err)
		}
		p = b.get(next.String())
	}
	b.t.Fatalf("more than 10 redirects, last to %s", p.location())
	return p
}

var csrfRE = regexp.MustCompile(`name="` + httpauth.CSRFField + `" value="([^"]+)"`)

// csrf returns the CSRF token of the page's first form.
func (p page) csrf(t *testing.T) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no CSRF field on the page:\n%s", p.body)
	}
	return m[1]
}

// signIn fills in and sends the sign-in form.
func (b *browser) signIn(name, password, next string) page {
	b.t.Helper()
	form := b.get("/sign-in?next=" + url.QueryEscape(next))
	if form.status != http.StatusOK {
		b.t.Fatalf("GET /sign-in: status %d", form.status)
	}
	return b.post("/sign-in", url.Values{
		httpauth.CSRFField: {form.csrf(b.t)}, "name": {name}, "password": {password}, "next": {next},
	})
}

// sessionCookie returns the browser's session cookie value, "" if none.
func (b *browser) sessionCookie() string {
	u, _ := url.Parse(b.site.srv.URL)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == httpauth.SessionCookie || c.Name == httpauth.SessionCookieInsecure {
			return c.Value
		}
	}
	return ""
}

// wantSignedOut fails unless the home page sends the browser to sign in.
func (b *browser) wantSignedOut() {
	b.t.Helper()
	p := b.get("/")
	if p.status != http.StatusSeeOther || p.location() != "/sign-in?next=/" {
		b.t.Fatalf("GET / = %d to %q, want 303 to /sign-in?next=/ (signed out)", p.status, p.location())
	}
}

// wantSignedIn fails unless the home page greets displayName; it returns it.
func (b *browser) wantSignedIn(displayName string) page {
	b.t.Helper()
	p := b.get("/")
	if p.status != http.StatusOK || !strings.Contains(p.body, "Signed in as <strong>"+displayName+"</strong>") {
		b.t.Fatalf("GET / = %d, want the home page of %s:\n%s", p.status, displayName, p.body)
	}
	return p
}

// setCookie returns the response's Set-Cookie header for name.
func (p page) setCookie(t *testing.T, name string) *http.Cookie {
	t.Helper()
	for _, line := range p.header.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		if err == nil && c.Name == name {
			return c
		}
	}
	return nil
}

func wantStatus(t *testing.T, p page, status int) {
	t.Helper()
	if p.status != status {
		t.Fatalf("%s: status %d, want %d; body:\n%s", p.url, p.status, status, p.body)
	}
}

func wantBody(t *testing.T, p page, substrings ...string) {
	t.Helper()
	for _, s := range substrings {
		if !strings.Contains(p.body, s) {
			t.Errorf("%s: page lacks %q:\n%s", p.url, s, p.body)
		}
	}
}

func wantNoBody(t *testing.T, p page, substrings ...string) {
	t.Helper()
	for _, s := range substrings {
		if strings.Contains(p.body, s) {
			t.Errorf("%s: page has %q but must not", p.url, s)
		}
	}
}

// ssoSite starts a provider and a site using it for single sign-on.
func ssoSite(t *testing.T, fx *fixture, user oidctest.User, change func(*web.OIDCConfig)) (*site, *oidctest.Provider) {
	t.Helper()
	p := oidctest.New(t, oidctest.Config{User: user})
	cfg := &web.OIDCConfig{Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: p.ClientSecret}
	if change != nil {
		change(cfg)
	}
	s := startSite(t, fx, siteOptions{oidc: cfg})
	p.AllowRedirectURI(s.srv.URL + "/auth/oidc/callback")
	t.Cleanup(func() { s.addSecrets(p.Secrets()...) }) // runs before checkLog
	return s, p
}

// onSQLite runs f on a fresh fixture on SQLite only, for behaviour that
// does not depend on the store.
func onSQLite(t *testing.T, f func(t *testing.T, fx *fixture)) {
	t.Helper()
	f(t, newFixture(t, testenv.SQLiteDSN(t)))
}
