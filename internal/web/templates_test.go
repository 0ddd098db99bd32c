package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// TestEveryPageRenders renders each page with a full view, so that a broken
// template fails here rather than in front of someone.
func TestEveryPageRenders(t *testing.T) {
	static, err := loadStatic()
	if err != nil {
		t.Fatal(err)
	}
	p, err := parsePages(static)
	if err != nil {
		t.Fatal(err)
	}
	h := &handler{pages: p, static: static, log: slog.New(slog.DiscardHandler)}
	views := map[string]any{
		pageSignIn: signInView{Title: "Sign in", Error: "Sign-in failed: wrong user name or password.", Name: "ada",
			Next: "/x", CSRF: "token", SSO: true},
		pageHome: homeView{Title: "Your portfolios", DisplayName: "Ada", UserName: "ada", CSRF: "token",
			SiteActions: []string{"Create a portfolio"},
			Portfolios: []portfolioView{{ID: 1, Name: "Alpha", Description: "The first",
				Roles:   []roleView{{Role: lpm.RoleViewer, Title: lpm.RoleViewer.Title()}},
				Actions: []actionView{{What: "Read the portfolio"}, {What: "Change this epic", Limit: "own epics"}}}}},
		pageError: errorView{Title: "Oops", Message: "It broke.", Status: 500, Next: link{"/", "Home"}, RequestID: "abc"},
	}
	for _, name := range pageNames {
		view, ok := views[name]
		if !ok {
			t.Errorf("no view to render page %s with", name)
			continue
		}
		rec := httptest.NewRecorder()
		h.render(rec, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, name, view)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, "</html>") {
			t.Errorf("page %s: status %d:\n%s", name, rec.Code, body)
		}
		for _, bad := range []string{"<script", "<style", " style="} {
			if strings.Contains(body, bad) {
				t.Errorf("page %s contains %q", name, bad)
			}
		}
	}
}

func TestPasswordChecksAreBounded(t *testing.T) {
	h := &handler{passwordChecks: make(chan struct{}, maxConcurrentPasswordChecks)}
	for range maxConcurrentPasswordChecks {
		if err := h.acquirePasswordCheck(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := h.acquirePasswordCheck(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a fifth check at once: %v, want to wait (and give up with the request)", err)
	}
	<-h.passwordChecks
	if err := h.acquirePasswordCheck(context.Background()); err != nil {
		t.Fatalf("after one finished: %v", err)
	}
}

func TestLocalPath(t *testing.T) {
	for next, want := range map[string]string{
		"/a/b?c=d#e": "/a/b?c=d#e", "": "/", "a": "/", "//x": "/", "/\\x": "/", "/\nx": "/", "/a\\b": "/",
		"https://x/": "/", "/" + strings.Repeat("a", maxNextLen): "/",
	} {
		if got := localPath(next); got != want {
			t.Errorf("localPath(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestParseGroups(t *testing.T) {
	for raw, want := range map[string]string{
		``: "", `null`: "", `"a"`: "a", `["a","b","a"," "]`: "a,b", `[]`: "",
	} {
		got, err := parseGroups([]byte(raw))
		if err != nil || strings.Join(got, ",") != want {
			t.Errorf("parseGroups(%s) = %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, raw := range []string{`1`, `{"a":1}`, `["a",1]`} {
		if _, err := parseGroups([]byte(raw)); err == nil {
			t.Errorf("parseGroups(%s) accepted it", raw)
		}
	}
}
