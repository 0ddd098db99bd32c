package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

// homeView is the home page: who is signed in and what they may do in each
// portfolio they can see.
type homeView struct {
	Title       string
	DisplayName string
	UserName    string
	// CSRF is the session's token, for the sign-out form.
	CSRF string
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

// home shows the signed-in person their portfolios, roles and permissions;
// anyone else is sent to sign in.
func (h *handler) home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s, u, err := h.currentSession(r)
	if err != nil {
		h.internalError(w, r, "check whether you are signed in", err)
		return
	}
	if s == nil {
		h.clearSessionCookies(w, r)
		http.Redirect(w, r, signInURL(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	actor, err := httpauth.Actor(ctx, h.store, u, false, httpauth.ClientAddress(r))
	if err != nil {
		h.internalError(w, r, "load your roles", err)
		return
	}
	portfolios, err := h.visiblePortfolios(ctx, actor)
	if err != nil {
		h.internalError(w, r, "list your portfolios", err)
		return
	}
	view := homeView{Title: "Your portfolios", DisplayName: u.DisplayName, UserName: u.Name, CSRF: s.CSRFToken}
	if view.DisplayName == "" {
		view.DisplayName = u.Name
	}
	if actor.IsAdmin {
		for _, act := range lpm.SiteActions {
			view.SiteActions = append(view.SiteActions, sentence(act.Describe()))
		}
	}
	for _, p := range portfolios {
		view.Portfolios = append(view.Portfolios, newPortfolioView(p, actor))
	}
	h.render(w, r, http.StatusOK, pageHome, view)
}

// maxPortfolioPages bounds how many pages of portfolios the home page reads.
const maxPortfolioPages = 20

// visiblePortfolios returns the portfolios the actor may see.
func (h *handler) visiblePortfolios(ctx context.Context, actor lpm.Actor) ([]*lpm.Portfolio, error) {
	var all []*lpm.Portfolio
	page := lpm.Page{Limit: lpm.MaxPageSize}
	for range maxPortfolioPages {
		list, next, err := h.store.FindPortfolios(ctx, actor, page)
		if err != nil {
			return nil, fmt.Errorf("find portfolios of %s: %w", actor.Name, err)
		}
		all = append(all, list...)
		if next == "" {
			break
		}
		page.Cursor = next
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
