package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lpm-project/lpm/internal/lpm"
)

func (fx *fixture) valueStreams(t *testing.T, p *lpm.Portfolio) []*lpm.ValueStream {
	t.Helper()
	list, _, err := fx.st.FindValueStreams(ctx, p.ID, lpm.Page{Limit: lpm.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestValueStreamsPage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		path := fmt.Sprintf("/portfolios/%d/value-streams", fx.alpha.ID)
		alice := s.signedInAs(t, "alice", alicePassword) // a decision maker may manage value streams

		list := alice.get(path)
		wantStatus(t, list, http.StatusOK)
		wantBody(t, list, "The portfolio has no value streams yet.", "Create a value stream", `aria-current="page">Value streams`)
		wantAccessible(t, list)

		// A development value stream with two ARTs (a blank row between
		// them is skipped) and a solution.
		created := alice.post(path, withCSRF(t, list, url.Values{
			"name": {"Payments"}, "kind": {"development"}, "description": {"Moves money"},
			"arts[0].name": {"Rails"}, "arts[0].headcount": {"120"},
			"arts[1].name": {""}, "arts[1].headcount": {""},
			"arts[2].name": {"Cards"}, "arts[2].headcount": {""},
			"solutions[0].name": {"Instant Pay"}, "solutions[0].kind": {"product"}, "solutions[0].description": {"Pay in seconds"},
			"solutions[1].name": {""}, "solutions[1].kind": {"product"}, "solutions[1].description": {""},
		}))
		streams := fx.valueStreams(t, fx.alpha)
		if len(streams) != 1 {
			t.Fatalf("%d value streams stored, want 1", len(streams))
		}
		payments := streams[0]
		if want := fmt.Sprintf("%s#value-stream-%d", path, payments.ID); created.location() != want {
			t.Errorf("created: Location %q, want %q", created.location(), want)
		}
		if diff := cmp.Diff([]lpm.ART{{Name: "Rails", Headcount: 120}, {Name: "Cards"}}, payments.ARTs); diff != "" {
			t.Errorf("ARTs stored (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]lpm.Solution{{Name: "Instant Pay", Kind: lpm.Product, Description: "Pay in seconds"}}, payments.Solutions); diff != "" {
			t.Errorf("solutions stored (-want +got):\n%s", diff)
		}
		list = alice.wantNotice(t, created, "Value stream Payments created.", false)
		wantBody(t, list, "<h2 id=\"value-stream-", ">Payments</h2>", "Development value stream", "Moves money",
			"<th scope=\"row\">Rails</th><td class=\"number\">120</td>", "<th scope=\"row\">Cards</th>",
			"<th scope=\"row\">Instant Pay</th><td>Product</td><td>Pay in seconds</td>", "0 epics</a> linked")
		wantAccessible(t, list)

		// An operational value stream using it; the epics linked are counted.
		wantStatus(t, alice.post(path, withCSRF(t, list, url.Values{"name": {"Retail banking"}, "kind": {"operational"},
			"supports": {fmt.Sprint(payments.ID)}})), http.StatusSeeOther)
		fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Instant payments", ValueStreamIDs: []int64{payments.ID}})
		list = alice.get(path)
		wantBody(t, list, "Operational value stream", "Uses the solutions of: Payments.",
			fmt.Sprintf(`<a href="/portfolios/%d/board?value_stream=%d">1 epic</a> linked`, fx.alpha.ID, payments.ID))
		if n := len(fx.valueStreams(t, fx.alpha)); n != 2 {
			t.Fatalf("%d value streams, want 2", n)
		}

		// Refused: what the domain refuses, a headcount that is no number,
		// a name taken. The input comes back; nothing is written.
		for name, c := range map[string]struct {
			values url.Values
			want   []string
		}{
			"ARTs of an operational stream": {url.Values{"name": {"Branches"}, "kind": {"operational"}, "arts[0].name": {"Tellers"}},
				[]string{"Only development value streams have ARTs.", `value="Branches"`, `value="Tellers"`}},
			"headcount not a number": {url.Values{"name": {"Lending"}, "kind": {"development"}, "arts[0].name": {"Loans"}, "arts[0].headcount": {"many"}},
				[]string{"The headcount of ART 1 must be a whole number", `value="many" aria-invalid="true"`, `value="Lending"`}},
			"name taken": {url.Values{"name": {"Payments"}, "kind": {"development"}},
				[]string{"already has a value stream named &#34;Payments&#34;"}},
			"no name": {url.Values{"name": {" "}, "kind": {"development"}}, []string{"Name is required."}},
			"no kind": {url.Values{"name": {"Kindless"}}, []string{"Kind must be development or operational."}},
		} {
			p := alice.post(path, withCSRF(t, list, c.values))
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", name, p.status)
				continue
			}
			wantBody(t, p, append(c.want, "Not created. Please correct:")...)
			wantAccessible(t, p)
		}
		if n := len(fx.valueStreams(t, fx.alpha)); n != 2 {
			t.Errorf("%d value streams after refusals, want 2", n)
		}

		// More rows: the form again, as typed, with more rows; nothing written.
		more := alice.post(path, withCSRF(t, list, url.Values{"name": {"Wide"}, "kind": {"development"},
			"arts[0].name": {"One"}, "arts[1].name": {""}, "arts[2].name": {""}, "more": {"rows"}}))
		wantStatus(t, more, http.StatusOK)
		wantBody(t, more, `value="Wide"`, `value="One"`, `name="arts[3].name"`, `name="solutions[3].name"`)
		if n := len(fx.valueStreams(t, fx.alpha)); n != 2 {
			t.Errorf("%d value streams after more rows, want 2", n)
		}

		// A viewer sees the list without the form, and may not post it; a
		// non-member finds no page.
		bob := s.signedInAs(t, "bob", bobPassword)
		wantStatus(t, bob.get(path), http.StatusNotFound)
		betaPath := fmt.Sprintf("/portfolios/%d/value-streams", fx.beta.ID)
		beta := bob.get(betaPath)
		wantStatus(t, beta, http.StatusOK)
		wantNoBody(t, beta, "Create a value stream", `name="name"`)
		wantAccessible(t, beta)
		refused := bob.post(betaPath, withCSRF(t, beta, url.Values{"name": {"Sneaky"}, "kind": {"development"}}))
		wantStatus(t, refused, http.StatusForbidden)
		wantBody(t, refused, "create or change value streams", "portfolio_admin")
		wantStatus(t, bob.post(path, withCSRF(t, beta, url.Values{"name": {"Sneaky"}, "kind": {"development"}})), http.StatusNotFound)
		if n := len(fx.valueStreams(t, fx.beta)); n != 0 {
			t.Errorf("%d value streams in Beta, want 0", n)
		}
	})
}

func TestValueStreamEdit(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		path := fmt.Sprintf("/portfolios/%d/value-streams", fx.alpha.ID)
		create := func(v *lpm.ValueStream) *lpm.ValueStream {
			t.Helper()
			if err := fx.st.CreateValueStream(ctx, v, system); err != nil {
				t.Fatal(err)
			}
			return v
		}
		pay := create(&lpm.ValueStream{PortfolioID: fx.alpha.ID, Name: "Payments", Kind: lpm.Development,
			ARTs: []lpm.ART{{Name: "Rails", Headcount: 120}}, Solutions: []lpm.Solution{{Name: "Instant Pay", Kind: lpm.Product}}})
		lend := create(&lpm.ValueStream{PortfolioID: fx.alpha.ID, Name: "Lending", Kind: lpm.Development})
		retail := create(&lpm.ValueStream{PortfolioID: fx.alpha.ID, Name: "Retail banking", Kind: lpm.Operational, Supports: []int64{pay.ID}})
		theirs := create(&lpm.ValueStream{PortfolioID: fx.beta.ID, Name: "Theirs", Kind: lpm.Development})
		find := func(id int64) *lpm.ValueStream {
			t.Helper()
			v, err := fx.st.FindValueStreamByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		payPath := fmt.Sprintf("%s/%d", path, pay.ID)

		alice := s.signedInAs(t, "alice", alicePassword)
		list := alice.get(path)
		wantBody(t, list, "<summary>Change Payments</summary>",
			fmt.Sprintf(`action="%s#value-stream-%d"`, payPath, pay.ID),
			fmt.Sprintf(`id="edit-%d-vs-name" name="name" type="text" value="Payments"`, pay.ID),
			fmt.Sprintf(`id="edit-%d-art-0-headcount" name="arts[0].headcount" type="number" min="0" max="10000" step="1" inputmode="numeric" value="120"`, pay.ID),
			fmt.Sprintf(`id="edit-%d-supports-%d" name="supports" value="%d" checked`, retail.ID, pay.ID, pay.ID))
		wantAccessible(t, list)

		// Renamed, described, an ART changed and one added, the solution
		// removed.
		changed := alice.post(payPath, withCSRF(t, list, url.Values{
			"name": {"Money"}, "description": {"Moves money"},
			"arts[0].name": {"Rails"}, "arts[0].headcount": {"130"},
			"arts[1].name": {"Wallet"}, "arts[1].headcount": {""},
			"solutions[0].name": {""}, "solutions[0].kind": {"product"}, "solutions[0].description": {""},
		}))
		if want := fmt.Sprintf("%s#value-stream-%d", path, pay.ID); changed.location() != want {
			t.Errorf("changed: Location %q, want %q", changed.location(), want)
		}
		list = alice.wantNotice(t, changed, "Value stream Money changed.", false)
		wantBody(t, list, ">Money</h2>", "Moves money", "<summary>Change Money</summary>")
		got := find(pay.ID)
		if diff := cmp.Diff([]lpm.ART{{Name: "Rails", Headcount: 130}, {Name: "Wallet"}}, got.ARTs); diff != "" {
			t.Errorf("ARTs stored (-want +got):\n%s", diff)
		}
		if got.Name != "Money" || got.Description != "Moves money" || len(got.Solutions) != 0 || got.Kind != lpm.Development {
			t.Errorf("stored %+v", got)
		}

		// The operational value stream now uses Lending instead.
		wantStatus(t, alice.post(fmt.Sprintf("%s/%d", path, retail.ID), withCSRF(t, list, url.Values{
			"name": {"Retail banking"}, "description": {""}, "supports": {fmt.Sprint(lend.ID)}})), http.StatusSeeOther)
		if diff := cmp.Diff([]int64{lend.ID}, find(retail.ID).Supports); diff != "" {
			t.Errorf("supports stored (-want +got):\n%s", diff)
		}

		// Refused: the input comes back in the value stream's form, open,
		// and nothing is written.
		before := find(pay.ID)
		for name, c := range map[string]struct {
			values url.Values
			want   []string
		}{
			"no name": {url.Values{"name": {" "}, "arts[0].name": {"Kept"}},
				[]string{"Name is required.", fmt.Sprintf(`id="edit-%d-vs-name" name="name" type="text" value=" " maxlength="200" required aria-invalid="true"`, pay.ID),
					`value="Kept"`}},
			"headcount not a number": {url.Values{"name": {"Money"}, "arts[0].name": {"Loans"}, "arts[0].headcount": {"many"}},
				[]string{"The headcount of ART 1 must be a whole number", `value="many" aria-invalid="true"`}},
			"name taken": {url.Values{"name": {"Lending"}}, []string{"already has a value stream named &#34;Lending&#34;"}},
		} {
			p := alice.post(payPath, withCSRF(t, list, c.values))
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", name, p.status)
				continue
			}
			wantBody(t, p, append(c.want, "Not changed. Please correct:", `role="alert"`, `<details class="okr-form" open>`)...)
			wantAccessible(t, p)
		}
		if diff := cmp.Diff(before, find(pay.ID)); diff != "" {
			t.Errorf("refusals changed the value stream (-before +after):\n%s", diff)
		}

		// More rows: the form again, as typed, with more rows.
		more := alice.post(payPath, withCSRF(t, list, url.Values{"name": {"Wider"}, "arts[0].name": {"One"}, "more": {"rows"}}))
		wantStatus(t, more, http.StatusOK)
		wantBody(t, more, `value="Wider"`, fmt.Sprintf(`id="edit-%d-art-3-name" name="arts[3].name"`, pay.ID))
		if find(pay.ID).Name != "Money" {
			t.Error("more rows wrote the value stream")
		}

		// A value stream of another portfolio is not found under this
		// one, even for a site admin; nor is one that does not exist.
		root := s.signedInAs(t, "root", adminPassword)
		rootList := root.get(path)
		wantStatus(t, root.post(fmt.Sprintf("%s/%d", path, theirs.ID), withCSRF(t, rootList, url.Values{"name": {"Stolen"}})), http.StatusNotFound)
		wantStatus(t, alice.post(fmt.Sprintf("%s/%d", path, 9999), withCSRF(t, list, url.Values{"name": {"Ghost"}})), http.StatusNotFound)
		if find(theirs.ID).Name != "Theirs" {
			t.Error("a value stream changed under another portfolio")
		}

		// A viewer sees no form and may not post it; a non-member finds
		// nothing.
		bob := s.signedInAs(t, "bob", bobPassword)
		betaPath := fmt.Sprintf("/portfolios/%d/value-streams", fx.beta.ID)
		beta := bob.get(betaPath)
		wantNoBody(t, beta, "<summary>Change")
		refused := bob.post(fmt.Sprintf("%s/%d", betaPath, theirs.ID), withCSRF(t, beta, url.Values{"name": {"Sneaky"}}))
		wantStatus(t, refused, http.StatusForbidden)
		wantBody(t, refused, "You may not change value streams here")
		wantStatus(t, bob.post(payPath, withCSRF(t, beta, url.Values{"name": {"Sneaky"}})), http.StatusNotFound)
		if find(theirs.ID).Name != "Theirs" || find(pay.ID).Name != "Money" {
			t.Error("a refused change was written")
		}
	})
}
