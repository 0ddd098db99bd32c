package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Page is one browser tab. A page from Browser.NewPage has a browser context
// of its own (cookies, storage, cache), like a separate person's browser; a
// page from Page.NewTab shares its opener's. The page belongs to the test that
// opened it: its helpers fail that test (t.Fatal), so use a page only from the
// test's own goroutine, and open pages in the subtest that uses them.
type Page struct {
	t       testing.TB
	b       *Browser
	ctx     context.Context
	name    string
	timeout time.Duration
	console *console
}

// NewPage opens a tab in a new browser context (its own cookies), with a
// 1280×800 viewport. It closes when the test ends, after a check that its
// console reported no errors.
func (b *Browser) NewPage(t testing.TB) *Page {
	t.Helper()
	return b.open(t, b.proc.ctx, chromedp.WithNewBrowserContext())
}

// NewTab opens another tab in p's browser context: the same person in a
// second tab, sharing p's cookies.
func (p *Page) NewTab(t testing.TB) *Page {
	t.Helper()
	return p.b.open(t, p.ctx)
}

func (b *Browser) open(t testing.TB, parent context.Context, opts ...chromedp.ContextOption) *Page {
	t.Helper()
	b.mu.Lock()
	b.pages++
	n := b.pages
	allowed := append([]string(nil), b.allowed...)
	b.mu.Unlock()
	p := &Page{t: t, b: b, name: fmt.Sprintf("page %d", n), timeout: DefaultTimeout, console: &console{allowed: allowed}}
	ctx, cancel := chromedp.NewContext(parent, append(opts, chromedp.WithListener(p.console.listen))...)
	p.ctx = ctx
	// The tab lives as long as the context of its first Do, which has no
	// deadline for that reason; the wait is bounded here instead.
	err := bounded(p.timeout, func() error {
		return chromedp.Do(ctx, chromedp.EmulateViewport(DesktopWidth, DesktopHeight))
	})
	if err != nil {
		cancel()
		t.Fatalf("browsertest: open %s: %v", p.name, err)
	}
	t.Cleanup(func() {
		p.finish()
		cancel()
	})
	return p
}

// finish runs when the test ends: it waits for the console to catch up,
// fails the test on errors not reported yet, and keeps a screenshot of a page
// whose test failed.
func (p *Page) finish() {
	t := p.t
	t.Helper()
	p.sync(2 * time.Second)
	if errs := p.console.unreported(); len(errs) > 0 {
		t.Errorf("browsertest: %s reported errors by the end of the test:\n\t%s", p.name, strings.Join(errs, "\n\t"))
	}
	if t.Failed() {
		name := fmt.Sprintf("FAILED-%s-%s.png", strings.ReplaceAll(t.Name(), "/", "-"), strings.ReplaceAll(p.name, " ", ""))
		if path, err := p.saveScreenshot(name, 5*time.Second); err == nil {
			t.Logf("browsertest: %s at the end of the failed test: %s", p.name, path)
		}
	}
}

// Context returns the page's chromedp context, for actions the helpers do not
// cover. It has no deadline; give one (context.WithTimeout) to each call, or
// use Page.Do, which does.
func (p *Page) Context() context.Context { return p.ctx }

// SetTimeout changes how long each later action on the page may take.
func (p *Page) SetTimeout(d time.Duration) { p.timeout = d }

// Allow makes console errors containing any of the substrings no failure: for
// a test that expects them, such as a request the server refuses
// ("status of 422"). Call it before the action that causes them.
func (p *Page) Allow(substrings ...string) { p.console.allow(substrings...) }

// Errors returns every console error of the page so far, allowed or not.
func (p *Page) Errors() []string {
	p.sync(p.timeout)
	return p.console.all()
}

// sync waits (at most d) until the events the page sent so far have been
// recorded: the console listener sees every event sent before the answer to
// a round trip.
func (p *Page) sync(d time.Duration) {
	ctx, cancel := context.WithTimeout(p.ctx, d)
	defer cancel()
	_, _ = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void]("0"))
}

// Do runs chromedp actions with the page's timeout, and fails the test with
// what (such as `click "#save"`), the page's URL and its console errors if
// they fail, or if the page reported console errors meanwhile.
func (p *Page) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	_, err := run(p, func(ctx context.Context) (chromedp.Void, error) { return chromedp.Void{}, chromedp.Do(ctx, actions...) })
	p.after(what, err)
}

// doOn is Do for actions on the elements matching the CSS selector sel: when
// they time out, the message says whether any element matches.
func (p *Page) doOn(sel, what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	_, err := run(p, func(ctx context.Context) (chromedp.Void, error) { return chromedp.Void{}, chromedp.Do(ctx, actions...) })
	p.after(what, p.explain(sel, err))
}

// explain adds to a timed-out action on sel how many elements match it and
// how many of those are visible.
func (p *Page) explain(sel string, err error) error {
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
	defer cancel()
	n, qerr := chromedp.Run(ctx, chromedp.Evaluate[[2]int](fmt.Sprintf(`(() => {
		const all = [...document.querySelectorAll(%s)];
		return [all.length, all.filter(e => e.checkVisibility()).length];
	})()`, jsString(sel))))
	switch {
	case qerr != nil:
		return err
	case n[0] == 0:
		return fmt.Errorf("%w: no element matches %q", err, sel)
	default:
		return fmt.Errorf("%w: %d elements match %q, %d of them visible", err, n[0], sel, n[1])
	}
}

// run runs f with the page's timeout.
func run[T any](p *Page, f func(ctx context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	v, err := f(ctx)
	if err != nil && ctx.Err() == context.DeadlineExceeded {
		err = fmt.Errorf("not done after %v (%w)", p.timeout, err)
	}
	return v, err
}

// after fails the test if err is not nil or the page reported errors.
func (p *Page) after(what string, err error) {
	p.t.Helper()
	if err != nil {
		p.fatal(what, err)
	}
	if errs := p.console.unreported(); len(errs) > 0 {
		p.t.Fatalf("browsertest: %s: %s: the page reported errors:\n\t%s", p.name, what, strings.Join(errs, "\n\t"))
	}
}

// fatal fails the test for an action that failed, with where the page was
// and what its console said.
func (p *Page) fatal(what string, err error) {
	p.t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "browsertest: %s: %s: %v", p.name, what, err)
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
	defer cancel()
	if url, uerr := chromedp.Run(ctx, chromedp.Location()); uerr == nil {
		fmt.Fprintf(&b, "\n\tthe page is at %s", url)
	}
	if errs := p.console.unreported(); len(errs) > 0 {
		fmt.Fprintf(&b, "\n\tits console reported:\n\t\t%s", strings.Join(errs, "\n\t\t"))
	}
	p.t.Fatal(b.String())
}

// url puts the browser's BaseURL before a path starting with "/".
func (p *Page) url(u string) string {
	if strings.HasPrefix(u, "/") {
		return p.b.BaseURL + u
	}
	return u
}

// Open loads url (a path starting with "/" is taken relative to the
// browser's BaseURL), waits until an element matches the CSS selector waitFor
// ("" waits for nothing more than the load), and returns the HTTP status of
// the document.
func (p *Page) Open(url, waitFor string) int {
	p.t.Helper()
	url = p.url(url)
	res, err := run(p, func(ctx context.Context) (int, error) {
		res, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
		if err != nil {
			return 0, err
		}
		if waitFor != "" {
			if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(waitFor))); err != nil {
				return 0, fmt.Errorf("waiting for %q: %w", waitFor, err)
			}
		}
		if res == nil {
			return 0, nil
		}
		return int(res.Status), nil
	})
	if waitFor != "" {
		err = p.explain(waitFor, err)
	}
	p.after("open "+url, err)
	return res
}

// WaitVisible waits until an element matching the CSS selector is visible.
func (p *Page) WaitVisible(sel string) {
	p.t.Helper()
	p.doOn(sel, fmt.Sprintf("wait for %q to be visible", sel), chromedp.WaitVisible(chromedp.CSS(sel)))
}

// WaitGone waits until no element matches the CSS selector.
func (p *Page) WaitGone(sel string) {
	p.t.Helper()
	p.doOn(sel, fmt.Sprintf("wait for %q to go", sel), chromedp.WaitNotPresent(chromedp.CSS(sel)))
}

// Fill replaces the value of the input or textarea matching the CSS selector
// with value: it focuses the field, clears it and inserts the text as typing
// or pasting would (beforeinput and input events, but no key events; Type
// sends keys).
func (p *Page) Fill(sel, value string) {
	p.t.Helper()
	p.doOn(sel, fmt.Sprintf("fill %q", sel),
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const e = document.querySelector(%s);
			e.focus(); e.select();
		})()`, jsString(sel))),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			// Replaces the selection, so an empty value clears the field.
			_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: value})
			if value == "" && err == nil {
				_, err = chromedp.KeyEvent(kb.Delete)(ctx, t)
			}
			return err
		}))
}

// Type types text into the element matching the CSS selector, key by key
// (keydown, keypress, input, keyup), after what it holds; "\n" presses
// Enter. Fill is quicker for setting a field.
func (p *Page) Type(sel, text string) {
	p.t.Helper()
	p.doOn(sel, fmt.Sprintf("type into %q", sel), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// Click clicks the centre of the element matching the CSS selector, with
// real mouse events, once it is visible. It does not wait for what the
// click causes; see ClickAndLoad for a click that loads a new page.
func (p *Page) Click(sel string) {
	p.t.Helper()
	p.doOn(sel, fmt.Sprintf("click %q", sel), chromedp.Click(chromedp.CSS(sel)))
}

// ClickAndLoad clicks the element matching the CSS selector (a submit
// button, a link), waits until the page it leads to has loaded, and returns
// that document's HTTP status (after redirects).
func (p *Page) ClickAndLoad(sel string) int {
	p.t.Helper()
	status, err := run(p, func(ctx context.Context) (int, error) {
		res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
		if err != nil || res == nil {
			return 0, err
		}
		return int(res.Status), nil
	})
	p.after(fmt.Sprintf("click %q and wait for the next page", sel), p.explain(sel, err))
	return status
}

// Text returns the visible text (innerText) of the first element matching
// the CSS selector, waiting until there is one.
func (p *Page) Text(sel string) string {
	p.t.Helper()
	text, err := run(p, func(ctx context.Context) (string, error) {
		return chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	})
	p.after(fmt.Sprintf("read the text of %q", sel), p.explain(sel, err))
	return text
}

// Value returns the current value of the input, select or textarea matching
// the CSS selector.
func (p *Page) Value(sel string) string {
	p.t.Helper()
	v, err := run(p, func(ctx context.Context) (string, error) {
		return chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	})
	p.after(fmt.Sprintf("read the value of %q", sel), p.explain(sel, err))
	return v
}

// Count returns how many elements match the CSS selector now, without
// waiting.
func (p *Page) Count(sel string) int {
	p.t.Helper()
	return Eval[int](p, fmt.Sprintf("document.querySelectorAll(%s).length", jsString(sel)))
}

// Has reports whether an element matches the CSS selector now, without
// waiting.
func (p *Page) Has(sel string) bool { p.t.Helper(); return p.Count(sel) > 0 }

// URL returns the page's current URL.
func (p *Page) URL() string {
	p.t.Helper()
	u, err := run(p, func(ctx context.Context) (string, error) { return chromedp.Run(ctx, chromedp.Location()) })
	p.after("read the URL", err)
	return u
}

// WaitText waits until the visible text of the first element matching the
// CSS selector contains want, and returns that text. It polls from Go, so it
// keeps waiting across a page load (after a form was sent, say). On timeout
// it fails with the text it saw last.
func (p *Page) WaitText(sel, want string) string {
	p.t.Helper()
	expr := fmt.Sprintf(`(() => { const e = document.querySelector(%s); return e ? e.innerText : null; })()`, jsString(sel))
	deadline := time.Now().Add(p.timeout)
	last := "(no element matched)"
	for {
		ctx, cancel := context.WithTimeout(p.ctx, time.Second)
		text, err := chromedp.Run(ctx, chromedp.Evaluate[*string](expr))
		cancel()
		if err == nil && text != nil {
			last = fmt.Sprintf("%q", *text)
			if strings.Contains(*text, want) {
				p.after(fmt.Sprintf("wait for %q to contain %q", sel, want), nil)
				return *text
			}
		}
		if time.Now().After(deadline) {
			p.fatal(fmt.Sprintf("wait for %q to contain %q", sel, want),
				fmt.Errorf("not there after %v; the text was %s", p.timeout, last))
			return ""
		}
		if errs := p.console.unreported(); len(errs) > 0 {
			p.t.Fatalf("browsertest: %s: while waiting for %q to contain %q, the page reported errors:\n\t%s",
				p.name, sel, want, strings.Join(errs, "\n\t"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Eval evaluates a JavaScript expression on the page (awaiting a promise)
// and decodes its JSON value into T.
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	v, err := run(p, func(ctx context.Context) (T, error) {
		return chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	})
	p.after("evaluate "+shorten(expr, 60), err)
	return v
}

// dragSteps is how many pointer moves a drag makes between its ends.
const dragSteps = 10

// Drag drags the element matching the CSS selector from onto the element
// matching to with real mouse events, which the page sees as Pointer Events:
// it presses the left button on the centre of from (pointerdown), moves in
// ten steps to the centre of to (pointermove, with the button held) and
// releases it there (pointerup). Both elements are scrolled into view first
// and must then fit in the viewport together. It does not wait for what the
// drop causes; follow it with WaitText or WaitVisible.
func (p *Page) Drag(from, to string) {
	p.t.Helper()
	what := fmt.Sprintf("drag %q onto %q", from, to)
	p.doOn(from, what+": wait for the one to drag", chromedp.WaitVisible(chromedp.CSS(from)))
	p.doOn(to, what+": wait for the one to drop onto", chromedp.WaitVisible(chromedp.CSS(to)))
	type point struct{ X, Y float64 }
	var at struct {
		From, To point
		W, H     float64
	}
	raw := Eval[json.RawMessage](p, fmt.Sprintf(`(() => {
		const f = document.querySelector(%s), t = document.querySelector(%s);
		f.scrollIntoView({block: "nearest", inline: "nearest"});
		t.scrollIntoView({block: "nearest", inline: "nearest"});
		const c = e => { const r = e.getBoundingClientRect(); return {X: r.left + r.width / 2, Y: r.top + r.height / 2}; };
		return {From: c(f), To: c(t), W: window.innerWidth, H: window.innerHeight};
	})()`, jsString(from), jsString(to)))
	if err := json.Unmarshal(raw, &at); err != nil {
		p.fatal(what, err)
	}
	for _, pt := range []point{at.From, at.To} {
		if pt.X < 0 || pt.Y < 0 || pt.X > at.W || pt.Y > at.H {
			p.fatal(what, fmt.Errorf("the two do not fit in the %.0f×%.0f viewport together (centres at %v and %v)", at.W, at.H, at.From, at.To))
		}
	}
	// mouse sends one mouse event with the left button held (pressed, moved)
	// or just let go (released).
	mouse := func(typ input.DispatchMouseEventType, x, y float64) chromedp.Action[chromedp.Void] {
		params := input.DispatchMouseEventParams{Type: typ, X: x, Y: y, Button: input.MouseButtonLeft, Buttons: 1,
			PointerType: input.DispatchMouseEventPointerTypeMouse}
		switch typ {
		case input.DispatchMouseEventTypeMousePressed:
			params.ClickCount = 1
		case input.DispatchMouseEventTypeMouseReleased:
			params.ClickCount, params.Buttons = 1, 0
		}
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, input.DispatchMouseEvent, params)
			return err
		})
	}
	hover := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.DispatchMouseEvent, input.DispatchMouseEventParams{
			Type: input.DispatchMouseEventTypeMouseMoved, X: at.From.X, Y: at.From.Y,
			Button: input.MouseButtonNone, PointerType: input.DispatchMouseEventPointerTypeMouse})
		return err
	})
	steps := []chromedp.Action[chromedp.Void]{
		// Hover first, with no button, as a real pointer arrives before it
		// presses.
		hover,
		mouse(input.DispatchMouseEventTypeMousePressed, at.From.X, at.From.Y),
	}
	for i := 1; i <= dragSteps; i++ {
		f := float64(i) / dragSteps
		steps = append(steps, mouse(input.DispatchMouseEventTypeMouseMoved,
			at.From.X+(at.To.X-at.From.X)*f, at.From.Y+(at.To.Y-at.From.Y)*f))
	}
	steps = append(steps, mouse(input.DispatchMouseEventTypeMouseReleased, at.To.X, at.To.Y))
	_, err := run(p, func(ctx context.Context) (chromedp.Void, error) {
		err := chromedp.Do(ctx, steps...)
		if err != nil {
			// Never leave the button held down for the next action.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer cancel()
			_ = chromedp.Do(rctx, mouse(input.DispatchMouseEventTypeMouseReleased, at.To.X, at.To.Y))
		}
		return chromedp.Void{}, err
	})
	p.after(what, err)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
