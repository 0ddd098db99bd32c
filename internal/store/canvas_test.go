package store_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

func canvas(portfolioID int64, kind lpm.CanvasKind, name, vision string) *lpm.CanvasVersion {
	v := &lpm.CanvasVersion{PortfolioID: portfolioID, Kind: kind, Name: name, Vision: vision}
	for i, s := range lpm.CanvasSections {
		v.Sections[i] = s.Label + " of " + vision
	}
	return v
}

// Saves append versions numbered per state; the latest of each state, any
// version, and the list by state read back what was saved; adopting a
// candidate appends its content to the current state.
func TestCanvasVersions(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "P", "P")
		reviewed := time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)
		cur1 := canvas(p.ID, lpm.CanvasCurrent, "", "Today")
		cur1.ReviewedOn = &reviewed
		must(t, s.SaveCanvasVersion(ctx, cur1, alice))
		if cur1.ID == 0 || cur1.Number != 1 || cur1.SavedBy != "alice" || cur1.SavedAt.IsZero() || cur1.StateID == 0 {
			t.Fatalf("saved %+v", cur1)
		}
		cur2 := canvas(p.ID, lpm.CanvasCurrent, "", "Today, revised")
		must(t, s.SaveCanvasVersion(ctx, cur2, alice))
		fut := canvas(p.ID, lpm.CanvasFuture, "Platform", "Tomorrow")
		must(t, s.SaveCanvasVersion(ctx, fut, alice))
		other := canvas(p.ID, lpm.CanvasFuture, "Alpha", "Elsewhere")
		must(t, s.SaveCanvasVersion(ctx, other, alice))
		if cur2.Number != 2 || cur2.StateID != cur1.StateID || fut.Number != 1 || fut.StateID == cur1.StateID {
			t.Fatalf("numbering: %+v %+v", cur2, fut)
		}
		got, err := s.FindCanvasVersionByID(ctx, cur1.ID)
		must(t, err)
		diff(t, "first version", cur1, got)

		latest, err := s.LatestCanvasVersions(ctx, p.ID)
		must(t, err)
		diff(t, "latest of each state", []*lpm.CanvasVersion{cur2, other, fut}, latest)

		adopted, err := s.AdoptCanvasVersion(ctx, fut.ID, alice)
		must(t, err)
		if adopted.Kind != lpm.CanvasCurrent || adopted.Number != 3 || adopted.AdoptedFrom != fut.ID || adopted.Vision != "Tomorrow" ||
			adopted.Sections != fut.Sections || adopted.StateID != cur1.StateID {
			t.Fatalf("adopted %+v", adopted)
		}
		wantAudit(t, s, p.ID, auditEntry{Action: "canvas_version.adopt", ObjectType: "canvas_version", ObjectID: adopted.ID,
			Actor: "alice", Before: "{}", After: mustJSON(t, adopted.AuditFields())})

		// History is kept: the first versions are unchanged, and the
		// current state lists three versions.
		got, err = s.FindCanvasVersionByID(ctx, cur1.ID)
		must(t, err)
		diff(t, "first version after adopting", cur1, got)
		list, next, err := s.FindCanvasVersions(ctx, lpm.CanvasVersionFilter{PortfolioID: p.ID, Kind: lpm.CanvasCurrent, Page: lpm.Page{Limit: 2}})
		must(t, err)
		if len(list) != 2 || next == "" || list[0].ID != cur1.ID {
			t.Fatalf("first page %v %q", list, next)
		}
		list, next, err = s.FindCanvasVersions(ctx, lpm.CanvasVersionFilter{PortfolioID: p.ID, Kind: lpm.CanvasCurrent, Page: lpm.Page{Limit: 2, Cursor: next}})
		must(t, err)
		if len(list) != 1 || next != "" || list[0].ID != adopted.ID {
			t.Fatalf("second page %v %q", list, next)
		}
		all, _, err := s.FindCanvasVersions(ctx, lpm.CanvasVersionFilter{PortfolioID: p.ID})
		must(t, err)
		if len(all) != 5 {
			t.Errorf("%d versions in all", len(all))
		}
		// Every section, the vision and the review date differ (the second
		// version has none).
		rows := lpm.CompareCanvas(cur1, cur2)
		for _, r := range rows {
			if !r.Changed {
				t.Errorf("compare %s: changed %v", r.Key, r.Changed)
			}
		}

		// Audit: one entry per save, with every field.
		entries := lastAudit(t, s, p.ID, 5)
		for i, v := range []*lpm.CanvasVersion{cur1, cur2, fut, other} {
			e := entries[i]
			if e.Action != "canvas_version.create" || e.ObjectID != v.ID || e.After != canonJSON(t, mustJSON(t, v.AuditFields())) {
				t.Errorf("audit entry %d: %+v", i, e)
			}
		}
	})
}

func mustJSON(t testing.TB, f lpm.Fields) string {
	t.Helper()
	b, err := json.Marshal(f)
	must(t, err)
	return string(b)
}

func TestCanvasRefused(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "P", "P")
		q := createPortfolio(t, s, "Q", "Q")
		cur := canvas(p.ID, lpm.CanvasCurrent, "", "Now")
		must(t, s.SaveCanvasVersion(ctx, cur, alice))
		fut := canvas(p.ID, lpm.CanvasFuture, "Next", "Later")
		must(t, s.SaveCanvasVersion(ctx, fut, alice))
		before := auditLen(t, s, p.ID)
		count := func() int {
			all, _, err := s.FindCanvasVersions(ctx, lpm.CanvasVersionFilter{PortfolioID: p.ID})
			must(t, err)
			return len(all)
		}

		// Text limits and control characters; a failed save writes nothing.
		long := canvas(p.ID, lpm.CanvasCurrent, "", "x")
		long.Sections[4] = strings.Repeat("a", lpm.MaxCanvasSectionLen+1)
		wantCode(t, s.SaveCanvasVersion(ctx, long, alice), lpm.EINVALID, "value_streams_solutions")
		nul := canvas(p.ID, lpm.CanvasFuture, "New", "x\x00")
		wantCode(t, s.SaveCanvasVersion(ctx, nul, alice), lpm.EINVALID, "vision")
		bell := canvas(p.ID, lpm.CanvasFuture, "New\x07", "x")
		wantCode(t, s.SaveCanvasVersion(ctx, bell, alice), lpm.EINVALID, "name")
		wantCode(t, s.SaveCanvasVersion(ctx, canvas(p.ID, lpm.CanvasFuture, "", "x"), alice), lpm.EINVALID, "name")
		wantCode(t, s.SaveCanvasVersion(ctx, canvas(p.ID, lpm.CanvasCurrent, "named", "x"), alice), lpm.EINVALID, "name")
		wantCode(t, s.SaveCanvasVersion(ctx, canvas(999, lpm.CanvasCurrent, "", "x"), admin), lpm.ENOTFOUND, "")
		_, err := s.AdoptCanvasVersion(ctx, cur.ID, alice)
		wantCode(t, err, lpm.EINVALID, "version")
		_, err = s.AdoptCanvasVersion(ctx, 999, alice)
		wantCode(t, err, lpm.ENOTFOUND, "")

		// Permissions: a viewer may not; someone without a role in P is told
		// P does not exist; operations and decision makers may.
		viewer := member(createUser(t, s, "vera", false), p.ID, lpm.RoleViewer)
		architect := member(createUser(t, s, "ari", false), p.ID, lpm.RoleEnterpriseArchitect)
		outsider := member(createUser(t, s, "xavier", false), q.ID, lpm.RolePortfolioAdmin)
		wantCode(t, s.SaveCanvasVersion(ctx, canvas(p.ID, lpm.CanvasCurrent, "", "v"), viewer), lpm.EFORBIDDEN, "")
		wantCode(t, s.SaveCanvasVersion(ctx, canvas(p.ID, lpm.CanvasCurrent, "", "v"), architect), lpm.EFORBIDDEN, "")
		_, err = s.AdoptCanvasVersion(ctx, fut.ID, viewer)
		wantCode(t, err, lpm.EFORBIDDEN, "")
		err = s.SaveCanvasVersion(ctx, canvas(p.ID, lpm.CanvasCurrent, "", "v"), outsider)
		wantCode(t, err, lpm.ENOTFOUND, "")
		if err.Error() != fmt.Sprintf("portfolio %d not found", p.ID) {
			t.Errorf("hidden portfolio: %q", err)
		}
		_, err = s.AdoptCanvasVersion(ctx, fut.ID, outsider)
		wantCode(t, err, lpm.ENOTFOUND, "")
		if err.Error() != fmt.Sprintf("canvas version %d not found", fut.ID) {
			t.Errorf("hidden version: %q", err)
		}
		if n := count(); n != 2 || auditLen(t, s, p.ID) != before {
			t.Errorf("refused requests left %d versions and %d audit entries", n-2, auditLen(t, s, p.ID)-before)
		}
		for _, role := range []lpm.Role{lpm.RoleDecisionMaker, lpm.RolePortfolioOperations} {
			a := member(createUser(t, s, "u-"+string(role), false), p.ID, role)
			must(t, s.SaveCanvasVersion(ctx, canvas(p.ID, lpm.CanvasFuture, "By "+string(role), "v"), a))
		}
	})
}

// Concurrent saves of one new state create it once and number their
// versions one after the other.
func TestCanvasConcurrentSaves(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "P", "P")
		const n = 8
		errs := make(chan error, n)
		for i := range n {
			go func() {
				errs <- s.SaveCanvasVersion(ctx, canvas(p.ID, lpm.CanvasFuture, "Race", fmt.Sprint(i)), alice)
			}()
		}
		for range n {
			must(t, <-errs)
		}
		list, _, err := s.FindCanvasVersions(ctx, lpm.CanvasVersionFilter{PortfolioID: p.ID})
		must(t, err)
		seen := map[int]bool{}
		for _, v := range list {
			if v.StateID != list[0].StateID || seen[v.Number] || v.Number < 1 || v.Number > n {
				t.Errorf("version %+v", v)
			}
			seen[v.Number] = true
		}
		if len(list) != n {
			t.Errorf("%d versions, want %d", len(list), n)
		}
	})
}

// Saves that started from one version of a state: exactly one of them goes
// in, whether they come one after the other or all at once; the others are
// refused and write nothing.
func TestCanvasEditConflict(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "P", "P")
		must(t, s.SaveCanvasVersion(ctx, canvas(p.ID, lpm.CanvasCurrent, "", "v1"), alice))
		first := canvas(p.ID, lpm.CanvasCurrent, "", "bob's")
		first.BasedOn = 1
		must(t, s.SaveCanvasVersion(ctx, first, alice))
		late := canvas(p.ID, lpm.CanvasCurrent, "", "carol's")
		late.BasedOn = 1
		err := s.SaveCanvasVersion(ctx, late, alice)
		wantCode(t, err, lpm.ECONFLICT, "")
		if !strings.Contains(err.Error(), "since you started from version 1 (it is now at version 2)") {
			t.Errorf("conflict: %q", err)
		}
		ahead := canvas(p.ID, lpm.CanvasCurrent, "", "x")
		ahead.BasedOn = 7
		wantCode(t, s.SaveCanvasVersion(ctx, ahead, alice), lpm.ECONFLICT, "")

		const n = 6
		errs := make(chan error, n)
		for i := range n {
			go func() {
				v := canvas(p.ID, lpm.CanvasCurrent, "", fmt.Sprint("racer ", i))
				v.BasedOn = 2
				errs <- s.SaveCanvasVersion(ctx, v, alice)
			}()
		}
		saved := 0
		for range n {
			if err := <-errs; err == nil {
				saved++
			} else {
				wantCode(t, err, lpm.ECONFLICT, "")
			}
		}
		list, _, err := s.FindCanvasVersions(ctx, lpm.CanvasVersionFilter{PortfolioID: p.ID})
		must(t, err)
		if saved != 1 || len(list) != 3 {
			t.Errorf("%d of %d racing saves went in, %d versions in all; want 1 and 3", saved, n, len(list))
		}
	})
}

// A retired candidate keeps its versions, takes no new one and cannot be
// adopted until restored; retiring twice is once.
func TestCanvasRetire(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "P", "P")
		q := createPortfolio(t, s, "Q", "Q")
		cur := canvas(p.ID, lpm.CanvasCurrent, "", "Now")
		must(t, s.SaveCanvasVersion(ctx, cur, alice))
		fut := canvas(p.ID, lpm.CanvasFuture, "Next", "Later")
		must(t, s.SaveCanvasVersion(ctx, fut, alice))
		before := auditLen(t, s, p.ID)

		got, err := s.RetireCanvasCandidate(ctx, p.ID, fut.StateID, true, alice)
		must(t, err)
		if got.ID != fut.ID || got.RetiredAt == nil {
			t.Fatalf("retired: %+v", got)
		}
		_, err = s.RetireCanvasCandidate(ctx, p.ID, fut.StateID, true, alice)
		must(t, err)
		if n := auditLen(t, s, p.ID) - before; n != 1 {
			t.Errorf("retiring twice wrote %d audit entries, want 1", n)
		}
		latest, err := s.LatestCanvasVersions(ctx, p.ID)
		must(t, err)
		if len(latest) != 2 || latest[0].RetiredAt != nil || latest[1].RetiredAt == nil || !latest[1].RetiredAt.Equal(*got.RetiredAt) {
			t.Errorf("latest versions after retiring: %+v", latest)
		}
		wantCode(t, s.SaveCanvasVersion(ctx, canvas(p.ID, lpm.CanvasFuture, "Next", "Again"), alice), lpm.EINVALID, "name")
		_, err = s.AdoptCanvasVersion(ctx, fut.ID, alice)
		wantCode(t, err, lpm.EINVALID, "name")

		// Refused: the current state, another portfolio's candidate, a viewer.
		_, err = s.RetireCanvasCandidate(ctx, p.ID, cur.StateID, true, alice)
		wantCode(t, err, lpm.EINVALID, "state")
		_, err = s.RetireCanvasCandidate(ctx, q.ID, fut.StateID, false, admin)
		wantCode(t, err, lpm.ENOTFOUND, "")
		viewer := member(createUser(t, s, "vera", false), p.ID, lpm.RoleViewer)
		_, err = s.RetireCanvasCandidate(ctx, p.ID, fut.StateID, false, viewer)
		wantCode(t, err, lpm.EFORBIDDEN, "")
		if n := auditLen(t, s, p.ID) - before; n != 1 {
			t.Errorf("refusals wrote %d audit entries", n-1)
		}

		restored, err := s.RetireCanvasCandidate(ctx, p.ID, fut.StateID, false, alice)
		must(t, err)
		if restored.RetiredAt != nil {
			t.Errorf("restored: %+v", restored)
		}
		again := canvas(p.ID, lpm.CanvasFuture, "Next", "Again")
		must(t, s.SaveCanvasVersion(ctx, again, alice))
		if again.Number != 2 {
			t.Errorf("the restored candidate's next version is %d, want 2", again.Number)
		}
	})
}

// Only a candidate's newest version can be adopted; the history reads
// newest first, page by page.
func TestCanvasAdoptNewestAndHistory(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "P", "P")
		v1 := canvas(p.ID, lpm.CanvasFuture, "Next", "One")
		must(t, s.SaveCanvasVersion(ctx, v1, alice))
		v2 := canvas(p.ID, lpm.CanvasFuture, "Next", "Two")
		must(t, s.SaveCanvasVersion(ctx, v2, alice))
		_, err := s.AdoptCanvasVersion(ctx, v1.ID, alice)
		wantCode(t, err, lpm.ECONFLICT, "")
		if err != nil && !strings.Contains(err.Error(), "has a newer version (2) than version 1") {
			t.Errorf("adopting an old version: %q", err)
		}
		adopted, err := s.AdoptCanvasVersion(ctx, v2.ID, alice)
		must(t, err)

		first, next, err := s.FindCanvasVersions(ctx, lpm.CanvasVersionFilter{PortfolioID: p.ID, NewestFirst: true, Page: lpm.Page{Limit: 2}})
		must(t, err)
		rest, last, err := s.FindCanvasVersions(ctx, lpm.CanvasVersionFilter{PortfolioID: p.ID, NewestFirst: true, Page: lpm.Page{Limit: 2, Cursor: next}})
		must(t, err)
		if len(first) != 2 || first[0].ID != adopted.ID || first[1].ID != v2.ID || len(rest) != 1 || rest[0].ID != v1.ID || last != "" {
			t.Errorf("newest first: %v then %v (next %q)", first, rest, last)
		}
	})
}
