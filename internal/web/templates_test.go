package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
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
		pageSignIn: signInView{chrome: chrome{Title: "Sign in"}, Error: "Sign-in failed: wrong user name or password.", Name: "ada",
			Next: "/x", CSRF: "token", SSO: true},
		pageHome: homeView{chrome: testChrome("Your portfolios"),
			SiteActions: []string{"Create a portfolio"},
			Portfolios: []portfolioView{{ID: 1, Name: "Alpha", Description: "The first",
				Roles:   []roleView{{Role: lpm.RoleViewer, Title: lpm.RoleViewer.Title()}},
				Actions: []actionView{{What: "Read the portfolio"}, {What: "Change this epic", Limit: "own epics"}}}}},
		pageError: errorView{chrome: chrome{Title: "Oops"}, Message: "It broke.", Status: 500, Next: link{"/", "Home"}, RequestID: "abc"},
	}
	for name, view := range workPageViews() {
		views[name] = view
	}
	for name, view := range managementPageViews() {
		views[name] = view
	}
	for name, view := range strategyPageViews() {
		views[name] = view
	}
	for name, view := range canvasPageViews() {
		views[name] = view
	}
	for name, view := range roadmapPageViews() {
		views[name] = view
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
		for _, bad := range []string{"<script>", "<style", " style="} {
			if strings.Contains(body, bad) {
				t.Errorf("page %s contains %q", name, bad)
			}
		}
		if inlineScript.MatchString(body) {
			t.Errorf("page %s has a script that is not a file", name)
		}
	}
}

// inlineScript finds a script element with code in it (only <script src>
// elements, empty, pass the Content-Security-Policy).
var inlineScript = regexp.MustCompile(`<script(?: [^>]*)?>[^<]|<script(?:(?: (?:defer|type="[^"]*"))*)>`)

// testChrome is the layout of a page for a signed-in site admin inside
// portfolio 1.
func testChrome(title string) chrome {
	return chrome{Title: title, Me: &meView{Name: "Ada", UserName: "ada", IsAdmin: true}, CSRF: "token",
		Portfolio: &navPortfolio{ID: 1, Name: "Alpha", Configure: true}, Section: sectionHome, Notice: "Done."}
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

// workPageViews are full views of the board, epic, move, overview and epic
// form pages.
func workPageViews() map[string]any {
	limit, score := 5, "4.2"
	e := &lpm.Epic{ID: 7, PortfolioID: 1, Key: "EP-7", Title: "Instant payments", Type: lpm.Enabler, State: lpm.Done,
		DoneReason: lpm.Completed, EpicOwner: "ada", Version: 3, Runway: []string{"Event bus"},
		Hypothesis:   lpm.Hypothesis{ForCustomers: "SMEs", BusinessOutcomes: []string{"More"}, LeadingIndicators: []string{"Sign-ups"}},
		WSJF:         lpm.WSJFComponents{UserBusinessValue: 8, TimeCriticality: 5, RiskReduction: 3, JobSize: 5},
		BusinessCase: lpm.BusinessCase{Sponsors: []string{"CFO"}}}
	moves := []moveView{{To: lpm.Analyzing, Label: "→ Analyzing", Name: "to Analyzing"},
		{To: lpm.Done, Label: "Done…", NeedsReason: true, DoneReasons: "not_pursued=not pursued"}}
	card := cardView{ID: 7, Key: "EP-7", Title: "Instant payments", Type: lpm.Business, WSJF: score, Owner: "ada", Moves: moves}
	return map[string]any{
		pageBoard: boardView{chrome: testChrome("Kanban board"), PortfolioID: 1, CanPropose: true, Query: "type=business",
			Filter: boardFilterView{Type: "business", Active: true, Types: []option{{"business", "Business"}},
				Themes: []option{{"1", "Grow"}}, ValueStreams: []option{{"2", "Payments"}}, Owners: []string{"ada"}},
			Columns: []boardColumnView{
				{State: lpm.Reviewing, Title: "Reviewing", Count: 6, Matching: 1, Hidden: 0, Limit: &limit, AtLimit: true, OverLimit: true, Cards: []cardView{card}},
				{State: lpm.Ready, Title: "Ready", Count: 1, Matching: 1, Hidden: 3, ByWSJF: true, Cards: []cardView{card}}}},
		pageEpic: epicView{chrome: testChrome("EP-7"), Epic: e, State: "Done", DoneReason: "completed", WSJF: score, Scored: true,
			CostOfDelay: 16, Currency: "EUR", Costs: costsView{MVP: "1.00"}, Themes: []string{"Grow"}, ValueStreams: []string{"Payments"},
			PivotedFrom: &lpm.Epic{ID: 3, Key: "EP-3", Title: "Old"}, Moves: moves, CanEdit: true, EditsHidden: true,
			Timeline: []timelineEntry{{When: "1 Jan 2026 10:00 UTC", Kind: "move", What: "Moved", Who: "ada", Detail: "why", Flags: []string{"override"}}}},
		pageMove: moveFormView{chrome: testChrome("Move EP-7"), Epic: e, From: "Ready", To: lpm.Done, CanOverride: true, Override: true,
			Targets: []option{{"done", "Done"}}, DoneReasons: []option{{"cancelled", "cancelled"}}, Errors: []string{"No."}, Back: "/epics/7"},
		pagePortfolio: portfolioHomeView{chrome: testChrome("Alpha"), Info: &lpm.Portfolio{ID: 1, Name: "Alpha", Currency: "EUR"}, PI: "PI 3",
			Themes:  []themeSummary{{ID: 1, Name: "Grow", Status: "active", Progress: "50 %", Band: "yellow"}},
			Columns: []boardColumnView{{State: lpm.Ready, Title: "Ready", Count: 5, Limit: &limit, AtLimit: true}},
			Recent:  []recentChange{{When: "1 Jan", Who: "ada", What: "moved epic EP-7", Href: "/epics/7"}}, RecentLimited: true},
		pageEpicForm: epicFormView{chrome: testChrome("Edit EP-7"), Action: "/epics/7/edit", Editing: true, Epic: *e,
			Costs: map[string]string{"costs.mvp_internal": "1.00"}, Lists: map[string]string{"runway": "Event bus"}, Scale: lpm.WSJFScale,
			Themes: []checkOption{{ID: 1, Label: "Grow", Checked: true}}, ValueStreams: []checkOption{{ID: 2, Label: "Payments"}},
			Owners: []string{"ada"}, Errors: []string{"Title is required."}, Invalid: map[string]bool{"title": true}, Back: "/epics/7"},
	}
}
