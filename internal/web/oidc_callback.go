package web

import (
	"fmt"
	"net/http"

	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

// refusal is a single sign-on that cannot go on: what the person is told,
// with which status, and the cause for the log. Causes and attributes never
// hold codes, tokens, the verifier or the state.
type refusal struct {
	status         int
	title, message string
	cause          string
	attrs          []any
}

// refuse logs a refused single sign-on and shows its page.
func (h *handler) refuse(w http.ResponseWriter, r *http.Request, f *refusal) {
	attrs := append(f.attrs, "cause", f.cause, "issuer", h.oidc.cfg.Issuer,
		"address", httpauth.ClientAddress(r), "request_id", requestID(r))
	if f.status >= 500 {
		h.log.WarnContext(r.Context(), "single sign-on failed", attrs...)
	} else {
		h.log.InfoContext(r.Context(), "single sign-on refused", attrs...)
	}
	h.failTo(w, r, f.status, f.title, f.message, link{"/sign-in", "Back to sign-in"})
}

// oidcCallback finishes a single sign-on: it checks the state against the
// attempt's cookie, redeems the code with the PKCE verifier, verifies the ID
// token, applies the e-mail domain rule, then finds or creates the user and
// starts a session.
func (h *handler) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if h.oidc == nil {
		h.ssoOff(w, r)
		return
	}
	// The address holds the code: keep it out of Referer headers.
	w.Header().Set("Referrer-Policy", "no-referrer")
	if r.Method == http.MethodHead {
		// A link checker's HEAD must not spend the attempt.
		w.Header().Set("Cache-Control", "no-store")
		return
	}
	ctx := r.Context()
	flow, found := readOIDCFlow(r)
	if _, err := r.Cookie(oidcCookie); err == nil {
		h.expireCookie(w, r, oidcCookie, oidcCookiePath) // an attempt is used once
	}
	code, f := checkCallback(r, flow, found)
	if f != nil {
		h.refuse(w, r, f)
		return
	}
	idt, f := h.oidc.redeem(ctx, flow, code)
	if f != nil {
		h.refuse(w, r, f)
		return
	}
	id, f := h.oidc.admit(idt)
	if f != nil {
		h.refuse(w, r, f)
		return
	}

	u, err := h.store.SignInExternal(ctx, id)
	switch lpm.ErrorCodeOf(err) {
	case "":
	case lpm.EFORBIDDEN:
		h.refuse(w, r, &refusal{http.StatusForbidden, "Account disabled",
			"Your lpm account is disabled, so you cannot sign in. Ask a site admin to enable it.",
			"user is disabled", []any{"subject", id.Subject}})
		return
	case lpm.ECONFLICT:
		h.refuse(w, r, &refusal{http.StatusConflict, "Sign-in clashed",
			"This account signed in somewhere else at the same moment. Start again.",
			"concurrent first sign-in: " + err.Error(), []any{"subject", id.Subject}})
		return
	case lpm.EINVALID:
		h.refuse(w, r, &refusal{http.StatusBadGateway, "Single sign-on failed",
			"lpm cannot use what the single sign-on provider says about you: " + err.Error() + ". Ask your administrator.",
			"identity refused by the store: " + err.Error(), []any{"subject", id.Subject}})
		return
	default:
		h.internalError(w, r, "sign you in", fmt.Errorf("sign in subject %s of %s: %w", id.Subject, id.Issuer, err))
		return
	}
	if err := h.startSession(ctx, w, r, u); err != nil {
		h.internalError(w, r, "start your session", err)
		return
	}
	h.log.InfoContext(ctx, "signed in", "user", u.Name, "method", "oidc", "subject", id.Subject,
		"groups", len(id.Groups), "address", httpauth.ClientAddress(r), "request_id", requestID(r))
	http.Redirect(w, r, flow.Next, http.StatusSeeOther)
}

// checkCallback checks what the browser brought back: no error from the
// provider, an attempt cookie, a state that matches it, and a code, which it
// returns.
func checkCallback(r *http.Request, flow oidcFlow, found bool) (string, *refusal) {
	q := r.URL.Query()
	if e := clip(q.Get("error"), 64); e != "" {
		// RFC 6749 §4.1.2.1: the provider refused, and says why.
		attrs := []any{"error", e, "description", clip(q.Get("error_description"), 200)}
		if e == "access_denied" {
			return "", &refusal{http.StatusForbidden, "Single sign-on refused",
				"The single sign-on provider did not let you sign in to lpm. If you think you should have access, ask your administrator to allow lpm for your account.",
				"the provider answered access_denied", attrs}
		}
		return "", &refusal{http.StatusBadGateway, "Single sign-on failed",
			fmt.Sprintf("The single sign-on provider could not sign you in (it said %q). Try again; if it happens again, ask your administrator to check lpm's client at the provider.", e),
			"the provider answered with an error", attrs}
	}
	switch {
	case !found:
		return "", &refusal{http.StatusBadRequest, "Single sign-on attempt not found",
			"lpm has no record of starting this sign-in in this browser: it took more than 10 minutes, the browser blocked lpm's cookie, or the address was opened in another browser. Start again.",
			"no sign-in attempt cookie", nil}
	case !tokensEqual(q.Get("state"), flow.State):
		return "", &refusal{http.StatusBadRequest, "Single sign-on attempt does not match",
			"This answer from the single sign-on provider does not belong to the sign-in this browser started (perhaps another sign-in started since, in another tab). Start again.",
			"state does not match the attempt", nil}
	case q.Get("code") == "":
		return "", &refusal{http.StatusBadRequest, "Single sign-on answer incomplete",
			"The single sign-on provider sent you back without an authorization code. Start again.", "no code", nil}
	}
	return q.Get("code"), nil
}
