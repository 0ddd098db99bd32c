package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

// usersView is the site admins' page of users: one page of the list, the
// changes each row offers, and the form that creates a user.
type usersView struct {
	chrome
	Users []userView
	// Cursor is this page's place in the list ("" for the first); Next the
	// next page's, "" on the last.
	Cursor, Next string
	// Errors say why a change of a user was refused.
	Errors      []string
	Form        userForm
	MinPassword int
}

type userView struct {
	ID                          int64
	Name, DisplayName, Email    string
	Created                     string
	IsAdmin, Disabled, IsViewer bool
}

// userForm is the creation form as typed (never the password), with what
// was wrong.
type userForm struct {
	Name, DisplayName, Email string
	IsAdmin                  bool
	Errors                   []string
	Invalid                  map[string]bool
}

// usersPerPage is how many users a page lists.
const usersPerPage = lpm.DefaultPageSize

// Changes a row of the users page offers.
const (
	changeDisable     = "disable"
	changeEnable      = "enable"
	changeMakeAdmin   = "make_admin"
	changeRemoveAdmin = "remove_admin"
)

// siteAdmin answers the forbidden page, which says who may, unless v may
// manage users.
func (h *handler) siteAdmin(w http.ResponseWriter, r *http.Request, v *viewer) bool {
	if err := v.actor.Authorize(lpm.ManageUsers, lpm.Target{}); err != nil {
		h.failTo(w, r, http.StatusForbidden, "Only site admins manage users",
			explain(err)+" Ask a site admin if an account needs creating or changing.", link{"/", "Go to the home page"})
		return false
	}
	return true
}

// users lists one page of users.
func (h *handler) users(w http.ResponseWriter, r *http.Request) {
	v, ok := h.signedIn(w, r)
	if !ok || !h.siteAdmin(w, r, v) {
		return
	}
	h.renderUsers(w, r, v, http.StatusOK, r.URL.Query().Get("cursor"), nil, userForm{})
}

// createUser creates the user the form describes, with its initial
// password when one is given.
func (h *handler) createUser(w http.ResponseWriter, r *http.Request) {
	v, ok := h.signedIn(w, r)
	if !ok || !h.siteAdmin(w, r, v) {
		return
	}
	f := r.PostForm
	form := userForm{Name: f.Get("name"), DisplayName: f.Get("display_name"), Email: f.Get("email"), IsAdmin: f.Get("is_admin") == "on"}
	u := lpm.User{Name: strings.TrimSpace(form.Name), DisplayName: strings.TrimSpace(form.DisplayName),
		Email: strings.TrimSpace(form.Email), IsAdmin: form.IsAdmin}
	password := f.Get("password")
	// Everything wrong at once: the user and the password.
	var problems []lpm.Violation
	if err := u.Validate(); err != nil {
		problems = append(problems, asViolations(err)...)
	}
	if password != "" {
		if err := lpm.ValidatePassword(password); err != nil {
			problems = append(problems, asViolations(err)...)
		}
	}
	status := http.StatusUnprocessableEntity
	if len(problems) == 0 {
		hash, err := h.hashNewPassword(r, password)
		switch {
		case errors.Is(err, errBusy):
			status = http.StatusServiceUnavailable
			problems = append(problems, lpm.Violation{Field: "password", Message: "lpm is busy checking passwords; send the form again in a few seconds"})
		case err != nil:
			h.internalError(w, r, "hash the password", err)
			return
		default:
			err = h.store.CreateUser(r.Context(), &u, hash, v.actor)
			if err == nil {
				h.notify(w, r, fmt.Sprintf("User %s created.", u.Name))
				http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
				return
			}
			if h.storeFailed(w, r, "store the user", err, &problems) {
				return
			}
		}
	}
	form.Errors, form.Invalid = describeProblems(problems)
	h.renderUsers(w, r, v, status, f.Get("cursor"), nil, form)
}

// hashNewPassword hashes a new password ("" stays ""), waiting its turn
// among the password checks: argon2 takes 19 MiB a time.
func (h *handler) hashNewPassword(r *http.Request, password string) (string, error) {
	if password == "" {
		return "", nil
	}
	if err := h.acquirePasswordCheck(r.Context()); err != nil {
		return "", err
	}
	defer func() { <-h.passwordChecks }()
	return lpm.HashPassword(password)
}

// changeUser disables or enables a user, or makes or unmakes them a site
// admin. A refusal (the last active site admin) shows the page again with
// the reason.
func (h *handler) changeUser(w http.ResponseWriter, r *http.Request) {
	v, ok := h.signedIn(w, r)
	if !ok || !h.siteAdmin(w, r, v) {
		return
	}
	id, ok := h.pathID(w, r, "user")
	if !ok {
		return
	}
	yes, no := true, false
	var upd lpm.UserUpdate
	var done string
	switch r.PostForm.Get("change") {
	case changeDisable:
		upd.Disabled, done = &yes, "disabled: their sessions ended and their API tokens stopped working"
	case changeEnable:
		upd.Disabled, done = &no, "enabled"
	case changeMakeAdmin:
		upd.IsAdmin, done = &yes, "is now a site admin"
	case changeRemoveAdmin:
		upd.IsAdmin, done = &no, "is no longer a site admin"
	default:
		h.failTo(w, r, http.StatusBadRequest, "Change not understood",
			"The form did not say how to change the user. Use the buttons of the users page.", link{"/admin/users", "Back to the users"})
		return
	}
	cursor := r.PostForm.Get("cursor")
	u, err := h.store.UpdateUser(r.Context(), id, upd, v.actor)
	switch code := lpm.ErrorCodeOf(err); {
	case err == nil:
	case code == lpm.ENOTFOUND:
		h.notFound(w, r)
		return
	case code == lpm.EINTERNAL:
		h.internalError(w, r, "change the user", err)
		return
	default:
		h.renderUsers(w, r, v, http.StatusUnprocessableEntity, cursor, []string{"Not changed: " + explain(err)}, userForm{})
		return
	}
	h.notify(w, r, fmt.Sprintf("%s %s.", u.Name, done))
	if u.ID == v.user.ID && (u.Disabled || !u.IsAdmin) {
		// The page is no longer theirs to see.
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	back := "/admin/users"
	if cursor != "" {
		back += "?cursor=" + url.QueryEscape(cursor)
	}
	http.Redirect(w, r, fmt.Sprintf("%s#user-%d", back, u.ID), http.StatusSeeOther)
}

// renderUsers shows the page of users at cursor.
func (h *handler) renderUsers(w http.ResponseWriter, r *http.Request, v *viewer, status int, cursor string, errs []string, form userForm) {
	list, next, err := h.store.FindUsers(r.Context(), lpm.Page{Limit: usersPerPage, Cursor: cursor})
	switch {
	case lpm.ErrorCodeOf(err) == lpm.EINVALID:
		h.failTo(w, r, http.StatusBadRequest, "No such page of users",
			"The address names a place in the list of users that does not exist. Start again from the first page.",
			link{"/admin/users", "First page of users"})
		return
	case err != nil:
		h.internalError(w, r, "list the users", err)
		return
	}
	if form.Invalid == nil {
		form.Invalid = map[string]bool{}
	}
	view := usersView{chrome: h.chromeFor(w, r, v, "Users"), Cursor: cursor, Next: next, Errors: errs, Form: form,
		MinPassword: lpm.MinPasswordLen}
	for _, u := range list {
		view.Users = append(view.Users, userView{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName, Email: u.Email,
			Created: day(u.CreatedAt), IsAdmin: u.IsAdmin, Disabled: u.Disabled, IsViewer: u.ID == v.user.ID})
	}
	h.render(w, r, status, pageUsers, view)
}
