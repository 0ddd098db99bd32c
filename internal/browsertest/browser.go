// Package browsertest drives a real headless Chromium from Go tests, over the
// DevTools protocol (github.com/chromedp/chromedp): no Node, no WebDriver.
// It is for end-to-end tests of lpm's pages and is imported only by tests.
//
// A test starts a browser with New, opens pages (each its own browser context,
// so two people can be signed in at once without sharing cookies), and drives
// them with the helpers of Page. Every page collects what its console reports:
// a JavaScript error, an uncaught exception, a Content-Security-Policy
// violation ("Refused to …") or a failed request fails the test, unless the
// test allowed that message beforehand with Page.Allow. Each action has a
// timeout (DefaultTimeout), so that a broken page fails fast, with the page's
// URL, its console errors and a screenshot of the moment in the message.
//
// Chromium is found by testenv.ChromiumPath: LPM_CHROMIUM, /usr/bin/chromium or
// chromium in PATH. Without it tests skip, except in CI (CI=true), where they
// fail. Screenshots go to LPM_SCREENSHOTS, else <repo>/test-output/screenshots.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lpm-project/lpm/internal/testenv"
)

// Desktop is the size of a page's viewport unless a test asks for another.
const (
	DesktopWidth  = 1280
	DesktopHeight = 800
)

// DefaultTimeout bounds each action on a page (a navigation, a click, a wait
// for a selector or for text); a page may change it with Page.SetTimeout.
const DefaultTimeout = 15 * time.Second

// startTimeout bounds starting Chromium, which is slower the first time on a
// cold machine than later.
const startTimeout = 60 * time.Second

// flags are Chromium's command-line switches, besides the defaults of chromedp
// (DefaultExecAllocatorOptions: no throttling of background tabs, timers or
// renderers, no extensions, no first-run or default-browser check, etc.):
// headless, no sandbox (CI runs as root, and Chromium refuses to sandbox
// itself there), no GPU, and nothing that talks to the network by itself, so
// that the browser only ever connects to the server under test.
var flags = []chromedp.ExecAllocatorOption{
	chromedp.Flag("headless", true),
	chromedp.Flag("no-sandbox", true),
	chromedp.Flag("disable-gpu", true),
	chromedp.Flag("disable-quic", true),
	chromedp.Flag("no-first-run", true),
	chromedp.Flag("disable-background-networking", true),
	chromedp.Flag("disable-component-update", true),
	chromedp.Flag("disable-sync", true),
	chromedp.Flag("disable-dev-shm-usage", true),
	chromedp.Flag("disable-default-apps", true),
	chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication"),
	chromedp.Flag("password-store", "basic"),
	chromedp.WindowSize(DesktopWidth, DesktopHeight),
}

// Browser is a test's handle on a headless Chromium: the browser its pages
// open in. Pages of one Browser, and of different ones, are independent of
// each other (see NewPage).
type Browser struct {
	// BaseURL is put before page URLs that start with "/" (the server under
	// test, such as "http://127.0.0.1:34567").
	BaseURL string
	// StartTime is how long Chromium took to start and answer; 0 when the
	// test reuses the package's browser (see Main).
	StartTime time.Duration

	proc    *process
	mu      sync.Mutex
	pages   int
	allowed []string
}

// Allow makes console errors containing any of the substrings no failure on
// every page opened from now on (see Page.Allow).
func (b *Browser) Allow(substrings ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.allowed = append(b.allowed, substrings...)
}

// process is a running Chromium.
type process struct {
	ctx    context.Context // the browser's first tab, kept for its life
	close  func()
	output *testenv.SyncBuffer
}

// shared is the package's browser when its tests run through Main.
var shared struct {
	enabled bool // set before the tests run, never changed after
	mu      sync.Mutex
	proc    *process
}

// Main runs a package's tests (call it from TestMain) with one Chromium for
// all of them, started by the first test that needs it and closed after the
// last: starting Chromium takes about a second, opening a page (a browser
// context of its own) a few tenths. Without Main, each test starts its own.
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
func Main(m *testing.M) {
	shared.enabled = true
	code := m.Run()
	shared.mu.Lock()
	if shared.proc != nil {
		shared.proc.close()
	}
	shared.mu.Unlock()
	os.Exit(code)
}

// New returns a headless Chromium for the test: the package's, if its tests
// run through Main, else one started now and closed when the test ends.
// Without Chromium the test is skipped, or fails in CI.
func New(t testing.TB) *Browser {
	t.Helper()
	path := testenv.ChromiumPath(t)
	if !shared.enabled {
		b := start(t, path)
		t.Cleanup(b.proc.close)
		return b
	}
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.proc != nil && shared.proc.ctx.Err() == nil {
		return &Browser{proc: shared.proc}
	}
	if shared.proc != nil {
		shared.proc.close() // it crashed; make sure it is gone
	}
	b := start(t, path)
	shared.proc = b.proc
	return b
}

// start starts Chromium for the test.
func start(t testing.TB, path string) *Browser {
	t.Helper()
	begin := time.Now()
	proc, err := startChromium(path)
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	b := &Browser{proc: proc, StartTime: time.Since(begin)}
	t.Logf("browsertest: Chromium started in %v", b.StartTime.Round(time.Millisecond))
	return b
}

// startChromium starts the browser at path and waits until it answers.
func startChromium(path string) (*process, error) {
	output := &testenv.SyncBuffer{}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], flags...)
	// chromedp starts the browser with a fresh temporary --user-data-dir
	// and removes it once the browser has exited.
	opts = append(opts, chromedp.ExecPath(path), chromedp.CombinedOutput(output))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	proc := &process{ctx: ctx, output: output, close: sync.OnceFunc(func() {
		// Close gracefully; then make sure the process is gone and its
		// profile removed whatever happened.
		closeCtx, cancelClose := context.WithTimeout(ctx, 10*time.Second)
		defer cancelClose()
		_ = chromedp.Cancel(closeCtx)
		cancel()
		cancelAlloc()
	})}
	// The first Do starts the process; the browser lives as long as the
	// context it is given, so that one has no deadline and the wait is
	// bounded here.
	if err := bounded(startTimeout, func() error { return chromedp.Do(ctx) }); err != nil {
		proc.close()
		return nil, fmt.Errorf("start %s: %v\nChromium's output:\n%s", path, err, tail(output.String(), 40))
	}
	return proc, nil
}

// bounded runs f and waits for it at most d.
func bounded(d time.Duration, f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		return fmt.Errorf("no answer after %v", d)
	}
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"…"}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}
