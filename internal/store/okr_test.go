package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// Objectives, key results and check-ins round-trip, are audited in the
// theme's portfolio, and ThemeOKRs returns each key result's latest
// measurement (by time measured, then by order recorded).
func TestOKRs(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "P", "P")
		theme := createTheme(t, s, p.ID, "Grow")
		createUser(t, s, "olga", false)
		start, end := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
		o := &lpm.Objective{ThemeID: theme.ID, Title: "Win the mid-market", Owner: "olga", PeriodStart: &start, PeriodEnd: &end}
		must(t, s.CreateObjective(ctx, o, alice))
		if o.ID == 0 || o.PortfolioID != p.ID || o.CreatedAt.IsZero() {
			t.Fatalf("created objective %+v", o)
		}
		got, err := s.FindObjectiveByID(ctx, o.ID)
		must(t, err)
		diff(t, "stored objective", o, got)

		k := &lpm.KeyResult{ObjectiveID: o.ID, Title: "Lead time", Unit: "days", Baseline: 12, Target: 4, Weight: 2}
		must(t, s.CreateKeyResult(ctx, k, alice))
		k2 := &lpm.KeyResult{ObjectiveID: o.ID, Title: "Customers", Unit: "count", Baseline: 100, Target: 200, Weight: 1}
		must(t, s.CreateKeyResult(ctx, k2, alice))
		gotK, err := s.FindKeyResultByID(ctx, k.ID)
		must(t, err)
		diff(t, "stored key result", k, gotK)

		day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
		batch := []*lpm.CheckIn{
			{KeyResultID: k.ID, At: day(10), Value: 10, Confidence: 6, Status: lpm.OnTrack},
			{KeyResultID: k.ID, At: day(1), Value: 11, Confidence: 5, Status: lpm.AtRisk, Note: "entered late, measured early"},
			{KeyResultID: k2.ID, At: day(5), Value: 130, Confidence: 7, Status: lpm.OnTrack},
		}
		must(t, s.AddCheckIns(ctx, p.ID, batch, alice))
		// The same time as the latest, recorded after it: this one counts.
		again := []*lpm.CheckIn{{KeyResultID: k.ID, At: day(10), Value: 8, Confidence: 8, Status: lpm.OnTrack}}
		must(t, s.AddCheckIns(ctx, p.ID, again, alice))
		for _, c := range append(batch, again...) {
			if c.ID == 0 || c.By != "alice" || c.RecordedAt.IsZero() {
				t.Fatalf("stored check-in %+v", c)
			}
		}

		objectives, keyResults, latest, err := s.ThemeOKRs(ctx, theme.ID)
		must(t, err)
		diff(t, "objectives", []*lpm.Objective{o}, objectives)
		diff(t, "key results", []*lpm.KeyResult{k, k2}, keyResults)
		diff(t, "latest check-ins", []*lpm.CheckIn{again[0], batch[2]}, latest)

		// By hand: lead time 12 → 8 of 12 → 4 is 0.5; customers 100 → 130 of
		// 100 → 200 is 0.3; weighted 2:1, (2 × 0.5 + 0.3) / 3 = 0.4333.
		tp := lpm.ComputeOKRs(theme, objectives, keyResults, latest)
		if tp.Progress == nil || fmt.Sprintf("%.4f", *tp.Progress) != "0.4333" {
			t.Errorf("theme progress = %v, want 0.4333", tp.Progress)
		}

		list, next, err := s.FindCheckIns(ctx, k.ID, lpm.Page{Limit: 2})
		must(t, err)
		diff(t, "first page of check-ins", []*lpm.CheckIn{batch[0], batch[1]}, list)
		list, next, err = s.FindCheckIns(ctx, k.ID, lpm.Page{Limit: 2, Cursor: next})
		must(t, err)
		diff(t, "second page of check-ins", []*lpm.CheckIn{again[0]}, list)
		if next != "" {
			t.Errorf("a cursor after the last page: %q", next)
		}

		// Updates, audited with what changed.
		up, err := s.UpdateKeyResult(ctx, k.ID, lpm.KeyResultUpdate{Target: ptr(6.0)}, alice)
		must(t, err)
		if up.Target != 6 || up.Baseline != 12 {
			t.Errorf("updated key result %+v", up)
		}
		uo, err := s.UpdateObjective(ctx, o.ID, lpm.ObjectiveUpdate{Title: ptr("Lead the mid-market"), ClearPeriodEnd: true}, alice)
		must(t, err)
		if uo.Title != "Lead the mid-market" || uo.PeriodEnd != nil || uo.PeriodStart == nil {
			t.Errorf("updated objective %+v", uo)
		}
		var actions []string
		for _, e := range lastAudit(t, s, p.ID, 9) {
			actions = append(actions, e.Action)
		}
		diff(t, "audit of the OKR changes", []string{"objective.create", "key_result.create", "key_result.create",
			"check_in.create", "check_in.create", "check_in.create", "check_in.create"}, actions[:7])
		last := lastAudit(t, s, p.ID, 2)
		if last[0].Action != "key_result.update" || last[0].After != `{"target":6}` || last[1].Action != "objective.update" {
			t.Errorf("audit of the updates: %+v", last)
		}
		verified(t, s)
	})
}

// Bad input is refused whole, naming the field, and leaves nothing behind;
// only people who manage themes change OKRs, and others outside the
// portfolio are told it does not exist.
func TestOKRsRefused(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "P", "P")
		q := createPortfolio(t, s, "Q", "Q")
		theme := createTheme(t, s, p.ID, "Grow")
		o := &lpm.Objective{ThemeID: theme.ID, Title: "O"}
		must(t, s.CreateObjective(ctx, o, alice))
		k := &lpm.KeyResult{ObjectiveID: o.ID, Title: "K", Unit: "%", Baseline: 0, Target: 100, Weight: 1}
		must(t, s.CreateKeyResult(ctx, k, alice))
		qTheme := createTheme(t, s, q.ID, "Other")
		qo := &lpm.Objective{ThemeID: qTheme.ID, Title: "O"}
		must(t, s.CreateObjective(ctx, qo, alice))
		qk := &lpm.KeyResult{ObjectiveID: qo.ID, Title: "K", Unit: "%", Baseline: 0, Target: 100, Weight: 1}
		must(t, s.CreateKeyResult(ctx, qk, alice))
		before := auditLen(t, s, p.ID)

		wantCode(t, s.CreateObjective(ctx, &lpm.Objective{ThemeID: theme.ID, Title: "O", Owner: "nobody"}, alice), lpm.EINVALID, "owner")
		wantCode(t, s.CreateObjective(ctx, &lpm.Objective{ThemeID: 999, Title: "O"}, alice), lpm.ENOTFOUND, "")
		wantCode(t, s.CreateKeyResult(ctx, &lpm.KeyResult{ObjectiveID: o.ID, Title: "K", Unit: "%", Baseline: 5, Target: 5, Weight: 1}, alice),
			lpm.EINVALID, "target")
		_, err := s.UpdateKeyResult(ctx, k.ID, lpm.KeyResultUpdate{Weight: ptr(0.0)}, alice)
		wantCode(t, err, lpm.EINVALID, "weight")

		// A batch with one check-in of another portfolio's key result and one
		// bad confidence stores none of them.
		ok := lpm.CheckIn{KeyResultID: k.ID, At: lpm.Now(), Value: 5, Confidence: 5, Status: lpm.OnTrack}
		foreign := ok
		foreign.KeyResultID = qk.ID
		wantCode(t, s.AddCheckIns(ctx, p.ID, []*lpm.CheckIn{&ok, &foreign}, alice), lpm.EINVALID, "check_ins[1].key_result_id")
		badConfidence := ok
		badConfidence.Confidence = 11
		wantCode(t, s.AddCheckIns(ctx, p.ID, []*lpm.CheckIn{&ok, &badConfidence}, alice), lpm.EINVALID, "check_ins[1].confidence")
		list, _, err := s.FindCheckIns(ctx, k.ID, lpm.Page{})
		must(t, err)
		if len(list) != 0 || auditLen(t, s, p.ID) != before {
			t.Errorf("refused requests left %d check-ins and %d audit entries", len(list), auditLen(t, s, p.ID)-before)
		}

		// Permissions: a viewer may not; someone without a role in P is told
		// P's objects do not exist, worded as for missing ones.
		viewer := member(createUser(t, s, "vera", false), p.ID, lpm.RoleViewer)
		ops := member(createUser(t, s, "otto", false), p.ID, lpm.RolePortfolioOperations)
		outsider := member(createUser(t, s, "xavier", false), q.ID, lpm.RolePortfolioAdmin)
		wantCode(t, s.CreateObjective(ctx, &lpm.Objective{ThemeID: theme.ID, Title: "O"}, viewer), lpm.EFORBIDDEN, "")
		must(t, s.CreateObjective(ctx, &lpm.Objective{ThemeID: theme.ID, Title: "By operations"}, ops))
		err = s.CreateObjective(ctx, &lpm.Objective{ThemeID: theme.ID, Title: "O"}, outsider)
		wantCode(t, err, lpm.ENOTFOUND, "")
		if err.Error() != fmt.Sprintf("strategic theme %d not found", theme.ID) {
			t.Errorf("hidden theme: %q", err)
		}
		_, err = s.UpdateObjective(ctx, o.ID, lpm.ObjectiveUpdate{Title: ptr("x")}, outsider)
		wantCode(t, err, lpm.ENOTFOUND, "")
		_, err = s.UpdateKeyResult(ctx, k.ID, lpm.KeyResultUpdate{Title: ptr("x")}, viewer)
		wantCode(t, err, lpm.EFORBIDDEN, "")
		wantCode(t, s.AddCheckIns(ctx, p.ID, []*lpm.CheckIn{&ok}, outsider), lpm.ENOTFOUND, "")
		wantCode(t, s.AddCheckIns(ctx, p.ID, []*lpm.CheckIn{&ok}, viewer), lpm.EFORBIDDEN, "")
		verified(t, s)
	})
}
