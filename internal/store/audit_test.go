package store_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
)

// Every write appends exactly the entry that records it, to its portfolio's
// chain (users and tokens to the site's, 0), with only the fields it
// changed; an update that changes nothing writes none.
func TestAuditEntries(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		ada := &lpm.User{Name: "ada", DisplayName: "Ada", IsAdmin: true}
		must(t, s.CreateUser(ctx, ada, "", lpm.SystemActor("cli")))
		wantAudit(t, s, 0, auditEntry{"user.create", "user", ada.ID, "cli", `{}`,
			`{"name":"ada","display_name":"Ada","is_admin":true,"email":"","disabled":false}`})
		site := ada.Actor()
		site.Address = "192.0.2.7"

		p := &lpm.Portfolio{Name: "Digital", KeyPrefix: "EP"}
		p.WithDefaults(lpm.Now())
		must(t, s.CreatePortfolio(ctx, p, site))
		wantAudit(t, s, p.ID,
			auditEntry{"portfolio.create", "portfolio", p.ID, "ada", `{}`, fmt.Sprintf(
				`{"name":"Digital","description":"","currency":%q,"key_prefix":"EP","pi_start":%q,"pi_length_weeks":%d}`,
				p.Currency, p.PICadence.Start.Format("2006-01-02"), p.PICadence.LengthWeeks)},
			auditEntry{"membership.grant", "membership", ada.ID, "ada", `{}`, fmt.Sprintf(`{"user_id":%d,"user":"ada","role":"portfolio_admin"}`, ada.ID)})
		entries := auditTrail(t, s, p.ID)
		if e := entries[0]; e.ActorID != ada.ID || e.Address != "192.0.2.7" || e.PortfolioID != p.ID || e.Seq != 1 || since(e.At) > time.Minute {
			t.Errorf("first entry = %+v", e)
		}
		// The creator holds the portfolio; from here on ada acts with her roles.
		access, err := s.Access(ctx, ada.ID)
		must(t, err)
		site.Access = access

		_, err = s.UpdatePortfolio(ctx, p.ID, lpm.PortfolioUpdate{Description: ptr("Digital channels")}, site)
		must(t, err)
		wantAudit(t, s, p.ID, auditEntry{"portfolio.update", "portfolio", p.ID, "ada", `{"description":""}`, `{"description":"Digital channels"}`})

		_, err = s.UpdateColumn(ctx, p.ID, lpm.Analyzing, lpm.ColumnUpdate{WIPLimit: ptr(3)}, site)
		must(t, err)
		wantAudit(t, s, p.ID, auditEntry{"kanban_column.update", "kanban_column", 3, "ada", `{"wip_limit":5}`, `{"wip_limit":3}`})

		vs := &lpm.ValueStream{PortfolioID: p.ID, Name: "Payments", Kind: lpm.Development}
		must(t, s.CreateValueStream(ctx, vs, site))
		wantAudit(t, s, p.ID, auditEntry{"value_stream.create", "value_stream", vs.ID, "ada", `{}`,
			`{"name":"Payments","description":"","kind":"development","arts":null,"solutions":null,"supports":null}`})

		th := &lpm.StrategicTheme{PortfolioID: p.ID, Name: "Grow", Status: lpm.ThemeActive}
		must(t, s.CreateTheme(ctx, th, site))
		wantAudit(t, s, p.ID, auditEntry{"theme.create", "theme", th.ID, "ada", `{}`,
			`{"name":"Grow","description":"","status":"active","valid_from":null,"valid_to":null}`})

		e := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: "Onboarding", EpicOwner: "ada"})
		created := lastAudit(t, s, p.ID, 1)[0]
		if created.Action != "epic.create" || created.ObjectID != e.ID || !strings.Contains(created.After, `"key":"EP-1"`) ||
			!strings.Contains(created.After, `"title":"Onboarding"`) || created.Before != "{}" {
			t.Errorf("epic.create entry = %+v", created)
		}

		_, err = s.UpdateEpic(ctx, e.ID, lpm.EpicUpdate{Title: ptr("Self-service onboarding"),
			WSJF: &lpm.WSJFUpdate{JobSize: ptr(5)}}, site)
		must(t, err)
		wantAudit(t, s, p.ID, auditEntry{"epic.update", "epic", e.ID, "ada",
			`{"title":"Onboarding","wsjf.job_size":0}`, `{"title":"Self-service onboarding","wsjf.job_size":5}`})

		move(t, s, e.ID, lpm.TransitionRequest{To: lpm.Reviewing}, site)
		wantAudit(t, s, p.ID, auditEntry{"epic.transition", "epic", e.ID, "ada",
			`{"state":"funnel"}`, `{"state":"reviewing","reason":"","override":false}`})

		d := &lpm.Decision{EpicID: e.ID, Kind: lpm.DecisionNoGo, Rationale: "not now", DecidedBy: "ada"}
		must(t, s.CreateDecision(ctx, d, site))
		wantAudit(t, s, p.ID, auditEntry{"decision.create", "decision", d.ID, "ada", `{}`,
			fmt.Sprintf(`{"epic_id":%d,"kind":"no_go","outcome":"","rationale":"not now","decided_by":"ada","new_epic_id":0}`, e.ID)})

		move(t, s, e.ID, lpm.TransitionRequest{To: lpm.Done, DoneReason: lpm.NotPursued, Reason: "no-go"}, site)
		wantAudit(t, s, p.ID, auditEntry{"epic.transition", "epic", e.ID, "ada",
			`{"state":"reviewing","done_reason":""}`, `{"state":"done","done_reason":"not_pursued","reason":"no-go","override":false}`})

		mistake := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: "Typo"})
		must(t, s.DeleteEpic(ctx, mistake.ID, site))
		deleted := lastAudit(t, s, p.ID, 1)[0]
		if deleted.Action != "epic.delete" || deleted.ObjectID != mistake.ID || deleted.After != "{}" || !strings.Contains(deleted.Before, `"title":"Typo"`) {
			t.Errorf("epic.delete entry = %+v", deleted)
		}

		imported := lpm.Epic{PortfolioID: p.ID, Title: "From the old tool", Type: lpm.Enabler, State: lpm.Funnel}
		must(t, s.ImportEpic(ctx, &imported, []lpm.Transition{{To: lpm.Funnel}}, nil, site))
		if got := lastAudit(t, s, p.ID, 1)[0]; got.Action != "epic.import" || got.ObjectID != imported.ID || !strings.Contains(got.After, `"type":"enabler"`) {
			t.Errorf("epic.import entry = %+v", got)
		}

		bob := createUser(t, s, "bob", false)
		must(t, s.Grant(ctx, lpm.Membership{PortfolioID: p.ID, UserName: "bob", Role: lpm.RoleViewer}, site))
		wantAudit(t, s, p.ID, auditEntry{"membership.grant", "membership", bob.ID, "ada", `{}`,
			fmt.Sprintf(`{"user_id":%d,"user":"bob","role":"viewer"}`, bob.ID)})
		must(t, s.Revoke(ctx, lpm.Membership{PortfolioID: p.ID, UserID: bob.ID, Role: lpm.RoleViewer}, site))
		wantAudit(t, s, p.ID, auditEntry{"membership.revoke", "membership", bob.ID, "ada",
			fmt.Sprintf(`{"user_id":%d,"user":"bob","role":"viewer"}`, bob.ID), `{}`})
		must(t, s.MapGroup(ctx, lpm.GroupRole{PortfolioID: p.ID, Group: "lpm-viewers", Role: lpm.RoleViewer}, site))
		wantAudit(t, s, p.ID, auditEntry{"group_role.map", "group_role", 0, "ada", `{}`, `{"group":"lpm-viewers","role":"viewer"}`})
		must(t, s.UnmapGroup(ctx, lpm.GroupRole{PortfolioID: p.ID, Group: "lpm-viewers", Role: lpm.RoleViewer}, site))
		wantAudit(t, s, p.ID, auditEntry{"group_role.unmap", "group_role", 0, "ada", `{"group":"lpm-viewers","role":"viewer"}`, `{}`})

		// The site's chain: users and tokens.
		_, err = s.UpdateUser(ctx, bob.ID, lpm.UserUpdate{Email: ptr("bob@example.com")}, site)
		must(t, err)
		wantAudit(t, s, 0, auditEntry{"user.update", "user", bob.ID, "ada", `{"email":""}`, `{"email":"bob@example.com"}`})
		hash, err := lpm.HashPassword("correct horse battery")
		must(t, err)
		must(t, s.SetPassword(ctx, bob.ID, hash, site))
		wantAudit(t, s, 0, auditEntry{"user.password", "user", bob.ID, "ada", `{}`, `{"password":"changed"}`})
		tok := &lpm.Token{UserID: bob.ID, Name: "ci", Scope: lpm.ScopeRead}
		_, err = s.CreateToken(ctx, tok, site)
		must(t, err)
		tokFields := fmt.Sprintf(`{"user_id":%d,"name":"ci","scope":"read","expires_at":%q}`, bob.ID, tok.ExpiresAt.Format(time.RFC3339))
		wantAudit(t, s, 0, auditEntry{"token.create", "token", tok.ID, "ada", `{}`, tokFields})
		must(t, s.RevokeToken(ctx, bob.ID, tok.ID, site))
		wantAudit(t, s, 0, auditEntry{"token.revoke", "token", tok.ID, "ada", tokFields, `{}`})
		u, err := s.SignInExternal(ctx, lpm.ExternalIdentity{Issuer: "https://login.example.com/tenant", Subject: "s-1",
			PreferredName: "carol", Email: "carol@example.com"})
		must(t, err)
		wantAudit(t, s, 0,
			auditEntry{"user.create", "user", u.ID, "sso:login.example.com", `{}`,
				`{"name":"carol","display_name":"carol","is_admin":false,"email":"carol@example.com","disabled":false}`},
			auditEntry{"user.link_identity", "user", u.ID, "sso:login.example.com", `{}`,
				`{"issuer":"https://login.example.com/tenant","subject":"s-1"}`})
		// Signing in again changes nothing the trail records.
		_, err = s.SignInExternal(ctx, lpm.ExternalIdentity{Issuer: "https://login.example.com/tenant", Subject: "s-1"})
		must(t, err)
		if got := lastAudit(t, s, 0, 1)[0].Action; got != "user.link_identity" {
			t.Errorf("a repeated sign-in wrote %s", got)
		}

		// Updates that change nothing leave no entry.
		n0, n := auditLen(t, s, 0), auditLen(t, s, p.ID)
		_, err = s.UpdatePortfolio(ctx, p.ID, lpm.PortfolioUpdate{Description: ptr("Digital channels")}, site)
		must(t, err)
		_, err = s.UpdateColumn(ctx, p.ID, lpm.Analyzing, lpm.ColumnUpdate{WIPLimit: ptr(3)}, site)
		must(t, err)
		_, err = s.UpdateEpic(ctx, imported.ID, lpm.EpicUpdate{Title: ptr(imported.Title)}, site)
		must(t, err)
		must(t, s.Grant(ctx, lpm.Membership{PortfolioID: p.ID, UserID: ada.ID, Role: lpm.RolePortfolioAdmin}, site))
		must(t, s.MapGroup(ctx, lpm.GroupRole{PortfolioID: p.ID, Group: "g", Role: lpm.RoleViewer}, site))
		must(t, s.MapGroup(ctx, lpm.GroupRole{PortfolioID: p.ID, Group: "g", Role: lpm.RoleViewer}, site))
		_, err = s.UpdateUser(ctx, bob.ID, lpm.UserUpdate{Email: ptr("bob@example.com")}, site)
		must(t, err)
		if got0, got := auditLen(t, s, 0), auditLen(t, s, p.ID); got0 != n0 || got != n+1 {
			t.Errorf("no-op updates: site chain %d → %d entries, portfolio chain %d → %d (want only the first group mapping)", n0, got0, n, got)
		}

		// One chain per portfolio, plus the site's; each verifies.
		other := createPortfolio(t, s, "Other", "OT")
		createEpic(t, s, lpm.Epic{PortfolioID: other.ID})
		reports, err := s.VerifyAudit(ctx)
		must(t, err)
		diff(t, "chains", []lpm.ChainReport{
			{PortfolioID: 0, Entries: int64(auditLen(t, s, 0))},
			{PortfolioID: p.ID, Entries: int64(auditLen(t, s, p.ID))},
			{PortfolioID: other.ID, Entries: 2},
		}, reports)
	})
}

// A pivot audits the move and the new epic it creates, in one chain.
func TestAuditPivot(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		e := readyEpic(p.ID, "olivia")
		e.State = lpm.ImplementingMVP
		mvp := importEpic(t, s, e)
		decide(t, s, mvp.ID, lpm.DecisionPivot, "")
		res := move(t, s, mvp.ID, lpm.TransitionRequest{To: lpm.Done, DoneReason: lpm.Pivoted, Reason: "B2B first"}, alice)
		got := lastAudit(t, s, p.ID, 2)
		if got[0].Action != "epic.transition" || got[0].ObjectID != mvp.ID || got[1].Action != "epic.create" || got[1].ObjectID != res.Pivot.ID ||
			!strings.Contains(got[1].After, fmt.Sprintf(`"pivoted_from":%d`, mvp.ID)) {
			t.Errorf("pivot entries = %+v", got)
		}
	})
}

// A write that fails or is refused leaves no audit entry, and a write whose
// audit entry cannot be stored does not happen.
func TestAuditFailedWrites(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		s := openStore(t, dsn)
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		e := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia"})
		n0, n := auditLen(t, s, 0), auditLen(t, s, p.ID)

		_, err := s.UpdateEpic(ctx, e.ID, lpm.EpicUpdate{EpicOwner: ptr("nobody")}, alice)
		wantCode(t, err, lpm.EINVALID, "epic_owner")
		_, err = s.TransitionEpic(ctx, e.ID, lpm.TransitionRequest{To: lpm.Ready}, alice)
		wantCode(t, err, lpm.ENOTALLOWED, "")
		dup := &lpm.Portfolio{Name: "Digital", KeyPrefix: "D2"}
		dup.WithDefaults(lpm.Now())
		wantCode(t, s.CreatePortfolio(ctx, dup, admin), lpm.ECONFLICT, "name")
		wantCode(t, s.CreateUser(ctx, &lpm.User{Name: "olivia"}, "", admin), lpm.ECONFLICT, "name")
		wantCode(t, s.Revoke(ctx, lpm.Membership{PortfolioID: p.ID, UserName: "olivia", Role: lpm.RoleViewer}, alice), lpm.ENOTFOUND, "")

		// The audit insert itself fails: the change goes with it.
		failInsert(t, s, dsn, "test_fail_audit", "audit_log", "NEW.after LIKE '%must not be written%'")
		_, err = s.UpdateEpic(ctx, e.ID, lpm.EpicUpdate{Title: ptr("must not be written")}, alice)
		if err == nil || !strings.Contains(err.Error(), "injected failure") {
			t.Fatalf("update with a failing audit insert: %v", err)
		}
		diff(t, "epic after a failed audit", e, findEpic(t, s, e.ID))

		if got0, got := auditLen(t, s, 0), auditLen(t, s, p.ID); got0 != n0 || got != n {
			t.Errorf("failed writes left entries: site %d → %d, portfolio %d → %d", n0, got0, n, got)
		}
		// The chain goes on where it was.
		_, err = s.UpdateEpic(ctx, e.ID, lpm.EpicUpdate{Description: ptr("fine")}, alice)
		must(t, err)
		verified(t, s)
	})
}

// verified fails unless every chain verifies, and returns the reports.
func verified(t testing.TB, s *store.Store) []lpm.ChainReport {
	t.Helper()
	reports, err := s.VerifyAudit(ctx)
	must(t, err)
	for _, r := range reports {
		if r.Break != nil {
			t.Errorf("chain %d breaks: %v", r.PortfolioID, r.Break)
		}
	}
	return reports
}

// FindAudit lists one chain newest first, filters by actor, object and time,
// and pages with a cursor.
func TestFindAudit(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		bob := lpm.Actor{Name: "bob", Access: lpm.Access{p.ID: lpm.NewRoleSet(lpm.RolePortfolioOperations)}}
		a := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia"})
		b := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia"})
		mid := lpm.Now()
		for i := range 3 {
			_, err := s.UpdateEpic(ctx, a.ID, lpm.EpicUpdate{Description: ptr(fmt.Sprint("a", i))}, bob)
			must(t, err)
			_, err = s.UpdateEpic(ctx, b.ID, lpm.EpicUpdate{Description: ptr(fmt.Sprint("b", i))}, alice)
			must(t, err)
		}
		all := auditTrail(t, s, p.ID)
		if len(all) != 9 { // portfolio.create, 2 epic.create, 6 epic.update
			t.Fatalf("%d entries, want 9", len(all))
		}
		for i, e := range all {
			if e.Seq != int64(i+1) {
				t.Fatalf("entry %d has seq %d", i, e.Seq)
			}
		}
		seqs := func(f lpm.AuditFilter) []int64 {
			t.Helper()
			f.PortfolioID = p.ID
			list, next, err := s.FindAudit(ctx, f)
			must(t, err)
			if next != "" {
				t.Errorf("filter %+v: unexpected next page", f)
			}
			var out []int64
			for _, e := range list {
				out = append(out, e.Seq)
			}
			return out
		}
		diff(t, "newest first", []int64{9, 8, 7, 6, 5, 4, 3, 2, 1}, seqs(lpm.AuditFilter{}))
		diff(t, "by actor", []int64{8, 6, 4}, seqs(lpm.AuditFilter{Actor: "bob"}))
		diff(t, "by object type", []int64{3, 2}, seqs(lpm.AuditFilter{ObjectType: "epic", To: mid}))
		diff(t, "by object", []int64{9, 7, 5, 3}, seqs(lpm.AuditFilter{ObjectType: "epic", ObjectID: b.ID}))
		diff(t, "from", []int64{9, 8, 7, 6, 5, 4}, seqs(lpm.AuditFilter{From: mid}))
		diff(t, "window", []int64{4}, seqs(lpm.AuditFilter{From: mid, To: all[4].At, Actor: "bob"}))
		if n := auditLen(t, s, 0); n != 1 {
			t.Errorf("the site's chain holds %d entries, want 1 (the user)", n)
		}

		var paged []int64
		page := lpm.Page{Limit: 4}
		for range 5 {
			list, next, err := s.FindAudit(ctx, lpm.AuditFilter{PortfolioID: p.ID, ObjectType: "epic", Page: page})
			must(t, err)
			for _, e := range list {
				paged = append(paged, e.Seq)
			}
			if next == "" {
				break
			}
			page.Cursor = next
		}
		diff(t, "paged", []int64{9, 8, 7, 6, 5, 4, 3, 2}, paged)

		_, _, err := s.FindAudit(ctx, lpm.AuditFilter{PortfolioID: p.ID, ObjectType: "planet"})
		wantCode(t, err, lpm.EINVALID, "object_type")
		_, _, err = s.FindAudit(ctx, lpm.AuditFilter{PortfolioID: p.ID, Page: lpm.Page{Cursor: "nope!"}})
		wantCode(t, err, lpm.EINVALID, "cursor")
	})
}

// Tampering with the stored trail is found, and named by the entry where the
// chain breaks.
func TestAuditTamper(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper []string // statements; $1 is the portfolio
		seq    int64
		reason string
	}{
		{"edited field", []string{`UPDATE audit_log SET actor = 'mallory' WHERE portfolio_id = $1 AND seq = 3`},
			3, "the entry was edited"},
		{"edited change", []string{`UPDATE audit_log SET after = '{"title":"Harmless"}' WHERE portfolio_id = $1 AND seq = 4`},
			4, "the entry was edited"},
		{"deleted entry", []string{`DELETE FROM audit_log WHERE portfolio_id = $1 AND seq = 3`},
			3, "entry 3 is missing"},
		{"swapped entries", []string{
			`UPDATE audit_log SET seq = 100 WHERE portfolio_id = $1 AND seq = 2`,
			`UPDATE audit_log SET seq = 2 WHERE portfolio_id = $1 AND seq = 3`,
			`UPDATE audit_log SET seq = 3 WHERE portfolio_id = $1 AND seq = 100`},
			2, "previous-hash does not match"},
		{"deleted newest entry", []string{`DELETE FROM audit_log WHERE portfolio_id = $1 AND seq = 5`},
			5, "the newest entries were deleted"},
		{"moved head", []string{`UPDATE audit_heads SET seq = 4 WHERE portfolio_id = $1`},
			5, "head records entry 4"},
		{"deleted chain", []string{`DELETE FROM audit_log WHERE portfolio_id = $1`, `DELETE FROM audit_heads WHERE portfolio_id = $1`},
			1, "no audit chain at all"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testenv.ForEachStore(t, func(t *testing.T, dsn string) {
				s := openStore(t, dsn)
				p := createPortfolio(t, s, "Digital", "EP")
				other := createPortfolio(t, s, "Other", "OT")
				e := createEpic(t, s, lpm.Epic{PortfolioID: p.ID})
				for _, title := range []string{"One", "Two", "Three"} {
					_, err := s.UpdateEpic(ctx, e.ID, lpm.EpicUpdate{Title: ptr(title)}, alice)
					must(t, err)
				}
				createEpic(t, s, lpm.Epic{PortfolioID: other.ID})
				reports := verified(t, s)
				diff(t, "untouched chains", []lpm.ChainReport{{PortfolioID: p.ID, Entries: 5}, {PortfolioID: other.ID, Entries: 2}}, reports)

				for _, q := range tc.tamper {
					rawExec(t, s, dsn, q, p.ID)
				}
				reports, err := s.VerifyAudit(ctx)
				must(t, err)
				if len(reports) != 2 || reports[0].PortfolioID != p.ID || reports[1].Break != nil || reports[1].Entries != 2 {
					t.Fatalf("reports = %+v", reports)
				}
				b := reports[0].Break
				if b == nil {
					t.Fatal("the tampered chain verifies")
				}
				if b.Seq != tc.seq || b.PortfolioID != p.ID || !strings.Contains(b.Reason, tc.reason) {
					t.Errorf("break = %+v (%v), want seq %d and a reason with %q", b, b, tc.seq, tc.reason)
				}
			})
		})
	}
}

// VerifyAudit reads a chain in batches: a chain longer than one batch
// verifies, and a break after the first batch is found.
func TestAuditVerifyLongChain(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		s := openStore(t, dsn)
		p := createPortfolio(t, s, "Digital", "EP")
		e := createEpic(t, s, lpm.Epic{PortfolioID: p.ID})
		for i := range 1100 {
			_, err := s.UpdateEpic(ctx, e.ID, lpm.EpicUpdate{Description: ptr(fmt.Sprint(i))}, alice)
			must(t, err)
		}
		diff(t, "long chain", []lpm.ChainReport{{PortfolioID: p.ID, Entries: 1102}}, verified(t, s))
		rawExec(t, s, dsn, `UPDATE audit_log SET at = at + 1 WHERE portfolio_id = $1 AND seq = 1050`, p.ID)
		reports, err := s.VerifyAudit(ctx)
		must(t, err)
		if b := reports[0].Break; b == nil || b.Seq != 1050 || reports[0].Entries != 1049 {
			t.Errorf("report = %+v, break %v; want a break at 1050 after 1049 entries", reports[0], b)
		}
	})
}

// Writes racing in one portfolio each get their own place in its chain: the
// chain verifies and numbers every entry, without gaps.
func TestAuditConcurrentWrites(t *testing.T) {
	const writers, rounds = 32, 4
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "Digital", "EP")
		ids := make([]int64, writers)
		for i := range ids {
			ids[i] = createEpic(t, s, lpm.Epic{PortfolioID: p.ID}).ID
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for w, id := range ids {
			wg.Go(func() {
				<-start
				for r := range rounds {
					if _, err := s.UpdateEpic(ctx, id, lpm.EpicUpdate{Description: ptr(fmt.Sprintf("w%d r%d", w, r))}, alice); err != nil {
						t.Errorf("update epic %d: %v", id, err)
						return
					}
				}
			})
		}
		close(start)
		wg.Wait()
		want := 1 + writers + writers*rounds
		all := auditTrail(t, s, p.ID)
		if len(all) != want {
			t.Fatalf("%d entries, want %d", len(all), want)
		}
		for i, e := range all {
			if e.Seq != int64(i+1) {
				t.Fatalf("entry %d has seq %d: the chain has a gap", i+1, e.Seq)
			}
		}
		diff(t, "chain after the race", []lpm.ChainReport{{PortfolioID: p.ID, Entries: int64(want)}}, verified(t, s))
	})
}
