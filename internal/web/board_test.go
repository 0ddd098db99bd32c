package web_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

// importEpic stores an epic as it is (state, scores and all) in fx's store.
func (fx *fixture) importEpic(t *testing.T, e lpm.Epic) *lpm.Epic {
	t.Helper()
	if e.Type == "" {
		e.Type = lpm.Business
	}
	if e.State == "" {
		e.State = lpm.Funnel
	}
	if err := fx.st.ImportEpic(ctx, &e, nil, nil, system); err != nil {
		t.Fatalf("import epic %q: %v", e.Title, err)
	}
	return &e
}

// limitColumn sets a column's WIP limit.
func (fx *fixture) limitColumn(t *testing.T, p *lpm.Portfolio, state lpm.State, limit int) {
	t.Helper()
	if _, err := fx.st.UpdateColumn(ctx, p.ID, state, lpm.ColumnUpdate{WIPLimit: &limit}, system); err != nil {
		t.Fatalf("limit %s: %v", state, err)
	}
}

func (fx *fixture) epicState(t *testing.T, id int64) lpm.State {
	t.Helper()
	e, err := fx.st.FindEpicByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return e.State
}

// wip is how a column's header shows count and limit.
func wip(count, limit int) string {
	return fmt.Sprintf(`%d<span aria-hidden="true"> / </span><span class="visually-hidden"> of a limit of </span>%d`, count, limit)
}

// wantOrder fails unless the substrings occur in body in this order.
func wantOrder(t *testing.T, body string, substrings ...string) {
	t.Helper()
	at := -1
	for _, s := range substrings {
		i := strings.Index(body, s)
		if i < 0 {
			t.Errorf("%q is not on the page", s)
			return
		}
		if i < at {
			t.Errorf("%q comes before %q on the page", s, substrings)
			return
		}
		at = i
	}
}

func TestBoardPage(t *testing.T) {
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		wsjf := func(ubv, size int) lpm.WSJFComponents {
			return lpm.WSJFComponents{UserBusinessValue: ubv, TimeCriticality: 1, RiskReduction: 1, JobSize: size}
		}
		low := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Low value", State: lpm.Ready, WSJF: wsjf(1, 20), EpicOwner: "alice"})
		high := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "High value", State: lpm.Ready, WSJF: wsjf(20, 1)})
		mid := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Middle value", State: lpm.Ready, WSJF: wsjf(8, 5), Type: lpm.Enabler})
		idea := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: `An <script>alert(1)</script> idea`, EpicOwner: "alice"})
		owned := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Owned idea", EpicOwner: "alice"})
		fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Under review", State: lpm.Reviewing, EpicOwner: "alice"})
		fx.limitColumn(t, fx.alpha, lpm.Reviewing, 2)
		fx.importEpic(t, lpm.Epic{PortfolioID: fx.beta.ID, Title: "Beta's own"})

		b := s.browser(t)
		wantStatus(t, b.signIn("root", adminPassword, "/"), http.StatusSeeOther)
		boardURL := fmt.Sprintf("/portfolios/%d/board", fx.alpha.ID)
		board := b.get(boardURL)
		wantStatus(t, board, http.StatusOK)
		wantAccessible(t, board)
		// Columns in flow order; Ready by WSJF, highest first.
		wantOrder(t, board.body, ">Funnel<", ">Reviewing<", ">Analyzing<", ">Ready<", ">Implementing: MVP<", ">Implementing: persevere<", ">Done<")
		wantOrder(t, board.body, high.Key, mid.Key, low.Key)
		wantBody(t, board, "WSJF <strong>22</strong>", "WSJF <strong>0.15</strong>", wip(1, 2), `aria-label="Move `+idea.Key+` to Reviewing">→ Reviewing</button>`, "Done…", "An &lt;script&gt;alert(1)&lt;/script&gt; idea")
		wantNoBody(t, board, "Beta&#39;s own", "Beta's own", "<script>alert")

		// The filter narrows the cards but not the WIP counts.
		enablers := b.get(boardURL + "?type=enabler")
		wantStatus(t, enablers, http.StatusOK)
		wantBody(t, enablers, mid.Key, "1 match the filter")
		wantNoBody(t, enablers, high.Key+" ", ">"+high.Key+"<")
		wantStatus(t, b.get(boardURL+"?type=epic"), http.StatusBadRequest)
		wantStatus(t, b.get(boardURL+"?theme=abc"), http.StatusBadRequest)
		wantStatus(t, b.get(boardURL+"?value_stream=987654321"), http.StatusBadRequest)
		wantStatus(t, b.get(boardURL+"?owner=nobody"), http.StatusBadRequest)

		// A notice nobody signed (a cookie set from elsewhere) is not shown.
		site, _ := url.Parse(s.srv.URL)
		b.client.Jar.SetCookies(site, []*http.Cookie{{Name: "lpm_notice", Path: "/",
			Value: "i" + base64.RawURLEncoding.EncodeToString([]byte("ATTACKER-CHOSEN-TEXT")) + ".forged"}})
		wantNoBody(t, b.get(boardURL), "ATTACKER-CHOSEN-TEXT")

		// A move by button, without JavaScript.
		moveTo := func(e *lpm.Epic, to lpm.State) page {
			t.Helper()
			return b.post(boardURL+"/moves", url.Values{httpauth.CSRFField: {board.csrf(t)}, "move": {fmt.Sprintf("%d:%s", e.ID, to)},
				"filter": {"type=business"}})
		}
		moved := moveTo(owned, lpm.Reviewing)
		wantStatus(t, moved, http.StatusSeeOther)
		if want := boardURL + "?type=business#epic-" + fmt.Sprint(owned.ID); moved.location() != want {
			t.Errorf("after the move: to %q, want %q", moved.location(), want)
		}
		after := b.follow(moved)
		wantBody(t, after, owned.Key+" moved to Reviewing.", wip(2, 2), "At limit")
		if st := fx.epicState(t, owned.ID); st != lpm.Reviewing {
			t.Errorf("epic is in %s after the move", st)
		}
		// The notice is shown once.
		wantNoBody(t, b.get(boardURL), "moved to Reviewing.")
		// A move whose policy is unmet is refused with every unmet condition.
		unmet := b.follow(moveTo(high, lpm.ImplementingMVP))
		wantBody(t, unmet, "Not moved:", "value stream")
		if st := fx.epicState(t, high.ID); st != lpm.Ready {
			t.Errorf("epic is in %s after a refused move", st)
		}

		// Into a full column: refused, said in words, nothing written.
		refused := b.follow(moveTo(idea, lpm.Reviewing))
		wantBody(t, refused, `role="alert"`, "Not moved:", "WIP limit")
		if st := fx.epicState(t, idea.ID); st != lpm.Funnel {
			t.Errorf("epic is in %s after a refused move", st)
		}
		// A form without the session's token changes nothing.
		forged := b.post(boardURL+"/moves", url.Values{"move": {fmt.Sprintf("%d:%s", low.ID, lpm.ImplementingMVP)}})
		wantStatus(t, forged, http.StatusForbidden)
		if st := fx.epicState(t, low.ID); st != lpm.Ready {
			t.Errorf("a forged form moved the epic to %s", st)
		}
		wantStatus(t, b.post(boardURL+"/moves", url.Values{httpauth.CSRFField: {board.csrf(t)}, "move": {"nonsense"}}), http.StatusBadRequest)

		// Someone without a role in the portfolio finds nothing there.
		bob := s.browser(t)
		wantStatus(t, bob.signIn("bob", bobPassword, "/"), http.StatusSeeOther)
		wantStatus(t, bob.get(boardURL), http.StatusNotFound)
		wantStatus(t, bob.get(fmt.Sprintf("/epics/%d", high.ID)), http.StatusNotFound)
		wantStatus(t, bob.get("/portfolios/999999/board"), http.StatusNotFound)
		// And someone signed out is sent to sign in, to come back here.
		anon := s.browser(t)
		if p := anon.get(boardURL); p.status != http.StatusSeeOther || p.location() != "/sign-in?next="+boardURL {
			t.Errorf("signed out: %d to %q", p.status, p.location())
		}
	})
}

func TestMoveFormAndEpicPage(t *testing.T) {
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		e := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Open banking API", EpicOwner: "alice",
			Hypothesis: lpm.Hypothesis{ForCustomers: "fintech partners", BusinessOutcomes: []string{"20 partners live"}},
			WSJF:       lpm.WSJFComponents{UserBusinessValue: 8, TimeCriticality: 5, RiskReduction: 3, JobSize: 8},
			Costs:      lpm.Costs{MVPInternal: 125_000_00, FullSupplier: 1_000_000_50}})
		b := s.browser(t)
		wantStatus(t, b.signIn("root", adminPassword, "/"), http.StatusSeeOther)

		epicPage := b.get(fmt.Sprintf("/epics/%d", e.ID))
		wantStatus(t, epicPage, http.StatusOK)
		wantAccessible(t, epicPage)
		wantBody(t, epicPage, "fintech partners", "20 partners live", `<strong class="score">2</strong>`, "125,000.00", "1,000,000.50",
			"Cost of delay", "<td>16</td>")

		form := b.get(fmt.Sprintf("/epics/%d/move?to=done", e.ID))
		wantStatus(t, form, http.StatusOK)
		wantAccessible(t, form)
		wantBody(t, form, `<option value="done" selected>Done</option>`, `<option value="declined">declined</option>`)
		send := func(values url.Values) page {
			values.Set(httpauth.CSRFField, form.csrf(t))
			return b.post(fmt.Sprintf("/epics/%d/move", e.ID), values)
		}
		noReason := send(url.Values{"to": {"done"}, "done_reason": {"declined"}})
		wantStatus(t, noReason, http.StatusUnprocessableEntity)
		wantBody(t, noReason, "needs a reason")
		if st := fx.epicState(t, e.ID); st != lpm.Funnel {
			t.Fatalf("epic is in %s after a refused move", st)
		}
		done := send(url.Values{"to": {"done"}, "done_reason": {"declined"}, "reason": {"Partners went with the standard API"}})
		wantStatus(t, done, http.StatusSeeOther)
		after := b.follow(done)
		wantBody(t, after, e.Key+" moved to Done.", "Moved from Funnel to Done (declined)", "Partners went with the standard API", "by root")
		if st := fx.epicState(t, e.ID); st != lpm.Done {
			t.Errorf("epic is in %s after the move", st)
		}
	})
}

func TestEpicForms(t *testing.T) {
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		stream := &lpm.ValueStream{PortfolioID: fx.alpha.ID, Name: "Payments", Kind: lpm.Development}
		if err := fx.st.CreateValueStream(ctx, stream, system); err != nil {
			t.Fatal(err)
		}
		b := s.browser(t)
		wantStatus(t, b.signIn("alice", alicePassword, "/"), http.StatusSeeOther)
		newURL := fmt.Sprintf("/portfolios/%d/epics/new", fx.alpha.ID)
		form := b.get(newURL)
		wantStatus(t, form, http.StatusOK)
		wantAccessible(t, form)
		values := url.Values{httpauth.CSRFField: {form.csrf(t)}, "title": {""}, "type": {"business"}, "epic_owner": {"alice"},
			"wsjf_components.job_size": {"4"}, "costs.mvp_internal": {"12.345"}, "value_stream_ids": {fmt.Sprint(stream.ID)},
			"hypothesis.business_outcomes": {"More partners\n\n  Faster onboarding  "}}
		bad := b.post(newURL, values)
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		wantBody(t, bad, "Not saved", "Job size must be one of 1, 2, 3, 5, 8, 13, 20", "MVP internal cost: write an amount",
			"Faster onboarding", `value="12.345"`)
		if list, _, _ := fx.st.FindEpics(ctx, lpm.EpicFilter{PortfolioID: fx.alpha.ID}); len(list) != 0 {
			t.Fatalf("a refused form stored %d epics", len(list))
		}
		values.Set("wsjf_components.job_size", "5")
		values.Set("costs.mvp_internal", "12,345.60")
		values.Set("title", "Partner onboarding")
		created := b.post(newURL, values)
		wantStatus(t, created, http.StatusSeeOther)
		list, _, err := fx.st.FindEpics(ctx, lpm.EpicFilter{PortfolioID: fx.alpha.ID})
		if err != nil || len(list) != 1 {
			t.Fatalf("epics after create: %v, %v", list, err)
		}
		e := list[0]
		if e.Title != "Partner onboarding" || e.WSJF.JobSize != 5 || e.Costs.MVPInternal != 12_345_60 || e.EpicOwner != "alice" ||
			len(e.ValueStreamIDs) != 1 || strings.Join(e.Hypothesis.BusinessOutcomes, "|") != "More partners|Faster onboarding" {
			t.Errorf("stored epic: %+v", e)
		}
		wantBody(t, b.follow(created), e.Key+" proposed into the funnel.")

		// Editing applies to the version the form was opened on.
		editURL := fmt.Sprintf("/epics/%d/edit", e.ID)
		edit := b.get(editURL)
		wantStatus(t, edit, http.StatusOK)
		wantAccessible(t, edit)
		wantBody(t, edit, `value="Partner onboarding"`, `value="12,345.60"`, `name="version" value="1"`)
		other := "Renamed meanwhile"
		if _, err := fx.st.UpdateEpic(ctx, e.ID, lpm.EpicUpdate{Title: &other}, system); err != nil {
			t.Fatal(err)
		}
		changes := url.Values{httpauth.CSRFField: {edit.csrf(t)}, "version": {"1"}, "title": {"My title"}, "type": {"business"},
			"epic_owner": {"alice"}, "description": {"line one\r\nline two"}}
		stale := b.post(editURL, changes)
		wantStatus(t, stale, http.StatusUnprocessableEntity)
		wantBody(t, stale, "changed by someone else")
		if got, _ := fx.st.FindEpicByID(ctx, e.ID); got.Title != other {
			t.Errorf("a stale form overwrote the title with %q", got.Title)
		}
		// The form shown again stands for the current version: sending it
		// again replaces that version knowingly.
		wantBody(t, stale, `name="version" value="2"`, "save again to replace", `value="My title"`)
		changes.Set("version", "2")
		saved := b.post(editURL, changes)
		wantStatus(t, saved, http.StatusSeeOther)
		got, _ := fx.st.FindEpicByID(ctx, e.ID)
		if got.Title != "My title" || got.WSJF.JobSize != 0 || got.Costs.MVPInternal != 0 || got.Description != "line one\nline two" {
			t.Errorf("after saving the whole form: %+v", got)
		}

		// bob may not propose in Beta (a viewer).
		bob := s.browser(t)
		wantStatus(t, bob.signIn("bob", bobPassword, "/"), http.StatusSeeOther)
		wantStatus(t, bob.get(fmt.Sprintf("/portfolios/%d/epics/new", fx.beta.ID)), http.StatusForbidden)
	})
}

// TestDecisionForm records the decision a move rests on from the epic page,
// then makes the move.
func TestDecisionForm(t *testing.T) {
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		e := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Needs a decision", State: lpm.Reviewing, EpicOwner: "alice",
			Hypothesis: lpm.Hypothesis{ForCustomers: "a", Who: "b", SolutionName: "c", IsA: "d", That: "e", Unlike: "f", OurSolution: "g",
				BusinessOutcomes: []string{"h"}, LeadingIndicators: []string{"i"}},
			WSJF: lpm.WSJFComponents{UserBusinessValue: 8, TimeCriticality: 5, RiskReduction: 3, JobSize: 5}})
		b := s.browser(t)
		wantStatus(t, b.signIn("alice", alicePassword, "/"), http.StatusSeeOther)
		epicURL := fmt.Sprintf("/epics/%d", e.ID)
		pg := b.get(epicURL)
		wantAccessible(t, pg)
		// In reviewing, a decision maker may advance it or say no-go; the
		// decisions of later columns are not offered.
		wantBody(t, pg, "Record a decision", `<option value="advance_to_analyzing">`, `<option value="no_go">`)
		wantNoBody(t, pg, `<option value="persevere">`)

		boardURL := fmt.Sprintf("/portfolios/%d/board", fx.alpha.ID)
		move := func() page {
			return b.follow(b.post(boardURL+"/moves", url.Values{httpauth.CSRFField: {pg.csrf(t)}, "move": {fmt.Sprintf("%d:analyzing", e.ID)}}))
		}
		wantBody(t, move(), "Not moved:", "advance_to_analyzing")

		noWhy := b.post(epicURL+"/decisions", url.Values{httpauth.CSRFField: {pg.csrf(t)}, "kind": {"advance_to_analyzing"}, "rationale": {" "}})
		wantStatus(t, noWhy, http.StatusUnprocessableEntity)
		wantBody(t, noWhy, "rationale is required")
		if ds, _ := fx.st.FindDecisions(ctx, e.ID); len(ds) != 0 {
			t.Fatalf("a refused decision was stored: %+v", ds)
		}
		ok := b.post(epicURL+"/decisions", url.Values{httpauth.CSRFField: {pg.csrf(t)}, "kind": {"advance_to_analyzing"},
			"outcome": {"proven"}, "rationale": {"Strong demand from the branch network"}})
		wantStatus(t, ok, http.StatusSeeOther)
		wantBody(t, b.follow(ok), "Decision recorded on "+e.Key, "Decision: advance to analyzing", "Strong demand from the branch network")
		// From the epic's own page, the move comes back to it.
		moved := b.post(boardURL+"/moves", url.Values{httpauth.CSRFField: {pg.csrf(t)}, "move": {fmt.Sprintf("%d:analyzing", e.ID)},
			"return": {"epic"}})
		if moved.location() != epicURL {
			t.Errorf("a move from the epic page goes back to %q", moved.location())
		}
		wantBody(t, b.follow(moved), e.Key+" moved to Analyzing.", "Moved from Reviewing to Analyzing")
		if st := fx.epicState(t, e.ID); st != lpm.Analyzing {
			t.Errorf("epic in %s", st)
		}
	})
}
