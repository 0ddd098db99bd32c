package demo

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
)

// TestLoad loads the demo into a real store of each kind and reads it back the
// way the server would: the board, the epics, their history and decisions.
func TestLoad(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st, err := store.Open(ctx, dsn, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })

		now := lpm.Now()
		sum, err := Load(ctx, st, now)
		if err != nil {
			t.Fatal(err)
		}
		ports, _, err := st.FindPortfolios(ctx, lpm.SystemActor("test"), lpm.Page{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(ports) != 2 {
			t.Fatalf("got %d portfolios, want 2", len(ports))
		}
		empty, err := st.IsEmpty(ctx)
		if err != nil || empty {
			t.Errorf("IsEmpty after Load = %v, %v; want false", empty, err)
		}

		var byPortfolio [][]*lpm.Epic
		transitions, decisions, pivots := 0, 0, 0
		for _, p := range ports {
			epics := allEpics(t, st, p.ID)
			byPortfolio = append(byPortfolio, epics)
			checkBoard(t, st, p.ID, epics)
			byID := map[int64]*lpm.Epic{}
			for _, e := range epics {
				byID[e.ID] = e
			}
			for _, e := range epics {
				history, err := st.EpicHistory(ctx, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				ds, err := st.FindDecisions(ctx, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				transitions += len(history)
				decisions += len(ds)
				checkPast(t, e, history, ds, now.AddDate(0, -13, 0), now)
				if e.PivotedFrom != 0 {
					pivots++
					parent := byID[e.PivotedFrom]
					if parent == nil || parent.DoneReason != lpm.Pivoted || e.State != lpm.Funnel {
						t.Errorf("%s (%s) is pivoted from %d, which is not a pivoted epic of its portfolio", e.Key, e.State, e.PivotedFrom)
					}
					// The parent's pivot decision names the epic it created.
					pds, err := st.FindDecisions(ctx, e.PivotedFrom)
					if err != nil {
						t.Fatal(err)
					}
					linked := false
					for _, d := range pds {
						linked = linked || (d.Kind == lpm.DecisionPivot && d.NewEpicID == e.ID)
					}
					if !linked {
						t.Errorf("no pivot decision of epic %d names %s as the epic it created", e.PivotedFrom, e.Key)
					}
				}
			}
		}
		checkContents(t, byPortfolio)
		if pivots != 1 {
			t.Errorf("found %d epics created by a pivot, want 1", pivots)
		}
		grants := 0
		for _, p := range ports {
			members, err := st.FindMembers(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			grants += len(members)
		}
		objectives, keyResults, checkIns := checkOKRs(t, st, ports, now)
		want := Summary{Portfolios: 2, ValueStreams: 6, Themes: 6, Epics: 60, Users: len(people), Grants: grants,
			Transitions: transitions, Decisions: decisions, Objectives: objectives, KeyResults: keyResults, CheckIns: checkIns}
		if diff := cmp.Diff(want, *sum); diff != "" {
			t.Errorf("summary does not match the store (-store +summary):\n%s", diff)
		}
		for _, p := range people {
			if u, err := st.FindUserByName(ctx, p.name); err != nil || u.IsAdmin != (p.name == Admin) {
				t.Errorf("demo user %s: %+v, %v; want it stored, a site admin only if it is %s", p.name, u, err, Admin)
			}
		}
		// Everyone signs in with the demo password (the admin and one
		// other person are enough to check: they share one hash).
		for _, name := range []string{Admin, vmoLead} {
			u, hash, err := st.PasswordHash(ctx, name)
			if err != nil || !lpm.CheckPassword(hash, Password) || u.Name != name {
				t.Errorf("%s does not sign in with the demo password (%v)", name, err)
			}
		}
	})
}

// TestRolesAndAudit checks who holds what after Load: every role is held by
// someone in each portfolio, someone holds roles in one portfolio and none
// in the other (so isolation shows), each epic owner may own epics where
// they do; and the audit trail Load wrote verifies.
func TestRolesAndAudit(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st, err := store.Open(ctx, dsn, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if _, err := Load(ctx, st, lpm.Now()); err != nil {
			t.Fatal(err)
		}
		ports, _, err := st.FindPortfolios(ctx, lpm.SystemActor("test"), lpm.Page{Limit: 10})
		if err != nil || len(ports) != 2 {
			t.Fatalf("portfolios %v, %v", ports, err)
		}
		roles := map[int64]map[string]lpm.RoleSet{} // portfolio, user
		for _, p := range ports {
			members, err := st.FindMembers(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			roles[p.ID] = map[string]lpm.RoleSet{}
			var held lpm.RoleSet
			for _, m := range members {
				roles[p.ID][m.UserName] = roles[p.ID][m.UserName].Add(m.Role)
				held = held.Add(m.Role)
			}
			for _, r := range lpm.Roles {
				if !held.Has(r) {
					t.Errorf("nobody holds %s in %s", r, p.Name)
				}
			}
			for _, e := range allEpics(t, st, p.ID) {
				if e.EpicOwner != "" && !roles[p.ID][e.EpicOwner].Has(lpm.RoleEpicOwner) && !roles[p.ID][e.EpicOwner].Has(lpm.RoleEnterpriseArchitect) {
					t.Errorf("%s is owned by %s, who is no epic owner or architect in %s", e.Key, e.EpicOwner, p.Name)
				}
			}
		}
		isolated := 0
		for name := range roles[ports[0].ID] {
			if roles[ports[1].ID][name] == 0 {
				isolated++
			}
		}
		if isolated == 0 {
			t.Errorf("everyone with a role in %s has one in %s: isolation does not show", ports[0].Name, ports[1].Name)
		}

		reports, err := st.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		chains := map[int64]int64{}
		for _, r := range reports {
			if r.Break != nil {
				t.Errorf("audit chain of portfolio %d breaks: %v", r.PortfolioID, r.Break)
			}
			chains[r.PortfolioID] = r.Entries
		}
		// The site chain holds the users; each portfolio's its set-up, roles and epics.
		for _, id := range []int64{0, ports[0].ID, ports[1].ID} {
			if chains[id] == 0 {
				t.Errorf("audit chain of portfolio %d: no entries (chains %v)", id, chains)
			}
		}
		entries, _, err := st.FindAudit(ctx, lpm.AuditFilter{PortfolioID: ports[0].ID, Page: lpm.Page{Limit: 1}})
		if err != nil || len(entries) != 1 || entries[0].Actor != "demo" {
			t.Errorf("newest audit entry of %s: %+v, %v; want one by demo", ports[0].Name, entries, err)
		}
	})
}

// allEpics reads every epic of a portfolio, page by page.
func allEpics(t *testing.T, st lpm.Store, portfolioID int64) []*lpm.Epic {
	t.Helper()
	var out []*lpm.Epic
	page := lpm.Page{Limit: 7} // small pages, so paging is exercised too
	for {
		list, next, err := st.FindEpics(context.Background(), lpm.EpicFilter{PortfolioID: portfolioID, Page: page})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, list...)
		if next == "" {
			return out
		}
		page.Cursor = next
	}
}

// checkBoard compares the board's column counts with the epics' states and
// with the default WIP limits.
func checkBoard(t *testing.T, st lpm.Store, portfolioID int64, epics []*lpm.Epic) {
	t.Helper()
	board, err := st.Board(context.Background(), portfolioID, lpm.BoardFilter{}, lpm.DefaultPageSize)
	if err != nil {
		t.Fatal(err)
	}
	want := map[lpm.State]int{}
	for _, e := range epics {
		want[e.State]++
	}
	got := map[lpm.State]int{}
	for _, c := range board.Columns {
		got[c.State] = c.Count
		if c.WIPLimit != nil && c.Count > *c.WIPLimit {
			t.Errorf("portfolio %d: %s holds %d epics, over its WIP limit of %d", portfolioID, c.State, c.Count, *c.WIPLimit)
		}
		if len(c.Cards) != min(c.Count, lpm.DefaultPageSize) {
			t.Errorf("portfolio %d: %s shows %d cards of %d", portfolioID, c.State, len(c.Cards), c.Count)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("portfolio %d: board counts differ from the epics' states (-epics +board):\n%s", portfolioID, diff)
	}
}

// TestLoadTwiceConflicts checks that a second Load into the same store fails
// cleanly instead of doubling the demo.
func TestLoadTwiceConflicts(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.SQLiteDSN(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	if _, err := Load(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	// The second load clashes with the first one's users.
	_, err = Load(ctx, st, now)
	if code := lpm.ErrorCodeOf(err); code != lpm.ECONFLICT {
		t.Errorf("second Load: error %v (code %q), want a conflict", err, code)
	}
}

// checkOKRs counts the OKRs of the demo's themes in the store, and checks
// that every theme shows progress, that the three bands all appear, and
// that every check-in lies in the half year before now and in its
// objective's period.
func checkOKRs(t *testing.T, st lpm.Store, ports []*lpm.Portfolio, now time.Time) (objectives, keyResults, checkIns int) {
	t.Helper()
	ctx := context.Background()
	bands := map[lpm.Band]int{}
	for _, p := range ports {
		themes, _, err := st.FindThemes(ctx, p.ID, lpm.Page{Limit: lpm.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		for _, th := range themes {
			os, ks, latest, err := st.ThemeOKRs(ctx, th.ID)
			if err != nil {
				t.Fatal(err)
			}
			objectives += len(os)
			period := map[int64]*lpm.Objective{}
			for _, o := range os {
				period[o.ID] = o
			}
			keyResults += len(ks)
			tp := lpm.ComputeOKRs(th, os, ks, latest)
			if tp.Progress == nil {
				t.Errorf("theme %q shows no progress", th.Name)
				continue
			}
			for _, op := range tp.Objectives {
				for _, kp := range op.KeyResults {
					bands[lpm.BandOf(kp.Progress)]++
				}
			}
			for _, k := range ks {
				list, _, err := st.FindCheckIns(ctx, k.ID, lpm.Page{Limit: lpm.MaxPageSize})
				if err != nil {
					t.Fatal(err)
				}
				checkIns += len(list)
				o := period[k.ObjectiveID]
				for _, c := range list {
					if c.At.Before(now.AddDate(0, -6, -1)) || c.At.After(now) {
						t.Errorf("check-in of %q at %s, outside the half year before %s", k.Title, c.At, now)
					}
					if c.At.Before(*o.PeriodStart) || c.At.After(o.PeriodEnd.AddDate(0, 0, 1)) {
						t.Errorf("check-in of %q at %s, outside its objective's period %s to %s", k.Title, c.At, o.PeriodStart, o.PeriodEnd)
					}
				}
			}
		}
	}
	for _, b := range []lpm.Band{lpm.Red, lpm.Yellow, lpm.Green} {
		if bands[b] == 0 {
			t.Errorf("no key result of the demo is %s: %v", b, bands)
		}
	}
	return objectives, keyResults, checkIns
}
