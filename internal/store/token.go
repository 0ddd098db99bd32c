package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// API tokens. Only a token's SHA-256 is stored (lpm.HashToken): the secret is
// shown once, at creation. A revoked token keeps its row, so the ids the
// audit trail names stay readable.

const tokenColumns = `t.id, t.user_id, t.name, t.scope, t.expires_at, t.created_at, t.last_used_at`

var (
	insertTokenSQL = fixed(`INSERT INTO api_tokens (user_id, name, hash, scope, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`)
	listTokensSQL = fixed(`SELECT ` + tokenColumns + ` FROM api_tokens t
		WHERE t.user_id = $1 AND t.revoked_at IS NULL AND t.id > $2 ORDER BY t.id LIMIT $3`)
	// RETURNING names the columns of tokenColumns unqualified: SQLite's
	// RETURNING takes no table alias.
	revokeTokenSQL = fixed(`UPDATE api_tokens SET revoked_at = $1
		WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL
		RETURNING id, user_id, name, scope, expires_at, created_at, last_used_at`)
	authenticateSQL = fixed(`SELECT ` + userColumns + `, ` + tokenColumns + `
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.hash = $1 AND t.revoked_at IS NULL`)
	// touchTokenSQL notes a use unless another request just did.
	touchTokenSQL = fixed(`UPDATE api_tokens SET last_used_at = $1
		WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)`)
)

// tokenTouchEvery is how stale Token.LastUsedAt may get: writing it on every
// request would make every read a write.
const tokenTouchEvery = time.Minute

// tokenRow receives the columns of tokenColumns.
type tokenRow struct {
	t                 lpm.Token
	expires, lastUsed sql.NullInt64
	created           int64
}

func (r *tokenRow) dest() []any {
	return []any{&r.t.ID, &r.t.UserID, &r.t.Name, &r.t.Scope, &r.expires, &r.created, &r.lastUsed}
}

func (r *tokenRow) token() *lpm.Token {
	t := r.t
	t.CreatedAt = fromMicros(r.created)
	if r.expires.Valid {
		t.ExpiresAt = fromMicros(r.expires.Int64)
	}
	if r.lastUsed.Valid {
		t.LastUsedAt = fromMicros(r.lastUsed.Int64)
	}
	return &t
}

func scanToken(row scanner) (*lpm.Token, error) {
	var r tokenRow
	if err := row.Scan(r.dest()...); err != nil {
		return nil, err
	}
	return r.token(), nil
}

// nullTime stores a zero time as NULL.
func nullTime(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: toMicros(t), Valid: true}
}

// CreateToken stores a new API token for t.UserID and returns its secret;
// needs ManageUsers, or to be the user. lpm.NewToken validates t and gives a
// zero ExpiresAt the default lifetime. t gets its ID, scope, expiry and
// creation time.
func (s *Store) CreateToken(ctx context.Context, t *lpm.Token, actor lpm.Actor) (string, error) {
	if err := authorizeUser(actor, t.UserID); err != nil {
		return "", err
	}
	nt, err := lpm.NewToken(*t, lpm.Now())
	if err != nil {
		return "", err
	}
	secret, err := lpm.NewTokenSecret()
	if err != nil {
		return "", fmt.Errorf("new token secret: %w", err)
	}
	err = s.inTx(ctx, "create token", func(tx *dbtx) error {
		if err := userExists(ctx, tx, nt.UserID); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, insertTokenSQL, nt.UserID, nt.Name, lpm.HashToken(secret), string(nt.Scope),
			nullTime(nt.ExpiresAt), toMicros(nt.CreatedAt)).Scan(&nt.ID)
		if err != nil {
			return fmt.Errorf("insert token for user %d: %w", nt.UserID, err)
		}
		return audit(ctx, tx, actor, nt.CreatedAt, record{action: "token.create", object: "token", id: nt.ID, after: nt.AuditFields()})
	})
	if err != nil {
		return "", err
	}
	*t = *nt
	return secret, nil
}

// FindTokens lists the user's tokens that are not revoked, by ID, expired
// ones included so that people see what to replace.
func (s *Store) FindTokens(ctx context.Context, userID int64, page lpm.Page) ([]*lpm.Token, string, error) {
	pq, err := readPage(page)
	if err != nil {
		return nil, "", err
	}
	list, err := queryAll(ctx, s.read, scanToken, listTokensSQL, userID, pq.after, pq.limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list tokens of user %d: %w", userID, err)
	}
	list, next := trimPage(list, pq, func(t *lpm.Token) int64 { return t.ID })
	return list, next, nil
}

// RevokeToken revokes a token of the user; needs ManageUsers, or to be the
// user. ENOTFOUND if the user has no such token, or it is revoked already.
func (s *Store) RevokeToken(ctx context.Context, userID, tokenID int64, actor lpm.Actor) error {
	if err := authorizeUser(actor, userID); err != nil {
		return err
	}
	now := lpm.Now()
	return s.inTx(ctx, "revoke token", func(tx *dbtx) error {
		t, err := scanToken(tx.QueryRowContext(ctx, revokeTokenSQL, toMicros(now), tokenID, userID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("token", tokenID)
		}
		if err != nil {
			return fmt.Errorf("revoke token %d of user %d: %w", tokenID, userID, err)
		}
		return audit(ctx, tx, actor, now, record{action: "token.revoke", object: "token", id: tokenID, before: t.AuditFields()})
	})
}

// errUnknownToken is the one answer for every token that does not work, so
// that a caller learns nothing about why; it never repeats the secret.
func errUnknownToken() error {
	return lpm.Errorf(lpm.ENOTFOUND, "the API token is unknown, expired or revoked")
}

// Authenticate returns the user and token a token secret belongs to;
// ENOTFOUND (errUnknownToken) when the token is unknown, revoked or expired,
// or its user is disabled. It reads from the read pool and writes only when
// the token's last use is older than tokenTouchEvery, so that requests do not
// queue for the write connection.
func (s *Store) Authenticate(ctx context.Context, secret string) (*lpm.User, *lpm.Token, error) {
	var (
		ur userRow
		tr tokenRow
	)
	err := s.read.QueryRowContext(ctx, authenticateSQL, lpm.HashToken(secret)).Scan(append(ur.dest(), tr.dest()...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errUnknownToken()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("look up token: %w", err)
	}
	u, t, now := ur.user(), tr.token(), lpm.Now()
	if u.Disabled || t.Expired(now) {
		return nil, nil, errUnknownToken()
	}
	if now.Sub(t.LastUsedAt) >= tokenTouchEvery {
		err := s.writeOne(ctx, "note token use", touchTokenSQL, toMicros(now), t.ID, toMicros(now.Add(-tokenTouchEvery)))
		if err != nil {
			// The request is authenticated either way; a missed note is
			// written by the next one.
			s.log.WarnContext(ctx, "could not note a token's use", slog.Int64("token_id", t.ID), slog.Any("error", err))
		} else {
			t.LastUsedAt = now
		}
	}
	return u, t, nil
}
