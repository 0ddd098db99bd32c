package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lpm-project/lpm/internal/lpm"
)

func (fx *fixture) columns(t *testing.T, p *lpm.Portfolio) []lpm.Column {
	t.Helper()
	cols, err := fx.st.FindColumns(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return cols
}

// settingsForm is the settings form as the page fills it for cols.
func settingsForm(cols []lpm.Column) url.Values {
	f := url.Values{}
	for _, c := range cols {
		s := string(c.State)
		if c.State.HasWIPLimit() {
			f.Set("wip_limit."+s, "")
			if c.WIPLimit != nil {
				f.Set("wip_limit."+s, strconv.Itoa(*c.WIPLimit))
			}
			f.Set("enforcement."+s, string(c.Enforcement))
		}
		for _, to := range lpm.States {
			if lpm.IsBackward(c.State, to) {
				f.Add("allow_backward_shown", s)
				if c.AllowBackward {
					f.Set("allow_backward."+s, "on")
				}
			}
		}
	}
	return f
}

func TestKanbanSettingsPage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		path := fmt.Sprintf("/portfolios/%d/settings", fx.alpha.ID)
		olga := fx.user(t, "olga", "Olga Ops", "olga's long password", false)
		fx.grant(t, fx.alpha, olga, lpm.RolePortfolioOperations)

		// A member whose roles do not allow it is told who may; the
		// navigation does not offer the page; nothing changes.
		alice := s.signedInAs(t, "alice", alicePassword)
		board := alice.get(fmt.Sprintf("/portfolios/%d/board", fx.alpha.ID))
		wantNoBody(t, board, `href="`+path+`"`)
		denied := alice.get(path)
		wantStatus(t, denied, http.StatusForbidden)
		wantBody(t, denied, "configure the Kanban", "portfolio_admin, portfolio_operations")
		wantAccessible(t, denied)
		before := fx.columns(t, fx.alpha)
		f := settingsForm(before)
		f.Set("wip_limit.reviewing", "1")
		wantStatus(t, alice.post(path, withCSRF(t, board, f)), http.StatusForbidden)
		// A non-member finds no page.
		bob := s.signedInAs(t, "bob", bobPassword)
		wantStatus(t, bob.get(path), http.StatusNotFound)
		wantStatus(t, bob.post(path, withCSRF(t, bob.get("/"), f)), http.StatusNotFound)
		if diff := cmp.Diff(before, fx.columns(t, fx.alpha)); diff != "" {
			t.Errorf("columns changed by refused forms (-before +after):\n%s", diff)
		}

		ops := s.signedInAs(t, "olga", "olga's long password")
		form := ops.get(path)
		wantStatus(t, form, http.StatusOK)
		wantBody(t, form, `aria-current="page">Kanban settings`,
			`<input id="wip-reviewing" name="wip_limit.reviewing" type="number" min="0" max="10000" step="1" inputmode="numeric" value="8"`,
			`<option value="block" selected>`, `<label for="backward-reviewing">Allow moves back to Funnel</label>`,
			"never limited", "no move back",
			// The policies, from lpm.ColumnPolicies.
			"<li>Needs an epic owner.</li>", html.EscapeString(lpm.ColumnPolicies(lpm.Analyzing).Exits[0]))
		wantNoBody(t, form, `name="wip_limit.funnel"`, `name="wip_limit.done"`, `name="allow_backward.ready"`)
		wantAccessible(t, form)

		// Saved: each changed column, and only those.
		f = settingsForm(before)
		f.Set("wip_limit.reviewing", "3")
		f.Set("wip_limit.analyzing", "")
		f.Set("enforcement.ready", "warn")
		f.Del("allow_backward.reviewing")
		saved := ops.post(path, withCSRF(t, form, f))
		form = ops.wantNotice(t, saved, "Kanban settings saved: Reviewing, Analyzing, Ready.", false)
		after := map[lpm.State]lpm.Column{}
		for _, c := range fx.columns(t, fx.alpha) {
			after[c.State] = c
		}
		if c := after[lpm.Reviewing]; c.WIPLimit == nil || *c.WIPLimit != 3 || c.AllowBackward {
			t.Errorf("reviewing after saving: %+v", c)
		}
		if c := after[lpm.Analyzing]; c.WIPLimit != nil || !c.AllowBackward {
			t.Errorf("analyzing after saving: %+v", c)
		}
		if c := after[lpm.Ready]; c.Enforcement != lpm.Warn || c.WIPLimit == nil || *c.WIPLimit != 15 {
			t.Errorf("ready after saving: %+v", c)
		}
		if c := after[lpm.ImplementingMVP]; c.WIPLimit == nil || *c.WIPLimit != 6 || c.Enforcement != lpm.Block || !c.AllowBackward {
			t.Errorf("implementing_mvp changed: %+v", c)
		}
		wantBody(t, form, `name="wip_limit.reviewing" type="number" min="0" max="10000" step="1" inputmode="numeric" value="3"`,
			`name="wip_limit.analyzing" type="number" min="0" max="10000" step="1" inputmode="numeric" value=""`)
		wantAccessible(t, form)

		// Nothing changed: nothing saved.
		same := ops.post(path, withCSRF(t, form, settingsForm(fx.columns(t, fx.alpha))))
		ops.wantNotice(t, same, "Nothing to save: the settings were already as the form had them.", false)

		// Refused: a limit that is no number, out of range, an enforcement
		// not offered. The input comes back and nothing is written, not even
		// the valid changes sent with it.
		current := fx.columns(t, fx.alpha)
		for name, c := range map[string]struct {
			change func(url.Values)
			want   []string
		}{
			"not a number": {func(f url.Values) { f.Set("wip_limit.ready", "many"); f.Set("wip_limit.reviewing", "4") },
				[]string{"The WIP limit of Ready must be a whole number from 0 to 10000, or blank for no limit.",
					`value="many" class="wip-input" aria-invalid="true"`, `value="4"`}},
			"too big":  {func(f url.Values) { f.Set("wip_limit.analyzing", "10001") }, []string{"The WIP limit of Analyzing must be a whole number"}},
			"negative": {func(f url.Values) { f.Set("wip_limit.analyzing", "-1") }, []string{"The WIP limit of Analyzing must be"}},
			"enforcement": {func(f url.Values) { f.Set("enforcement.ready", "maybe") },
				[]string{"Ready: enforcement must be block or warn.", `<select id="enforcement-ready" name="enforcement.ready" aria-invalid="true">`}},
		} {
			f := settingsForm(current)
			c.change(f)
			p := ops.post(path, withCSRF(t, form, f))
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", name, p.status)
				continue
			}
			wantBody(t, p, append(c.want, "Not saved. Please correct:")...)
			wantAccessible(t, p)
		}
		if diff := cmp.Diff(current, fx.columns(t, fx.alpha)); diff != "" {
			t.Errorf("columns changed by refused forms (-before +after):\n%s", diff)
		}
		// A field the form did not send leaves its setting alone.
		partial := withCSRF(t, form, url.Values{"wip_limit.ready": {"9"}})
		ops.wantNotice(t, ops.post(path, partial), "Kanban settings saved: Ready.", false)
		for _, c := range fx.columns(t, fx.alpha) {
			if c.State == lpm.Analyzing && !c.AllowBackward {
				t.Errorf("a form without the box turned off moves back from analyzing")
			}
			if c.State == lpm.Ready && (c.WIPLimit == nil || *c.WIPLimit != 9) {
				t.Errorf("ready: %+v, want a limit of 9", c)
			}
		}
	})
}
