package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
)

func (fx *fixture) rounds(t *testing.T, p *lpm.Portfolio) []*lpm.EstimationRound {
	t.Helper()
	list, _, err := fx.st.FindRounds(ctx, p.ID, lpm.Page{Limit: lpm.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func (fx *fixture) epicWSJF(t *testing.T, id int64) lpm.WSJFComponents {
	t.Helper()
	e, err := fx.st.FindEpicByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return e.WSJF
}

// scores is the scoring form's values for an epic of a round, with prefix
// "" (one's own scores) or "agreed." (the closing form).
func scores(prefix string, epic int64, v [4]string) url.Values {
	out := url.Values{}
	for i, c := range []string{"user_business_value", "time_criticality", "risk_reduction_opportunity_enablement", "job_size"} {
		out.Set(fmt.Sprintf("%se%d.%s", prefix, epic, c), v[i])
	}
	return out
}

func merge(vs ...url.Values) url.Values {
	out := url.Values{}
	for _, v := range vs {
		for k, x := range v {
			out[k] = x
		}
	}
	return out
}

func TestEstimationPages(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		olga := fx.user(t, "olga", "Olga Operations", "olga's long password", false)
		fx.grant(t, fx.alpha, olga, lpm.RolePortfolioOperations) // may open and close rounds
		pay := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Instant pay", WSJF: lpm.WSJFComponents{UserBusinessValue: 1, TimeCriticality: 1, RiskReduction: 1, JobSize: 1}})
		card := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Card wallet", State: lpm.Analyzing})
		old := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Old thing", State: lpm.Done, DoneReason: lpm.Completed})
		path := fmt.Sprintf("/portfolios/%d/estimation", fx.alpha.ID)

		o := s.signedInAs(t, "olga", "olga's long password")
		list := o.get(path)
		wantStatus(t, list, http.StatusOK)
		wantBody(t, list, "The portfolio has no estimation rounds yet.", "Open an estimation round", `aria-current="page">Estimation</a>`,
			pay.Key+" Instant pay (Funnel)", card.Key+" Card wallet (Analyzing)")
		wantNoBody(t, list, "Old thing")
		wantAccessible(t, list)

		// Refused: no name; a done epic; no epic. Nothing is stored.
		for name, c := range map[string]struct {
			values url.Values
			want   string
		}{
			"no name":   {url.Values{"title": {" "}, "epic": {fmt.Sprint(pay.ID)}}, "Title is required."},
			"done epic": {url.Values{"title": {"PI 7"}, "epic": {fmt.Sprint(old.ID)}}, "is done; its WSJF no longer orders anything."},
			"no epic":   {url.Values{"title": {"PI 7"}}, "A round estimates at least one epic."},
			"not an id": {url.Values{"title": {"PI 7"}, "epic": {"x"}}, "The form named an epic that is none"},
		} {
			p := o.post(path, withCSRF(t, list, c.values))
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", name, p.status)
				continue
			}
			wantBody(t, p, "Not opened. Please correct:", c.want)
			wantAccessible(t, p)
		}
		if n := len(fx.rounds(t, fx.alpha)); n != 0 {
			t.Fatalf("%d rounds after refusals, want 0", n)
		}

		created := o.post(path, withCSRF(t, list, url.Values{"title": {"PI 7"}, "epic": {fmt.Sprint(pay.ID), fmt.Sprint(card.ID)}}))
		rounds := fx.rounds(t, fx.alpha)
		if len(rounds) != 1 || rounds[0].Title != "PI 7" || len(rounds[0].EpicIDs) != 2 {
			t.Fatalf("rounds stored: %+v", rounds)
		}
		roundPath := fmt.Sprintf("%s/%d", path, rounds[0].ID)
		if created.location() != roundPath {
			t.Errorf("created: Location %q, want %q", created.location(), roundPath)
		}
		page := o.wantNotice(t, created, "Estimation round PI 7 opened with 2 epics.", false)
		wantBody(t, page, "Estimation round PI 7", "Nobody has scored it yet.", "Your scores", "Agree and close the round",
			"cost of delay 3 (1, 1 and 1) over job size 1: WSJF 3.00")
		wantAccessible(t, page)

		// Alice may score but neither open nor close rounds.
		a := s.signedInAs(t, "alice", alicePassword)
		alist := a.get(path)
		wantBody(t, alist, ">PI 7</a>", "open")
		wantNoBody(t, alist, "Open the round")
		wantStatus(t, a.post(path, withCSRF(t, alist, url.Values{"title": {"Mine"}, "epic": {fmt.Sprint(pay.ID)}})), http.StatusForbidden)
		apage := a.get(roundPath)
		wantBody(t, apage, "Save my scores")
		wantNoBody(t, apage, "Apply the agreed values")
		wantStatus(t, a.post(roundPath+"/close", withCSRF(t, apage, scores("agreed.", pay.ID, [4]string{"8", "3", "2", "8"}))), http.StatusForbidden)

		// A half-scored epic is refused in words, and nothing is stored.
		half := a.post(roundPath+"/estimates", withCSRF(t, apage, merge(scores("", pay.ID, [4]string{"5", "3", "2", "8"}),
			scores("", card.ID, [4]string{"5", "", "", ""}))))
		wantStatus(t, half, http.StatusUnprocessableEntity)
		wantBody(t, half, "Your scores were not saved.", card.Key+": time criticality must be scored", `aria-invalid="true"`)
		wantAccessible(t, half)
		if est, err := fx.st.RoundEstimates(ctx, rounds[0].ID); err != nil || len(est) != 0 {
			t.Fatalf("estimates after a refusal: %v, %v", est, err)
		}
		nothing := a.post(roundPath+"/estimates", withCSRF(t, apage, url.Values{}))
		wantStatus(t, nothing, http.StatusUnprocessableEntity)
		wantBody(t, nothing, "Score at least one epic")

		saved := a.post(roundPath+"/estimates", withCSRF(t, apage, scores("", pay.ID, [4]string{"5", "3", "2", "8"})))
		a.wantNotice(t, saved, "Your scores of 1 epic were saved.", false)
		saved = o.post(roundPath+"/estimates", withCSRF(t, page, scores("", pay.ID, [4]string{"8", "3", "2", "8"})))
		page = o.wantNotice(t, saved, "Your scores of 1 epic were saved.", false)
		// User-business value spreads from 5 to 8 (median 6.5, suggestion
		// 5: the lower on a tie); the rest agree.
		wantBody(t, page, "Scored by alice, olga.",
			`<tr><th scope="row">User-business value</th><td class="number" data-label="Lowest">5</td><td class="number" data-label="Highest">8</td><td class="number" data-label="Median">6.5</td><td data-label="Agreement"><span class="agreement apart">apart</span></td><td class="number" data-label="Suggestion">5</td></tr>`,
			`<span class="agreement">agreed</span>`,
			fmt.Sprintf(`<select id="agreed-%d-0" name="agreed.e%d.user_business_value"><option value="">keep as it is</option><option>1</option><option>2</option><option>3</option><option selected>5</option>`, pay.ID, pay.ID),
			// Olga's own scores come back in her form.
			fmt.Sprintf(`<select id="mine-%d-0" name="e%d.user_business_value"><option value="">not scored</option><option>1</option><option>2</option><option>3</option><option>5</option><option selected>8</option>`, pay.ID, pay.ID))
		wantAccessible(t, page)

		// Closing: a value off the scale is refused, then the agreed values
		// are applied to the pay epic only.
		bad := o.post(roundPath+"/close", withCSRF(t, page, scores("agreed.", pay.ID, [4]string{"7", "3", "2", "8"})))
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		wantBody(t, bad, "The round was not closed.", pay.Key+": user-business value must be one of 1, 2, 3, 5, 8, 13, 20, got 7.")
		if ro, _ := fx.st.FindRound(ctx, rounds[0].ID); ro.Closed {
			t.Fatal("round closed by a refused form")
		}
		closed := o.post(roundPath+"/close", withCSRF(t, page, scores("agreed.", pay.ID, [4]string{"8", "3", "2", "8"})))
		page = o.wantNotice(t, closed, "Estimation round PI 7 closed: the agreed values were applied to 1 epics.", false)
		wantNoBody(t, page, "Save my scores", "Apply the agreed values")
		wantBody(t, page, "the agreed values were applied to the epics.", "cost of delay 13 (8, 3 and 2) over job size 8: WSJF 1.63")
		if got, want := fx.epicWSJF(t, pay.ID), (lpm.WSJFComponents{UserBusinessValue: 8, TimeCriticality: 3, RiskReduction: 2, JobSize: 8}); got != want {
			t.Errorf("pay after closing: %+v, want %+v", got, want)
		}
		if got := fx.epicWSJF(t, card.ID); got.Scored() {
			t.Errorf("card after closing: %+v, want unscored", got)
		}
		late := a.post(roundPath+"/estimates", withCSRF(t, apage, scores("", pay.ID, [4]string{"5", "3", "2", "8"})))
		wantStatus(t, late, http.StatusUnprocessableEntity)
		wantBody(t, late, "is closed")

		// Bob is no member of Alpha: no list, no round; a viewer in Beta
		// sees no form there.
		b := s.signedInAs(t, "bob", bobPassword)
		wantStatus(t, b.get(path), http.StatusNotFound)
		wantStatus(t, b.get(roundPath), http.StatusNotFound)
		wantStatus(t, b.get(fmt.Sprintf("/portfolios/%d/estimation/%d", fx.beta.ID, rounds[0].ID)), http.StatusNotFound)
		beta := b.get(fmt.Sprintf("/portfolios/%d/estimation", fx.beta.ID))
		wantStatus(t, beta, http.StatusOK)
		wantNoBody(t, beta, "Open the round")
	})
}

// An epic of the round that went to done meanwhile is left out of the close
// form, so the form as shown closes the round.
func TestRoundCloseSkipsDoneEpics(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		olga := fx.user(t, "olga", "Olga Operations", "olga's long password", false)
		fx.grant(t, fx.alpha, olga, lpm.RolePortfolioOperations)
		pay := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Instant pay"})
		gone := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Gone soon"})
		ro := &lpm.EstimationRound{PortfolioID: fx.alpha.ID, Title: "PI 8", EpicIDs: []int64{pay.ID, gone.ID}}
		if err := fx.st.CreateRound(ctx, ro, system); err != nil {
			t.Fatal(err)
		}
		given := lpm.WSJFComponents{UserBusinessValue: 8, TimeCriticality: 3, RiskReduction: 2, JobSize: 5}
		if err := fx.st.SubmitEstimates(ctx, ro.ID, []lpm.Estimate{{EpicID: pay.ID, Scores: given}, {EpicID: gone.ID, Scores: given}}, system); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.st.TransitionEpic(ctx, gone.ID, lpm.TransitionRequest{To: lpm.Done, DoneReason: lpm.Declined, Reason: "no longer wanted"}, system); err != nil {
			t.Fatal(err)
		}
		o := s.signedInAs(t, "olga", "olga's long password")
		roundPath := fmt.Sprintf("/portfolios/%d/estimation/%d", fx.alpha.ID, ro.ID)
		page := o.get(roundPath)
		wantBody(t, page, "Done since the round opened: its WSJF is no longer changed.",
			fmt.Sprintf(`name="agreed.e%d.job_size"`, pay.ID))
		wantNoBody(t, page, fmt.Sprintf(`name="agreed.e%d.job_size"`, gone.ID))
		wantAccessible(t, page)
		closed := o.post(roundPath+"/close", withCSRF(t, page, scores("agreed.", pay.ID, [4]string{"8", "3", "2", "5"})))
		o.wantNotice(t, closed, "Estimation round PI 8 closed: the agreed values were applied to 1 epics.", false)
	})
}
