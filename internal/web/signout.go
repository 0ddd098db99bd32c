package web

import (
	"net/http"

	"github.com/lpm-project/lpm/internal/httpauth"
)

// signOut ends the session on the server (so its cookie stops working even
// if someone kept a copy) and in the browser.
func (h *handler) signOut(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, http.StatusBadRequest, "Sign-out form not readable",
			"lpm could not read the sign-out form. Go to the home page and sign out from there.")
		return
	}
	s, u, err := h.currentSession(r)
	if err != nil {
		h.internalError(w, r, "find your session", err)
		return
	}
	if s == nil {
		// Nothing to end: the session is gone already.
		h.clearSessionCookies(w, r)
		http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		return
	}
	if !tokensEqual(r.PostForm.Get(httpauth.CSRFField), s.CSRFToken) {
		h.log.InfoContext(ctx, "sign-out refused: CSRF token missing or wrong", "user", u.Name,
			"address", httpauth.ClientAddress(r), "request_id", requestID(r))
		h.fail(w, r, http.StatusForbidden, "Sign-out not confirmed",
			"This sign-out form did not come from your lpm page, so you are still signed in. To sign out, use the Sign out button on the home page.")
		return
	}
	if err := h.store.DeleteSession(ctx, httpauth.SessionSecret(r)); err != nil {
		h.internalError(w, r, "end your session", err)
		return
	}
	h.clearSessionCookies(w, r)
	h.log.InfoContext(ctx, "signed out", "user", u.Name, "address", httpauth.ClientAddress(r), "request_id", requestID(r))
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
}
