package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

func (fx *fixture) canvasVersions(t *testing.T, p *lpm.Portfolio) []*lpm.CanvasVersion {
	t.Helper()
	list, _, err := fx.st.FindCanvasVersions(ctx, lpm.CanvasVersionFilter{PortfolioID: p.ID, Page: lpm.Page{Limit: lpm.MaxPageSize}})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func canvasForm(state, name, vision, reviewed string) url.Values {
	v := url.Values{"state": {state}, "name": {name}, "vision": {vision}, "reviewed_on": {reviewed}}
	for _, s := range lpm.CanvasSections {
		v.Set(s.Key, s.Label+" of "+vision)
	}
	return v
}

func TestCanvasPage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		path := fmt.Sprintf("/portfolios/%d/canvas", fx.alpha.ID)
		home := fmt.Sprintf("/portfolios/%d", fx.alpha.ID)
		alice := s.signedInAs(t, "alice", alicePassword) // a decision maker may manage the canvas

		page := alice.get(path)
		wantStatus(t, page, http.StatusOK)
		wantBody(t, page, "The portfolio has no current state yet.", "No future-state candidates yet.", "Save a version",
			`aria-current="page">Canvas</a>`, `<label for="canvas-kpis">KPIs</label>`, `<label for="canvas-value_streams_solutions">Value streams and solutions</label>`)
		wantAccessible(t, page)
		wantBody(t, alice.get(home), "No portfolio canvas yet.")

		// The current state, reviewed today; then a candidate.
		today := lpm.Now().UTC().Format("2006-01-02")
		saved := alice.post(path, withCSRF(t, page, canvasForm("current", "", "Serve every bank", today)))
		versions := fx.canvasVersions(t, fx.alpha)
		if len(versions) != 1 || versions[0].Kind != lpm.CanvasCurrent || versions[0].SavedBy != "alice" || versions[0].Sections[11] != "KPIs of Serve every bank" {
			t.Fatalf("saved %+v", versions)
		}
		if want := fmt.Sprintf("%s#version-%d", path, versions[0].ID); saved.location() != want {
			t.Errorf("saved: Location %q, want %q", saved.location(), want)
		}
		page = alice.wantNotice(t, saved, "Current state saved as version 1.", false)
		wantBody(t, page, "Serve every bank", "Version 1, saved", "by alice", "next review due by")
		page = alice.post(path, withCSRF(t, page, canvasForm("future", "Platform", "Banks and insurers on one platform", "")))
		page = alice.wantNotice(t, page, html.EscapeString("Future state “Platform” saved as version 1."), false)
		wantBody(t, page, ">Platform</h3>", "Adopt as the new target")
		wantAccessible(t, page)

		// The overview shows the vision and the review date.
		overview := alice.get(home)
		wantBody(t, overview, "Serve every bank", "Canvas last reviewed", "next review due by")
		wantNoBody(t, overview, "Review overdue")

		// Compare the current state with the candidate.
		versions = fx.canvasVersions(t, fx.alpha)
		cur, fut := versions[0], versions[1]
		cmp := alice.get(fmt.Sprintf("%s?a=%d&b=%d", path, cur.ID, fut.ID))
		wantStatus(t, cmp, http.StatusOK)
		wantBody(t, cmp, "14 of 14 rows differ between Current state, version 1 and",
			`<tr class="changed"><th scope="row">Customers</th>`, "Changed</strong>")
		wantAccessible(t, cmp)

		// Adopt the candidate: the current state gets version 2, the
		// candidate and the first version stay.
		adopted := alice.post(path+"/adopt", withCSRF(t, page, url.Values{"version": {fmt.Sprint(fut.ID)}}))
		page = alice.wantNotice(t, adopted, "Future state “Platform”, version 1, adopted as the new target: it is now version 2 of the current state.", false)
		versions = fx.canvasVersions(t, fx.alpha)
		if len(versions) != 3 || versions[2].AdoptedFrom != fut.ID || versions[2].Kind != lpm.CanvasCurrent || versions[2].Vision != fut.Vision {
			t.Fatalf("after adopting: %+v", versions)
		}
		wantBody(t, page, html.EscapeString("Adopted from Future state “Platform”, version 1."), "Current state, version 2")

		// Refused: a candidate without a name, control characters, a date
		// that is none; nothing is written.
		for name, c := range map[string]struct {
			values url.Values
			want   []string
		}{
			"no name":    {canvasForm("future", "", "x", ""), []string{"Name is required."}},
			"control":    {canvasForm("current", "", "a\x07b", ""), []string{"Vision must not contain control characters"}},
			"not a date": {canvasForm("current", "", "x", "31/12/2025"), []string{"Last reviewed must be a date such as 2025-01-31.", `value="31/12/2025" aria-invalid="true"`}},
		} {
			p := alice.post(path, withCSRF(t, page, c.values))
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", name, p.status)
				continue
			}
			wantBody(t, p, append(c.want, "Not saved. Please correct:")...)
			wantAccessible(t, p)
		}
		if n := len(fx.canvasVersions(t, fx.alpha)); n != 3 {
			t.Errorf("%d versions after refusals, want 3", n)
		}

		// A canvas reviewed long ago is flagged on the overview, in words.
		old := time.Date(2020, 1, 31, 0, 0, 0, 0, time.UTC)
		if err := fx.st.SaveCanvasVersion(ctx, &lpm.CanvasVersion{PortfolioID: fx.alpha.ID, Kind: lpm.CanvasCurrent, Vision: "Old news", ReviewedOn: &old}, system); err != nil {
			t.Fatal(err)
		}
		overview = alice.get(home)
		wantBody(t, overview, "Old news", "Canvas last reviewed 31 Jan 2020", "Review overdue", "older than a quarter (due by 30 Apr 2020)")
		wantAccessible(t, overview)

		// A viewer sees the canvas without the form or the button and may
		// not post; a non-member finds no page.
		bob := s.signedInAs(t, "bob", bobPassword)
		wantStatus(t, bob.get(path), http.StatusNotFound)
		betaPath := fmt.Sprintf("/portfolios/%d/canvas", fx.beta.ID)
		beta := bob.get(betaPath)
		wantStatus(t, beta, http.StatusOK)
		wantNoBody(t, beta, "Save a version", "Adopt as the new target")
		refused := bob.post(betaPath, withCSRF(t, beta, canvasForm("current", "", "Sneaky", "")))
		wantStatus(t, refused, http.StatusForbidden)
		wantBody(t, refused, "save the portfolio canvas or vision")
		if n := len(fx.canvasVersions(t, fx.beta)); n != 0 {
			t.Errorf("%d versions in Beta, want 0", n)
		}
	})
}

// Two people edit the current state from the same version: the second to
// save is told, keeps their text, and saves it knowingly on a second try.
func TestCanvasEditConflict(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		path := fmt.Sprintf("/portfolios/%d/canvas", fx.alpha.ID)
		alice := s.signedInAs(t, "alice", alicePassword)
		if err := fx.st.SaveCanvasVersion(ctx, &lpm.CanvasVersion{PortfolioID: fx.alpha.ID, Kind: lpm.CanvasCurrent, Vision: "First"}, system); err != nil {
			t.Fatal(err)
		}
		page := alice.get(path)
		wantBody(t, page, `name="base_kind" value="current"`, `name="based_on" value="1"`)

		// Someone saves version 2 while alice edits version 1.
		if err := fx.st.SaveCanvasVersion(ctx, &lpm.CanvasVersion{PortfolioID: fx.alpha.ID, Kind: lpm.CanvasCurrent, Vision: "Bob's"}, system); err != nil {
			t.Fatal(err)
		}
		form := canvasForm("current", "", "Alice's", "")
		form.Set("base_kind", "current")
		form.Set("based_on", "1")
		refused := alice.post(path, withCSRF(t, page, form))
		wantStatus(t, refused, http.StatusUnprocessableEntity)
		wantBody(t, refused, "Not saved. Please correct:", "since you started from version 1 (it is now at version 2)",
			"Your text is kept below; saving it again makes it the next version.", ">Alice&#39;s</textarea>", `name="based_on" value="2"`)
		wantAccessible(t, refused)
		if n := len(fx.canvasVersions(t, fx.alpha)); n != 2 {
			t.Fatalf("%d versions after the refusal, want 2", n)
		}

		// Saving again from version 2 goes in; a form switched to a new
		// candidate carries no base and is not refused.
		form.Set("based_on", "2")
		alice.wantNotice(t, alice.post(path, withCSRF(t, refused, form)), "Current state saved as version 3.", false)
		cand := canvasForm("future", "Fresh", "New idea", "")
		cand.Set("base_kind", "current")
		cand.Set("based_on", "1")
		alice.wantNotice(t, alice.post(path, withCSRF(t, page, cand)), html.EscapeString("Future state “Fresh” saved as version 1."), false)
	})
}

// Retiring a candidate moves it to the retired list; restoring brings it
// back; a viewer sees neither button.
func TestCanvasRetireCandidate(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		path := fmt.Sprintf("/portfolios/%d/canvas", fx.alpha.ID)
		alice := s.signedInAs(t, "alice", alicePassword)
		fut := &lpm.CanvasVersion{PortfolioID: fx.alpha.ID, Kind: lpm.CanvasFuture, Name: "Platform", Vision: "One platform"}
		if err := fx.st.SaveCanvasVersion(ctx, fut, system); err != nil {
			t.Fatal(err)
		}
		page := alice.get(path)
		wantBody(t, page, ">Platform</h3>", fmt.Sprintf(`<input type="hidden" name="state" value="%d">`, fut.StateID), ">Retire</button>")
		wantNoBody(t, page, "Retired candidates")

		retired := alice.post(path+"/retire", withCSRF(t, page, url.Values{"state": {fmt.Sprint(fut.StateID)}}))
		page = alice.wantNotice(t, retired, html.EscapeString("Future state “Platform” retired: it keeps its versions; restore it to work on it again."), false)
		wantBody(t, page, "Retired candidates (1)", "<strong>Platform</strong>, version 1, retired on", `aria-label="Restore Platform"`, "No future-state candidates yet.")
		wantNoBody(t, page, ">Platform</h3>")
		wantAccessible(t, page)

		// A save into the retired candidate is refused in words.
		refused := alice.post(path, withCSRF(t, page, canvasForm("future", "Platform", "Back again", "")))
		wantStatus(t, refused, http.StatusUnprocessableEntity)
		wantBody(t, refused, "was retired on", "restore it before you save a new version of it")

		restored := alice.post(path+"/restore", withCSRF(t, page, url.Values{"state": {fmt.Sprint(fut.StateID)}}))
		page = alice.wantNotice(t, restored, html.EscapeString("Future state “Platform” restored."), false)
		wantBody(t, page, ">Platform</h3>")
		wantNoBody(t, page, "Retired candidates")

		// Refused: no state, another portfolio's state, a viewer.
		wantStatus(t, alice.post(path+"/retire", withCSRF(t, page, url.Values{})), http.StatusBadRequest)
		other := &lpm.CanvasVersion{PortfolioID: fx.beta.ID, Kind: lpm.CanvasFuture, Name: "Theirs"}
		if err := fx.st.SaveCanvasVersion(ctx, other, system); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, alice.post(path+"/retire", withCSRF(t, page, url.Values{"state": {fmt.Sprint(other.StateID)}})), http.StatusNotFound)
		bob := s.signedInAs(t, "bob", bobPassword)
		betaPath := fmt.Sprintf("/portfolios/%d/canvas", fx.beta.ID)
		beta := bob.get(betaPath)
		wantNoBody(t, beta, ">Retire</button>")
		wantStatus(t, bob.post(betaPath+"/retire", withCSRF(t, beta, url.Values{"state": {fmt.Sprint(other.StateID)}})), http.StatusForbidden)
		if latest, err := fx.st.LatestCanvasVersions(ctx, fx.beta.ID); err != nil || latest[0].RetiredAt != nil {
			t.Errorf("Beta's candidate after refusals: %+v, %v", latest, err)
		}
	})
}

// The value streams section starts from the portfolio's value streams, and
// a saved version keeps its own copy when they change.
func TestCanvasValueStreams(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		path := fmt.Sprintf("/portfolios/%d/canvas", fx.alpha.ID)
		alice := s.signedInAs(t, "alice", alicePassword)
		lending := &lpm.ValueStream{PortfolioID: fx.alpha.ID, Name: "Lending", Kind: lpm.Development,
			Solutions: []lpm.Solution{{Name: "Loan portal", Kind: lpm.Product}}, ARTs: []lpm.ART{{Name: "Lending ART"}}}
		if err := fx.st.CreateValueStream(ctx, lending, system); err != nil {
			t.Fatal(err)
		}
		page := alice.get(path)
		wantBody(t, page, ">Lending (development value stream): solutions Loan portal; ARTs Lending ART</textarea>",
			`aria-describedby="canvas-value_streams_solutions-help"`, "Filled in from the portfolio&#39;s value streams as they are now")
		wantAccessible(t, page)
		form := canvasForm("current", "", "Now", "")
		form.Set("value_streams_solutions", "Lending (development value stream): solutions Loan portal; ARTs Lending ART")
		alice.wantNotice(t, alice.post(path, withCSRF(t, page, form)), "Current state saved as version 1.", false)

		// A value stream is added: the version keeps what was saved, and
		// the form says what the value streams are now.
		cards := &lpm.ValueStream{PortfolioID: fx.alpha.ID, Name: "Cards", Kind: lpm.Operational}
		if err := fx.st.CreateValueStream(ctx, cards, system); err != nil {
			t.Fatal(err)
		}
		versions := fx.canvasVersions(t, fx.alpha)
		if got := versions[0].Sections[4]; got != "Lending (development value stream): solutions Loan portal; ARTs Lending ART" {
			t.Errorf("saved section: %q", got)
		}
		page = alice.get(path)
		wantBody(t, page, ">Lending (development value stream): solutions Loan portal; ARTs Lending ART</textarea>",
			"The portfolio&#39;s value streams now: Lending (development value stream): solutions Loan portal; ARTs Lending ART · Cards (operational value stream)")
	})
}
