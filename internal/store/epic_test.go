package store_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

func TestCreateEpic(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		other := createPortfolio(t, s, "Other", "OTH")
		vs := createValueStream(t, s, p.ID, "Payments")
		th1, th2 := createTheme(t, s, p.ID, "Grow"), createTheme(t, s, p.ID, "Retain")

		e := readyEpic(p.ID, "olivia", vs.ID)
		e.ThemeIDs = []int64{th2.ID, th1.ID}
		first := createEpic(t, s, e)
		second := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: "Second", Type: lpm.Enabler})
		elsewhere := createEpic(t, s, lpm.Epic{PortfolioID: other.ID, Title: "Elsewhere"})
		for _, c := range []struct {
			e   *lpm.Epic
			key string
		}{{first, "EP-1"}, {second, "EP-2"}, {elsewhere, "OTH-1"}} {
			if c.e.Key != c.key {
				t.Errorf("epic %d has key %q, want %q", c.e.ID, c.e.Key, c.key)
			}
		}

		got, err := s.FindEpicByID(ctx, first.ID)
		must(t, err)
		diff(t, "stored epic", first, got)
		diff(t, "themes in id order", []int64{th1.ID, th2.ID}, got.ThemeIDs)

		h, err := s.EpicHistory(ctx, first.ID)
		must(t, err)
		diff(t, "creation history", []lpm.Transition{{ID: h[0].ID, EpicID: first.ID, To: lpm.Funnel,
			Actor: alice.Name, At: first.CreatedAt}}, h)

		_, err = s.FindEpicByID(ctx, 999)
		wantCode(t, err, lpm.ENOTFOUND, "")
		_, err = s.EpicHistory(ctx, 999)
		wantCode(t, err, lpm.ENOTFOUND, "")
		moved := *first
		moved.State = lpm.Ready
		wantCode(t, s.CreateEpic(ctx, &moved, alice), lpm.EINVALID, "state")
	})
}

// A refused creation writes nothing: no epic, no history, and the key
// counter does not move.
func TestCreateEpicReferences(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		other := createPortfolio(t, s, "Other", "OT")
		theirTheme := createTheme(t, s, other.ID, "Theirs")
		theirStream := createValueStream(t, s, other.ID, "Theirs")
		createEpic(t, s, lpm.Epic{PortfolioID: p.ID})

		for _, tc := range []struct {
			name  string
			e     lpm.Epic
			code  lpm.ErrorCode
			field string
		}{
			{"unknown owner", lpm.Epic{PortfolioID: p.ID, EpicOwner: "nobody"}, lpm.EINVALID, "epic_owner"},
			{"missing theme", lpm.Epic{PortfolioID: p.ID, ThemeIDs: []int64{999}}, lpm.EINVALID, "theme_ids"},
			{"theme of another portfolio", lpm.Epic{PortfolioID: p.ID, ThemeIDs: []int64{theirTheme.ID}}, lpm.EINVALID, "theme_ids"},
			{"value stream of another portfolio", lpm.Epic{PortfolioID: p.ID, ValueStreamIDs: []int64{theirStream.ID}}, lpm.EINVALID, "value_stream_ids"},
			{"unknown portfolio", lpm.Epic{PortfolioID: 999}, lpm.ENOTFOUND, ""},
			{"no title", lpm.Epic{PortfolioID: p.ID, Title: " "}, lpm.EINVALID, "title"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tc.e.Type = lpm.Business
				if tc.e.Title == "" {
					tc.e.Title = "Refused"
				}
				e := tc.e
				e.State, e.Version, e.CreatedAt = lpm.Funnel, 1, lpm.Now()
				wantCode(t, s.CreateEpic(ctx, &e, alice), tc.code, tc.field)
				if e.ID != 0 || e.Key != "" {
					t.Errorf("a refused epic got ID %d and key %q", e.ID, e.Key)
				}
			})
		}
		t.Run("every wrong reference at once", func(t *testing.T) {
			e := lpm.Epic{PortfolioID: p.ID, Title: "Refused", Type: lpm.Business, EpicOwner: "nobody",
				ThemeIDs: []int64{999, theirTheme.ID}, ValueStreamIDs: []int64{theirStream.ID}, State: lpm.Funnel, Version: 1, CreatedAt: lpm.Now()}
			var got []string
			for _, v := range lpm.AsError(s.CreateEpic(ctx, &e, alice)).Violations {
				got = append(got, v.Field)
			}
			want := []string{"epic_owner", "theme_ids", "theme_ids", "value_stream_ids"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("violations (-want +got):\n%s", diff)
			}
		})
		list, _, err := s.FindEpics(ctx, lpm.EpicFilter{PortfolioID: p.ID})
		must(t, err)
		if len(list) != 1 {
			t.Errorf("%d epics stored after refused creations, want 1", len(list))
		}
		next := createEpic(t, s, lpm.Epic{PortfolioID: p.ID})
		if next.Key != "EP-2" {
			t.Errorf("key after refused creations = %s, want EP-2 (the counter must not move)", next.Key)
		}
	})
}

func TestUpdateEpic(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		createUser(t, s, "omar", false)
		p := createPortfolio(t, s, "Digital", "EP")
		vs1, vs2 := createValueStream(t, s, p.ID, "A"), createValueStream(t, s, p.ID, "B")
		th := createTheme(t, s, p.ID, "Grow")
		e := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia", ValueStreamIDs: []int64{vs1.ID}})

		title := "Renamed"
		up, err := s.UpdateEpic(ctx, e.ID, lpm.EpicUpdate{
			Title: &title, EpicOwner: ptr("omar"),
			Hypothesis: &lpm.HypothesisUpdate{Who: ptr("pay"), BusinessOutcomes: &[]string{"more", "better"}},
			WSJF:       &lpm.WSJFUpdate{UserBusinessValue: ptr(13), JobSize: ptr(2)},
			Costs:      &lpm.CostsUpdate{FullSupplier: ptr(int64(5000))},
			ThemeIDs:   &[]int64{th.ID}, ValueStreamIDs: &[]int64{vs2.ID, vs1.ID, vs2.ID},
		}, alice)
		must(t, err)
		if up.Version != e.Version+1 || up.Title != title || up.EpicOwner != "omar" || up.WSJF.UserBusinessValue != 13 {
			t.Errorf("update not applied: %+v", up)
		}
		diff(t, "value streams, deduplicated in id order", []int64{vs1.ID, vs2.ID}, up.ValueStreamIDs)
		got, err := s.FindEpicByID(ctx, e.ID)
		must(t, err)
		diff(t, "stored update", up, got)

		// Unset lists keep their links.
		up2, err := s.UpdateEpic(ctx, e.ID, lpm.EpicUpdate{Description: ptr("more words")}, alice)
		must(t, err)
		diff(t, "themes kept", []int64{th.ID}, up2.ThemeIDs)
		diff(t, "value streams kept", []int64{vs1.ID, vs2.ID}, up2.ValueStreamIDs)

		for _, tc := range []struct {
			name  string
			upd   lpm.EpicUpdate
			code  lpm.ErrorCode
			field string
		}{
			{"unknown owner", lpm.EpicUpdate{EpicOwner: ptr("nobody")}, lpm.EINVALID, "epic_owner"},
			{"missing theme", lpm.EpicUpdate{ThemeIDs: &[]int64{999}}, lpm.EINVALID, "theme_ids"},
			{"missing value stream", lpm.EpicUpdate{ValueStreamIDs: &[]int64{999}}, lpm.EINVALID, "value_stream_ids"},
			{"off-scale WSJF", lpm.EpicUpdate{WSJF: &lpm.WSJFUpdate{JobSize: ptr(4)}}, lpm.EINVALID, "wsjf_components.job_size"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				upd := tc.upd
				upd.Title = ptr("must not be written")
				_, err := s.UpdateEpic(ctx, e.ID, upd, alice)
				wantCode(t, err, tc.code, tc.field)
				got, err := s.FindEpicByID(ctx, e.ID)
				must(t, err)
				diff(t, "epic after a refused update", up2, got)
			})
		}
		_, err = s.UpdateEpic(ctx, 999, lpm.EpicUpdate{Title: &title}, alice)
		wantCode(t, err, lpm.ENOTFOUND, "")

		// Outside the funnel an epic keeps an owner.
		move(t, s, e.ID, lpm.TransitionRequest{To: lpm.Reviewing}, alice)
		_, err = s.UpdateEpic(ctx, e.ID, lpm.EpicUpdate{EpicOwner: ptr("")}, alice)
		wantCode(t, err, lpm.EINVALID, "epic_owner")
	})
}

// Only a proposal entered by mistake may be deleted: a funnel epic that
// never left the funnel and has no decisions. Anything else keeps its
// history and must leave the board through done.
func TestDeleteEpic(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		th := createTheme(t, s, p.ID, "Grow")
		vs := createValueStream(t, s, p.ID, "Payments")

		fresh := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia", ThemeIDs: []int64{th.ID}, ValueStreamIDs: []int64{vs.ID}})
		// Out to reviewing and back: its history goes beyond its creation.
		wentBack := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia", ThemeIDs: []int64{th.ID}})
		move(t, s, wentBack.ID, lpm.TransitionRequest{To: lpm.Reviewing}, alice)
		move(t, s, wentBack.ID, lpm.TransitionRequest{To: lpm.Funnel, Reason: "not yet"}, alice)
		// Never left the funnel, but has a decision (imported as it was).
		withDecision := lpm.Epic{PortfolioID: p.ID, Title: "Decided on", Type: lpm.Business, State: lpm.Funnel}
		must(t, s.ImportEpic(ctx, &withDecision, []lpm.Transition{{To: lpm.Funnel, Actor: "import"}},
			[]lpm.Decision{{Kind: lpm.DecisionNoGo, Rationale: "out of scope", DecidedBy: "ada"}}, admin))
		reviewing := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, EpicOwner: "olivia"})
		move(t, s, reviewing.ID, lpm.TransitionRequest{To: lpm.Reviewing}, alice)

		for _, tc := range []struct {
			name    string
			id      int64
			entries int
		}{
			{"went to reviewing and back", wentBack.ID, 3},
			{"has a decision", withDecision.ID, 1},
			{"in reviewing", reviewing.ID, 2},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before, err := s.FindEpicByID(ctx, tc.id)
				must(t, err)
				hBefore, err := s.EpicHistory(ctx, tc.id)
				must(t, err)
				dBefore, err := s.FindDecisions(ctx, tc.id)
				must(t, err)
				wantCode(t, s.DeleteEpic(ctx, tc.id, alice), lpm.ECONFLICT, "")
				after, err := s.FindEpicByID(ctx, tc.id)
				must(t, err)
				diff(t, "epic after a refused delete", before, after)
				h, err := s.EpicHistory(ctx, tc.id)
				must(t, err)
				if len(h) != tc.entries {
					t.Errorf("%d history entries, want %d", len(h), tc.entries)
				}
				diff(t, "history after a refused delete", hBefore, h)
				ds, err := s.FindDecisions(ctx, tc.id)
				must(t, err)
				diff(t, "decisions after a refused delete", dBefore, ds)
			})
		}

		must(t, s.DeleteEpic(ctx, fresh.ID, alice))
		_, err := s.FindEpicByID(ctx, fresh.ID)
		wantCode(t, err, lpm.ENOTFOUND, "")
		_, err = s.EpicHistory(ctx, fresh.ID)
		wantCode(t, err, lpm.ENOTFOUND, "")
		_, err = s.FindDecisions(ctx, fresh.ID)
		wantCode(t, err, lpm.ENOTFOUND, "")
		list, _, err := s.FindEpics(ctx, lpm.EpicFilter{ThemeID: th.ID})
		must(t, err)
		diff(t, "epics of the theme", []*lpm.Epic{findEpic(t, s, wentBack.ID)}, list)
		list, _, err = s.FindEpics(ctx, lpm.EpicFilter{ValueStreamID: vs.ID})
		must(t, err)
		if len(list) != 0 {
			t.Errorf("value stream still lists %d epics", len(list))
		}
		wantCode(t, s.DeleteEpic(ctx, fresh.ID, alice), lpm.ENOTFOUND, "")
	})
}

// Ids are never used twice, not even the id of the newest epic after it was
// deleted (SQLite reuses the highest rowid unless the table is
// AUTOINCREMENT), nor those of its history entries.
func TestDeletedIDsNotReused(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "Digital", "EP")
		createEpic(t, s, lpm.Epic{PortfolioID: p.ID})
		newest := createEpic(t, s, lpm.Epic{PortfolioID: p.ID})
		h, err := s.EpicHistory(ctx, newest.ID)
		must(t, err)
		must(t, s.DeleteEpic(ctx, newest.ID, alice))

		next := createEpic(t, s, lpm.Epic{PortfolioID: p.ID})
		if next.ID <= newest.ID {
			t.Errorf("epic created after deleting epic %d got id %d", newest.ID, next.ID)
		}
		nh, err := s.EpicHistory(ctx, next.ID)
		must(t, err)
		if nh[0].ID <= h[0].ID {
			t.Errorf("history entry after deleting entry %d got id %d", h[0].ID, nh[0].ID)
		}
		if next.Key == newest.Key {
			t.Errorf("epic key %s used twice", next.Key)
		}
	})
}

func TestFindEpics(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		other := createPortfolio(t, s, "Other", "OT")
		th := createTheme(t, s, p.ID, "Grow")
		vs := createValueStream(t, s, p.ID, "Payments")
		a := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: "Checkout redesign", ThemeIDs: []int64{th.ID}})
		b := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: "Data platform", Type: lpm.Enabler, Description: "100% uptime for CHECKOUT"})
		c := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: "Loyalty_program", EpicOwner: "olivia", ValueStreamIDs: []int64{vs.ID}, ThemeIDs: []int64{th.ID}})
		move(t, s, c.ID, lpm.TransitionRequest{To: lpm.Reviewing}, alice)
		d := createEpic(t, s, lpm.Epic{PortfolioID: other.ID, Title: "Checkout elsewhere"})
		de := createEpic(t, s, lpm.Epic{PortfolioID: other.ID, Title: "Überweisung in Echtzeit", Description: "SEPA-Échtzeit für ALLE Kunden"})
		gr := createEpic(t, s, lpm.Epic{PortfolioID: other.ID, Title: "ΝΕΟ ΛΟΓΙΣΜΙΚΟΣ ΠΥΡΗΝΑΣ"})

		ids := func(list []*lpm.Epic) []int64 {
			var out []int64
			for _, e := range list {
				out = append(out, e.ID)
			}
			return out
		}
		for _, tc := range []struct {
			name string
			f    lpm.EpicFilter
			want []int64
		}{
			{"portfolio", lpm.EpicFilter{PortfolioID: p.ID}, []int64{a.ID, b.ID, c.ID}},
			{"every portfolio", lpm.EpicFilter{}, []int64{a.ID, b.ID, c.ID, d.ID, de.ID, gr.ID}},
			{"state", lpm.EpicFilter{PortfolioID: p.ID, States: []lpm.State{lpm.Reviewing}}, []int64{c.ID}},
			{"states", lpm.EpicFilter{PortfolioID: p.ID, States: []lpm.State{lpm.Funnel, lpm.Reviewing}}, []int64{a.ID, b.ID, c.ID}},
			{"type", lpm.EpicFilter{PortfolioID: p.ID, Type: lpm.Enabler}, []int64{b.ID}},
			{"theme", lpm.EpicFilter{PortfolioID: p.ID, ThemeID: th.ID}, []int64{a.ID, c.ID}},
			{"value stream", lpm.EpicFilter{ValueStreamID: vs.ID}, []int64{c.ID}},
			{"text in title or description, any case", lpm.EpicFilter{PortfolioID: p.ID, Text: "checkout"}, []int64{a.ID, b.ID}},
			{"text in key", lpm.EpicFilter{Text: "ep-3"}, []int64{c.ID}},
			{"percent is literal", lpm.EpicFilter{Text: "100%"}, []int64{b.ID}},
			{"underscore is literal", lpm.EpicFilter{Text: "y_p"}, []int64{c.ID}},
			{"no match", lpm.EpicFilter{Text: "zzz"}, nil},
			{"no match across title and description", lpm.EpicFilter{Text: "platform 100"}, nil},
			{"surrounding blanks ignored", lpm.EpicFilter{Text: "  loyalty_  "}, []int64{c.ID}},
			{"non-ASCII, lower case finds upper case", lpm.EpicFilter{Text: "über"}, []int64{de.ID}},
			{"non-ASCII, upper case finds lower case", lpm.EpicFilter{Text: "ÜBERWEISUNG IN"}, []int64{de.ID}},
			{"non-ASCII in the description", lpm.EpicFilter{Text: "sepa-échtzeit für alle"}, []int64{de.ID}},
			{"accents are not ignored", lpm.EpicFilter{Text: "sepa-echtzeit"}, nil},
			{"Greek, final sigma", lpm.EpicFilter{Text: "λογισμικος πυρηνας"}, []int64{gr.ID}},
			{"theme and state", lpm.EpicFilter{ThemeID: th.ID, States: []lpm.State{lpm.Funnel}}, []int64{a.ID}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				list, next, err := s.FindEpics(ctx, tc.f)
				must(t, err)
				diff(t, "epic ids", tc.want, ids(list))
				if next != "" {
					t.Errorf("next = %q on the only page", next)
				}
			})
		}

		got, _, err := s.FindEpics(ctx, lpm.EpicFilter{States: []lpm.State{lpm.Reviewing}})
		must(t, err)
		want, err := s.FindEpicByID(ctx, c.ID)
		must(t, err)
		diff(t, "listed epic", []*lpm.Epic{want}, got)

		for _, f := range []struct {
			f     lpm.EpicFilter
			field string
		}{
			{lpm.EpicFilter{States: []lpm.State{"limbo"}}, "states"},
			{lpm.EpicFilter{Type: "portfolio"}, "type"},
			{lpm.EpicFilter{Page: lpm.Page{Cursor: "%%%"}}, "cursor"},
			{lpm.EpicFilter{Text: "nul\x00byte"}, "q"},
			{lpm.EpicFilter{Text: "two\nlines"}, "q"},
			{lpm.EpicFilter{Text: strings.Repeat("ü", lpm.MaxQueryLen+1)}, "q"},
		} {
			_, _, err := s.FindEpics(ctx, f.f)
			wantCode(t, err, lpm.EINVALID, f.field)
		}
		list, _, err := s.FindEpics(ctx, lpm.EpicFilter{Text: strings.Repeat("ü", lpm.MaxQueryLen)})
		must(t, err)
		if len(list) != 0 {
			t.Errorf("a long query matched %d epics", len(list))
		}

		// An edit is found by its new words at once, and no longer by the old.
		_, err = s.UpdateEpic(ctx, a.ID, lpm.EpicUpdate{Title: ptr("Kassenbereich neu gestalten"), Description: ptr("ÄNDERUNGEN am Bezahlvorgang")}, alice)
		must(t, err)
		for text, want := range map[string][]int64{"kassenbereich": {a.ID}, "änderungen": {a.ID}, "redesign": nil, "checkout": {b.ID, d.ID}} {
			list, _, err := s.FindEpics(ctx, lpm.EpicFilter{Text: text})
			must(t, err)
			var got []int64
			for _, e := range list {
				got = append(got, e.ID)
			}
			diff(t, "epics matching "+text+" after an edit", want, got)
		}
	})
}

func TestFindEpicsPages(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *store.Store) {
		p := createPortfolio(t, s, "Digital", "EP")
		var want []int64
		for i := range 7 {
			kind := "odd"
			if i%2 == 0 {
				kind = "even"
			}
			e := createEpic(t, s, lpm.Epic{PortfolioID: p.ID, Title: fmt.Sprintf("Epic %d (%s)", i, kind)})
			if kind == "even" {
				want = append(want, e.ID)
			}
		}
		// Keyset paging over a filter: pages hold matches only, in id order,
		// and the last page says there is no next one.
		var got []int64
		f := lpm.EpicFilter{PortfolioID: p.ID, Text: "even", Page: lpm.Page{Limit: 1}}
		for pages := 1; ; pages++ {
			if pages > len(want) {
				t.Fatalf("more than %d pages of one match each", len(want))
			}
			list, next, err := s.FindEpics(ctx, f)
			must(t, err)
			for _, e := range list {
				got = append(got, e.ID)
			}
			if next == "" {
				break
			}
			f.Page.Cursor = next
		}
		diff(t, "paged matches", want, got)
		list, next, err := s.FindEpics(ctx, lpm.EpicFilter{PortfolioID: p.ID, Page: lpm.Page{Limit: 1000}})
		must(t, err)
		if len(list) != 7 || next != "" {
			t.Errorf("limit above the maximum: %d epics, next %q", len(list), next)
		}
		list, next, err = s.FindEpics(ctx, lpm.EpicFilter{PortfolioID: p.ID, Page: lpm.Page{Limit: 7}})
		must(t, err)
		if len(list) != 7 || next != "" {
			t.Errorf("a full last page: %d epics, next %q; want 7 and no next page", len(list), next)
		}
	})
}
