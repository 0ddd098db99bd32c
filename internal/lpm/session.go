package lpm

import "time"

// Session is a signed-in browser. The cookie holds a random secret; the
// store keeps only its hash.
type Session struct {
	ID     int64
	UserID int64
	// CSRFToken is the session's synchroniser token: every state-changing
	// form and cookie-authenticated API call must send it back.
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
	// LastSeenAt moves forward as the session is used; a session idle for
	// longer than SessionIdleTimeout ends.
	LastSeenAt time.Time
	Address    string
	UserAgent  string
}

// Session lifetimes.
const (
	SessionLifetime    = 12 * time.Hour
	SessionIdleTimeout = 2 * time.Hour
	// sessionTouchEvery limits how often LastSeenAt is written.
	sessionTouchEvery = time.Minute
)

// sessionPrefix marks session secrets.
const sessionPrefix = "lpms_"

// NewSessionSecrets returns a fresh session secret (for the cookie) and CSRF
// token, 256 bits each.
func NewSessionSecrets() (secret, csrf string, err error) {
	if secret, err = newSecret(sessionPrefix, 32); err != nil {
		return "", "", err
	}
	if csrf, err = newSecret("", 32); err != nil {
		return "", "", err
	}
	return secret, csrf, nil
}

// Live reports whether the session still works at now.
func (s *Session) Live(now time.Time) bool {
	return now.Before(s.ExpiresAt) && now.Sub(s.LastSeenAt) < SessionIdleTimeout
}

// NeedsTouch reports whether LastSeenAt is stale enough to be written again.
func (s *Session) NeedsTouch(now time.Time) bool { return now.Sub(s.LastSeenAt) >= sessionTouchEvery }
