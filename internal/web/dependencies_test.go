package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
)

func (fx *fixture) dependencies(t *testing.T, p *lpm.Portfolio) []*lpm.Dependency {
	t.Helper()
	list, _, err := fx.st.FindDependencies(ctx, p.ID, lpm.Page{Limit: lpm.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestDependenciesPage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		rails := &lpm.ValueStream{PortfolioID: fx.alpha.ID, Name: "Retail", Kind: lpm.Development, ARTs: []lpm.ART{{Name: "Rail"}}}
		if err := fx.st.CreateValueStream(ctx, rails, system); err != nil {
			t.Fatal(err)
		}
		cards := &lpm.ValueStream{PortfolioID: fx.alpha.ID, Name: "Cards", Kind: lpm.Development}
		if err := fx.st.CreateValueStream(ctx, cards, system); err != nil {
			t.Fatal(err)
		}
		// Quick needs Slow, which is forecast to finish three PIs after it.
		quick := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Quick", State: lpm.Ready, ValueStreamIDs: []int64{rails.ID}})
		slow := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Slow", State: lpm.Ready, ValueStreamIDs: []int64{rails.ID}})
		for id, points := range map[int64]float64{quick.ID: 100, slow.ID: 400} {
			if err := fx.st.SetForecastInputs(ctx, id, []lpm.ARTShare{{ART: "Rail", RemainingPoints: points, Velocity: 100, Allocation: 1}}, system); err != nil {
				t.Fatal(err)
			}
		}
		path := fmt.Sprintf("/portfolios/%d/dependencies", fx.alpha.ID)
		a := s.signedInAs(t, "alice", alicePassword) // may manage dependencies

		list := a.get(path)
		wantStatus(t, list, http.StatusOK)
		wantBody(t, list, "The portfolio has no dependencies.", "Record a dependency", `aria-current="page">Dependencies</a>`)
		wantAccessible(t, list)

		for name, c := range map[string]struct {
			values url.Values
			want   string
		}{
			"nothing":   {url.Values{"risk": {"high"}}, "Name the two epics"},
			"self":      {url.Values{"from_epic": {fmt.Sprint(quick.ID)}, "to_epic": {fmt.Sprint(quick.ID)}, "risk": {"high"}}, "An epic cannot depend on itself."},
			"both":      {url.Values{"from_epic": {fmt.Sprint(quick.ID)}, "to_epic": {fmt.Sprint(slow.ID)}, "from_value_stream": {fmt.Sprint(rails.ID)}, "to_value_stream": {fmt.Sprint(cards.ID)}, "risk": {"high"}}, "not both"},
			"due PI":    {url.Values{"from_epic": {fmt.Sprint(quick.ID)}, "to_epic": {fmt.Sprint(slow.ID)}, "risk": {"high"}, "due_pi": {"soon"}}, "The due PI must be a PI number from 1 to 10000."},
			"bad risk":  {url.Values{"from_epic": {fmt.Sprint(quick.ID)}, "to_epic": {fmt.Sprint(slow.ID)}, "risk": {"huge"}}, "Risk must be low, medium or high."},
			"not an id": {url.Values{"from_epic": {"x"}, "to_epic": {fmt.Sprint(slow.ID)}, "risk": {"high"}}, "Choose the dependent epic from the list."},
		} {
			p := a.post(path, withCSRF(t, list, c.values))
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", name, p.status)
				continue
			}
			wantBody(t, p, "Not recorded. Please correct:", c.want)
			wantAccessible(t, p)
		}
		if n := len(fx.dependencies(t, fx.alpha)); n != 0 {
			t.Fatalf("%d dependencies after refusals", n)
		}

		recorded := a.post(path, withCSRF(t, list, url.Values{"from_epic": {fmt.Sprint(quick.ID)}, "to_epic": {fmt.Sprint(slow.ID)},
			"risk": {"high"}, "description": {"Slow builds the API"}}))
		list = a.wantNotice(t, recorded, "Dependency recorded.", false)
		recorded = a.post(path, withCSRF(t, list, url.Values{"from_value_stream": {fmt.Sprint(cards.ID)}, "to_value_stream": {fmt.Sprint(rails.ID)},
			"risk": {"low"}, "due_pi": {"4"}}))
		list = a.wantNotice(t, recorded, "Dependency recorded.", false)
		deps := fx.dependencies(t, fx.alpha)
		if len(deps) != 2 || deps[0].FromEpicID != quick.ID || deps[0].ToEpicID != slow.ID || deps[0].Risk != lpm.RiskHigh ||
			deps[1].FromValueStreamID != cards.ID || deps[1].DuePI != 4 {
			t.Fatalf("dependencies stored: %+v", deps)
		}
		wantBody(t, list, `<strong class="late-flag">Late: the epic depended on is forecast to finish in PI `, ", after the dependent epic (PI ",
			"Slow builds the API", "Value stream Cards", "value stream Retail", "Not forecast: it is between value streams.", "<td data-label=\"Due\">PI 4</td>")
		wantAccessible(t, list)

		removed := a.post(fmt.Sprintf("%s/%d/remove", path, deps[1].ID), withCSRF(t, list, nil))
		a.wantNotice(t, removed, "Dependency removed.", false)
		if n := len(fx.dependencies(t, fx.alpha)); n != 1 {
			t.Errorf("%d dependencies after removing one, want 1", n)
		}

		// A dependency on an epic that is done is met, not "not forecast".
		shipped := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Shipped", State: lpm.Done, DoneReason: lpm.Completed})
		if err := fx.st.CreateDependency(ctx, &lpm.Dependency{PortfolioID: fx.alpha.ID, FromEpicID: quick.ID, ToEpicID: shipped.ID, Risk: lpm.RiskLow}, system); err != nil {
			t.Fatal(err)
		}
		withDone := a.get(path)
		wantBody(t, withDone, "Met: the epic depended on is done.", fmt.Sprintf(`<option value="%d">%s Quick</option>`, quick.ID, quick.Key))
		// The form offers only epics not done.
		wantNoBody(t, withDone, fmt.Sprintf(`<option value="%d">`, shipped.ID))

		// Bob: no member of Alpha; a viewer in Beta sees no forms.
		b := s.signedInAs(t, "bob", bobPassword)
		wantStatus(t, b.get(path), http.StatusNotFound)
		betaPath := fmt.Sprintf("/portfolios/%d/dependencies", fx.beta.ID)
		beta := b.get(betaPath)
		wantStatus(t, beta, http.StatusOK)
		wantNoBody(t, beta, "Record the dependency")
		wantStatus(t, b.post(fmt.Sprintf("%s/%d/remove", path, deps[0].ID), withCSRF(t, beta, nil)), http.StatusNotFound)
		wantStatus(t, b.post(fmt.Sprintf("%s/%d/remove", betaPath, deps[0].ID), withCSRF(t, beta, nil)), http.StatusNotFound)
		wantStatus(t, b.post(betaPath, withCSRF(t, beta, url.Values{"risk": {"low"}})), http.StatusForbidden)
		if n := len(fx.dependencies(t, fx.alpha)); n != 2 {
			t.Errorf("%d dependencies after bob, want 2", n)
		}
	})
}
