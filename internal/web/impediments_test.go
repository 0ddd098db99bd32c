package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
)

func (fx *fixture) impediments(t *testing.T, p *lpm.Portfolio) []*lpm.Impediment {
	t.Helper()
	list, _, err := fx.st.FindImpediments(ctx, p.ID, nil, lpm.Page{Limit: lpm.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestImpedimentsPage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		pay := fx.importEpic(t, lpm.Epic{PortfolioID: fx.alpha.ID, Title: "Instant pay"})
		path := fmt.Sprintf("/portfolios/%d/impediments", fx.alpha.ID)
		a := s.signedInAs(t, "alice", alicePassword) // may manage impediments

		list := a.get(path)
		wantStatus(t, list, http.StatusOK)
		wantBody(t, list, "The portfolio has no impediments.", "Raise an impediment", `aria-current="page">Impediments</a>`,
			fmt.Sprintf(`<option value="%d">%s Instant pay</option>`, pay.ID, pay.Key))
		wantAccessible(t, list)

		for name, c := range map[string]struct {
			values url.Values
			want   string
		}{
			"no title":   {url.Values{"title": {""}, "status": {"open"}}, "Title is required."},
			"bad status": {url.Values{"title": {"X"}, "status": {"stuck"}}, "Status must be open, in_progress or resolved."},
			"no owner":   {url.Values{"title": {"X"}, "status": {"open"}, "owner": {"nobody"}}, "nobody"},
			"bad epic":   {url.Values{"title": {"X"}, "status": {"open"}, "epic": {"x"}}, "Choose the epic from the list."},
		} {
			p := a.post(path, withCSRF(t, list, c.values))
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", name, p.status)
				continue
			}
			wantBody(t, p, "Not raised. Please correct:", c.want)
			wantAccessible(t, p)
		}
		if n := len(fx.impediments(t, fx.alpha)); n != 0 {
			t.Fatalf("%d impediments after refusals", n)
		}

		raised := a.post(path, withCSRF(t, list, url.Values{"title": {"No test data"}, "description": {"The bank sends none"},
			"owner": {"alice"}, "status": {"open"}, "epic": {fmt.Sprint(pay.ID)}}))
		list = a.wantNotice(t, raised, "Impediment No test data raised.", false)
		stored := fx.impediments(t, fx.alpha)
		if len(stored) != 1 || stored[0].EpicID != pay.ID || stored[0].Owner != "alice" || stored[0].Status != lpm.ImpedimentOpen {
			t.Fatalf("impediments stored: %+v", stored)
		}
		m := stored[0]
		wantBody(t, list, "No test data", "The bank sends none", fmt.Sprintf(`<a href="/epics/%d">%s Instant pay</a>`, pay.ID, pay.Key))

		// Filter, then resolve it.
		wantBody(t, a.get(path+"?status=resolved"), "No impediment has this status.")
		wantBody(t, a.get(path+"?status=open"), "No test data")
		changed := a.post(fmt.Sprintf("%s/%d/status", path, m.ID), withCSRF(t, list, url.Values{"status": {"resolved"}, "filter": {"status=open"}}))
		// Resolved, it leaves the list of open ones: no anchor to a row
		// that is not there, and the notice says where it went.
		if want := path + "?status=open"; changed.location() != want {
			t.Errorf("changed: Location %q, want %q", changed.location(), want)
		}
		a.wantNotice(t, changed, "Impediment No test data is now resolved. It is no longer listed under this filter; show all impediments to see it.", false)
		kept := a.post(fmt.Sprintf("%s/%d/status", path, m.ID), withCSRF(t, list, url.Values{"status": {"resolved"}, "filter": {"status=resolved"}}))
		if want := path + "?status=resolved#impediment-" + fmt.Sprint(m.ID); kept.location() != want {
			t.Errorf("changed within its filter: Location %q, want %q", kept.location(), want)
		}
		a.wantNotice(t, kept, "Impediment No test data is now resolved.", false)
		if got := fx.impediments(t, fx.alpha)[0]; got.Status != lpm.ImpedimentResolved || got.ResolvedAt.IsZero() {
			t.Errorf("after resolving: %+v", got)
		}
		bad := a.post(fmt.Sprintf("%s/%d/status", path, m.ID), withCSRF(t, list, url.Values{"status": {"gone"}}))
		a.wantNotice(t, bad, "Not changed: Invalid impediment: status must be open, in_progress or resolved.", true)

		// Bob: no member of Alpha; a viewer in Beta sees no forms and may
		// not raise one.
		b := s.signedInAs(t, "bob", bobPassword)
		wantStatus(t, b.get(path), http.StatusNotFound)
		betaPath := fmt.Sprintf("/portfolios/%d/impediments", fx.beta.ID)
		beta := b.get(betaPath)
		wantStatus(t, beta, http.StatusOK)
		wantNoBody(t, beta, "Raise the impediment")
		wantStatus(t, b.post(fmt.Sprintf("%s/%d/status", path, m.ID), withCSRF(t, beta, url.Values{"status": {"open"}})), http.StatusNotFound)
		wantStatus(t, b.post(fmt.Sprintf("%s/%d/status", betaPath, m.ID), withCSRF(t, beta, url.Values{"status": {"open"}})), http.StatusNotFound)
		refused := b.post(betaPath, withCSRF(t, beta, url.Values{"title": {"Sneaky"}, "status": {"open"}}))
		wantStatus(t, refused, http.StatusForbidden)
		if n := len(fx.impediments(t, fx.beta)); n != 0 {
			t.Errorf("%d impediments in Beta", n)
		}
	})
}
