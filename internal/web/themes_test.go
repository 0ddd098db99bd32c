package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

func (fx *fixture) themes(t *testing.T, p *lpm.Portfolio) []*lpm.StrategicTheme {
	t.Helper()
	list, _, err := fx.st.FindThemes(ctx, p.ID, lpm.Page{Limit: lpm.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestThemesPage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		path := fmt.Sprintf("/portfolios/%d/themes", fx.alpha.ID)
		alice := s.signedInAs(t, "alice", alicePassword) // a decision maker may manage themes

		list := alice.get(path)
		wantStatus(t, list, http.StatusOK)
		wantBody(t, list, "The portfolio has no strategic themes yet.", "Create a strategic theme", `aria-current="page">Strategic themes`)
		wantAccessible(t, list)

		created := alice.post(path, withCSRF(t, list, url.Values{"name": {"Grow digital"}, "description": {"More customers online"},
			"status": {"active"}, "valid_from": {"2025-01-01"}, "valid_to": {"2025-12-31"}}))
		themes := fx.themes(t, fx.alpha)
		if len(themes) != 1 {
			t.Fatalf("%d themes stored, want 1", len(themes))
		}
		grow := themes[0]
		if grow.Status != lpm.ThemeActive || grow.ValidFrom == nil || grow.ValidFrom.Format("2006-01-02") != "2025-01-01" ||
			grow.ValidTo == nil || grow.ValidTo.Format("2006-01-02") != "2025-12-31" {
			t.Errorf("theme stored: %+v", grow)
		}
		if want := fmt.Sprintf("%s#theme-%d", path, grow.ID); created.location() != want {
			t.Errorf("created: Location %q, want %q", created.location(), want)
		}
		list = alice.wantNotice(t, created, "Strategic theme Grow digital created.", false)
		wantBody(t, list, ">Grow digital</h2>", "<dd>Active</dd>", "<dd>from 1 Jan 2025 to 31 Dec 2025</dd>", "More customers online",
			"No objectives yet.", "No epic serves this theme yet.", "Nothing committed in the portfolio yet.")

		// OKRs: one objective with a key result half-way from its baseline
		// to its target (yellow), and one without key results.
		o := &lpm.Objective{ThemeID: grow.ID, Title: "Win online customers", Owner: "alice"}
		if err := fx.st.CreateObjective(ctx, o, system); err != nil {
			t.Fatal(err)
		}
		if err := fx.st.CreateObjective(ctx, &lpm.Objective{ThemeID: grow.ID, Title: "Not measured yet"}, system); err != nil {
			t.Fatal(err)
		}
		k := &lpm.KeyResult{ObjectiveID: o.ID, Title: "Online share", Unit: "%", Baseline: 20, Target: 60, Weight: 1}
		if err := fx.st.CreateKeyResult(ctx, k, system); err != nil {
			t.Fatal(err)
		}
		if err := fx.st.AddCheckIns(ctx, fx.alpha.ID, []*lpm.CheckIn{{KeyResultID: k.ID, At: lpm.Now().Add(-time.Hour), Value: 40,
			Confidence: 6, Status: lpm.AtRisk}}, system); err != nil {
			t.Fatal(err)
		}
		// Spend: an epic of the theme building its MVP (100.00) and one
		// without a theme that persevered (300.00).
		mvp := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Online onboarding", State: lpm.ImplementingMVP,
			ThemeIDs: []int64{grow.ID}, EpicOwner: "alice", Costs: lpm.Costs{MVPInternal: 60_00, MVPSupplier: 40_00, FullInternal: 500_00}})
		fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Core upgrade", State: lpm.ImplementingPersevere,
			Costs: lpm.Costs{MVPInternal: 50_00, FullInternal: 300_00}})
		list = alice.get(path)
		wantBody(t, list,
			"<h4>Win online customers</h4>", "<strong>50 %</strong>", "yellow: 40 % to 70 %", "owner alice",
			`<th scope="row">Online share <span class="muted small">(%)</span></th>`, `<td class="number" data-label="Baseline">20</td><td class="number" data-label="Target">60</td>`,
			`<td class="number" data-label="Latest">40</td>`,
			"at risk, confidence 6 of 10",
			"<h4>Not measured yet</h4>", "nothing measured yet",
			"25.0 % of the portfolio's committed spend (EUR 100.00 of 400.00)",
			fmt.Sprintf(`<a href="/epics/%d"><span class="key">%s</span> Online onboarding</a>`, mvp.ID, mvp.Key),
			`<td data-label="State">Implementing: MVP</td><td data-label="Epic owner">alice</td><td class="number" data-label="Committed (EUR)">100.00</td>`, "1 in Implementing: MVP.")
		wantNoBody(t, list, "Core upgrade")
		wantAccessible(t, list)

		// Refused: dates out of order (the domain), a date that is none, no
		// name; the input comes back and nothing is written.
		for name, c := range map[string]struct {
			values url.Values
			want   []string
		}{
			"dates reversed": {url.Values{"name": {"Backwards"}, "status": {"active"}, "valid_from": {"2025-12-31"}, "valid_to": {"2025-01-01"}},
				[]string{"Valid_to must not be before valid_from.", `value="Backwards"`, `value="2025-01-01" aria-invalid="true"`}},
			"not a date": {url.Values{"name": {"Sloppy"}, "status": {"draft"}, "valid_to": {"31/12/2025"}},
				[]string{"Valid to must be a date such as 2025-01-31.", `value="31/12/2025" aria-invalid="true"`, `<option value="draft" selected>`}},
			"no name":    {url.Values{"name": {""}, "status": {"active"}}, []string{"Name is required."}},
			"bad status": {url.Values{"name": {"Odd"}, "status": {"paused"}}, []string{"Status must be draft, active or retired."}},
			"name taken": {url.Values{"name": {"Grow digital"}, "status": {"active"}}, []string{"already has a strategic theme named"}},
		} {
			p := alice.post(path, withCSRF(t, list, c.values))
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", name, p.status)
				continue
			}
			wantBody(t, p, append(c.want, "Not created. Please correct:")...)
			wantAccessible(t, p)
		}
		if n := len(fx.themes(t, fx.alpha)); n != 1 {
			t.Errorf("%d themes after refusals, want 1", n)
		}

		// A viewer sees themes without the form and may not post it; a
		// non-member finds no page.
		bob := s.signedInAs(t, "bob", bobPassword)
		wantStatus(t, bob.get(path), http.StatusNotFound)
		betaPath := fmt.Sprintf("/portfolios/%d/themes", fx.beta.ID)
		beta := bob.get(betaPath)
		wantStatus(t, beta, http.StatusOK)
		wantNoBody(t, beta, "Create a strategic theme", `name="name"`)
		refused := bob.post(betaPath, withCSRF(t, beta, url.Values{"name": {"Sneaky"}, "status": {"active"}}))
		wantStatus(t, refused, http.StatusForbidden)
		wantBody(t, refused, "create or change strategic themes", "decision_maker")
		if n := len(fx.themes(t, fx.beta)); n != 0 {
			t.Errorf("%d themes in Beta, want 0", n)
		}
	})
}
