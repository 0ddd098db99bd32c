package web_test

import (
	"html/template"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/lpm-project/lpm/internal/lpm"
)

// described is how the home page words an action.
func described(act lpm.Action) string {
	s := act.Describe()
	r, n := utf8.DecodeRuneInString(s)
	return template.HTMLEscapeString(string(unicode.ToUpper(r)) + s[n:])
}

var (
	actionsRE = regexp.MustCompile(`(?s)<ul class="actions">(.*?)</ul>`)
	itemRE    = regexp.MustCompile(`<li>(.*?)</li>`)
)

// actionsShown returns the actions listed for the page's first portfolio.
func actionsShown(t *testing.T, p page) []string {
	t.Helper()
	m := actionsRE.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no list of actions on the page:\n%s", p.body)
	}
	var out []string
	for _, li := range itemRE.FindAllStringSubmatch(m[1], -1) {
		out = append(out, li[1])
	}
	return out
}

func TestHomeShowsWhatEachRoleMayDo(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})
		solo := fx.portfolio(t, "Gamma Portfolio", "GAMMA")
		for _, role := range lpm.Roles {
			t.Run(string(role), func(t *testing.T) {
				name := strings.ReplaceAll(string(role), "_", "-")
				password := "password of " + name
				u := fx.user(t, name, "Holder of "+name, password, false)
				fx.grant(t, solo, u, role)
				b := s.browser(t)
				wantStatus(t, b.signIn(name, password, "/"), http.StatusSeeOther)
				home := b.wantSignedIn("Holder of " + name)
				wantBody(t, home, "Gamma Portfolio", template.HTMLEscapeString(role.Title()))
				wantNoBody(t, home, "Alpha Portfolio", "Beta Portfolio", "You are a site admin")

				var want []string
				for _, act := range lpm.Actions {
					switch scope := lpm.Grant(role, act); scope {
					case lpm.None:
					case lpm.All:
						want = append(want, described(act))
					default:
						want = append(want, described(act)+` <span class="limit">(`+scope.String()+` only)</span>`)
					}
				}
				got := actionsShown(t, home)
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("actions shown:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			})
		}
	})
}

func TestHomeOfSeveralRolesAndOfASiteAdmin(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, fx *fixture) {
		s := startSite(t, fx, siteOptions{})

		alice := s.browser(t)
		wantStatus(t, alice.signIn("alice", alicePassword, "/"), http.StatusSeeOther)
		home := alice.wantSignedIn("Alice Example")
		// Decision maker and epic owner: the wider grant of the two shows.
		wantBody(t, home, described(lpm.DecideEpic)+"</li>", described(lpm.MoveEpicInDelivery)+"</li>",
			described(lpm.EditEpic)+` <span class="limit">(own epics only)</span>`)
		wantNoBody(t, home, described(lpm.ConfigureKanban), described(lpm.ManageMembers))

		root := s.browser(t)
		wantStatus(t, root.signIn("root", adminPassword, "/"), http.StatusSeeOther)
		home = root.wantSignedIn("Site Admin")
		wantBody(t, home, "You are a site admin", "Alpha Portfolio", "Beta Portfolio",
			described(lpm.CreatePortfolio), described(lpm.ManageUsers),
			"None: you see this portfolio as a site admin.")
		if got := actionsShown(t, home); len(got) != len(lpm.Actions) {
			t.Errorf("a site admin is shown %d actions, want all %d", len(got), len(lpm.Actions))
		}

		// Someone with no role anywhere is told how to get one.
		fx.user(t, "newcomer", "", "password of the newcomer", false)
		b := s.browser(t)
		wantStatus(t, b.signIn("newcomer", "password of the newcomer", "/"), http.StatusSeeOther)
		home = b.wantSignedIn("newcomer") // no display name: the user name
		wantBody(t, home, "You hold no role in any portfolio yet")
	})
}
