package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
		pageForecast: forecastView{chrome: testChrome("Backlog forecast"), PortfolioID: 1, PeriodDays: "7", HistoryPeriods: "x", Trials: "100",
			Errors: []string{"No."}, Invalid: map[string]bool{"history_periods": true}, Shown: true, Reason: "none finished",
			History: "0, 1", InProgress: 1, Horizon: "3647 days",
			Items: []forecastRow{{Position: 1, ID: 1, Key: "EP-1", Title: "Pay", WSJF: "3.00", P50: "1 Jul 2025", P85: "beyond the horizon"}, {Position: 2, ID: 2, Key: "EP-2", Title: "Card", WSJF: "not scored"}}},
		pageDependencies: dependenciesView{chrome: testChrome("Dependencies"), PortfolioID: 1, CanManage: true, Risks: dependencyRisks,
			Epics: []option{{"1", "EP-1 Pay"}, {"2", "EP-2 Card"}}, ValueStreams: []option{{"1", "Payments"}},
			Dependencies: []dependencyView{
				{ID: 1, From: "EP-1 Pay", To: "EP-2 Card", FromEpic: 1, ToEpic: 2, Description: "API first", Risk: "High", DuePI: "PI 3",
					Late: true, Forecast: "Late: the epic depended on is forecast to finish in PI 5, after the due PI 3."},
				{ID: 2, From: "Value stream Payments", To: "value stream Cards", Risk: "Low", Forecast: "Not forecast."}},
			Form: dependencyForm{FromEpic: "1", ToEpic: "1", Risk: "high", DuePI: "x", Errors: []string{"No."},
				Invalid: map[string]bool{"to_epic": true, "due_pi": true}}},
		pageImpediments: impedimentsView{chrome: testChrome("Impediments"), PortfolioID: 1, Status: "open", Statuses: impedimentStatuses,
			CanManage: true, Epics: []option{{"1", "EP-1 Pay"}}, ValueStreams: []option{{"1", "Payments"}},
			Impediments: []impedimentView{
				{ID: 1, Title: "No test data", Description: "Blocked", Owner: "ada", Status: "Open", StatusValue: "open",
					EpicID: 1, HoldsUp: "EP-1 Pay", ValueStream: "Payments", Raised: "1 Jan 2025"},
				{ID: 2, Title: "Licence", Status: "Resolved", StatusValue: "resolved", Raised: "1 Jan 2025", Resolved: "2 Jan 2025"}},
			Form: impedimentForm{Title: "X", Status: "open", Epic: "1", Errors: []string{"No."}, Invalid: map[string]bool{"epic": true}}},
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

// TestThemesOKRFormsRender renders the strategic themes page with a theme's
// OKR forms, each refused, as TestEveryPageRenders renders every page.
func TestThemesOKRFormsRender(t *testing.T) {
	static, err := loadStatic()
	if err != nil {
		t.Fatal(err)
	}
	p, err := parsePages(static)
	if err != nil {
		t.Fatal(err)
	}
	h := &handler{pages: p, static: static, log: slog.New(slog.DiscardHandler)}
	view := managementPageViews()[pageThemes].(themesView)
	invalid := map[string]bool{"title": true, "value": true, "objective": true, "period_end": true}
	view.Themes[0].OKR = &okrForms{ThemeID: 1, Statuses: checkInStatuses, MaxConfidence: lpm.MaxConfidence,
		Objectives: []option{{"1", "Win"}}, KeyResults: []option{{"1", "Win: Share (%, from 10 to 20)"}},
		Objective: objectiveForm{Title: "X", PeriodEnd: "2024-01-01", Errors: []string{"No."}, Invalid: invalid},
		KeyResult: keyResultForm{Objective: "1", Title: "Y", Weight: "1", Errors: []string{"No."}, Invalid: invalid},
		CheckIn:   checkInForm{KeyResult: "1", Value: "x", Status: "at_risk", Errors: []string{"No."}, Invalid: invalid},
		CSVErrors: []string{"Line 2: no."}}
	view.Themes[1].OKR = newOKRForms(&lpm.StrategicTheme{ID: 2}, nil, nil)
	rec := httptest.NewRecorder()
	h.render(rec, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, pageThemes, view)
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "</html>") {
		t.Fatalf("status %d:\n%s", rec.Code, body)
	}
	for _, want := range []string{"Record the check-in", "Import the check-ins", "Add the key result", "Add the objective", "Line 2: no.",
		`<option value="at_risk" selected>At risk</option>`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script>", "<style", " style="} {
		if strings.Contains(body, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
}
