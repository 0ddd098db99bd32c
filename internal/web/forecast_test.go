package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
)

func TestForecastPage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		low := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Low value", State: lpm.Ready,
			WSJF: lpm.WSJFComponents{UserBusinessValue: 1, TimeCriticality: 1, RiskReduction: 1, JobSize: 20}})
		high := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "High value", State: lpm.Ready,
			WSJF: lpm.WSJFComponents{UserBusinessValue: 20, TimeCriticality: 20, RiskReduction: 20, JobSize: 1}})
		fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Building", State: lpm.ImplementingMVP})
		path := fmt.Sprintf("/portfolios/%d/forecast", fx.alpha.ID)

		a := s.signedInAs(t, "alice", alicePassword)
		pg := a.get(path)
		wantStatus(t, pg, http.StatusOK)
		wantBody(t, pg, `aria-current="page">Forecast</a>`, `value="7"`, `value="26"`, `value="10000"`,
			"1 epic is being implemented.", "No dates: no epic was finished in the last 26 periods of 7 days",
			`<td class="number" data-label="WSJF">60.00</td>`, `<td class="number" data-label="WSJF">0.15</td>`)
		if i, j := strings.Index(pg.body, high.Title), strings.Index(pg.body, low.Title); i < 0 || j < i {
			t.Error("the backlog is not in WSJF order")
		}
		wantAccessible(t, pg)

		pg = a.get(path + "?period_days=14&history_periods=52&trials=500")
		wantStatus(t, pg, http.StatusOK)
		wantBody(t, pg, "in the last 52 periods of 14 days", `value="500"`)

		bad := a.get(path + "?period_days=0&trials=50000")
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		wantBody(t, bad, "No forecast. Please correct:", "The length of a period in days must be a whole number from 1 to 91.",
			"The number of trials must be a whole number from 100 to 20000.", `value="0" aria-invalid="true"`)
		wantAccessible(t, bad)

		b := s.signedInAs(t, "bob", bobPassword)
		wantStatus(t, b.get(path), http.StatusNotFound)
		wantStatus(t, b.get(fmt.Sprintf("/portfolios/%d/forecast", fx.beta.ID)), http.StatusOK)
	})
}
