package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/web"
)

var (
	// inlineScriptRE finds a script element other than an empty one that
	// loads one of lpm's static files.
	inlineScriptRE = regexp.MustCompile(`<script(?:[^>]*)>(?:[^<]|<[^/])|<script(?:(?:\s+(?:defer|type="[^"]*"))*)\s*>|<script[^>]* src="(?:[^/"]|//)[^"]*"`)
	inputRE        = regexp.MustCompile(`<input [^>]*>`)
	typeRE         = regexp.MustCompile(`type="([^"]*)"`)
	idRE           = regexp.MustCompile(`id="([^"]*)"`)
	cssRE          = regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)">`)
)

// wantAccessible checks what the Content-Security-Policy and people with
// assistive technology need: no inline script or style, a label for every
// control.
func wantAccessible(t *testing.T, p page) {
	t.Helper()
	lower := strings.ToLower(p.body)
	if m := inlineScriptRE.FindString(lower); m != "" {
		t.Errorf("%s: a script that is not a file of lpm's: %s", p.url, m)
	}
	for _, bad := range []string{"<style", " style=", " on"} {
		if bad == " on" {
			if regexp.MustCompile(`<[^>]+ on[a-z]+=`).MatchString(lower) {
				t.Errorf("%s: an inline event handler", p.url)
			}
			continue
		}
		if strings.Contains(lower, bad) {
			t.Errorf("%s: page contains %q", p.url, bad)
		}
	}
	if !strings.Contains(p.body, `<html lang="en">`) || !strings.Contains(p.body, `name="viewport"`) {
		t.Errorf("%s: no language or viewport", p.url)
	}
	for _, input := range inputRE.FindAllString(p.body, -1) {
		if m := typeRE.FindStringSubmatch(input); m != nil && m[1] == "hidden" {
			continue
		}
		id := idRE.FindStringSubmatch(input)
		if id == nil || !strings.Contains(p.body, `<label for="`+id[1]+`">`) {
			t.Errorf("%s: control without a label: %s", p.url, input)
		}
	}
}

func TestPages(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, fx *fixture) {
		s, _ := ssoSite(t, fx, carol, nil)
		b := s.browser(t)

		signIn := b.get("/sign-in")
		wantAccessible(t, signIn)
		notFound := b.get("/no/such/page")
		wantStatus(t, notFound, http.StatusNotFound)
		wantBody(t, notFound, "Page not found")
		wantAccessible(t, notFound)
		if ct := notFound.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("404 Content-Type = %q", ct)
		}
		wantStatus(t, b.signIn("root", adminPassword, "/"), http.StatusSeeOther)
		wantAccessible(t, b.wantSignedIn("Site Admin"))

		// The style sheet, by its content-hashed address.
		m := cssRE.FindStringSubmatch(signIn.body)
		if m == nil || !strings.Contains(m[1], "?v=") {
			t.Fatalf("no hashed style sheet link on the sign-in page")
		}
		css := b.get(m[1])
		wantStatus(t, css, http.StatusOK)
		if ct := css.header.Get("Content-Type"); ct != "text/css; charset=utf-8" {
			t.Errorf("CSS Content-Type = %q", ct)
		}
		if cc := css.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("hashed CSS Cache-Control = %q, want immutable", cc)
		}
		wantBody(t, css, ":focus-visible")
		if cc := b.get("/static/lpm.css").header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("unhashed CSS Cache-Control = %q, want no-cache", cc)
		}
		wantStatus(t, b.get("/static/"), http.StatusNotFound)
		wantStatus(t, b.get("/static/nothing.css"), http.StatusNotFound)

		// Methods a path does not take.
		req, _ := http.NewRequest(http.MethodPut, s.srv.URL+"/sign-in", nil)
		p := b.do(req)
		wantStatus(t, p, http.StatusMethodNotAllowed)
		if allow := p.header.Get("Allow"); allow != "GET, HEAD, POST" {
			t.Errorf("Allow = %q", allow)
		}
		wantStatus(t, b.post("/", url.Values{}), http.StatusMethodNotAllowed)
		req, _ = http.NewRequest(http.MethodHead, s.srv.URL+"/sign-in", nil)
		if p := s.browser(t).do(req); p.status != http.StatusOK || p.body != "" {
			t.Errorf("HEAD /sign-in = %d with %d bytes", p.status, len(p.body))
		}
	})
}

func TestCrossSiteFormsAreRefused(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		b := s.browser(t)
		form := b.get("/sign-in")
		post := func(path string, values url.Values, site string) page {
			req, _ := http.NewRequest(http.MethodPost, s.srv.URL+path, strings.NewReader(values.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", site)
			return b.do(req)
		}
		values := url.Values{httpauth.CSRFField: {form.csrf(t)}, "name": {"alice"}, "password": {alicePassword}}
		p := post("/sign-in", values, "cross-site")
		wantStatus(t, p, http.StatusForbidden)
		wantBody(t, p, "another web site")
		b.wantSignedOut()
		// A form from lpm itself (or a browser that does not say) goes through.
		wantStatus(t, post("/sign-in", values, "same-origin"), http.StatusSeeOther)
		home := b.wantSignedIn("Alice Example")
		p = post("/sign-out", url.Values{httpauth.CSRFField: {home.csrf(t)}}, "cross-site")
		wantStatus(t, p, http.StatusForbidden)
		b.wantSignedIn("Alice Example")
	})
}

func TestNewChecksConfig(t *testing.T) {
	t.Parallel()
	onSQLite(t, func(t *testing.T, fx *fixture) {
		cases := map[string]web.Config{
			"no store":           {},
			"relative public":    {Store: fx.st, PublicURL: "lpm.example.com"},
			"public with a path": {Store: fx.st, PublicURL: "https://example.com/lpm"},
			"no issuer":          {Store: fx.st, OIDC: &web.OIDCConfig{ClientID: "x"}},
			"no client ID":       {Store: fx.st, OIDC: &web.OIDCConfig{Issuer: "https://sso.example.com"}},
			"bad redirect":       {Store: fx.st, OIDC: &web.OIDCConfig{Issuer: "https://sso.example.com", ClientID: "x", RedirectURL: "/cb"}},
		}
		for name, cfg := range cases {
			if _, err := web.New(cfg); err == nil {
				t.Errorf("%s: New accepted the configuration", name)
			}
		}
		// The provider is not contacted at start: a dead one is fine.
		if _, err := web.New(web.Config{Store: fx.st, PublicURL: "https://lpm.example.com/",
			OIDC: &web.OIDCConfig{Issuer: "http://127.0.0.1:1", ClientID: "x"}}); err != nil {
			t.Errorf("New with an unreachable provider: %v", err)
		}
	})
}
