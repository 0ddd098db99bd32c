package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Users, their passwords, and who may change them. Changes to users go to
// the site's audit chain (portfolio 0).

const userColumns = `u.id, u.name, u.display_name, u.email, u.is_admin, u.disabled, u.created_at`

var (
	insertUserSQL = fixed(`INSERT INTO users (name, display_name, email, is_admin, disabled, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (name) DO NOTHING RETURNING id`)
	findUserSQL     = fixed(`SELECT ` + userColumns + ` FROM users u WHERE u.name = $1`)
	findUserByIDSQL = fixed(`SELECT ` + userColumns + ` FROM users u WHERE u.id = $1`)
	listUsersSQL    = fixed(`SELECT ` + userColumns + ` FROM users u WHERE u.id > $1 ORDER BY u.id LIMIT $2`)
	updateUserSQL   = fixed(`UPDATE users SET display_name = $1, email = $2, is_admin = $3, disabled = $4 WHERE id = $5`)
	setPasswordSQL  = fixed(`UPDATE users SET password_hash = $1 WHERE id = $2`)
	passwordHashSQL = fixed(`SELECT ` + userColumns + `, u.password_hash FROM users u WHERE u.name = $1`)
	userExistsSQL   = fixed(`SELECT COUNT(*) FROM users WHERE id = $1`)
	// activeAdminsSQL lists the active site admins, to be locked (in id
	// order, so two changes lock them alike) before one of them changes.
	activeAdminsSQL = fixed(`SELECT id FROM users WHERE is_admin AND NOT disabled ORDER BY id`)
)

// userRow receives the columns of userColumns.
type userRow struct {
	u       lpm.User
	created int64
}

func (r *userRow) dest() []any {
	return []any{&r.u.ID, &r.u.Name, &r.u.DisplayName, &r.u.Email, &r.u.IsAdmin, &r.u.Disabled, &r.created}
}

func (r *userRow) user() *lpm.User {
	u := r.u
	u.CreatedAt = fromMicros(r.created)
	return &u
}

// scanUser reads userColumns, then any extra columns into extra.
func scanUser(row scanner, extra ...any) (*lpm.User, error) {
	var r userRow
	if err := row.Scan(append(r.dest(), extra...)...); err != nil {
		return nil, err
	}
	return r.user(), nil
}

// authorizeUser allows actor to manage what belongs to the user userID (a
// password, API tokens): people manage their own, and site admins
// (ManageUsers) everybody's.
func authorizeUser(actor lpm.Actor, userID int64) error {
	if actor.UserID == 0 || actor.UserID != userID {
		return actor.Authorize(lpm.ManageUsers, lpm.Target{})
	}
	if actor.ReadOnly {
		return lpm.Errorf(lpm.EFORBIDDEN, "this API token is read-only; to change your password or API tokens, use a read-write token")
	}
	return nil
}

// CreateUser stores u and sets its ID, with passwordHash as its password
// unless it is "" (see SetPassword), in one transaction: a user is never
// left without the password they were created with. Needs ManageUsers.
// ECONFLICT when the name is taken. CreatedAt is stamped now unless set.
func (s *Store) CreateUser(ctx context.Context, u *lpm.User, passwordHash string, actor lpm.Actor) error {
	if err := actor.Authorize(lpm.ManageUsers, lpm.Target{}); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = lpm.Now()
	}
	return s.inTx(ctx, "create user", func(tx *dbtx) error {
		if err := insertUser(ctx, tx, u); err != nil {
			return err
		}
		records := []record{{action: "user.create", object: "user", id: u.ID, after: u.AuditFields()}}
		if passwordHash != "" {
			if _, err := tx.ExecContext(ctx, setPasswordSQL, passwordHash, u.ID); err != nil {
				return fmt.Errorf("set the password of new user %q: %w", u.Name, err)
			}
			records = append(records, passwordRecord(u.ID))
		}
		return audit(ctx, tx, actor, lpm.Now(), records...)
	})
}

// insertUser writes u and sets its ID; ECONFLICT when the name is taken.
func insertUser(ctx context.Context, tx *dbtx, u *lpm.User) error {
	err := tx.QueryRowContext(ctx, insertUserSQL, u.Name, u.DisplayName, u.Email, u.IsAdmin, u.Disabled, toMicros(u.CreatedAt)).Scan(&u.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return conflict("user", "name", "there is already a user named %q", u.Name)
	}
	if err != nil {
		return fmt.Errorf("insert user %q: %w", u.Name, err)
	}
	return nil
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

// FindUserByID returns the user, ENOTFOUND if there is none.
func (s *Store) FindUserByID(ctx context.Context, id int64) (*lpm.User, error) {
	return loadUser(ctx, s.read, id, "")
}

// loadUser reads a user; lock is "" or the dialect's FOR UPDATE.
func loadUser(ctx context.Context, q querier, id int64, lock string) (*lpm.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, findUserByIDSQL+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load user %d: %w", id, err)
	}
	return u, nil
}

// userExists returns ENOTFOUND unless the user exists.
func userExists(ctx context.Context, q querier, id int64) error {
	var n int
	if err := q.QueryRowContext(ctx, userExistsSQL, id).Scan(&n); err != nil {
		return fmt.Errorf("look up user %d: %w", id, err)
	}
	if n == 0 {
		return notFound("user", id)
	}
	return nil
}

// FindUsers lists every user by ID.
func (s *Store) FindUsers(ctx context.Context, page lpm.Page) ([]*lpm.User, string, error) {
	pq, err := readPage(page)
	if err != nil {
		return nil, "", err
	}
	list, err := queryAll(ctx, s.read, func(row scanner) (*lpm.User, error) { return scanUser(row) }, listUsersSQL, pq.after, pq.limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("list users: %w", err)
	}
	list, next := trimPage(list, pq, func(u *lpm.User) int64 { return u.ID })
	return list, next, nil
}

// UpdateUser applies upd to the user (the domain validates it) and returns
// the user as stored; needs ManageUsers. Disabling a user ends their
// sessions at once; their API tokens stop working because Authenticate
// refuses disabled users.
func (s *Store) UpdateUser(ctx context.Context, id int64, upd lpm.UserUpdate, actor lpm.Actor) (*lpm.User, error) {
	if err := actor.Authorize(lpm.ManageUsers, lpm.Target{}); err != nil {
		return nil, err
	}
	var u *lpm.User
	err := s.inTx(ctx, "update user", func(tx *dbtx) error {
		var admins []int64
		if upd.IsAdmin != nil || upd.Disabled != nil {
			// Locked first: two site admins demoting each other at once
			// must not both see the other one still there.
			var err error
			if admins, err = queryAll(ctx, tx, scanValue[int64], activeAdminsSQL+s.d.forUpdate); err != nil {
				return fmt.Errorf("lock the site admins: %w", err)
			}
		}
		old, err := loadUser(ctx, tx, id, s.d.forUpdate)
		if err != nil {
			return err
		}
		if u, err = upd.Apply(*old); err != nil {
			return err
		}
		others := len(slices.DeleteFunc(admins, func(a int64) bool { return a == id }))
		if err := lpm.KeepsASiteAdmin(old, u, others); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, updateUserSQL, u.DisplayName, u.Email, u.IsAdmin, u.Disabled, id); err != nil {
			return fmt.Errorf("update user %d: %w", id, err)
		}
		if u.Disabled && !old.Disabled {
			if err := deleteSessions(ctx, tx, id); err != nil {
				return err
			}
		}
		return audit(ctx, tx, actor, lpm.Now(), record{action: "user.update", object: "user", id: id,
			before: old.AuditFields(), after: u.AuditFields()})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SetPassword stores hash (from lpm.HashPassword; the store checks nothing
// about it) as the user's password and ends every session of the user, so
// that a password changed because it leaked locks out whoever used it. Needs
// ManageUsers, or to be the user. The audit trail records that the password
// changed, never the hash.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string, actor lpm.Actor) error {
	if err := authorizeUser(actor, userID); err != nil {
		return err
	}
	return s.inTx(ctx, "set password", func(tx *dbtx) error {
		res, err := tx.ExecContext(ctx, setPasswordSQL, hash, userID)
		if err != nil {
			return fmt.Errorf("set the password of user %d: %w", userID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("set the password of user %d: %w", userID, err)
		} else if n == 0 {
			return notFound("user", userID)
		}
		if err := deleteSessions(ctx, tx, userID); err != nil {
			return err
		}
		return audit(ctx, tx, actor, lpm.Now(), passwordRecord(userID))
	})
}

// passwordRecord is the audit record of a new password: that it changed,
// never the hash.
func passwordRecord(userID int64) record {
	return record{action: "user.password", object: "user", id: userID, after: lpm.Fields{"password": "changed"}}
}

// PasswordHash returns the user called name and their password hash ("" if
// they have none); ENOTFOUND if there is no such user. A disabled user is
// returned too, with Disabled set: the caller refuses the sign-in.
func (s *Store) PasswordHash(ctx context.Context, name string) (*lpm.User, string, error) {
	var hash string
	u, err := scanUser(s.read.QueryRowContext(ctx, passwordHashSQL, name), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", lpm.Errorf(lpm.ENOTFOUND, "user %q not found", name)
	}
	if err != nil {
		return nil, "", fmt.Errorf("load the password of user %q: %w", name, err)
	}
	return u, hash, nil
}
