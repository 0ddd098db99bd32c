package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/browsertest"
	"github.com/lpm-project/lpm/internal/demo"
)

// TestSignInToHome signs in through the form, as a person would, and lands
// on the home page that lists the person's portfolios and roles.
func TestSignInToHome(t *testing.T) {
	s := startSite(t)
	p := s.Browser.NewPage(t)

	// Signed out, the home page sends the browser to sign in, and back after.
	p.Open("/", "#name")
	if got := p.URL(); got != s.URL+"/sign-in?next=/" {
		t.Errorf("signed out, / leads to %s, want the sign-in page", got)
	}
	if got := p.Text("h1"); got != "Sign in to lpm" {
		t.Errorf("h1 = %q", got)
	}
	p.Screenshot("signin.png")

	p.Fill("#name", decisionMaker)
	p.Fill("#password", demo.Password)
	if status := p.ClickAndLoad(`form[action="/sign-in"] button[type=submit]`); status != http.StatusOK {
		t.Fatalf("signing in: status %d", status)
	}
	if got := p.URL(); got != s.URL+"/" {
		t.Errorf("after signing in the page is %s, want %s/", got, s.URL)
	}
	p.WaitText(".me", "Signed in as Thomas Keller")
	if got := p.Text("h1"); got != "Your portfolios" {
		t.Errorf("h1 = %q", got)
	}
	if n := p.Count("section.portfolio"); n != 2 {
		t.Errorf("%d portfolios listed, want the demo's 2", n)
	}
	for _, want := range []string{"Digital Banking", "Core Platforms", "decision_maker"} {
		if !strings.Contains(p.Text("main"), want) {
			t.Errorf("the home page lacks %q:\n%s", want, p.Text("main"))
		}
	}
	p.Screenshot("home.png")

	p.Phone()
	p.Open("/", ".me")
	if wide := browsertest.Eval[bool](p, "document.documentElement.scrollWidth > window.innerWidth"); wide {
		t.Errorf("on a phone the home page is wider than the screen (%d > %d CSS pixels)",
			browsertest.Eval[int](p, "document.documentElement.scrollWidth"), browsertest.PhoneWidth)
	}
	p.Screenshot("home-phone.png")
}

// TestWrongPassword shows the error on the sign-in page and signs nobody in.
func TestWrongPassword(t *testing.T) {
	s := startSite(t)
	p := s.Browser.NewPage(t)
	// The browser logs the form's 401 answer as a failed resource.
	p.Allow("status of 401")
	p.Open("/sign-in", "#name")
	p.Fill("#name", decisionMaker)
	p.Fill("#password", "not the password")
	if status := p.ClickAndLoad(`form[action="/sign-in"] button[type=submit]`); status != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", status)
	}
	if got := p.Text(`[role="alert"]`); !strings.Contains(got, "wrong user name or password") {
		t.Errorf("alert = %q, want it to say the name or password is wrong", got)
	}
	if got := p.Value("#name"); got != decisionMaker {
		t.Errorf("the name field holds %q, want the name typed (%s)", got, decisionMaker)
	}
	if got := p.Value("#password"); got != "" {
		t.Errorf("the password field holds %q, want it empty", got)
	}
	// Still signed out.
	p.Open("/", "#name")
	if got := p.URL(); !strings.Contains(got, "/sign-in") {
		t.Errorf("after a wrong password / shows %s, want the sign-in page", got)
	}
}

// TestTwoPeopleAtOnce signs two people in at the same time, each in a
// browser of their own; signing one out leaves the other signed in.
func TestTwoPeopleAtOnce(t *testing.T) {
	s := startSite(t)
	thomas := s.signIn(t, decisionMaker)
	hannah := s.signIn(t, viewer)
	thomas.Open("/", ".me")
	hannah.Open("/", ".me")
	thomas.WaitText(".me", "Thomas Keller")
	hannah.WaitText(".me", "Hannah Schmidt")

	// A second tab shares its browser's session.
	tab := hannah.NewTab(t)
	tab.Open("/", ".me")
	tab.WaitText(".me", "Hannah Schmidt")

	hannah.ClickAndLoad(`form[action="/sign-out"] button[type=submit]`)
	hannah.WaitVisible("#name")
	tab.Open("/", "#name")
	thomas.Open("/", ".me")
	thomas.WaitText(".me", "Thomas Keller")
}
