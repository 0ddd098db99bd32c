package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

// viewer is the signed-in person a page is for: their session, their user
// and what they may do (the same lpm.Actor the API and the store judge by).
type viewer struct {
	session *lpm.Session
	user    *lpm.User
	actor   lpm.Actor
}

// name is how pages greet the viewer.
func (v *viewer) name() string {
	if v.user.DisplayName != "" {
		return v.user.DisplayName
	}
	return v.user.Name
}

// may reports whether the viewer may do act on t.
func (v *viewer) may(act lpm.Action, t lpm.Target) bool { return v.actor.Authorize(act, t) == nil }

// signedIn returns the person behind the request. Someone not signed in is
// sent to the sign-in page (for a GET, to come back here afterwards) and
// gets false. For a POST the form is parsed and must carry the session's
// CSRF token; a form without it is refused.
func (h *handler) signedIn(w http.ResponseWriter, r *http.Request) (*viewer, bool) {
	return h.signedInAs(w, r, r.Header.Get(refreshHeader) == "1")
}

// signedInAs is signedIn; peek looks at the session without counting the
// request as the person's activity.
func (h *handler) signedInAs(w http.ResponseWriter, r *http.Request, peek bool) (*viewer, bool) {
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			h.fail(w, r, http.StatusBadRequest, "Form not readable",
				"lpm could not read the form you sent (it may be too large). Go back, check it and send it again.")
			return nil, false
		}
	}
	s, u, err := h.findSession(r, peek)
	if err != nil {
		h.internalError(w, r, "check whether you are signed in", err)
		return nil, false
	}
	if s == nil {
		h.clearSessionCookies(w, r)
		next := r.URL.RequestURI()
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			// A form cannot be sent again after signing in; come back to
			// the page it was on.
			next = refererPath(r)
		}
		http.Redirect(w, r, signInURL(next), http.StatusSeeOther)
		return nil, false
	}
	if r.Method == http.MethodPost && !tokensEqual(r.PostForm.Get(httpauth.CSRFField), s.CSRFToken) {
		h.log.InfoContext(r.Context(), "form refused: CSRF token missing or wrong", "user", u.Name, "path", r.URL.Path,
			"address", httpauth.ClientAddress(r), "request_id", requestID(r))
		h.fail(w, r, http.StatusForbidden, "Form not accepted",
			"This form did not come from a page lpm gave you in this session (perhaps you signed in again since), so nothing was changed. Reload the page and try again.")
		return nil, false
	}
	actor, err := httpauth.Actor(r.Context(), h.store, u, false, httpauth.ClientAddress(r))
	if err != nil {
		h.internalError(w, r, "load your roles", err)
		return nil, false
	}
	return &viewer{session: s, user: u, actor: actor}, true
}

// pathID reads the numeric path value name; a malformed one is answered
// with the not-found page (there is nothing at such an address).
func (h *handler) pathID(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		h.notFound(w, r)
		return 0, false
	}
	return id, true
}

// refererPath is the path (and query) of the page the request came from, when
// that page is lpm's; "/" otherwise.
func refererPath(r *http.Request) string {
	u, err := url.Parse(r.Referer())
	if err != nil || u.Host != r.Host {
		return "/"
	}
	return localPath(u.RequestURI())
}

// signedInPortfolio is signedIn followed by portfolio: the person and the
// portfolio in the path, or false once the answer is written.
func (h *handler) signedInPortfolio(w http.ResponseWriter, r *http.Request) (*viewer, *lpm.Portfolio, bool) {
	v, ok := h.signedIn(w, r)
	if !ok {
		return nil, nil, false
	}
	p, ok := h.portfolio(w, r, v)
	return v, p, ok
}

// signedInEpic is signedIn followed by epic: the person, the epic in the
// path and its portfolio, or false once the answer is written.
func (h *handler) signedInEpic(w http.ResponseWriter, r *http.Request) (*viewer, *lpm.Epic, *lpm.Portfolio, bool) {
	v, ok := h.signedIn(w, r)
	if !ok {
		return nil, nil, nil, false
	}
	e, p, ok := h.epic(w, r, v)
	return v, e, p, ok
}
