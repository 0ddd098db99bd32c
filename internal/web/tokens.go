package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// tokensView is the signed-in person's API tokens: the list, the form that
// makes one, and the token just made with its secret, shown this once.
type tokensView struct {
	chrome
	Tokens    []tokenView
	Form      tokenForm
	New       *newTokenView
	Scopes    []option
	Lifetimes []option
	// APIBase is where the API lives, for the example.
	APIBase string
}

type tokenView struct {
	ID                         int64
	Name, Scope                string
	Created, Expires, LastUsed string
	Expired                    bool
}

type newTokenView struct {
	Name, Scope, Expires, Secret string
}

// tokenForm is the creation form as typed, with what was wrong.
type tokenForm struct {
	Name, Scope, Lifetime string
	Errors                []string
	Invalid               map[string]bool
}

// tokenScopes are the choices of a token's scope.
var tokenScopes = []option{
	{string(lpm.ScopeRead), "Read only: may read what you may read, and change nothing"},
	{string(lpm.ScopeReadWrite), "Read and write: may do everything you may do"},
}

// tokenLifetimes are the choices of how long a token works, in days; the
// longest is lpm.MaxTokenLifetime and the default lpm.DefaultTokenLifetime.
var tokenLifetimes = []option{
	{"7", "7 days"}, {"30", "30 days"}, {"90", "90 days"}, {"180", "180 days"}, {"365", "1 year"}, {"730", "2 years"},
}

// defaultLifetime is the lifetime the form starts with, in days.
var defaultLifetime = strconv.Itoa(int(lpm.DefaultTokenLifetime / (24 * time.Hour)))

// tokens lists the viewer's API tokens.
func (h *handler) tokens(w http.ResponseWriter, r *http.Request) {
	v, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	h.renderTokens(w, r, v, http.StatusOK, tokenForm{Scope: string(lpm.ScopeReadWrite), Lifetime: defaultLifetime}, nil)
}

// createToken makes the token the form asks for and shows its secret on
// the page it answers with: never in a redirect, a cookie or the log.
func (h *handler) createToken(w http.ResponseWriter, r *http.Request) {
	v, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	t, form, problems := readTokenForm(r.PostForm, v.user.ID, lpm.Now())
	if len(problems) == 0 {
		secret, err := h.store.CreateToken(r.Context(), &t, v.actor)
		if err == nil {
			created := &newTokenView{Name: t.Name, Scope: scopeTitle(t.Scope), Expires: stamp(t.ExpiresAt), Secret: secret}
			h.renderTokens(w, r, v, http.StatusOK, tokenForm{Scope: string(lpm.ScopeReadWrite), Lifetime: defaultLifetime}, created)
			return
		}
		if h.storeFailed(w, r, "create the token", err, &problems) {
			return
		}
	}
	form.Errors, form.Invalid = describeProblems(problems)
	h.renderTokens(w, r, v, http.StatusUnprocessableEntity, form, nil)
}

// readTokenForm reads the form into a token of the user; problems are
// choices the form does not offer and what lpm.NewToken refuses.
func readTokenForm(f url.Values, userID int64, now time.Time) (lpm.Token, tokenForm, []lpm.Violation) {
	form := tokenForm{Name: f.Get("name"), Scope: f.Get("scope"), Lifetime: f.Get("lifetime")}
	t := lpm.Token{UserID: userID, Name: strings.TrimSpace(form.Name), Scope: lpm.TokenScope(form.Scope)}
	var problems []lpm.Violation
	if !slices.ContainsFunc(tokenScopes, func(o option) bool { return o.Value == form.Scope }) {
		problems = append(problems, lpm.Violation{Field: "scope", Message: "choose what the token may do: read only, or read and write"})
	}
	if !slices.ContainsFunc(tokenLifetimes, func(o option) bool { return o.Value == form.Lifetime }) {
		problems = append(problems, lpm.Violation{Field: "lifetime", Message: "choose how long the token works from the list"})
	} else {
		days, _ := strconv.Atoi(form.Lifetime)
		t.ExpiresAt = now.AddDate(0, 0, days)
	}
	// What the domain finds wrong too, so that every problem shows at once
	// (the store checks again).
	if _, err := lpm.NewToken(t, now); err != nil {
		problems = append(problems, asViolations(err)...)
	}
	return t, form, problems
}

// revokeToken revokes one of the viewer's tokens.
func (h *handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	v, ok := h.signedIn(w, r)
	if !ok {
		return
	}
	id, ok := h.pathID(w, r, "token")
	if !ok {
		return
	}
	name := fmt.Sprintf("Token %d", id)
	if list, err := readAll(func(pg lpm.Page) ([]*lpm.Token, string, error) {
		return h.store.FindTokens(r.Context(), v.user.ID, pg)
	}); err == nil {
		if i := slices.IndexFunc(list, func(t *lpm.Token) bool { return t.ID == id }); i >= 0 {
			name = "Token " + list[i].Name
		}
	}
	err := h.store.RevokeToken(r.Context(), v.user.ID, id, v.actor)
	switch {
	case err == nil:
		h.notify(w, r, name+" revoked: it no longer works.")
	case lpm.ErrorCodeOf(err) == lpm.ENOTFOUND:
		h.alert(w, r, "Not revoked: you have no such token (it may have been revoked already).")
	case lpm.ErrorCodeOf(err) == lpm.EINTERNAL:
		h.internalError(w, r, "revoke the token", err)
		return
	default:
		h.alert(w, r, "Not revoked: "+explain(err))
	}
	http.Redirect(w, r, "/account/tokens", http.StatusSeeOther)
}

// renderTokens shows the viewer's tokens, the form, and the token just made.
func (h *handler) renderTokens(w http.ResponseWriter, r *http.Request, v *viewer, status int, form tokenForm, created *newTokenView) {
	list, err := readAll(func(pg lpm.Page) ([]*lpm.Token, string, error) {
		return h.store.FindTokens(r.Context(), v.user.ID, pg)
	})
	if err != nil {
		h.internalError(w, r, "list your API tokens", err)
		return
	}
	if form.Invalid == nil {
		form.Invalid = map[string]bool{}
	}
	view := tokensView{chrome: h.chromeFor(w, r, v, "API tokens"), Form: form, New: created, Scopes: tokenScopes,
		Lifetimes: tokenLifetimes, APIBase: h.baseURL(r) + "/api/v1"}
	now := lpm.Now()
	for _, t := range list {
		tv := tokenView{ID: t.ID, Name: t.Name, Scope: scopeTitle(t.Scope), Created: stamp(t.CreatedAt),
			Expires: "never", LastUsed: "never", Expired: t.Expired(now)}
		if !t.ExpiresAt.IsZero() {
			tv.Expires = stamp(t.ExpiresAt)
		}
		if !t.LastUsedAt.IsZero() {
			tv.LastUsed = stamp(t.LastUsedAt)
		}
		view.Tokens = append(view.Tokens, tv)
	}
	h.render(w, r, status, pageTokens, view)
}

// scopeTitle names a token scope for people.
func scopeTitle(s lpm.TokenScope) string {
	if s == lpm.ScopeRead {
		return "read only"
	}
	return "read and write"
}

// stamp writes a moment to the minute, in UTC.
func stamp(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") }
