package browsertest_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/browsertest"
)

// csp is lpm's policy for its pages, as strict as the real one where it
// matters here: no inline script or style.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'"

// page wraps a body in a document that loads /app.js.
func page(head, body string) string {
	return `<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">` + head +
		`<link rel="stylesheet" href="/app.css"><script src="/app.js" defer></script></head><body>` + body + `</body></html>`
}

// appJS logs pointer events on #a (down, moves, up with the element under
// the pointer) into #log, and echoes #name into #echo on each input.
const appJS = `
const log = document.getElementById("log");
const a = document.getElementById("a");
if (a) {
  let moves = 0, down = false, hovered = false;
  a.addEventListener("pointermove", e => {
    if (!down) { hovered = e.buttons === 0; return; }
    if (e.buttons === 1) moves++;
  });
  a.addEventListener("pointerdown", e => {
    a.setPointerCapture(e.pointerId); down = true; moves = 0;
    log.textContent = "down";
  });
  a.addEventListener("pointerup", e => {
    down = false;
    const under = document.elementsFromPoint(e.clientX, e.clientY).find(el => el.classList.contains("zone"));
    log.textContent = (hovered ? "hovered, " : "") + e.pointerType + " dropped on " + (under ? under.id : "nothing") +
      " after " + moves + " moves";
  });
}
const name = document.getElementById("name");
if (name) name.addEventListener("input", () => { document.getElementById("echo").textContent = "hello " + name.value; });
const boom = document.getElementById("boom");
if (boom) boom.addEventListener("click", () => { throw new Error("kaboom"); });
`

const appCSS = `body { font-family: sans-serif; margin: 0; padding: 1rem; }
.zone { display: inline-block; width: 120px; height: 80px; margin: 20px; border: 2px solid #333; touch-action: none; }
#tall { height: 2000px; }`

// testSite serves the pages the tests drive, under the strict policy.
func testSite(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	serve := func(path, ctype, body string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", csp)
			w.Header().Set("Content-Type", ctype)
			_, _ = w.Write([]byte(body))
		})
	}
	serve("/app.js", "text/javascript", appJS)
	serve("/app.css", "text/css", appCSS)
	serve("/favicon.ico", "image/x-icon", "")
	serve("/form", "text/html", page("", `<label for="name">Name</label><input id="name"><p id="echo"></p>
<form method="post" action="/sent"><button id="send" type="submit">Send</button></form><button id="boom">Boom</button>`))
	serve("/sent", "text/html", page("", `<h1>Sent</h1>`))
	serve("/drag", "text/html", page("", `<div id="a" class="zone">A</div><div id="b" class="zone">B</div><p id="log">idle</p>`))
	serve("/tall", "text/html", page("", `<h1>Top</h1><div id="tall"></div><p id="bottom">Bottom</p>`))
	serve("/inline-script", "text/html", page("", `<script>document.title = "ran";</script><p>x</p>`))
	serve("/inline-style", "text/html", page("", `<p style="color: red">x</p>`))
	serve("/inline-style-element", "text/html", page(`<style>p { color: red; }</style>`, `<p>x</p>`))
	mux.HandleFunc("/set", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "who", Value: r.URL.Query().Get("who"), Path: "/"})
		w.Header().Set("Content-Security-Policy", csp)
		_, _ = w.Write([]byte(page("", `<p id="who">set</p>`)))
	})
	mux.HandleFunc("/who", func(w http.ResponseWriter, r *http.Request) {
		who := "nobody"
		if c, err := r.Cookie("who"); err == nil {
			who = c.Value
		}
		w.Header().Set("Content-Security-Policy", csp)
		_, _ = w.Write([]byte(page("", `<p id="who">`+who+`</p>`)))
	})
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(page("", `<p>not here</p>`)))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func newBrowser(t *testing.T) *browsertest.Browser {
	t.Helper()
	t.Setenv("LPM_SCREENSHOTS", t.TempDir())
	b := browsertest.New(t)
	b.BaseURL = testSite(t).URL
	return b
}

func TestFormAndNavigation(t *testing.T) {
	b := newBrowser(t)
	p := b.NewPage(t)
	if status := p.Open("/form", "#name"); status != http.StatusOK {
		t.Errorf("status %d, want 200", status)
	}
	p.Fill("#name", "Ada")
	if got := p.WaitText("#echo", "hello Ada"); got != "hello Ada" {
		t.Errorf("echo = %q", got)
	}
	p.Fill("#name", "Grace") // replaces, does not append
	p.WaitText("#echo", "hello Grace")
	if got := p.Value("#name"); got != "Grace" {
		t.Errorf("value = %q, want Grace", got)
	}
	p.Fill("#name", "")
	if got := p.Value("#name"); got != "" {
		t.Errorf("after filling in nothing, value = %q", got)
	}
	p.Type("#name", "Ada")
	p.Type("#name", " L.")
	p.WaitText("#echo", "hello Ada L.")
	if status := p.ClickAndLoad("#send"); status != http.StatusOK {
		t.Errorf("after sending: status %d", status)
	}
	if got := p.Text("h1"); got != "Sent" {
		t.Errorf("h1 = %q", got)
	}
	if !strings.HasSuffix(p.URL(), "/sent") {
		t.Errorf("URL = %s", p.URL())
	}
	if n := p.Count("h1"); n != 1 || p.Has("#name") {
		t.Errorf("Count(h1) = %d, Has(#name) = %v", n, p.Has("#name"))
	}
	if errs := p.Errors(); len(errs) > 0 {
		t.Errorf("a clean page reported errors: %q", errs)
	}
}

// TestReportsErrors checks that each kind of trouble reaches the page's
// errors: here they are allowed, elsewhere they fail the test.
func TestReportsErrors(t *testing.T) {
	b := newBrowser(t)
	for _, tc := range []struct {
		path, want string
		click      string
	}{
		{path: "/inline-script", want: "violates the following Content Security Policy directive 'script-src"},
		{path: "/inline-style", want: "violates the following Content Security Policy directive 'style-src"},
		{path: "/inline-style-element", want: "violates the following Content Security Policy directive 'style-src"},
		{path: "/missing", want: "status of 404"},
		{path: "/form", click: "#boom", want: "Uncaught Error: kaboom"},
	} {
		t.Run(strings.TrimPrefix(tc.path, "/"), func(t *testing.T) {
			p := b.NewPage(t)
			p.Allow(tc.want)
			p.Open(tc.path, "p, button")
			if tc.click != "" {
				p.Click(tc.click)
			}
			errs := p.Errors()
			if len(errs) == 0 || !strings.Contains(strings.Join(errs, "\n"), tc.want) {
				t.Errorf("errors = %q, want one with %q", errs, tc.want)
			}
		})
	}
	t.Run("console.error", func(t *testing.T) {
		p := b.NewPage(t)
		p.Allow("something broke 42")
		p.Open("/form", "#name")
		_ = browsertest.Eval[int](p, `console.error("something broke", 42), 1`)
		if errs := p.Errors(); len(errs) != 1 || !strings.HasPrefix(errs[0], "console.error: something broke 42") {
			t.Errorf("errors = %q", errs)
		}
	})
}

// TestSeparateContexts checks that two pages do not share cookies, and a
// page's tab does.
func TestSeparateContexts(t *testing.T) {
	b := newBrowser(t)
	alice, bob := b.NewPage(t), b.NewPage(t)
	alice.Open("/set?who=alice", "#who")
	bob.Open("/set?who=bob", "#who")
	alice.Open("/who", "#who")
	bob.Open("/who", "#who")
	if got := alice.Text("#who"); got != "alice" {
		t.Errorf("alice's page sees %q", got)
	}
	if got := bob.Text("#who"); got != "bob" {
		t.Errorf("bob's page sees %q", got)
	}
	tab := alice.NewTab(t)
	tab.Open("/who", "#who")
	if got := tab.Text("#who"); got != "alice" {
		t.Errorf("alice's second tab sees %q", got)
	}
	carol := b.NewPage(t)
	carol.Open("/who", "#who")
	if got := carol.Text("#who"); got != "nobody" {
		t.Errorf("a fresh page sees %q", got)
	}
}

// TestDrag checks that a drag reaches the page as pointer events, on a
// desktop and on a phone.
func TestDrag(t *testing.T) {
	b := newBrowser(t)
	p := b.NewPage(t)
	p.Open("/drag", "#a")
	p.Drag("#a", "#b")
	p.WaitText("#log", "hovered, mouse dropped on b after 10 moves")
	p.Phone()
	p.Open("/drag", "#a")
	p.Drag("#a", "#b")
	p.WaitText("#log", "hovered, mouse dropped on b after 10 moves")
}

func TestScreenshots(t *testing.T) {
	b := newBrowser(t)
	p := b.NewPage(t)
	p.Open("/tall", "#bottom")
	desktop := p.Screenshot("tall")
	if filepath.Base(desktop) != "tall.png" || filepath.Dir(desktop) != os.Getenv("LPM_SCREENSHOTS") {
		t.Errorf("saved at %s", desktop)
	}
	w, h := pngSize(t, desktop)
	if w != browsertest.DesktopWidth || h < 2000 {
		t.Errorf("desktop screenshot is %d×%d, want %d wide and the whole page (over 2000) high", w, h, browsertest.DesktopWidth)
	}
	p.Phone()
	if got := browsertest.Eval[int](p, "window.innerWidth"); got != browsertest.PhoneWidth {
		t.Errorf("phone innerWidth = %d", got)
	}
	w, _ = pngSize(t, p.Screenshot("tall-phone.png"))
	if w != browsertest.PhoneWidth*3 {
		t.Errorf("phone screenshot is %d wide, want %d", w, browsertest.PhoneWidth*3)
	}
	p.Desktop()
	if got := browsertest.Eval[int](p, "window.innerWidth"); got != browsertest.DesktopWidth {
		t.Errorf("desktop innerWidth = %d", got)
	}
}

// pngSize reads the width and height from a PNG's header.
func pngSize(t *testing.T, path string) (int, int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 24 || string(b[1:4]) != "PNG" {
		t.Fatalf("%s is not a PNG", path)
	}
	be := func(b []byte) int { return int(b[0])<<24 | int(b[1])<<16 | int(b[2])<<8 | int(b[3]) }
	return be(b[16:20]), be(b[20:24])
}
