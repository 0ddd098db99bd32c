package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

func TestPortfolios(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "Digital", "DIG")
		if p.ID == 0 {
			t.Fatal("CreatePortfolio did not set the ID")
		}
		got, err := s.FindPortfolioByID(ctx, p.ID)
		must(t, err)
		diff(t, "stored portfolio", p, got)

		cols, err := s.FindColumns(ctx, p.ID)
		must(t, err)
		diff(t, "default columns", lpm.DefaultColumns(), cols)

		name, weeks := "Digital Services", 12
		start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
		// A portfolio admin changes the settings but not the name, which is
		// unique across the site: a site admin's call.
		_, err = s.UpdatePortfolio(ctx, p.ID, lpm.PortfolioUpdate{Name: &name, Description: ptr("not written")}, alice)
		wantCode(t, err, lpm.EFORBIDDEN, "")
		_, err = s.UpdatePortfolio(ctx, p.ID, lpm.PortfolioUpdate{Name: &p.Name,
			PICadence: &lpm.PICadence{Start: start, LengthWeeks: weeks}}, alice)
		must(t, err)
		up, err := s.UpdatePortfolio(ctx, p.ID, lpm.PortfolioUpdate{Name: &name}, admin)
		must(t, err)
		got, err = s.FindPortfolioByID(ctx, p.ID)
		must(t, err)
		diff(t, "updated portfolio", up, got)
		if got.Name != name || got.PICadence.LengthWeeks != weeks || !got.PICadence.Start.Equal(start) || got.KeyPrefix != "DIG" {
			t.Errorf("update not applied: %+v", got)
		}

		bad := "DOLLARS"
		_, err = s.UpdatePortfolio(ctx, p.ID, lpm.PortfolioUpdate{Currency: &bad}, alice)
		wantCode(t, err, lpm.EINVALID, "currency")
		got, err = s.FindPortfolioByID(ctx, p.ID)
		must(t, err)
		diff(t, "portfolio after a refused update", up, got)

		_, err = s.FindPortfolioByID(ctx, 999)
		wantCode(t, err, lpm.ENOTFOUND, "")
		_, err = s.UpdatePortfolio(ctx, 999, lpm.PortfolioUpdate{Name: &name}, alice)
		wantCode(t, err, lpm.ENOTFOUND, "")
		wantCode(t, s.CreatePortfolio(ctx, &lpm.Portfolio{Name: "no defaults"}, admin), lpm.EINVALID, "currency")
	})
}

// Portfolio names are unique, case-sensitively, on creation and on rename;
// a clash names the field and writes nothing.
func TestPortfolioNamesUnique(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		digital := createPortfolio(t, s, "Digital", "DIG")
		core := createPortfolio(t, s, "Core", "CORE")

		dup := &lpm.Portfolio{Name: "Digital", KeyPrefix: "DUP"}
		dup.WithDefaults(lpm.Now())
		wantCode(t, s.CreatePortfolio(ctx, dup, admin), lpm.ECONFLICT, "name")
		if dup.ID != 0 {
			t.Errorf("a refused portfolio got ID %d", dup.ID)
		}
		_, err := s.UpdatePortfolio(ctx, core.ID, lpm.PortfolioUpdate{Name: ptr("Digital"), Description: ptr("must not be written")}, admin)
		wantCode(t, err, lpm.ECONFLICT, "name")
		// Someone who is not a site admin is refused any new name before it
		// is compared with the others, so the refusal tells nothing of
		// portfolios they cannot see.
		_, err = s.UpdatePortfolio(ctx, core.ID, lpm.PortfolioUpdate{Name: ptr("Digital")}, alice)
		wantCode(t, err, lpm.EFORBIDDEN, "")
		got, err := s.FindPortfolioByID(ctx, core.ID)
		must(t, err)
		diff(t, "portfolio after a refused rename", core, got)

		list, _, err := s.FindPortfolios(ctx, admin, lpm.Page{})
		must(t, err)
		diff(t, "portfolios", []*lpm.Portfolio{digital, core}, list)

		// Other case, other name; keeping one's own name is no clash.
		createPortfolio(t, s, "digital", "DIG2")
		_, err = s.UpdatePortfolio(ctx, digital.ID, lpm.PortfolioUpdate{Name: ptr("Digital"), Description: ptr("same name")}, alice)
		must(t, err)
	})
}

func TestPortfolioPages(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		var want []int64
		for i := range 5 {
			want = append(want, createPortfolio(t, s, fmt.Sprintf("P%d", i), "EP").ID)
		}
		var got []int64
		page := lpm.Page{Limit: 2}
		for pages := 0; ; pages++ {
			if pages > 3 {
				t.Fatal("paging does not end")
			}
			list, next, err := s.FindPortfolios(ctx, admin, page)
			must(t, err)
			if len(list) > 2 {
				t.Fatalf("page of %d items, limit 2", len(list))
			}
			for _, p := range list {
				got = append(got, p.ID)
			}
			if next == "" {
				break
			}
			page.Cursor = next
		}
		diff(t, "paged ids", want, got)

		all, next, err := s.FindPortfolios(ctx, admin, lpm.Page{})
		must(t, err)
		if len(all) != 5 || next != "" {
			t.Errorf("default page: %d items, next %q; want 5 and no next page", len(all), next)
		}
		for _, cursor := range []string{"not base64!", "YWJj" /* "abc" */, "LTE" /* "-1" */} {
			_, _, err = s.FindPortfolios(ctx, admin, lpm.Page{Cursor: cursor})
			wantCode(t, err, lpm.EINVALID, "cursor")
		}
	})
}

func TestValueStreams(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "Digital", "EP")
		other := createPortfolio(t, s, "Other", "OT")
		dev := &lpm.ValueStream{PortfolioID: p.ID, Name: "Payments", Description: "All payment products",
			Kind: lpm.Development, ARTs: []lpm.ART{{Name: "Pay ART", Headcount: 110}},
			Solutions: []lpm.Solution{{Name: "Checkout", Kind: lpm.Product, Description: "web checkout"}}}
		must(t, s.CreateValueStream(ctx, dev, alice))
		ops := &lpm.ValueStream{PortfolioID: p.ID, Name: "Order to cash", Kind: lpm.Operational, Supports: []int64{dev.ID}}
		must(t, s.CreateValueStream(ctx, ops, alice))
		otherDev := createValueStream(t, s, other.ID, "Elsewhere")

		for _, v := range []*lpm.ValueStream{dev, ops} {
			got, err := s.FindValueStreamByID(ctx, v.ID)
			must(t, err)
			diff(t, "stored value stream", v, got)
		}

		for _, tc := range []struct {
			name  string
			v     lpm.ValueStream
			code  lpm.ErrorCode
			field string
		}{
			{"duplicate name", lpm.ValueStream{PortfolioID: p.ID, Name: "Payments", Kind: lpm.Development}, lpm.ECONFLICT, "name"},
			{"supports an operational stream", lpm.ValueStream{PortfolioID: p.ID, Name: "X", Kind: lpm.Operational, Supports: []int64{ops.ID}}, lpm.EINVALID, "supports"},
			{"supports another portfolio", lpm.ValueStream{PortfolioID: p.ID, Name: "Y", Kind: lpm.Operational, Supports: []int64{otherDev.ID}}, lpm.EINVALID, "supports"},
			{"unknown portfolio", lpm.ValueStream{PortfolioID: 999, Name: "Z", Kind: lpm.Development}, lpm.ENOTFOUND, ""},
			{"invalid kind", lpm.ValueStream{PortfolioID: p.ID, Name: "W", Kind: "x"}, lpm.EINVALID, "kind"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantCode(t, s.CreateValueStream(ctx, &tc.v, alice), tc.code, tc.field)
			})
		}

		for i := range 3 {
			createValueStream(t, s, p.ID, fmt.Sprintf("Stream %d", i))
		}
		first, next, err := s.FindValueStreams(ctx, p.ID, lpm.Page{Limit: 3})
		must(t, err)
		rest, end, err := s.FindValueStreams(ctx, p.ID, lpm.Page{Limit: 3, Cursor: next})
		must(t, err)
		if len(first) != 3 || len(rest) != 2 || next == "" || end != "" {
			t.Errorf("pages of %d and %d (next %q, end %q); want 3 and 2", len(first), len(rest), next, end)
		}
		diff(t, "first value stream", dev, first[0])
		_, err = s.FindValueStreamByID(ctx, 999)
		wantCode(t, err, lpm.ENOTFOUND, "")
	})
}

func TestThemes(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "Digital", "EP")
		from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		to := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
		th := &lpm.StrategicTheme{PortfolioID: p.ID, Name: "Grow recurring revenue", Description: "ARR +20%",
			Status: lpm.ThemeActive, ValidFrom: &from, ValidTo: &to}
		must(t, s.CreateTheme(ctx, th, alice))
		got, err := s.FindThemeByID(ctx, th.ID)
		must(t, err)
		diff(t, "stored theme", th, got)

		open := createTheme(t, s, p.ID, "Open-ended")
		got, err = s.FindThemeByID(ctx, open.ID)
		must(t, err)
		if got.ValidFrom != nil || got.ValidTo != nil {
			t.Errorf("theme without dates read back with %v / %v", got.ValidFrom, got.ValidTo)
		}

		wantCode(t, s.CreateTheme(ctx, &lpm.StrategicTheme{PortfolioID: p.ID, Name: th.Name, Status: lpm.ThemeDraft}, alice), lpm.ECONFLICT, "name")
		wantCode(t, s.CreateTheme(ctx, &lpm.StrategicTheme{PortfolioID: p.ID, Name: "x", Status: "gone"}, alice), lpm.EINVALID, "status")
		wantCode(t, s.CreateTheme(ctx, &lpm.StrategicTheme{PortfolioID: 999, Name: "x", Status: lpm.ThemeDraft}, alice), lpm.ENOTFOUND, "")

		list, next, err := s.FindThemes(ctx, p.ID, lpm.Page{Limit: 1})
		must(t, err)
		diff(t, "first page of themes", []*lpm.StrategicTheme{th}, list)
		list, next, err = s.FindThemes(ctx, p.ID, lpm.Page{Limit: 1, Cursor: next})
		must(t, err)
		if len(list) != 1 || list[0].ID != open.ID || next != "" {
			t.Errorf("second page: %v, next %q", list, next)
		}
	})
}

func TestColumns(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "Digital", "EP")
		warn := lpm.Warn
		c, err := s.UpdateColumn(ctx, p.ID, lpm.Analyzing, lpm.ColumnUpdate{WIPLimit: ptr(2), Enforcement: &warn, AllowBackward: ptr(false)}, alice)
		must(t, err)
		want := lpm.Column{State: lpm.Analyzing, WIPLimit: ptr(2), Enforcement: lpm.Warn}
		diff(t, "updated column", want, *c)
		cols, err := s.FindColumns(ctx, p.ID)
		must(t, err)
		diff(t, "stored column", want, cols[2])

		c, err = s.UpdateColumn(ctx, p.ID, lpm.Analyzing, lpm.ColumnUpdate{ClearWIPLimit: true}, alice)
		must(t, err)
		if c.WIPLimit != nil {
			t.Errorf("limit not cleared: %d", *c.WIPLimit)
		}
		cols, err = s.FindColumns(ctx, p.ID)
		must(t, err)
		if cols[2].WIPLimit != nil {
			t.Errorf("stored limit not cleared: %d", *cols[2].WIPLimit)
		}

		_, err = s.UpdateColumn(ctx, p.ID, lpm.Funnel, lpm.ColumnUpdate{WIPLimit: ptr(3)}, alice)
		wantCode(t, err, lpm.EINVALID, "wip_limit")
		_, err = s.UpdateColumn(ctx, p.ID, "limbo", lpm.ColumnUpdate{WIPLimit: ptr(3)}, alice)
		wantCode(t, err, lpm.EINVALID, "state")
		_, err = s.UpdateColumn(ctx, 999, lpm.Ready, lpm.ColumnUpdate{WIPLimit: ptr(3)}, alice)
		wantCode(t, err, lpm.ENOTFOUND, "")
		_, err = s.FindColumns(ctx, 999)
		wantCode(t, err, lpm.ENOTFOUND, "")
	})
}

func TestUsersAndTokens(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		empty, err := s.IsEmpty(ctx)
		must(t, err)
		if !empty {
			t.Fatal("a new store is not empty")
		}
		u := createUser(t, s, "ada", true)
		empty, err = s.IsEmpty(ctx)
		must(t, err)
		if empty {
			t.Fatal("a store with a user is empty")
		}
		got, err := s.FindUserByName(ctx, "ada")
		must(t, err)
		diff(t, "stored user", u, got)

		wantCode(t, s.CreateUser(ctx, &lpm.User{Name: "ada"}, "", admin), lpm.ECONFLICT, "name")
		wantCode(t, s.CreateUser(ctx, &lpm.User{Name: "Not Valid"}, "", admin), lpm.EINVALID, "name")
		_, err = s.FindUserByName(ctx, "bob")
		wantCode(t, err, lpm.ENOTFOUND, "")

		tok := &lpm.Token{UserID: u.ID, Name: "ci"}
		secret, err := s.CreateToken(ctx, tok, admin)
		must(t, err)
		other, err := s.CreateToken(ctx, &lpm.Token{UserID: u.ID, Name: "laptop"}, admin)
		must(t, err)
		if secret == other {
			t.Fatal("two tokens share a secret")
		}
		got, gotToken, err := s.Authenticate(ctx, secret)
		must(t, err)
		diff(t, "token user", u, got)
		if gotToken.ID != tok.ID {
			t.Errorf("token %d authenticated as token %d", tok.ID, gotToken.ID)
		}
		_, _, err = s.Authenticate(ctx, secret+"x")
		wantCode(t, err, lpm.ENOTFOUND, "")
		_, err = s.CreateToken(ctx, &lpm.Token{UserID: 999, Name: "nobody"}, admin)
		wantCode(t, err, lpm.ENOTFOUND, "")
	})
}

// Amounts are minor units of the portfolio's currency and are not converted:
// once an epic records a cost, the currency stays.
func TestPortfolioCurrencyStaysOnceMoneyIsRecorded(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "Digital", "DIG")
		free := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: "no costs yet"})
		_, err := s.UpdatePortfolio(ctx, p.ID, lpm.PortfolioUpdate{Currency: ptr("USD")}, alice)
		must(t, err) // nothing is priced yet

		_, err = s.UpdateEpic(ctx, free.ID, lpm.EpicUpdate{Costs: &lpm.CostsUpdate{MVPSupplier: ptr(int64(150_000_00))}}, alice)
		must(t, err)
		_, err = s.UpdatePortfolio(ctx, p.ID, lpm.PortfolioUpdate{Currency: ptr("EUR"), Description: ptr("must not be written")}, alice)
		wantCode(t, err, lpm.ECONFLICT, "currency")
		got, err := s.FindPortfolioByID(ctx, p.ID)
		must(t, err)
		if got.Currency != "USD" || got.Description == "must not be written" {
			t.Errorf("after a refused change: currency %s, description %q", got.Currency, got.Description)
		}
		// Naming the same currency again is no change.
		_, err = s.UpdatePortfolio(ctx, p.ID, lpm.PortfolioUpdate{Currency: ptr("USD"), Description: ptr("ok")}, alice)
		must(t, err)
	})
}
