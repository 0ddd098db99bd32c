package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lpm-project/lpm/internal/lpm"
)

// homeView is the home page: who is signed in and what they may do in each
// portfolio they can see.
type homeView struct {
	chrome
	// SiteActions lists what a site admin may do beyond every portfolio;
	// empty for everyone else.
	SiteActions []string
	Portfolios  []portfolioView
}

// portfolioView is one portfolio on the home page.
type portfolioView struct {
	ID          int64
	Name        string
	Description string
	Roles       []roleView
	// AsSiteAdmin is set when the person sees the portfolio as a site admin,
	// which allows everything whatever their roles.
	AsSiteAdmin bool
	Actions     []actionView
}

type roleView struct {
	Role  lpm.Role
	Title string
}

// actionView is one thing the person may do; Limit is set when their roles
// allow it only on some epics ("own epics").
type actionView struct {
	What  string
	Limit string
}

// home lists the signed-in person's portfolios with their roles and what
// they may do in each; anyone else is sent to sign in.
func (h *handler) home(w http.ResponseWriter, r *http.Request) {
	v, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	portfolios, err := h.visiblePortfolios(r.Context(), v.actor)
	if err != nil {
		h.internalError(w, r, "list your portfolios", err)
		return
	}
	view := homeView{chrome: h.chromeFor(w, r, v, "Your portfolios")}
	if v.actor.IsAdmin {
		for _, act := range lpm.SiteActions {
			view.SiteActions = append(view.SiteActions, sentence(act.Describe()))
		}
	}
	for _, p := range portfolios {
		view.Portfolios = append(view.Portfolios, newPortfolioView(p, v.actor))
	}
	h.render(w, r, http.StatusOK, pageHome, view)
}

// visiblePortfolios returns the portfolios the actor may see.
func (h *handler) visiblePortfolios(ctx context.Context, actor lpm.Actor) ([]*lpm.Portfolio, error) {
	all, err := readAll(func(page lpm.Page) ([]*lpm.Portfolio, string, error) {
		return h.store.FindPortfolios(ctx, actor, page)
	})
	if err != nil {
		return nil, fmt.Errorf("find portfolios of %s: %w", actor.Name, err)
	}
	return all, nil
}

// newPortfolioView describes what actor may do in p. The permission matrix
// lives in lpm; this only asks it, action by action.
func newPortfolioView(p *lpm.Portfolio, actor lpm.Actor) portfolioView {
	roles := actor.Access[p.ID]
	v := portfolioView{ID: p.ID, Name: p.Name, Description: p.Description, AsSiteAdmin: actor.IsAdmin}
	for _, r := range roles.List() {
		v.Roles = append(v.Roles, roleView{Role: r, Title: r.Title()})
	}
	for _, act := range lpm.Actions {
		// The widest scope any of the roles grants. Scopes are ordered from
		// none to all, each covering the one before (own epics ⊂ enablers
		// and own epics ⊂ all).
		scope := lpm.None
		if actor.IsAdmin {
			scope = lpm.All
		}
		for _, r := range roles.List() {
			scope = max(scope, lpm.Grant(r, act))
		}
		switch scope {
		case lpm.None:
		case lpm.All:
			v.Actions = append(v.Actions, actionView{What: sentence(act.Describe())})
		default:
			v.Actions = append(v.Actions, actionView{What: sentence(act.Describe()), Limit: scope.String()})
		}
	}
	return v
}

// signInURL is the sign-in page that returns to next afterwards. Slashes
// stay readable: /sign-in?next=/portfolios/1.
func signInURL(next string) string {
	return "/sign-in?next=" + strings.ReplaceAll(url.QueryEscape(localPath(next)), "%2F", "/")
}

// sentence starts s with a capital letter.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
