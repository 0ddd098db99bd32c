package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lpm-project/lpm/internal/lpm"
)

// CreateUser stores u and sets its ID; ECONFLICT when the name is taken.
// CreatedAt is stamped now unless set.
func (s *Store) CreateUser(ctx context.Context, u *lpm.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = lpm.Now()
	}
	return s.inTx(ctx, "create user", func(tx *dbtx) error {
		err := tx.QueryRowContext(ctx, insertUserSQL, u.Name, u.DisplayName, u.IsAdmin, toMicros(u.CreatedAt)).Scan(&u.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return conflict("user", "name", "there is already a user named %q", u.Name)
		}
		if err != nil {
			return fmt.Errorf("insert user %q: %w", u.Name, err)
		}
		return nil
	})
}

const userColumns = `u.id, u.name, u.display_name, u.is_admin, u.created_at`

var (
	insertUserSQL = fixed(`INSERT INTO users (name, display_name, is_admin, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (name) DO NOTHING RETURNING id`)
	findUserSQL        = fixed(`SELECT ` + userColumns + ` FROM users u WHERE u.name = $1`)
	userExistsSQL      = fixed(`SELECT COUNT(*) FROM users WHERE id = $1`)
	insertTokenSQL     = fixed(`INSERT INTO api_tokens (user_id, name, hash, created_at) VALUES ($1, $2, $3, $4)`)
	findUserByTokenSQL = fixed(`SELECT ` + userColumns + `
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1`)
)

func scanUser(row scanner) (*lpm.User, error) {
	var (
		u       lpm.User
		created int64
	)
	if err := row.Scan(&u.ID, &u.Name, &u.DisplayName, &u.IsAdmin, &created); err != nil {
		return nil, err
	}
	u.CreatedAt = fromMicros(created)
	return &u, nil
}

// FindUserByName returns the user, ENOTFOUND if there is none.
func (s *Store) FindUserByName(ctx context.Context, name string) (*lpm.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx, findUserSQL, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lpm.Errorf(lpm.ENOTFOUND, "user %q not found", name)
	}
	if err != nil {
		return nil, fmt.Errorf("load user %q: %w", name, err)
	}
	return u, nil
}

// CreateToken stores a new API token for the user and returns its secret.
// Only the secret's hash is kept, so the secret cannot be shown again.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string) (string, error) {
	secret, err := lpm.NewTokenSecret()
	if err != nil {
		return "", fmt.Errorf("new token secret: %w", err)
	}
	now := lpm.Now()
	err = s.inTx(ctx, "create token", func(tx *dbtx) error {
		var n int
		if err := tx.QueryRowContext(ctx, userExistsSQL, userID).Scan(&n); err != nil {
			return fmt.Errorf("look up user %d: %w", userID, err)
		}
		if n == 0 {
			return notFound("user", userID)
		}
		if _, err := tx.ExecContext(ctx, insertTokenSQL, userID, name, lpm.HashToken(secret), toMicros(now)); err != nil {
			return fmt.Errorf("insert token for user %d: %w", userID, err)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// FindUserByToken returns the user a token secret belongs to, ENOTFOUND if
// none (the caller decides what an unknown token means to its client).
func (s *Store) FindUserByToken(ctx context.Context, secret string) (*lpm.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx, findUserByTokenSQL, lpm.HashToken(secret)))
	if errors.Is(err, sql.ErrNoRows) {
		// The message must not repeat the secret.
		return nil, lpm.Errorf(lpm.ENOTFOUND, "no user has this token")
	}
	if err != nil {
		return nil, fmt.Errorf("look up token: %w", err)
	}
	return u, nil
}
