// Package e2e holds lpm's end-to-end tests: a real lpm server (internal/server
// on a loopback port, with a fresh SQLite store holding the demo of
// internal/demo) driven by a real headless Chromium through
// internal/browsertest. The package has no code of its own besides this
// comment; its tests sit in the _test.go files.
//
// A test starts a site, signs people in and drives their pages:
//
//	func TestSomething(t *testing.T) {
//		s := startSite(t)
//		p := s.signIn(t, "thomas.keller") // a demo user, with demo.Password
//		p.Open("/", "h1")
//		p.WaitText("h1", "Your portfolios")
//		p.Screenshot("something.png")
//	}
//
// Every page fails its test on a console error, an uncaught exception or a
// Content-Security-Policy violation; Page.Allow lets a test expect one. The
// tests skip without Chromium (install the chromium package) and fail in CI.
package e2e
