package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

var alertRE = regexp.MustCompile(`<p class="alert" role="alert">([^<]*)</p>`)

// alert returns the error the sign-in page shows, "" if none.
func (p page) alert() string {
	if m := alertRE.FindStringSubmatch(p.body); m != nil {
		return m[1]
	}
	return ""
}

func TestSignInForm(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		b := s.browser(t)
		p := b.get("/sign-in?next=/somewhere")
		wantStatus(t, p, http.StatusOK)
		wantBody(t, p, `<label for="name">`, `<label for="password">`, `id="name"`, `id="password"`,
			`name="`+httpauth.CSRFField+`"`, `name="next" value="/somewhere"`, `autocomplete="current-password"`)
		wantNoBody(t, p, "single sign-on")
		if cc := p.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control = %q, want no-store", cc)
		}
		c := p.setCookie(t, "lpm_csrf")
		if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure || c.Value != p.csrf(t) {
			t.Errorf("lpm_csrf cookie = %+v, want HttpOnly, SameSite=Strict, not Secure over http, equal to the form's token", c)
		}
		// The same browser keeps its token.
		if again := b.get("/sign-in"); again.csrf(t) != p.csrf(t) || again.setCookie(t, "lpm_csrf") != nil {
			t.Error("a second visit changed the CSRF token")
		}
	})
}

func TestPasswordSignIn(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})

		t.Run("CSRF token missing or wrong", func(t *testing.T) {
			b := s.browser(t)
			form := b.get("/sign-in")
			other := s.browser(t).get("/sign-in").csrf(t) // a valid token of another browser
			cases := []struct {
				name  string
				b     *browser
				token []string
			}{
				{"no field", b, nil},
				{"empty field", b, []string{""}},
				{"other browser's token", b, []string{other}},
				{"no cookie", s.browser(t), []string{form.csrf(t)}},
			}
			for _, tc := range cases {
				form := url.Values{"name": {"alice"}, "password": {alicePassword}, "next": {"/"}}
				if tc.token != nil {
					form[httpauth.CSRFField] = tc.token
				}
				p := tc.b.post("/sign-in", form)
				wantStatus(t, p, http.StatusForbidden)
				if !strings.Contains(p.alert(), "expired") {
					t.Errorf("%s: alert %q does not explain", tc.name, p.alert())
				}
				if c := p.setCookie(t, httpauth.SessionCookieInsecure); c != nil {
					t.Errorf("%s: a session cookie was set", tc.name)
				}
				tc.b.wantSignedOut()
			}
			// The refusal shows a working form again.
			p := b.signIn("alice", alicePassword, "/")
			wantStatus(t, p, http.StatusSeeOther)
		})

		t.Run("wrong password and unknown user get one answer", func(t *testing.T) {
			b := s.browser(t)
			wrong := b.signIn("bob", "not bob's password at all", "/")
			wantStatus(t, wrong, http.StatusUnauthorized)
			if !strings.Contains(wrong.alert(), "wrong user name or password") {
				t.Fatalf("alert = %q, want the generic message", wrong.alert())
			}
			if c := wrong.setCookie(t, httpauth.SessionCookieInsecure); c != nil {
				t.Error("a failed sign-in set a session cookie")
			}
			if st, err := fx.st.SignInState(ctx, "bob"); err != nil || st.Failures != 1 {
				t.Errorf("failures of bob = %d (%v), want 1", st.Failures, err)
			}
			if !strings.Contains(wrong.body, `value="bob"`) {
				t.Error("the form does not keep the user name")
			}
			for _, name := range []string{"nobody", "nopass", "dora", "NOBODY!", strings.Repeat("x", 100)} {
				p := b.signIn(name, "some password of twelve", "/")
				wantStatus(t, p, http.StatusUnauthorized)
				if p.alert() != wrong.alert() {
					t.Errorf("%s: alert %q, want the same as for a wrong password (%q)", name, p.alert(), wrong.alert())
				}
			}
			// The disabled user's right password does not help either.
			p := b.signIn("dora", "dora's long password", "/")
			wantStatus(t, p, http.StatusUnauthorized)
			if p.alert() != wrong.alert() {
				t.Errorf("disabled user: alert %q, want %q", p.alert(), wrong.alert())
			}
			b.wantSignedOut()
			// Empty fields are asked for, not counted.
			p = b.signIn("", "", "/")
			wantStatus(t, p, http.StatusBadRequest)
		})

		t.Run("success, home page, sign-out", func(t *testing.T) {
			b := s.browser(t)
			if _, err := fx.st.RecordSignInFailure(ctx, "alice"); err != nil {
				t.Fatal(err)
			}
			p := b.signIn(" Alice ", alicePassword, "/")
			wantStatus(t, p, http.StatusSeeOther)
			if p.location() != "/" {
				t.Errorf("redirected to %q, want /", p.location())
			}
			c := p.setCookie(t, httpauth.SessionCookieInsecure)
			if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/" ||
				c.MaxAge != int(lpm.SessionLifetime/time.Second) || !strings.HasPrefix(c.Value, "lpms_") {
				t.Fatalf("session cookie = %+v, want lpm_session, HttpOnly, SameSite=Lax, Path=/, Max-Age %d", c, int(lpm.SessionLifetime/time.Second))
			}
			if st, err := fx.st.SignInState(ctx, "alice"); err != nil || st.Failures != 0 {
				t.Errorf("failures of alice after signing in = %d (%v), want 0", st.Failures, err)
			}
			if expired := p.setCookie(t, "lpm_csrf"); expired == nil || expired.MaxAge >= 0 {
				t.Error("the sign-in form's CSRF cookie was not dropped")
			}

			home := b.wantSignedIn("Alice Example")
			wantBody(t, home, "Alpha Portfolio", lpm.RoleDecisionMaker.Title(), lpm.RoleEpicOwner.Title())
			wantNoBody(t, home, "Beta Portfolio", "site admin")

			// A signed-in visit to the form goes on.
			if p := b.get("/sign-in?next=/x"); p.status != http.StatusSeeOther || p.location() != "/x" {
				t.Errorf("GET /sign-in signed in = %d to %q, want 303 to /x", p.status, p.location())
			}

			// Sign-out needs the session's CSRF token.
			secret := b.sessionCookie()
			p = b.post("/sign-out", url.Values{httpauth.CSRFField: {"wrong"}})
			wantStatus(t, p, http.StatusForbidden)
			b.wantSignedIn("Alice Example")
			p = b.post("/sign-out", url.Values{httpauth.CSRFField: {home.csrf(t)}})
			wantStatus(t, p, http.StatusSeeOther)
			if p.location() != "/sign-in" {
				t.Errorf("sign-out redirected to %q, want /sign-in", p.location())
			}
			if c := p.setCookie(t, httpauth.SessionCookieInsecure); c == nil || c.MaxAge >= 0 {
				t.Errorf("sign-out did not expire the cookie: %+v", c)
			}
			b.wantSignedOut()
			if _, _, err := fx.st.FindSession(ctx, secret); lpm.ErrorCodeOf(err) != lpm.ENOTFOUND {
				t.Errorf("FindSession after sign-out: %v, want not found", err)
			}
			// Someone who kept a copy of the cookie gets nowhere.
			replay := s.browser(t)
			u, _ := url.Parse(s.srv.URL)
			replay.client.Jar.SetCookies(u, []*http.Cookie{{Name: httpauth.SessionCookieInsecure, Value: secret}})
			replay.wantSignedOut()
		})

		t.Run("a session from before sign-in is ended", func(t *testing.T) {
			attacker := s.browser(t)
			wantStatus(t, attacker.signIn("bob", bobPassword, "/"), http.StatusSeeOther)
			planted := attacker.sessionCookie()
			victim := s.browser(t)
			u, _ := url.Parse(s.srv.URL)
			victim.client.Jar.SetCookies(u, []*http.Cookie{{Name: httpauth.SessionCookieInsecure, Value: planted, Path: "/"}})
			victim.wantSignedIn("Bob Builder")
			// The victim signs in as themselves: GET /sign-in would pass them
			// on, so they use a form fetched before the cookie was planted.
			fresh := s.browser(t)
			form := fresh.get("/sign-in")
			victim.client.Jar.SetCookies(u, fresh.client.Jar.Cookies(u))
			p := victim.post("/sign-in", url.Values{httpauth.CSRFField: {form.csrf(t)}, "name": {"alice"},
				"password": {alicePassword}, "next": {"/"}})
			wantStatus(t, p, http.StatusSeeOther)
			if got := victim.sessionCookie(); got == planted || got == "" {
				t.Fatal("the session was not replaced")
			}
			victim.wantSignedIn("Alice Example")
			attacker.wantSignedOut()
		})

		t.Run("next must stay on the site", func(t *testing.T) {
			cases := map[string]string{
				"":                         "/",
				"/":                        "/",
				"/portfolios/1?tab=kanban": "/portfolios/1?tab=kanban",
				"//evil.example/":          "/",
				"/\\evil.example":          "/",
				"/\t/evil.example":         "/",
				"https://evil.example/":    "/",
				"evil.example":             "/",
				"javascript:alert(1)":      "/",
			}
			for next, want := range cases {
				b := s.browser(t)
				form := b.get("/sign-in?next=" + url.QueryEscape(next))
				if !strings.Contains(form.body, `name="next" value="`+want+`"`) {
					t.Errorf("next %q: the form carries another next than %q", next, want)
				}
				p := b.post("/sign-in", url.Values{httpauth.CSRFField: {form.csrf(t)}, "name": {"bob"},
					"password": {bobPassword}, "next": {next}})
				wantStatus(t, p, http.StatusSeeOther)
				if p.location() != want {
					t.Errorf("next %q: redirected to %q, want %q", next, p.location(), want)
				}
				if p := b.get("/sign-in?next=" + url.QueryEscape(next)); p.location() != want {
					t.Errorf("next %q, signed in: redirected to %q, want %q", next, p.location(), want)
				}
			}
		})
	})
}

func TestSecureCookies(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{tls: true, public: "https://lpm.example.com"})
		b := s.browser(t)
		form := b.get("/sign-in")
		if c := form.setCookie(t, "lpm_csrf"); c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
			t.Errorf("lpm_csrf = %+v, want Secure, HttpOnly, SameSite=Strict", c)
		}
		p := b.signIn("alice", alicePassword, "/")
		wantStatus(t, p, http.StatusSeeOther)
		if c := p.setCookie(t, httpauth.SessionCookieInsecure); c != nil {
			t.Errorf("the insecure cookie name was used over https: %+v", c)
		}
		c := p.setCookie(t, httpauth.SessionCookie)
		if c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" ||
			c.MaxAge != int(lpm.SessionLifetime/time.Second) {
			t.Fatalf("session cookie = %+v, want __Host-lpm_session, Secure, HttpOnly, SameSite=Lax, Path=/, no Domain", c)
		}
		b.wantSignedIn("Alice Example")
		home := b.get("/")
		p = b.post("/sign-out", url.Values{httpauth.CSRFField: {home.csrf(t)}})
		if c := p.setCookie(t, httpauth.SessionCookie); c == nil || c.MaxAge >= 0 || !c.Secure {
			t.Errorf("sign-out cookie = %+v, want an expired Secure __Host- cookie", c)
		}
		b.wantSignedOut()

		// Behind a proxy that ends TLS, PublicURL alone makes cookies Secure.
		proxied := startSite(t, fx, siteOptions{public: "https://lpm.example.com"})
		p = proxied.browser(t).signIn("alice", alicePassword, "/")
		if c := p.setCookie(t, httpauth.SessionCookie); c == nil || !c.Secure {
			t.Errorf("behind a TLS proxy: session cookie = %+v, want __Host-lpm_session, Secure", c)
		}
	})
}

func TestThrottling(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		fail := func(name string, n int) {
			t.Helper()
			for range n {
				if _, err := fx.st.RecordSignInFailure(ctx, name); err != nil {
					t.Fatal(err)
				}
			}
		}

		// Slowed: even the right password is refused without being checked.
		fail("alice", lpm.SignInSlowAfter)
		b := s.browser(t)
		p := b.signIn("alice", alicePassword, "/")
		wantStatus(t, p, http.StatusTooManyRequests)
		if ra := p.header.Get("Retry-After"); ra != "1" {
			t.Errorf("Retry-After = %q, want 1", ra)
		}
		if !strings.Contains(p.alert(), "too many failed sign-ins: wait 1 s before trying again") {
			t.Errorf("alert = %q, want the wait", p.alert())
		}
		if c := p.setCookie(t, httpauth.SessionCookieInsecure); c != nil {
			t.Error("a throttled sign-in set a session cookie")
		}
		if st, _ := fx.st.SignInState(ctx, "alice"); st.Failures != lpm.SignInSlowAfter {
			t.Errorf("failures = %d after a throttled attempt, want %d (not counted)", st.Failures, lpm.SignInSlowAfter)
		}
		// Once the wait is over, the right password works and clears the slate.
		time.Sleep(1100 * time.Millisecond)
		wantStatus(t, b.signIn("alice", alicePassword, "/"), http.StatusSeeOther)
		if st, _ := fx.st.SignInState(ctx, "alice"); st.Failures != 0 {
			t.Errorf("failures after signing in = %d, want 0", st.Failures)
		}

		// Locked.
		fail("bob", lpm.SignInLockAfter)
		p = s.browser(t).signIn("bob", bobPassword, "/")
		wantStatus(t, p, http.StatusTooManyRequests)
		ra, err := strconv.Atoi(p.header.Get("Retry-After"))
		if err != nil || ra < int(lpm.SignInLockFor/time.Second)-10 || ra > int(lpm.SignInLockFor/time.Second) {
			t.Errorf("Retry-After = %q, want about %d", p.header.Get("Retry-After"), int(lpm.SignInLockFor/time.Second))
		}
		if !strings.Contains(p.alert(), "locked for 15 more minutes") {
			t.Errorf("alert = %q, want the lock-out", p.alert())
		}

		// A burst of guesses sent at once: only the first SignInSlowAfter
		// are checked; the rest are refused as too soon, not let through on
		// the state the first ones read.
		const burst = 8
		reqs := make([]*http.Request, burst)
		clients := make([]*http.Client, burst)
		for i := range reqs {
			b := s.browser(t)
			form := b.get("/sign-in")
			body := url.Values{httpauth.CSRFField: {form.csrf(t)}, "name": {"carol"}, "password": {"a guess at carol's"}}
			req, err := http.NewRequest(http.MethodPost, b.abs("/sign-in"), strings.NewReader(body.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			reqs[i], clients[i] = req, b.client
		}
		statuses := make(chan int, burst)
		for i := range reqs {
			go func() {
				resp, err := clients[i].Do(reqs[i])
				if err != nil {
					t.Error(err)
					statuses <- 0
					return
				}
				resp.Body.Close()
				statuses <- resp.StatusCode
			}()
		}
		counts := map[int]int{}
		for range burst {
			counts[<-statuses]++
		}
		if counts[http.StatusUnauthorized] != lpm.SignInSlowAfter ||
			counts[http.StatusUnauthorized]+counts[http.StatusTooManyRequests] != burst {
			t.Errorf("a burst of %d guesses: statuses %v, want %d checked (401) and the rest 429",
				burst, counts, lpm.SignInSlowAfter)
		}

		// Names without a user are throttled alike, so throttling does not
		// tell which names exist.
		fail("ghost", lpm.SignInLockAfter)
		p = s.browser(t).signIn("ghost", "whatever password", "/")
		wantStatus(t, p, http.StatusTooManyRequests)
	})
}
