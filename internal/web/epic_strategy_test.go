package web_test

import (
	"fmt"
	"net/http"
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
		quick := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Quick", State: lpm.Ready, ValueStreamIDs: []int64{vs.ID}})
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
		pg = a.get(fmt.Sprintf("/epics/%d", idle.ID))
		wantBody(t, pg, "No impediment holds this epic up.", "The epic has no dependencies.", "No forecast: no ART&#39;s share of it is given yet.")
	})
}
