package web

import (
	"github.com/lpm-project/lpm/internal/lpm"
)

// strategyPageViews are full views of the strategy pages (WSJF estimation
// rounds, impediments, dependencies, forecasts) for TestEveryPageRenders:
// every branch of their templates that a view can reach.
func strategyPageViews() map[string]any {
	sel := func(id, name string, value int, invalid bool) scaleSelect {
		return scaleSelect{ID: id, Name: name, Label: "Job size", Blank: "not scored", Value: value, Scale: lpm.WSJFScale, Invalid: invalid}
	}
	components := []roundComponentView{
		{Label: "User-business value", Min: "3", Max: "8", Median: "5", Agreement: "apart", Suggested: "5",
			Mine: sel("m1", "e1.user_business_value", 5, true), Close: sel("c1", "agreed.e1.user_business_value", 5, false)},
		{Label: "Job size", Min: "2", Max: "2", Median: "2", Agreement: "agreed", Agreed: true, Suggested: "2",
			Mine: sel("m2", "e1.job_size", 0, false), Close: sel("c2", "agreed.e1.job_size", 2, true)},
	}
	return map[string]any{
		pageEstimation: estimationView{chrome: testChrome("WSJF estimation"), PortfolioID: 1, CanRun: true,
			Rounds: []roundRow{{ID: 1, Title: "PI 7", State: "open", Who: "ada", Created: "1 Jan 2025", Epics: 2}},
			Form: roundForm{Title: "PI 8", Epics: []checkOption{{ID: 1, Label: "EP-1 Pay (Funnel)", Checked: true}, {ID: 2, Label: "EP-2 Card"}},
				Errors: []string{"No."}, Invalid: map[string]bool{"title": true}}},
		pageRound: roundView{chrome: testChrome("Estimation round PI 7"), PortfolioID: 1, ID: 1, Title: "PI 7", Status: "Open.",
			CanEstimate: true, CanClose: true, Errors: []string{"EP-1: no."}, CloseErrors: []string{"EP-1: no."},
			Epics: []roundEpicView{
				{ID: 1, Key: "EP-1", Title: "Pay", Current: "not fully scored yet", Estimators: "ada, bob", Scored: true, Components: components},
				{ID: 2, Key: "EP-2", Title: "Card", Current: "cost of delay 6 (1, 2 and 3) over job size 5: WSJF 1.20", Components: components},
			}},
	}
}
