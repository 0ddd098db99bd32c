package browsertest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// Phone is the viewport Page.Phone emulates: a current phone in portrait
// (390×844 CSS pixels at three device pixels each, like an iPhone 12 to 15).
const (
	PhoneWidth  = 390
	PhoneHeight = 844
	phoneScale  = 3
)

// Phone makes the page a phone's: a 390×844 viewport, mobile (the page's
// viewport meta tag applies) and touch (media queries see a coarse pointer,
// no hover). Mouse events, and so Click and Drag, still work. Desktop undoes
// it.
func (p *Page) Phone() {
	p.t.Helper()
	p.Do("emulate a phone", chromedp.EmulateViewport(PhoneWidth, PhoneHeight,
		chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(phoneScale)))
}

// Desktop gives the page the desktop viewport again (1280×800, no touch).
func (p *Page) Desktop() {
	p.t.Helper()
	p.Do("emulate a desktop", chromedp.EmulateViewport(DesktopWidth, DesktopHeight))
}

// Screenshot saves a PNG of the whole page (beyond the viewport) as name
// (".png" added if missing) in ScreenshotDir, and returns its path.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	if name == "" || name != filepath.Base(name) || strings.HasPrefix(name, ".") {
		p.t.Fatalf("browsertest: screenshot name %q: want a plain file name such as \"board.png\"", name)
	}
	if !strings.HasSuffix(name, ".png") {
		name += ".png"
	}
	path, err := p.saveScreenshot(name, p.timeout)
	p.after("screenshot "+name, err)
	p.t.Logf("browsertest: screenshot %s", path)
	return path
}

func (p *Page) saveScreenshot(name string, timeout time.Duration) (string, error) {
	dir, err := ScreenshotDir()
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return "", err
	}
	return path, nil
}

// ScreenshotDir returns the folder screenshots go to, creating it:
// LPM_SCREENSHOTS if set, else test-output/screenshots in the repository's
// root (the folder holding go.mod), which git ignores.
func ScreenshotDir() (string, error) {
	dir := os.Getenv("LPM_SCREENSHOTS")
	if dir == "" {
		root, err := repoRoot()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(root, "test-output", "screenshots")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	return dir, os.MkdirAll(dir, 0o755)
}

// repoRoot walks up from the working directory (a test's package folder) to
// the folder holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory; set LPM_SCREENSHOTS")
		}
		dir = parent
	}
}
