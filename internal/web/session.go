package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode"

	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

// maxUserAgentLen bounds the user agent kept with a session.
const maxUserAgentLen = 256

// startSession signs u in: it ends the session the browser had (a session
// never survives a sign-in, so a planted session ID is worthless), stores a
// new one and hands its secret to the browser.
func (h *handler) startSession(ctx context.Context, w http.ResponseWriter, r *http.Request, u *lpm.User) error {
	if old := httpauth.SessionSecret(r); old != "" {
		if err := h.store.DeleteSession(ctx, old); err != nil {
			return fmt.Errorf("end the previous session: %w", err)
		}
	}
	secret, csrf, err := lpm.NewSessionSecrets()
	if err != nil {
		return fmt.Errorf("new session secrets: %w", err)
	}
	now := lpm.Now()
	s := &lpm.Session{
		UserID:     u.ID,
		CSRFToken:  csrf,
		CreatedAt:  now,
		ExpiresAt:  now.Add(lpm.SessionLifetime),
		LastSeenAt: now,
		Address:    httpauth.ClientAddress(r),
		UserAgent:  clip(r.UserAgent(), maxUserAgentLen),
	}
	if err := h.store.CreateSession(ctx, s, secret); err != nil {
		return fmt.Errorf("create a session for user %s: %w", u.Name, err)
	}
	h.setSessionCookie(w, r, secret)
	if _, err := r.Cookie(csrfCookie); err == nil {
		// The session has its own CSRF token now.
		h.expireCookie(w, r, csrfCookie, "/")
	}
	return nil
}

// currentSession returns the browser's live session and its user, or nils
// when it has none (no cookie, or a session that ended).
func (h *handler) currentSession(r *http.Request) (*lpm.Session, *lpm.User, error) {
	return h.findSession(r, r.Header.Get(refreshHeader) == "1")
}

// refreshHeader marks a request a page made by itself to refresh (live.js):
// it does not count as the person using the session.
const refreshHeader = "X-Lpm-Refresh"

// findSession is currentSession; peek looks the session up without counting
// the request as the person's activity (so an open page never keeps an idle
// session alive).
func (h *handler) findSession(r *http.Request, peek bool) (*lpm.Session, *lpm.User, error) {
	secret := httpauth.SessionSecret(r)
	if secret == "" {
		return nil, nil, nil
	}
	find := h.store.FindSession
	if peek {
		find = h.store.PeekSession
	}
	s, u, err := find(r.Context(), secret)
	switch {
	case lpm.ErrorCodeOf(err) == lpm.ENOTFOUND:
		return nil, nil, nil
	case err != nil:
		return nil, nil, fmt.Errorf("find session: %w", err)
	}
	return s, u, nil
}

// clip makes header text fit to store: valid UTF-8 without control
// characters, at most n bytes, not cut inside a character.
func clip(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
