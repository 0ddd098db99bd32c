package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
)

func TestEpicPageStrategySections(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		vs := &lpm.ValueStream{PortfolioID: fx.alpha.ID, Name: "Retail", Kind: lpm.Development, ARTs: []lpm.ART{{Name: "Rail"}}}
		if err := fx.st.CreateValueStream(ctx, vs, system); err != nil {
			t.Fatal(err)
		}
		quick := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Quick", State: lpm.Ready, EpicOwner: "alice", ValueStreamIDs: []int64{vs.ID}})
		slow := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Slow", State: lpm.Ready, ValueStreamIDs: []int64{vs.ID}})
		for id, points := range map[int64]float64{quick.ID: 100, slow.ID: 400} {
			if err := fx.st.SetForecastInputs(ctx, id, []lpm.ARTShare{{ART: "Rail", RemainingPoints: points, Velocity: 100, Allocation: 0.5}}, system); err != nil {
				t.Fatal(err)
			}
		}
		if err := fx.st.CreateImpediment(ctx, &lpm.Impediment{PortfolioID: fx.alpha.ID, Title: "No test data", Owner: "alice",
			EpicID: quick.ID}, system); err != nil {
			t.Fatal(err)
		}
		if err := fx.st.CreateDependency(ctx, &lpm.Dependency{PortfolioID: fx.alpha.ID, FromEpicID: quick.ID, ToEpicID: slow.ID,
			Risk: lpm.RiskHigh}, system); err != nil {
			t.Fatal(err)
		}
		idle := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Idle"})

		a := s.signedInAs(t, "alice", alicePassword)
		pg := a.get(fmt.Sprintf("/epics/%d", quick.ID))
		wantStatus(t, pg, http.StatusOK)
		wantBody(t, pg, "Impediments and dependencies", "<strong>No test data</strong>: Open, removed by alice",
			fmt.Sprintf(`depends on <a href="/epics/%d">%s Slow</a> (risk High)`, slow.ID, slow.Key),
			`<strong class="late-flag">Late: the epic depended on is forecast to finish in PI `,
			"Expected to finish in <strong>PI ", "it needs 2 PIs from PI ",
			`<th scope="row">Rail</th><td class="number" data-label="Remaining points">100</td><td class="number" data-label="Velocity per PI">100</td><td class="number" data-label="Allocation">50 %</td><td class="number" data-label="Points per PI">50</td><td class="number" data-label="PIs needed">2</td>`)
		wantAccessible(t, pg)
		wantBody(t, pg, "Set the ARTs' shares", `name="remaining.0" type="text" inputmode="decimal" value="100"`)

		// Setting the shares: refused in words, then stored.
		shareURL := fmt.Sprintf("/epics/%d/forecast", quick.ID)
		bad := a.post(shareURL, withCSRF(t, pg, url.Values{"art.0": {"Rail"}, "remaining.0": {"lots"}, "velocity.0": {"100"}, "allocation.0": {"0.5"}}))
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		wantBody(t, bad, "Not saved. Please correct:", "Rail: the remaining points must be a number such as 12.5, got &#34;lots&#34;.", `value="lots"`)
		wantAccessible(t, bad)
		bad = a.post(shareURL, withCSRF(t, pg, url.Values{"art.0": {"Rail"}, "remaining.0": {"100"}, "velocity.0": {"100"}, "allocation.0": {"2"}}))
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		if got, _ := fx.st.ForecastInputs(ctx, quick.ID); len(got) != 1 || got[0].RemainingPoints != 100 {
			t.Fatalf("shares after refusals: %+v", got)
		}
		saved := a.post(shareURL, withCSRF(t, pg, url.Values{"art.0": {"Rail"}, "remaining.0": {"250"}, "velocity.0": {"100"}, "allocation.0": {"1"}}))
		a.wantNotice(t, saved, fmt.Sprintf("The ARTs' shares of %s were saved.", quick.Key), false)
		if got, _ := fx.st.ForecastInputs(ctx, quick.ID); len(got) != 1 || got[0].RemainingPoints != 250 || got[0].Allocation != 1 {
			t.Errorf("shares stored: %+v", got)
		}
		// No work left on any ART: said so, not "finishes in the PI before".
		saved = a.post(shareURL, withCSRF(t, pg, url.Values{"art.0": {"Rail"}, "remaining.0": {"0"}, "velocity.0": {"100"}, "allocation.0": {"1"}}))
		done := a.wantNotice(t, saved, fmt.Sprintf("The ARTs' shares of %s were saved.", quick.Key), false)
		wantBody(t, done, "No work remains on its ARTs: every share has 0 points remaining.")
		wantNoBody(t, done, "Expected to finish in")
		// Slow has no epic owner: alice, an epic owner, may not edit it.
		wantStatus(t, a.post(fmt.Sprintf("/epics/%d/forecast", slow.ID), withCSRF(t, pg, url.Values{"art.0": {"Rail"}})), http.StatusForbidden)
		wantNoBody(t, a.get(fmt.Sprintf("/epics/%d", slow.ID)), "Set the ARTs' shares")
		b := s.signedInAs(t, "bob", bobPassword)
		wantStatus(t, b.post(shareURL, withCSRF(t, b.get("/"), url.Values{"art.0": {"Rail"}})), http.StatusNotFound)

		pg = a.get(fmt.Sprintf("/epics/%d", idle.ID))
		wantBody(t, pg, "No impediment holds this epic up.", "The epic has no dependencies.", "No forecast: no ART&#39;s share of it is given yet.")
	})
}
