package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

// Sign-in limits.
const (
	// maxFormBytes bounds a posted form.
	maxFormBytes = 16 << 10
	// passwordCheckWait is how long a sign-in waits for a free password
	// check before it is told to come back.
	passwordCheckWait = 10 * time.Second
	// busyRetryAfter is the Retry-After sent when every check stays busy.
	busyRetryAfter = 5
)

// wrongCredentials is the one message for every failed password sign-in, so
// that it does not tell whether the user exists, has a password or is
// disabled.
const wrongCredentials = "wrong user name or password"

// errBusy says every password check stayed in use for passwordCheckWait.
var errBusy = errors.New("every password check is in use")

// signInView is the sign-in page.
type signInView struct {
	chrome
	// Error says why the last attempt failed; "" on a fresh form.
	Error string
	Name  string
	Next  string
	CSRF  string
	// SSO shows the single sign-on button.
	SSO bool
}

// signInForm shows the sign-in form; a signed-in person goes on to next.
func (h *handler) signInForm(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	_, u, err := h.currentSession(r)
	if err != nil {
		h.internalError(w, r, "check whether you are signed in", err)
		return
	}
	if u != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	h.renderSignIn(w, r, http.StatusOK, signInView{Next: next})
}

// renderSignIn shows the sign-in form with a CSRF token (and its cookie).
func (h *handler) renderSignIn(w http.ResponseWriter, r *http.Request, status int, view signInView) {
	token, err := h.signInCSRFToken(w, r)
	if err != nil {
		h.internalError(w, r, "prepare the sign-in form", err)
		return
	}
	view.Title, view.CSRF, view.SSO = "Sign in", token, h.oidc != nil
	h.render(w, r, status, pageSignIn, view)
}

// signIn checks a user name and password and starts a session. In order:
// the CSRF token, a free password check, the throttle of the user name
// (which counts this attempt), the password, then a new session.
func (h *handler) signIn(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		h.failTo(w, r, http.StatusBadRequest, "Sign-in form not readable",
			"lpm could not read the sign-in form (it may be too large). Go back to the sign-in page and try again.",
			link{"/sign-in", "Back to sign-in"})
		return
	}
	name := strings.ToLower(strings.TrimSpace(r.PostForm.Get("name")))
	password := r.PostForm.Get("password")
	view := signInView{Name: name, Next: localPath(r.PostForm.Get("next"))}
	addr := httpauth.ClientAddress(r)

	if !checkDoubleSubmit(r) {
		h.log.InfoContext(ctx, "sign-in refused: CSRF token missing or wrong", "address", addr, "request_id", requestID(r))
		view.Error = "This sign-in form has expired or did not come from lpm's own sign-in page, so it was not checked. Sign in again below."
		h.renderSignIn(w, r, http.StatusForbidden, view)
		return
	}
	if name == "" || password == "" {
		view.Error = "Enter your user name and your password."
		h.renderSignIn(w, r, http.StatusBadRequest, view)
		return
	}

	// Wait for a password check first, so that a sign-in refused only for
	// being busy is not counted against the name.
	if err := h.acquirePasswordCheck(ctx); errors.Is(err, errBusy) {
		h.log.WarnContext(ctx, "sign-in refused: every password check is busy", "address", addr, "request_id", requestID(r))
		w.Header().Set("Retry-After", strconv.Itoa(busyRetryAfter))
		view.Error = fmt.Sprintf("lpm is busy checking other sign-ins. Try again in %d seconds.", busyRetryAfter)
		h.renderSignIn(w, r, http.StatusServiceUnavailable, view)
		return
	} else if err != nil {
		h.internalError(w, r, "wait to check your password", err)
		return
	}
	defer func() { <-h.passwordChecks }()

	// A name that cannot belong to a user gets the same answer as an
	// unknown user, without reaching the store. For the others the attempt
	// is counted as a failure before the password is looked at (and cleared
	// below when it is right), so guesses sent at once cannot all pass the
	// throttle, and a throttled guess is not even checked.
	validName := (&lpm.User{Name: name}).Validate() == nil
	if validName {
		wait, locked, err := h.store.AttemptSignIn(ctx, name)
		if err != nil {
			h.internalError(w, r, "check recent failed sign-ins", err)
			return
		}
		if wait > 0 {
			h.log.InfoContext(ctx, "sign-in throttled", "locked", locked, "wait", wait.Round(time.Second),
				"address", addr, "request_id", requestID(r))
			w.Header().Set("Retry-After", strconv.Itoa(lpm.RetryAfterSeconds(wait)))
			view.Error = "Sign-in refused: " + lpm.ThrottleError(wait, locked).Message + "."
			h.renderSignIn(w, r, http.StatusTooManyRequests, view)
			return
		}
	}

	u, reason, err := h.checkPassword(ctx, name, password, validName)
	switch {
	case err != nil:
		h.internalError(w, r, "check your password", err)
		return
	case u == nil:
		attrs := []any{"reason", reason, "address", addr, "request_id", requestID(r)}
		if reason != "unknown user" {
			// Only names of real users are logged: someone who typed their
			// password into the name field must not find it in the log.
			attrs = append(attrs, "user", name)
		}
		h.log.InfoContext(ctx, "sign-in failed", attrs...)
		view.Error = "Sign-in failed: " + wrongCredentials + "."
		h.renderSignIn(w, r, http.StatusUnauthorized, view)
		return
	}

	if err := h.store.ResetSignIn(ctx, name); err != nil {
		h.internalError(w, r, "clear earlier failed sign-ins", err)
		return
	}
	if err := h.startSession(ctx, w, r, u); err != nil {
		h.internalError(w, r, "start your session", err)
		return
	}
	h.log.InfoContext(ctx, "signed in", "user", u.Name, "method", "password", "address", addr, "request_id", requestID(r))
	http.Redirect(w, r, view.Next, http.StatusSeeOther)
}

// checkPassword returns the user when password is theirs, or nil and why not
// (for the log only). Whatever the reason, it spends the time of one
// password check, so timing does not tell users that exist from others.
// The caller holds a password check slot (acquirePasswordCheck).
func (h *handler) checkPassword(ctx context.Context, name, password string, validName bool) (*lpm.User, string, error) {
	var (
		u    *lpm.User
		hash string
		err  error
	)
	if validName {
		u, hash, err = h.store.PasswordHash(ctx, name)
		switch code := lpm.ErrorCodeOf(err); {
		case code == lpm.ENOTFOUND || code == lpm.EINVALID:
			u = nil
		case err != nil:
			return nil, "", fmt.Errorf("look up the password of a user: %w", err)
		}
	}
	var reason string
	switch {
	case u == nil:
		reason = "unknown user"
	case hash == "":
		reason = "user has no password"
	case u.Disabled:
		reason = "user is disabled"
	}
	if reason != "" {
		lpm.DummyPasswordCheck(password)
		return nil, reason, nil
	}
	if !lpm.CheckPassword(hash, password) {
		return nil, "wrong password", nil
	}
	return u, "", nil
}

// acquirePasswordCheck takes one of the password check slots, waiting at
// most passwordCheckWait.
func (h *handler) acquirePasswordCheck(ctx context.Context) error {
	timer := time.NewTimer(passwordCheckWait)
	defer timer.Stop()
	select {
	case h.passwordChecks <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for a password check: %w", ctx.Err())
	case <-timer.C:
		return errBusy
	}
}
