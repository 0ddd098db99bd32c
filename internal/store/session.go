package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Browser sessions. The cookie holds a random secret; the store keeps its
// SHA-256 only (lpm.HashToken), so a copy of the database opens no session.
// Sessions are not audited: signing in and out changes nothing people share.

const sessionColumns = `s.id, s.user_id, s.csrf_token, s.created_at, s.expires_at, s.last_seen_at, s.address, s.user_agent`

var (
	insertSessionSQL = fixed(`INSERT INTO sessions (user_id, secret_hash, csrf_token, created_at, expires_at,
		last_seen_at, address, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`)
	// pruneSessionsSQL removes a user's sessions that have ended, whenever
	// the user signs in again: the table holds about one row per browser.
	pruneSessionsSQL = fixed(`DELETE FROM sessions WHERE user_id = $1 AND (expires_at <= $2 OR last_seen_at <= $3)`)
	findSessionSQL   = fixed(`SELECT ` + sessionColumns + `, ` + userColumns + `
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.secret_hash = $1`)
	touchSessionSQL       = fixed(`UPDATE sessions SET last_seen_at = $1 WHERE id = $2`)
	deleteSessionSQL      = fixed(`DELETE FROM sessions WHERE secret_hash = $1`)
	deleteUserSessionsSQL = fixed(`DELETE FROM sessions WHERE user_id = $1`)
)

// errNoSession is the one answer for a session that does not work.
func errNoSession() error {
	return lpm.Errorf(lpm.ENOTFOUND, "the session is unknown or has ended; sign in again")
}

// CreateSession stores a session for s.UserID under the hash of secret and
// sets its ID. Zero times default to now (CreatedAt, LastSeenAt) and to
// lpm.SessionLifetime after it (ExpiresAt). ENOTFOUND if there is no such
// user, EFORBIDDEN if the user is disabled.
func (s *Store) CreateSession(ctx context.Context, sess *lpm.Session, secret string) error {
	if secret == "" {
		return invalid("session", "secret", "required", "a session needs a secret (lpm.NewSessionSecrets)")
	}
	c := *sess
	if c.CreatedAt.IsZero() {
		c.CreatedAt = lpm.Now()
	}
	if c.LastSeenAt.IsZero() {
		c.LastSeenAt = c.CreatedAt
	}
	if c.ExpiresAt.IsZero() {
		c.ExpiresAt = c.CreatedAt.Add(lpm.SessionLifetime)
	}
	err := s.inTx(ctx, "create session", func(tx *dbtx) error {
		u, err := loadUser(ctx, tx, c.UserID, "")
		if err != nil {
			return err
		}
		if u.Disabled {
			return lpm.Errorf(lpm.EFORBIDDEN, "user %s is disabled", u.Name)
		}
		if _, err := tx.ExecContext(ctx, pruneSessionsSQL, c.UserID, toMicros(c.CreatedAt),
			toMicros(c.CreatedAt.Add(-lpm.SessionIdleTimeout))); err != nil {
			return fmt.Errorf("prune the ended sessions of user %d: %w", c.UserID, err)
		}
		err = tx.QueryRowContext(ctx, insertSessionSQL, c.UserID, lpm.HashToken(secret), c.CSRFToken, toMicros(c.CreatedAt),
			toMicros(c.ExpiresAt), toMicros(c.LastSeenAt), c.Address, c.UserAgent).Scan(&c.ID)
		if err != nil {
			return fmt.Errorf("insert session for user %d: %w", c.UserID, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	*sess = c
	return nil
}

// FindSession returns the live session a secret belongs to and its user;
// ENOTFOUND when it is unknown, expired or idle too long, or the user is
// disabled. It moves LastSeenAt forward when lpm.Session.NeedsTouch says so,
// which keeps most requests free of writes.
func (s *Store) FindSession(ctx context.Context, secret string) (*lpm.Session, *lpm.User, error) {
	return s.findSession(ctx, secret, true)
}

// PeekSession is FindSession for requests the person did not make (a page
// refreshing itself, an event stream checking it may go on): it does not
// count as the session's use, so it never keeps an idle session alive.
func (s *Store) PeekSession(ctx context.Context, secret string) (*lpm.Session, *lpm.User, error) {
	return s.findSession(ctx, secret, false)
}

func (s *Store) findSession(ctx context.Context, secret string, touch bool) (*lpm.Session, *lpm.User, error) {
	var (
		sess                   lpm.Session
		created, expires, seen int64
		ur                     userRow
	)
	dest := append([]any{&sess.ID, &sess.UserID, &sess.CSRFToken, &created, &expires, &seen, &sess.Address, &sess.UserAgent}, ur.dest()...)
	err := s.read.QueryRowContext(ctx, findSessionSQL, lpm.HashToken(secret)).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errNoSession()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("look up session: %w", err)
	}
	sess.CreatedAt, sess.ExpiresAt, sess.LastSeenAt = fromMicros(created), fromMicros(expires), fromMicros(seen)
	u, now := ur.user(), lpm.Now()
	if !sess.Live(now) || u.Disabled {
		return nil, nil, errNoSession()
	}
	if touch && sess.NeedsTouch(now) {
		if err := s.writeOne(ctx, "note session use", touchSessionSQL, toMicros(now), sess.ID); err != nil {
			// The request is signed in either way; the next one tries again.
			s.log.WarnContext(ctx, "could not note a session's use", slog.Int64("session_id", sess.ID), slog.Any("error", err))
		} else {
			sess.LastSeenAt = now
		}
	}
	return &sess, u, nil
}

// DeleteSession ends the session a secret belongs to (sign-out); no error
// if it has ended already.
func (s *Store) DeleteSession(ctx context.Context, secret string) error {
	return s.writeOne(ctx, "delete session", deleteSessionSQL, lpm.HashToken(secret))
}

// deleteSessions ends every session of a user.
func deleteSessions(ctx context.Context, tx *dbtx, userID int64) error {
	if _, err := tx.ExecContext(ctx, deleteUserSessionsSQL, userID); err != nil {
		return fmt.Errorf("end the sessions of user %d: %w", userID, err)
	}
	return nil
}
